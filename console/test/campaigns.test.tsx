import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CampaignDetail } from '../src/pages/campaigns/CampaignDetail.tsx';
import { CampaignList } from '../src/pages/campaigns/CampaignList.tsx';
import type { CampaignStats, CampaignWithStats, DialDecision } from '../src/pages/campaigns/types.ts';
import { mockApi, type FetchCall, type MockRoute } from './fetch-mock.ts';
import { renderAt } from './render.tsx';

/** The campaign form and meter read what a campaign can be from the server. */
const OPTIONS = {
  purposes: [
    { purpose: 'just_listed', default_playbook: 'just-listed' },
    { purpose: 'just_sold', default_playbook: 'just-sold' },
  ],
  playbooks: [
    { name: 'just-listed', goal: 'Tell the neighbours about the new listing.' },
    { name: 'just-sold', goal: 'Tell the neighbours what the house sold for.' },
    { name: 'open-house-rsvp', goal: 'Invite to the open house and take RSVPs.' },
  ],
  contact_roles: ['seller', 'buyer'],
  abandonment: { limit: 0.03, slow_down_at: 0.02, window_days: 30 },
};
const mockCampaignApi = (routes: MockRoute[]) =>
  mockApi([{ path: '/api/campaigns/options', body: OPTIONS }, ...routes]);

const STATS: CampaignStats = {
  targets: 10,
  byStatus: { queued: 2, dialing: 1, answered: 1, voicemail: 1, retryScheduled: 1, done: 3, blocked: 1 },
  byOutcome: { interested: 2, not_interested: 1, voicemail_left: 1, blocked_by_rule: 1 },
  attempts: 9,
  abandonment: { live_answered: 40, abandoned: 1, rate: 0.025, throttle: 'slowed' },
};

function campaign(over: Partial<CampaignWithStats> = {}): CampaignWithStats {
  return {
    id: 7,
    name: 'Elm St just listed',
    purpose: 'just_listed',
    playbook: 'just-listed',
    property_id: null,
    contact_roles: [],
    caller_id: '+15125550147',
    telemarketing: false,
    max_attempts: 3,
    retry_delay_minutes: 60,
    calls_per_minute: 5,
    max_concurrent: 2,
    window_start: '09:00',
    window_end: '19:00',
    status: 'paused',
    started_at: '2026-12-08T21:00:00.000Z',
    completed_at: null,
    created_at: '2026-12-08T20:00:00.000Z',
    stats: STATS,
    ...over,
  };
}

const BLOCKED: DialDecision = {
  id: 31,
  target_id: 4,
  phone: '+15125550102',
  at: '2026-12-08T21:05:00.000Z',
  allowed: false,
  blocked_by: ['dnc.internal'],
  rules: [
    { rule: 'federal.window', ok: true, detail: '15:05 America/Chicago is within 08:00–21:00' },
    { rule: 'dnc.internal', ok: false, detail: 'on the internal do-not-call list since 2026-12-01 (manual)' },
  ],
  zones: ['America/Chicago'],
  rules_version: 'v1',
};
const ALLOWED: DialDecision = {
  ...BLOCKED,
  id: 30,
  phone: '+15125550101',
  allowed: true,
  blocked_by: [],
  rules: BLOCKED.rules.map((r) => ({ ...r, ok: true })),
};

const gets = (calls: FetchCall[], path: string) => calls.filter((c) => c.method === 'GET' && c.url === path).length;
const countOf = (word: string) => screen.getByText(word, { selector: 'dt' }).nextElementSibling?.textContent;

afterEach(() => {
  vi.useRealTimers();
});

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
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBeNull();
    expect(location.history).toEqual(['/campaigns']);
    expect((screen.getByRole('button', { name: 'Create campaign' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('campaign detail', () => {
  const auditPath = '/api/campaigns/7/audit?limit=100';

  it('shows the progress counts, the outcomes, the abandonment meter and the audit with the blocking rule', async () => {
    mockCampaignApi([
      { path: '/api/campaigns/7', body: campaign() },
      { path: auditPath, body: [BLOCKED, ALLOWED] },
    ]);
    renderAt(<CampaignDetail id={7} />, '/campaigns/7');
    expect((await screen.findByRole('heading', { level: 1, name: 'Elm St just listed' })).tagName).toBe('H1');

    expect(countOf('Queued')).toBe('2');
    expect(countOf('Dialing')).toBe('1');
    expect(countOf('Answered')).toBe('1');
    expect(countOf('Voicemail')).toBe('1');
    expect(countOf('Done')).toBe('3');
    expect(countOf('Blocked by rule')).toBe('1');
    expect(countOf('Retry scheduled')).toBe('1');
    const bar = screen.getByLabelText('4 of 10 targets finished') as HTMLProgressElement;
    expect([bar.tagName, bar.value, bar.max]).toEqual(['PROGRESS', 4, 10]);

    expect(screen.getByRole('img', { name: /^Call outcomes:/ }).getAttribute('aria-label')).toBe(
      'Call outcomes: Interested 2, Not interested 1, Voicemail left 1, Blocked by rule 1',
    );

    const meter = (await screen.findByLabelText('Abandonment rate')) as HTMLMeterElement;
    expect(meter.value).toBe(0.025);
    const panel = screen.getByRole('region', { name: 'Abandonment' });
    expect(panel.textContent).toContain('2.5% of a 3% limit');
    expect(panel.textContent).toContain('1 abandoned of 40 calls answered by a person');
    expect(panel.className).toContain('abandonment-warn');

    const audit = await screen.findByRole('table', { name: /^Dial decisions, newest first/ });
    const [blocked, allowed] = within(audit).getAllByRole('row').slice(1);
    expect(within(blocked!).getByText('Blocked')).toBeTruthy();
    expect(blocked!.textContent).toContain('(512) 555-0102');
    expect(within(blocked!).getByRole('listitem').textContent).toBe(
      'dnc.internal: on the internal do-not-call list since 2026-12-01 (manual)',
    );
    expect(blocked!.textContent).not.toContain('federal.window');
    expect(within(allowed!).getByText('Allowed')).toBeTruthy();
    expect(allowed!.textContent).toContain('All 2 rules passed');
  });

  it('Start posts the command, shows a refusal, and reloads into the running campaign', async () => {
    let status = 'draft';
    const calls = mockCampaignApi([
      { path: '/api/campaigns/7', respond: () => ({ body: campaign({ status: status as 'draft' }) }) },
      { path: auditPath, body: [] },
      {
        method: 'POST',
        path: '/api/campaigns/7/start',
        respond: () => {
          if (calls.filter((c) => c.url === '/api/campaigns/7/start').length === 1)
            return {
              status: 409,
              body: { error: 'conflict', message: 'campaign 7 is draft: cannot start (enrol targets first)' },
            };
          status = 'active';
          return { body: campaign({ status: 'active' }) };
        },
      },
    ]);
    renderAt(<CampaignDetail id={7} />, '/campaigns/7');
    const user = userEvent.setup();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    await user.click(await screen.findByRole('button', { name: 'Start' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'campaign 7 is draft: cannot start (enrol targets first)',
    );
    await user.click(screen.getByRole('button', { name: 'Start' }));
    const pause = await screen.findByRole('button', { name: 'Pause' });
    // Focus follows the swap from Start to Pause instead of falling back to the page.
    await waitFor(() => expect(document.activeElement).toBe(pause));
    expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.url, c.body])).toEqual([
      ['/api/campaigns/7/start', {}],
      ['/api/campaigns/7/start', {}],
    ]);
    expect(screen.getByText('Live: updates every 2 seconds.')).toBeTruthy();
  });

  it('cancels only after a confirmation', async () => {
    const calls = mockCampaignApi([
      { path: '/api/campaigns/7', body: campaign({ status: 'active' }) },
      { path: auditPath, body: [] },
      { method: 'POST', path: '/api/campaigns/7/cancel', body: campaign({ status: 'cancelled' }) },
    ]);
    renderAt(<CampaignDetail id={7} />, '/campaigns/7');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel campaign' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Keep it' }));
    await user.click(screen.getByRole('button', { name: 'Cancel campaign' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel the campaign' }));
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/campaigns/7/cancel']),
    );
  });

  it('enrols the typed numbers and the property’s contacts and shows the report', async () => {
    const withProperty = campaign({ status: 'draft', property_id: 3, contact_roles: ['seller'] });
    const calls = mockCampaignApi([
      { path: '/api/campaigns/7', body: withProperty },
      { path: auditPath, body: [] },
      { path: '/api/properties/3', body: { id: 3, address: '141 Elm St', city: 'Austin' } },
      {
        method: 'POST',
        path: '/api/campaigns/7/targets',
        body: { requested: 5, added: 3, skipped_existing: 1, skipped_duplicate: 0, invalid: ['555'] },
      },
    ]);
    renderAt(<CampaignDetail id={7} />, '/campaigns/7');
    const user = userEvent.setup();
    const box = (await screen.findByLabelText('Phone numbers, one per line')) as HTMLTextAreaElement;
    expect((screen.getByRole('button', { name: 'Enrol' }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(box, '(512) 555-0101, Ann Lee{Enter}512.555.0102{Enter}{Enter}555');
    await user.click(screen.getByRole('checkbox', { name: 'Also the property’s contacts (Seller)' }));
    expect(screen.getByRole('link', { name: '141 Elm St, Austin' }).getAttribute('href')).toBe('/properties/3');
    const before = gets(calls, '/api/campaigns/7');
    await user.click(screen.getByRole('button', { name: 'Enrol' }));

    const form = screen.getByRole('form', { name: 'Enrol targets' });
    await waitFor(() => expect(within(form).getByRole('status').textContent).toContain('Added 3 of 5.'));
    const report = within(form).getByRole('status').textContent;
    expect(report).toContain('1 already in the campaign');
    expect(report).toContain('1 invalid (left in the box to fix): 555');
    expect(report).not.toContain('given twice');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      {
        method: 'POST',
        url: '/api/campaigns/7/targets',
        body: {
          numbers: [{ phone: '(512) 555-0101', name: 'Ann Lee' }, { phone: '512.555.0102' }, { phone: '555' }],
          from_property: true,
        },
      },
    ]);
    expect(box.value).toBe('555');
    await waitFor(() => expect(gets(calls, '/api/campaigns/7')).toBe(before + 1));
  });

  it('polls every 2 s while running and stops when the campaign completes', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let served = 0;
    const calls = mockCampaignApi([
      {
        path: '/api/campaigns/7',
        respond: () => {
          served++;
          const done = served >= 3;
          return {
            body: campaign({
              status: done ? 'completed' : 'active',
              stats: { ...STATS, byStatus: done ? { done: 9, blocked: 1 } : { queued: 4 - served, done: served } },
            }),
          };
        },
      },
      { path: auditPath, body: [] },
    ]);
    renderAt(<CampaignDetail id={7} />, '/campaigns/7');
    await screen.findByText('Live: updates every 2 seconds.');
    expect(countOf('Done')).toBe('1');
    expect(gets(calls, '/api/campaigns/7')).toBe(1);

    await act(() => vi.advanceTimersByTimeAsync(1_900));
    expect(gets(calls, '/api/campaigns/7')).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(200));
    await waitFor(() => expect(countOf('Done')).toBe('2'));
    expect(gets(calls, auditPath)).toBe(2);

    await act(() => vi.advanceTimersByTimeAsync(2_000));
    await waitFor(() => expect(countOf('Done')).toBe('9'));
    expect(screen.getByText('Completed')).toBeTruthy();
    expect(screen.queryByText('Live: updates every 2 seconds.')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(gets(calls, '/api/campaigns/7')).toBe(3);
    expect(gets(calls, auditPath)).toBe(3);
  });

  it('stops polling when the page is left', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = mockCampaignApi([
      { path: '/api/campaigns/7', body: campaign({ status: 'active' }) },
      { path: auditPath, body: [] },
    ]);
    const { unmount } = renderAt(<CampaignDetail id={7} />, '/campaigns/7');
    await screen.findByText('Live: updates every 2 seconds.');
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    await waitFor(() => expect(gets(calls, '/api/campaigns/7')).toBe(2));
    unmount();
    // No poll is left scheduled (a timer firing after unmount would fetch nothing, so count the timers).
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gets(calls, '/api/campaigns/7')).toBe(2);
  });
});
