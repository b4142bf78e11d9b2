import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PipelineBoard } from '../src/pages/pipeline/PipelineBoard.tsx';
import { PropertyPage } from '../src/pages/pipeline/PropertyPage.tsx';
import { mockApi, type FetchCall } from './fetch-mock.ts';
import { STAGE_KEYS, boardApi, propertyApi } from './pipeline-fixtures.ts';
import { renderAt } from './render.tsx';

const gets = (calls: FetchCall[], url: string) => calls.filter((c) => c.method === 'GET' && c.url === url).length;
const posts = (calls: FetchCall[]) => calls.filter((c) => c.method === 'POST').map((c) => [c.url, c.body]);

/** The card (article) of the property linked as `address` inside `scope`. */
function card(scope: HTMLElement, address: string): HTMLElement {
  return within(scope).getByRole('link', { name: address }).closest('article')!;
}

describe('pipeline board', () => {
  it('puts each property in its stage column, longest in stage first, with days in stage and a health label', async () => {
    const calls = boardApi();
    renderAt(<PipelineBoard />, '/pipeline');
    expect(screen.getByRole('heading', { level: 1, name: 'Pipeline' })).toBeTruthy();

    const board = screen.getByRole('region', { name: 'Pipeline board' });
    const columns = within(board)
      .getAllByRole('heading', { level: 2 })
      .map((h) => h.textContent);
    expect(columns).toEqual(['New Property', 'Enriched', 'Researched', 'Waiting for Contracts', 'Complete']);

    const researched = screen.getByRole('region', { name: 'Researched' });
    await within(researched).findByRole('link', { name: '12 Elm St' });
    const elm = card(researched, '12 Elm St');
    expect(elm.textContent).toContain('8.5 days in stage');
    expect(elm.textContent).toContain('Health: Stale');
    expect(elm.textContent).toContain('$351,000');
    expect(elm.textContent).toContain('3 bd · 2 ba');
    expect(within(elm).getByRole('link', { name: '12 Elm St' }).getAttribute('href')).toBe('/properties/1');
    expect(
      within(researched)
        .getAllByRole('heading', { level: 3 })
        .map((h) => h.textContent),
    ).toEqual(['12 Elm St', '9 Birch Ln']);
    expect(within(researched).getByText('2 properties')).toBeTruthy();

    const waiting = screen.getByRole('region', { name: 'Waiting for Contracts' });
    const oak = card(await within(waiting).findByRole('article'), '5 Oak Ave');
    expect(oak.textContent).toContain('12 days in stage');
    expect(oak.textContent).toContain('Health: Blocked');

    const fresh = card(await screen.findByRole('region', { name: 'New Property' }), '77 Pine Rd');
    expect(fresh.textContent).toContain('1 day in stage');
    expect(fresh.textContent).toContain('Health: Healthy');
    expect(within(researched).queryByRole('link', { name: '77 Pine Rd' })).toBeNull();

    expect(
      await within(screen.getByRole('region', { name: 'Complete' })).findByText('No properties in this stage.'),
    ).toBeTruthy();
    for (const s of STAGE_KEYS)
      expect(gets(calls, `/api/properties?status=${s}&limit=100&include_heartbeat=true`)).toBe(1);
    expect(calls.filter((c) => c.url.startsWith('/api/properties')).length).toBe(5);
  });

  it('snoozes for the chosen time and marks a follow-up done, then reloads the queue', async () => {
    const calls = boardApi();
    renderAt(<PipelineBoard />, '/pipeline');
    const user = userEvent.setup();
    const queue = screen.getByRole('region', { name: 'Follow-up queue' });
    await within(queue).findByRole('link', { name: '12 Elm St' });
    expect(queue.textContent).toContain('Call the property owner · Olive Owner (Owner), (512) 555-0147');
    expect(queue.textContent).toContain('Skip trace done, no outreach yet at 12 Elm St');

    await user.selectOptions(within(queue).getByLabelText('Snooze for'), '1 week');
    await user.click(within(queue).getByRole('button', { name: 'Snooze 12 Elm St' }));
    expect(await within(queue).findByText('Snoozed 12 Elm St for 1 week.')).toBeTruthy();
    await waitFor(() => expect(within(queue).queryByRole('link', { name: '12 Elm St' })).toBeNull());
    expect(gets(calls, '/api/follow-ups?limit=10')).toBe(2);

    await user.click(within(queue).getByRole('button', { name: 'Done 5 Oak Ave' }));
    expect(await within(queue).findByText('No follow-ups needed right now.')).toBeTruthy();
    expect(gets(calls, '/api/follow-ups?limit=10')).toBe(3);
    expect(posts(calls)).toEqual([
      ['/api/follow-ups/1/snooze', { hours: 168 }],
      ['/api/follow-ups/2/complete', {}],
    ]);
  });

  it('lists notifications with the unread marked; Mark all read and Dismiss post and reload', async () => {
    const calls = boardApi();
    renderAt(<PipelineBoard />, '/pipeline');
    const user = userEvent.setup();
    const panel = screen.getByRole('region', { name: 'Notifications' });
    const titles = await within(panel).findAllByRole('heading', { level: 3 });
    expect(titles.map((h) => h.textContent)).toEqual(['Unread Call Olive back', 'Contract signed']);
    expect(within(panel).getByText('1 unread')).toBeTruthy();

    await user.click(within(panel).getByRole('button', { name: 'Mark all read' }));
    expect(await within(panel).findByText('0 unread')).toBeTruthy();
    expect(within(panel).queryByText('Unread')).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Mark all read' }).getAttribute('aria-disabled')).toBe('true');

    await user.click(within(panel).getByRole('button', { name: 'Dismiss Contract signed' }));
    await waitFor(() => expect(within(panel).queryByRole('heading', { name: 'Contract signed' })).toBeNull());
    expect(within(panel).getByRole('heading', { level: 3, name: 'Call Olive back' })).toBeTruthy();
    expect(posts(calls)).toEqual([
      ['/api/notifications/read', { all: true }],
      ['/api/notifications/11/dismiss', {}],
    ]);
    expect(gets(calls, '/api/notifications?limit=20')).toBe(3);
  });

  it("renders today's digest", async () => {
    boardApi();
    renderAt(<PipelineBoard />, '/pipeline');
    const panel = screen.getByRole('region', { name: 'Today’s digest' });
    expect(await within(panel).findByText(/You have 3 active properties and 1 item needing attention\./)).toBeTruthy();
    expect(panel.textContent).toContain('Active listing value$1,060,000');
    expect(panel.textContent).toContain('Required contracts signed1 of 4');
    expect(panel.textContent).toContain('5 Oak Ave: Waiting 12 days.');
    expect(within(panel).getByRole('link', { name: 'Open 5 Oak Ave' }).getAttribute('href')).toBe('/properties/2');
    expect(panel.textContent).toContain('12 Elm St: Call the property owner Urgent');
    const byStage = within(panel).getByRole('table', { name: 'Properties by stage' });
    expect(within(byStage).getByRole('row', { name: 'Researched 2' })).toBeTruthy();
  });
});

describe('property page', () => {
  it('shows facts, heartbeat, readiness with the missing contract, offers, the valuation and the comps scatter', async () => {
    const calls = propertyApi();
    renderAt(<PropertyPage id={7} />, '/properties/7');
    expect(await screen.findByRole('heading', { level: 1, name: '101 Main St' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Calls about this property' }).getAttribute('href')).toBe(
      '/calls?property=7',
    );

    const facts = screen.getByRole('region', { name: 'Facts' });
    expect(facts.textContent).toContain('Price$357,000');
    expect(facts.textContent).toContain('StageWaiting for Contracts');
    const heartbeat = screen.getByRole('region', { name: 'Heartbeat' });
    expect(heartbeat.textContent).toContain('Health: Blocked blocked reason for 101 Main St');
    expect(heartbeat.textContent).toContain('12.5 days (stale after 7 days)');
    expect(heartbeat.textContent).toContain('Next stepRun a skip trace to find the owner');

    const contracts = screen.getByRole('region', { name: 'Contracts readiness' });
    expect(await within(contracts).findByText('Not ready to close')).toBeTruthy();
    expect(contracts.textContent).toContain('Not attached: Seller Disclosure Notice');
    expect(within(contracts).getByText('Attach missing Seller Disclosure Notice')).toBeTruthy();
    const contractTable = await within(contracts).findByRole('table', { name: 'Contracts of this property' });
    expect(
      within(contractTable).getByRole('row', { name: /Purchase Agreement Required Pending signature/ }),
    ).toBeTruthy();

    const offers = screen.getByRole('region', { name: 'Offers' });
    const offerTable = await within(offers).findByRole('table', { name: 'Offers on this property' });
    await waitFor(() => expect(within(offerTable).getByRole('rowheader', { name: 'Bea Buyer' })).toBeTruthy());
    expect(within(offerTable).getAllByRole('row')[1]!.textContent).toMatch(/^Bea Buyer\$440,000CounteredFeb 20, 2025/);

    const valuation = screen.getByRole('region', { name: 'Valuation and comps' });
    expect(await within(valuation).findByText('$450,000', { selector: 'strong' })).toBeTruthy();
    expect(valuation.textContent).toContain('(range $420,000 to $480,000)');
    expect(valuation.textContent).toContain('ConfidenceHigh (72%)');
    expect(within(valuation).getByRole('img', { name: 'Comp sale price vs distance: 4 points' })).toBeTruthy();
    const scatter = within(valuation).getByRole('table', { name: 'Comp sale price vs distance' });
    expect(
      within(scatter)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual([
      'Comp 10010.35 mi$430,000',
      'Comp 10021.20 mi$470,000',
      'Comp 10032.05 mi$410,000',
      'This property (estimate)0.00 mi$450,000',
    ]);
    const comps = within(valuation).getByRole('table', { name: 'Comparable sales' });
    expect(within(comps).getByRole('row', { name: '1001 0.35 mi 2024-11-02 $430,000 $445,000 81%' })).toBeTruthy();

    const closing = screen.getByRole('region', { name: 'Closing outlook' });
    expect(await within(closing).findByText('62%')).toBeTruthy();
    expect(closing.textContent).toContain('An active offer is in negotiation');
    expect(calls.map((c) => `${c.method} ${c.url}`).sort()).toEqual(
      [
        '/api/properties/7',
        '/api/properties/7/closing-prediction',
        '/api/properties/7/contacts',
        '/api/properties/7/contracts',
        '/api/properties/7/contracts/readiness',
        '/api/properties/7/offers',
        '/api/properties/7/valuation',
      ].map((u) => `GET ${u}`),
    );
  });

  it('shows why a property cannot be valued without hiding the rest', async () => {
    propertyApi({
      status: 400,
      body: { error: 'validation_error', message: 'Property 7 needs its square footage to be valued' },
    });
    renderAt(<PropertyPage id={7} />, '/properties/7');
    const valuation = await screen.findByRole('region', { name: 'Valuation and comps' });
    expect((await within(valuation).findByRole('alert')).textContent).toBe(
      'Property 7 needs its square footage to be valued',
    );
    expect(await screen.findByRole('table', { name: 'Offers on this property' })).toBeTruthy();
  });

  it('says clearly when the property does not exist, and asks for nothing else', async () => {
    const calls = mockApi([
      { path: '/api/properties/999', status: 404, body: { error: 'not_found', message: 'Property 999 was not found' } },
    ]);
    renderAt(<PropertyPage id={999} />, '/properties/999');
    expect(await screen.findByRole('heading', { level: 1, name: 'Property not found' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('There is no property 999 in your portfolio.');
    expect(screen.getByRole('link', { name: 'Back to the pipeline' }).getAttribute('href')).toBe('/pipeline');
    expect(calls.map((c) => c.url)).toEqual(['/api/properties/999']);
  });

  it('does not ask the API about an id that is not a number', () => {
    const calls = mockApi([]);
    renderAt(<PropertyPage id={Number('abc')} />, '/properties/abc');
    expect(screen.getByRole('heading', { level: 1, name: 'Property not found' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('There is no such property.');
    expect(calls).toEqual([]);
  });
});
