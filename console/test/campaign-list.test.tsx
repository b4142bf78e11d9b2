import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CampaignList } from '../src/pages/campaigns/CampaignList.tsx';
import { campaign, mockCampaignApi, STATS } from './campaign-fixtures.ts';
import type { MockRoute } from './fetch-mock.ts';
import { renderAt } from './render.tsx';

afterEach(() => {
  vi.useRealTimers();
});

/** The text a screen reader reads with a control: its aria-describedby elements. */
const description = (el: HTMLElement): string =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('campaign list', () => {
  const listRoutes: MockRoute[] = [
    {
      path: '/api/campaigns',
      body: [
        {
          ...campaign({
            id: 8,
            name: 'Oak Ave just sold',
            purpose: 'just_sold',
            playbook: 'just-sold',
            status: 'active',
          }),
          targets_by_status: STATS.byStatus,
        },
        { ...campaign({ id: 7, status: 'draft' }), targets_by_status: {} },
      ],
    },
    {
      path: '/api/properties?limit=100&include_heartbeat=false',
      body: { items: [{ id: 3, address: '141 Elm St', city: 'Austin', state: 'TX' }], total: 1 },
    },
    { path: '/api/agents/me', body: { line_numbers: ['+15125550147'] } },
  ];

  it('lists the campaigns with status, progress and a link to each', async () => {
    mockCampaignApi(listRoutes);
    renderAt(<CampaignList />, '/campaigns');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Campaigns');
    const table = await screen.findByRole('table', { name: 'Campaigns, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const link = within(rows[0]!).getByRole('link', { name: 'Oak Ave just sold' });
    expect(link.getAttribute('href')).toBe('/campaigns/8');
    expect(rows[0]!.textContent).toContain('Just sold');
    expect(rows[0]!.textContent).toContain('just-sold');
    expect(within(rows[0]!).getByText('Active')).toBeTruthy();
    // done 3 + blocked 1 of 10 enrolled
    await waitFor(() => expect(rows[0]!.textContent).toContain('4 / 10 targets finished'));
    expect(within(rows[1]!).getByText('Draft')).toBeTruthy();
    await waitFor(() => expect(rows[1]!.textContent).toContain('0 / 0'));
  });

  it('creates a campaign with the form’s values and opens it', async () => {
    const calls = mockCampaignApi([
      ...listRoutes,
      { method: 'POST', path: '/api/campaigns', status: 201, body: campaign({ id: 9, status: 'draft' }) },
    ]);
    const { location } = renderAt(<CampaignList />, '/campaigns');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Oak Ave just sold');
    await user.selectOptions(screen.getByLabelText('Purpose'), 'Just sold');
    await user.selectOptions(screen.getByLabelText('Property'), await screen.findByRole('option', { name: /141 Elm/ }));
    await user.click(screen.getByRole('checkbox', { name: 'Seller' }));
    await waitFor(() => expect((screen.getByLabelText('Caller ID') as HTMLInputElement).value).toBe('+15125550147'));
    await user.clear(screen.getByLabelText('Calls per minute'));
    await user.type(screen.getByLabelText('Calls per minute'), '3');
    await user.click(screen.getByRole('checkbox', { name: /Telemarketing/ }));
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));

    await waitFor(() => expect(location.history.at(-1)).toBe('/campaigns/9'));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      {
        method: 'POST',
        url: '/api/campaigns',
        body: {
          name: 'Oak Ave just sold',
          purpose: 'just_sold',
          property_id: 3,
          contact_roles: ['seller'],
          caller_id: '+15125550147',
          telemarketing: false,
          window_start: '09:00',
          window_end: '19:00',
          calls_per_minute: 3,
          max_concurrent: 2,
          max_attempts: 3,
          retry_delay_minutes: 60,
        },
      },
    ]);
  });

  it('shows the server’s refusal next to the form and keeps what was typed', async () => {
    const calls = mockCampaignApi([
      ...listRoutes,
      {
        method: 'POST',
        path: '/api/campaigns',
        status: 400,
        body: {
          error: 'validation_error',
          message: 'caller_id must be a North American phone number',
          details: { field: 'caller_id' },
        },
      },
    ]);
    const { location } = renderAt(<CampaignList />, '/campaigns');
    const user = userEvent.setup();
    const callerId = screen.getByLabelText('Caller ID') as HTMLInputElement;
    await waitFor(() => expect(callerId.value).toBe('+15125550147'));
    await user.type(screen.getByLabelText('Name'), 'Spring open house');
    await user.selectOptions(screen.getByLabelText('Playbook'), 'open-house-rsvp');
    await user.clear(callerId);
    await user.type(callerId, '555-12345');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));

    const form = screen.getByRole('form', { name: 'New campaign' });
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'caller_id must be a North American phone number',
    );
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      name: 'Spring open house',
      playbook: 'open-house-rsvp',
      caller_id: '555-12345',
    });
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Spring open house');
    expect((screen.getByLabelText('Playbook') as HTMLSelectElement).value).toBe('open-house-rsvp');
    expect(callerId.value).toBe('555-12345');
    expect(callerId.getAttribute('aria-invalid')).toBe('true');
    // The message also sits under the field and is read with it (before its hint).
    expect(description(callerId)).toMatch(/^caller_id must be a North American phone number The number the calls/);
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBeNull();
    expect(description(screen.getByLabelText('Name'))).toBe('');
    expect(location.history).toEqual(['/campaigns']);
    expect((screen.getByRole('button', { name: 'Create campaign' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('a schema refusal puts each issue’s message under its field', async () => {
    mockCampaignApi([
      ...listRoutes,
      {
        method: 'POST',
        path: '/api/campaigns',
        status: 400,
        body: {
          error: 'validation_error',
          message: 'body.calls_per_minute: Too big: expected number to be <=120',
          details: { issues: [{ path: 'body.calls_per_minute', message: 'Too big: expected number to be <=120' }] },
        },
      },
    ]);
    renderAt(<CampaignList />, '/campaigns');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Fast');
    await waitFor(() => expect((screen.getByLabelText('Caller ID') as HTMLInputElement).value).not.toBe(''));
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    const pace = screen.getByLabelText('Calls per minute');
    await waitFor(() => expect(pace.getAttribute('aria-invalid')).toBe('true'));
    expect(description(pace)).toBe('Too big: expected number to be <=120');
    expect(screen.getByLabelText('Calls at once').getAttribute('aria-invalid')).toBeNull();
  });
});
