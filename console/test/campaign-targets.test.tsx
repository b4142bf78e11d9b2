import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CampaignTargets } from '../src/pages/campaigns/CampaignTargets.tsx';
import type { CampaignTargetRow } from '../src/pages/campaigns/types.ts';
import { mockCampaignApi } from './campaign-fixtures.ts';
import { renderAt } from './render.tsx';

const ANN: CampaignTargetRow = {
  id: 1,
  phone: '+15125550101',
  name: 'Ann Lee',
  contact_id: 4,
  status: 'done',
  attempts: 2,
  next_attempt_at: null,
  outcome: 'interested',
  outcome_note: 'wants a showing',
  last_dial: {
    attempt_no: 2,
    status: 'completed',
    answered_by: 'human',
    outcome: 'interested',
    duration_sec: 95,
    started_at: '2026-12-07T18:00:00Z',
    ended_at: '2026-12-07T18:01:35Z',
    call_sid: 'CA123',
  },
};
const BOB: CampaignTargetRow = {
  id: 2,
  phone: '+15125550102',
  name: null,
  contact_id: null,
  status: 'retryScheduled',
  attempts: 1,
  next_attempt_at: '2026-12-08T18:00:00Z',
  outcome: 'busy',
  outcome_note: null,
  last_dial: {
    attempt_no: 1,
    status: 'busy',
    answered_by: null,
    outcome: 'busy',
    duration_sec: null,
    started_at: '2026-12-07T17:00:00Z',
    ended_at: null,
    call_sid: null,
  },
};
const page = (items: CampaignTargetRow[], total: number, offset = 0) => ({ total, limit: 25, offset, items });

describe('campaign targets', () => {
  it('lists each number with its status, attempts, outcome, next attempt and latest dial (with its review)', async () => {
    mockCampaignApi([{ path: '/api/campaigns/7/targets?limit=25', body: page([ANN, BOB], 2) }]);
    renderAt(<CampaignTargets id={7} refresh={0} />, '/campaigns/7');
    const table = await screen.findByRole('table', { name: 'Targets in enrolment order (1–2 of 2)' });
    const [ann, bob] = within(table).getAllByRole('row').slice(1);
    expect(within(ann!).getByRole('rowheader').textContent).toBe('Ann Lee(512) 555-0101');
    expect(within(ann!).getByText('Done')).toBeTruthy();
    expect(ann!.textContent).toContain('Interestedwants a showing');
    expect(ann!.textContent).toContain('Attempt 2 · Completed · Human · 1:35');
    const review = within(ann!).getByRole('link', { name: 'Review: the call with Ann Lee' });
    expect(review.getAttribute('href')).toBe('/calls/CA123');
    expect(within(bob!).getByText('Retry scheduled')).toBeTruthy();
    expect(within(bob!).queryByRole('link')).toBeNull();
    expect(bob!.textContent).toContain('Attempt 1 · Busy');
    expect(screen.queryByRole('navigation', { name: 'Pages' })).toBeNull(); // all on one page
  });

  it('the status filter and the pages ask the server again', async () => {
    const calls = mockCampaignApi([
      { path: '/api/campaigns/7/targets?limit=25', body: page([ANN], 30) },
      { path: '/api/campaigns/7/targets?limit=25&offset=25', body: page([BOB], 30, 25) },
      { path: '/api/campaigns/7/targets?status=blocked&limit=25', body: page([], 0) },
    ]);
    renderAt(<CampaignTargets id={7} refresh={0} />, '/campaigns/7');
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Targets in enrolment order (1–1 of 30)' });
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('table', { name: 'Targets in enrolment order (26–26 of 30)' });
    expect(screen.getByText('Showing 26–26 of 30')).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('Status'), 'Blocked by rule');
    await screen.findByText('No target is in this status.');
    await waitFor(() =>
      expect(calls.map((c) => c.url)).toEqual([
        '/api/campaigns/7/targets?limit=25',
        '/api/campaigns/7/targets?limit=25&offset=25',
        '/api/campaigns/7/targets?status=blocked&limit=25', // the filter starts again at the first page
      ]),
    );
  });
});
