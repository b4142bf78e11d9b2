import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CampaignAudit } from '../src/pages/campaigns/CampaignAudit.tsx';
import { CampaignDetail } from '../src/pages/campaigns/CampaignDetail.tsx';
import { ALLOWED, auditPage, BLOCKED, campaign, countOf, gets, mockCampaignApi, STATS } from './campaign-fixtures.ts';
import { renderAt } from './render.tsx';

afterEach(() => {
  vi.useRealTimers();
});

describe('campaign detail', () => {
  const auditPath = '/api/campaigns/7/audit?limit=50';

  it('shows the progress counts, the outcomes, the abandonment meter and the audit with the blocking rule', async () => {
    mockCampaignApi([
      { path: '/api/campaigns/7', body: campaign() },
      { path: auditPath, body: auditPage([BLOCKED, ALLOWED]) },
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
      { path: auditPath, body: auditPage([]) },
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
      { path: auditPath, body: auditPage([]) },
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
      { path: auditPath, body: auditPage([]) },
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
      { path: auditPath, body: auditPage([]) },
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
      { path: auditPath, body: auditPage([]) },
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

  it('the audit pages through the decisions; "blocked only" starts again at the first page', async () => {
    const decisions = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ ...ALLOWED, id: from + i + 1 }));
    const calls = mockCampaignApi([
      { path: auditPath, body: auditPage(decisions(50, 0), 120) },
      { path: '/api/campaigns/7/audit?limit=50&offset=50', body: auditPage(decisions(50, 50), 120, 50) },
      { path: '/api/campaigns/7/audit?limit=50&blocked_only=true', body: auditPage([BLOCKED], 1) },
    ]);
    renderAt(<CampaignAudit id={7} refresh={0} />, '/campaigns/7');
    const user = userEvent.setup();
    await screen.findByRole('table', { name: /^Dial decisions, newest first \(1–50 of 120\)/ });
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('table', { name: /^Dial decisions, newest first \(51–100 of 120\)/ });
    await user.click(screen.getByRole('checkbox', { name: 'Blocked dials only' }));
    await screen.findByRole('table', { name: /^Dial decisions, newest first \(1–1 of 1\)/ });
    expect(screen.queryByRole('navigation', { name: 'Pages' })).toBeNull();
    expect(calls.map((c) => c.url)).toEqual([
      auditPath,
      '/api/campaigns/7/audit?limit=50&offset=50',
      '/api/campaigns/7/audit?limit=50&blocked_only=true',
    ]);
  });
});
