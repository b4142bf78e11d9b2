import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CallHistory } from '../src/pages/calls/CallHistory.tsx';
import { CallReview } from '../src/pages/calls/CallReview.tsx';
import { LiveCalls } from '../src/pages/calls/LiveCalls.tsx';
import {
  transcript,
  type CallDetail,
  type CallEvent,
  type CallTurnView,
  type CallView,
} from '../src/pages/calls/model.ts';
import { FakeEventSource, mockApi, type FetchCall } from './fetch-mock.ts';
import { renderAt } from './render.tsx';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const callView = (over: Partial<CallView> = {}): CallView => ({
  ...{ id: 1, call_sid: 'CA1', direction: 'inbound' as const, from: '+15125550147', to: '+15125550100' },
  ...{ transport: 'conversation-relay', status: 'in-progress', outcome: null, ended_reason: null, property_id: null },
  ...{ summary: null, duration_sec: null, recording_url: null, fair_housing_deflections: 0, ended_at: null },
  ...{ started_at: ago(65_000), state: 'receptionist.listening' },
  ...over,
});
const noTool = { intent: null, tool_name: null, tool_arguments: null, ok: null, interrupted: false, timings: null };
const turn = (seq: number, over: Partial<CallTurnView>): CallTurnView => ({
  ...{ seq, role: 'agent', text: '', state: 'receptionist.listening', ...noTool, at: ago(60_000 - seq * 1000) },
  ...over,
});

const urls = (calls: FetchCall[], prefix: string) => calls.filter((c) => c.url.startsWith(prefix)).map((c) => c.url);
const emit = (name: string, data: object) =>
  act(() => FakeEventSource.last.emit(name, { type: name, at: new Date().toISOString(), ...data }));
const texts = (el: HTMLElement, role: string) =>
  within(el)
    .queryAllByRole(role)
    .map((e) => e.textContent ?? '');
const itemTexts = (list: HTMLElement) => texts(list, 'listitem');
const params = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

beforeEach(() => FakeEventSource.install());

describe('live calls', () => {
  it('shows the calls in progress, streams their transcripts and moves an ended call to Recently ended', async () => {
    const greeting = turn(1, { text: 'Thanks for calling Dana Realtor, how can I help?', at: ago(5_000) });
    let second = false;
    const calls = mockApi([
      {
        path: '/api/calls?status=in-progress&limit=50',
        respond: () => {
          // A console test call that ended: no carrier reported it completed.
          const items = [callView(), callView({ id: 9, call_sid: 'CA9', from: '', to: '', ended_at: ago(9_000) })];
          if (second)
            items.push(
              callView({ id: 2, call_sid: 'CA2', direction: 'outbound', from: '+15125550100', to: '+15125550199' }),
            );
          return { body: { items, total: items.length } };
        },
      },
      { path: '/api/calls?status=ringing&limit=50', body: { items: [], total: 0 } },
      { path: '/api/calls/CA1', body: { ...callView(), turns: [greeting] } },
      { path: '/api/calls/CA2', body: { ...callView({ call_sid: 'CA2' }), turns: [] } },
    ]);
    renderAt(<LiveCalls />, '/');
    const article = await screen.findByRole('article', { name: 'Inbound call from (512) 555-0147' });
    expect(FakeEventSource.last.url).toBe('/api/calls/events');
    expect(screen.getAllByRole('article')).toHaveLength(1);
    expect(screen.getByText('Connecting to live updates…').getAttribute('role')).toBe('status');
    act(() => FakeEventSource.last.onopen?.());
    expect(screen.getByText('Live updates on').getAttribute('role')).toBe('status');

    const facts = within(article);
    expect(facts.getByText('Line').nextElementSibling?.textContent).toBe('(512) 555-0100');
    expect(facts.getByText('State').nextElementSibling?.textContent).toBe('receptionist.listening');
    const dur = facts.getByText('Duration').nextElementSibling!;
    expect(dur.textContent).toMatch(/^1:0\d$/);
    const firstDuration = dur.textContent;
    await waitFor(() => expect(dur.textContent).not.toBe(firstDuration));
    expect(facts.getByRole('link', { name: 'Review' }).getAttribute('href')).toBe('/calls/CA1');

    const list = facts.getByRole('list', { name: 'Transcript: Inbound call from (512) 555-0147' });
    expect(list.getAttribute('aria-live')).toBe('polite');
    await waitFor(() => expect(itemTexts(list)).toHaveLength(1));
    // The stored greeting's own event is not repeated; what follows streams in.
    emit('turn', { callSid: 'CA1', seq: 1, role: 'agent', text: greeting.text, at: greeting.at });
    emit('state', { callSid: 'CA1', value: 'receptionist.responding' });
    emit('turn', { callSid: 'CA1', seq: 2, role: 'caller', text: 'Is 12 Elm Street still for sale?' });
    emit('tool', {
      callSid: 'CA1',
      seq: 3,
      name: 'search_properties',
      arguments: { address: '12 Elm Street' },
      ok: true,
      summary: '12 Elm Street: 3 beds, $450,000',
      durationMs: 120,
    });
    emit('turn', { callSid: 'CA1', seq: 4, role: 'agent', text: 'Yes, it is listed at $450,000.' });
    const lines = itemTexts(list);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('Thanks for calling Dana Realtor');
    expect(lines[1]).toMatch(/^Caller.*Is 12 Elm Street still for sale\?$/);
    expect(lines[2]).toMatch(/^Tool: search_properties ok.*address12 Elm Street12 Elm Street: 3 beds, \$450,000$/);
    expect(lines[3]).toMatch(/^Agent.*Yes, it is listed at \$450,000\.$/);
    expect(facts.getByText('State').nextElementSibling?.textContent).toBe('receptionist.responding');

    // An event of a call the page does not know yet: the list is read again.
    second = true;
    emit('state', { callSid: 'CA2', value: 'campaign.greeting' });
    expect(await screen.findByRole('article', { name: 'Outbound call to (512) 555-0199' })).toBeTruthy();
    expect(urls(calls, '/api/calls?status=in-progress')).toHaveLength(2);
    emit('started', { callSid: 'CA3', direction: 'inbound', from: '+15125550123', to: '+15125550100' });
    await waitFor(() => expect(urls(calls, '/api/calls?status=ringing')).toHaveLength(3));

    emit('ended', { callSid: 'CA1', reason: 'caller_hung_up', outcome: 'viewing_scheduled' });
    expect(screen.queryByRole('article', { name: 'Inbound call from (512) 555-0147' })).toBeNull();
    const ended = screen.getByRole('region', { name: 'Recently ended' });
    const link = within(ended).getByRole('link', { name: 'Inbound call from (512) 555-0147' });
    expect(link.getAttribute('href')).toBe('/calls/CA1');
    expect(ended.textContent).toContain('Caller hung up');
    expect(ended.textContent).toContain('Viewing scheduled');
    expect(screen.getByRole('heading', { level: 2, name: 'Calls in progress (1)' })).toBeTruthy();

    // A dropped stream says so, and the lists are read again when it is back.
    act(() => FakeEventSource.last.onerror?.());
    expect(screen.getByText('Reconnecting…').getAttribute('role')).toBe('status');
    act(() => FakeEventSource.last.onopen?.());
    await waitFor(() => expect(urls(calls, '/api/calls?status=in-progress')).toHaveLength(4));
    expect(screen.getByText('Live updates on')).toBeTruthy();
  });
});

describe('call history', () => {
  const page = (offset: number, total: number, n: number) => ({
    items: Array.from({ length: n }, (_, i) =>
      callView({
        id: offset + i + 1,
        call_sid: `CA${offset + i + 1}`,
        status: 'completed',
        outcome: 'viewing_scheduled',
        property_id: 12,
        duration_sec: 95,
        ended_at: ago(1000),
      }),
    ),
    total,
  });

  it('sends the filters from the URL and the form, keeps them in the URL, and pages with limit/offset', async () => {
    const calls = mockApi([
      {
        path: /^\/api\/calls\?/,
        respond: (_b, url) => {
          const offset = Number(params(url).offset ?? 0);
          return { body: page(offset, 30, offset ? 5 : 25) };
        },
      },
    ]);
    const { location } = renderAt(<CallHistory />, '/calls?outcome=viewing_scheduled');
    expect(screen.getByRole('heading', { level: 1, name: 'Call review' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Calls, newest first (1–25 of 30)' });
    expect(calls.map((c) => c.url)).toEqual(['/api/calls?outcome=viewing_scheduled&limit=25']);
    expect((screen.getByLabelText('Outcome') as HTMLSelectElement).value).toBe('viewing_scheduled');
    const row = within(table).getAllByRole('row')[1]!;
    expect(texts(row, 'cell')).toEqual([
      '(512) 555-0147',
      '(512) 555-0100',
      'Inbound',
      '1:35',
      'Viewing scheduled',
      'Completed',
      '#12',
      'Review: Inbound call from (512) 555-0147, ' + within(row).getByRole('rowheader').textContent,
    ]);
    expect(
      within(row)
        .getByRole('link', { name: /^Review/ })
        .getAttribute('href'),
    ).toBe('/calls/CA1');

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Line'), 'not a number');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(screen.getByLabelText('Line').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Enter a phone number/)).toBeTruthy();
    expect(calls).toHaveLength(1);

    await user.clear(screen.getByLabelText('Line'));
    await user.type(screen.getByLabelText('Line'), '(512) 555-0100');
    await user.type(screen.getByLabelText('From date'), '2025-03-01');
    await user.type(screen.getByLabelText('To date'), '2025-03-31');
    await user.type(screen.getByLabelText('Property id'), '12');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'Offer created');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(params(calls[1]!.url)).toEqual({
      from: new Date(2025, 2, 1).toISOString(),
      to: new Date(2025, 3, 1).toISOString(),
      line: '+15125550100',
      outcome: 'offer_created',
      property_id: '12',
      limit: '25',
    });
    expect(location.history?.at(-1)).toBe(
      '/calls?from=2025-03-01&to=2025-03-31&line=%2B15125550100&outcome=offer_created&property=12',
    );

    await screen.findByRole('table', { name: 'Calls, newest first (1–25 of 30)' });
    expect(screen.getByRole('button', { name: 'Previous' }).hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('table', { name: 'Calls, newest first (26–30 of 30)' });
    expect(params(calls.at(-1)!.url)).toMatchObject({ offset: '25', outcome: 'offer_created', limit: '25' });
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByRole('table', { name: 'Calls, newest first (1–25 of 30)' });
    expect(params(calls.at(-1)!.url).offset).toBeUndefined();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/calls?limit=25'));
    expect((screen.getByLabelText('Line') as HTMLInputElement).value).toBe('');
  });
});

describe('call review', () => {
  const reviewed: CallDetail = {
    ...callView({
      status: 'completed',
      outcome: 'viewing_scheduled',
      ended_reason: 'goodbye',
      property_id: 12,
      summary: 'Asked about 12 Elm Street; viewing Saturday 10am.',
      duration_sec: 185,
      recording_url: 'https://recordings.example/RE1.mp3',
      ended_at: ago(1000),
      state: 'ended',
    }),
    turns: [
      turn(1, { role: 'caller', text: 'Is 12 Elm Street still for sale?' }),
      turn(2, {
        role: 'tool',
        text: '12 Elm Street: 3 beds, $450,000',
        state: 'receptionist.responding',
        tool_name: 'search_properties',
        tool_arguments: { address: '12 Elm Street', max_results: 3 },
        ok: true,
      }),
      turn(3, {
        text: 'Yes, it is listed at $450,000.',
        state: 'receptionist.responding',
        timings: { endpointingMs: 220, firstTextMs: 640, toolMs: 310, ttsFirstByteMs: 180, totalMs: 1400 },
      }),
      turn(4, { role: 'caller', text: 'Can I see it Saturday?' }),
      turn(5, {
        role: 'tool',
        text: 'No free slot on Saturday morning',
        state: 'viewing.booking',
        tool_name: 'schedule_viewing',
        tool_arguments: { property_id: 12 },
        ok: false,
      }),
      turn(6, {
        text: 'Saturday at 10 is taken; how about 11?',
        state: 'viewing.booking',
        timings: { endpointingMs: 260, firstTextMs: 500, toolMs: 0, ttsFirstByteMs: -1, totalMs: 900 },
      }),
    ],
  };

  it('shows the summary, the transcript with its tool calls and states, and the latency of each reply', async () => {
    const calls = mockApi([{ path: '/api/calls/CA1', body: reviewed }]);
    renderAt(<CallReview callSid="CA1" />, '/calls/CA1');
    expect(await screen.findByRole('heading', { level: 1, name: 'Inbound call from (512) 555-0147' })).toBeTruthy();
    expect(calls.map((c) => c.url)).toEqual(['/api/calls/CA1']);
    expect(FakeEventSource.instances).toHaveLength(0);

    const summary = within(screen.getByRole('region', { name: 'Summary' }));
    const fact = (name: string) => summary.getByText(name).nextElementSibling?.textContent;
    expect(fact('Direction')).toBe('Inbound');
    expect(fact('From')).toBe('(512) 555-0147');
    expect(fact('To')).toBe('(512) 555-0100');
    expect(fact('Duration')).toBe('3:05');
    expect(fact('Status')).toBe('Completed');
    expect(fact('Outcome')).toBe('Viewing scheduled');
    expect(fact('Ended because')).toBe('Goodbye');
    expect(summary.getByText('Asked about 12 Elm Street; viewing Saturday 10am.')).toBeTruthy();
    expect(summary.getByRole('link', { name: 'Property #12' }).getAttribute('href')).toBe('/properties/12');
    expect(summary.getByRole('link', { name: 'Listen to the recording' }).getAttribute('href')).toBe(
      'https://recordings.example/RE1.mp3',
    );

    const lines = itemTexts(screen.getByRole('list', { name: 'Transcript' }));
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(
      /^Tool: search_properties ok · .* · in receptionist\.respondingaddress12 Elm Streetmax_results312 Elm Street: 3 beds, \$450,000$/,
    );
    expect(lines[4]).toMatch(/^Tool: schedule_viewing failed · .* · in viewing\.bookingproperty_id12No free slot/);
    expect(lines[5]).toMatch(/^Agent · .* · in viewing\.bookingSaturday at 10 is taken/);

    expect(itemTexts(screen.getByRole('list', { name: 'States in the order reached' }))).toEqual([
      'receptionist.listening',
      'receptionist.responding',
      'viewing.booking',
      'ended',
    ]);

    const latency = within(screen.getByRole('region', { name: 'Latency' }));
    expect(latency.getByRole('img').getAttribute('aria-label')).toBe(
      'Latency per agent reply: 2 agent replies; median endpointing 240 ms, median brain first token 570 ms, ' +
        'median tool time 155 ms, median TTS first byte 180 ms, median whole turn 1,150 ms',
    );
    const rows = within(latency.getByRole('table', { name: 'Latency per agent reply' })).getAllByRole('row');
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Reply', 'Endpointing', 'Brain first token', 'Tool time', 'TTS first byte', 'Whole turn'],
      ['Reply 1', '220 ms', '640 ms', '310 ms', '180 ms', '1,400 ms'],
      ['Reply 2', '260 ms', '500 ms', '0 ms', '—', '900 ms'],
    ]);
    // One column per measured timing: 4 in reply 1, 3 in reply 2 (TTS not measured).
    const columns = latency.getByRole('img').querySelectorAll('rect.lat');
    expect(columns).toHaveLength(7);
    // Each series has its own texture (a pattern), not only its colour.
    const fills = new Set([...columns].map((c) => c.getAttribute('fill')));
    expect(fills.size).toBe(4);
    for (const f of fills) expect(document.querySelector(`pattern${f!.slice(4, -1)}`)).not.toBeNull();
    expect(latency.getByText('Median brain first token').nextElementSibling?.textContent).toBe('570 ms');
  });

  it('follows a call in progress live and reloads it when it ends', async () => {
    const inProgress: CallDetail = { ...callView(), turns: [turn(1, { text: 'Hello, Dana Realtor speaking.' })] };
    let endedYet = false;
    const calls = mockApi([
      {
        path: '/api/calls/CA1',
        respond: () => ({
          // The caller's turn was stored just after its event was published.
          body: endedYet
            ? { ...reviewed, turns: [...inProgress.turns, { ...reviewed.turns[0]!, seq: 2, at: ago(-5) }] }
            : inProgress,
        }),
      },
    ]);
    renderAt(<CallReview callSid="CA1" />, '/calls/CA1');
    const list = await screen.findByRole('list', { name: 'Transcript' });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    expect(FakeEventSource.last.url).toBe('/api/calls/events?call_sid=CA1');
    act(() => FakeEventSource.last.onopen?.());
    expect(screen.getByText('Live updates on').getAttribute('role')).toBe('status');
    expect(screen.getByText('Duration').nextElementSibling?.textContent).toBe('In progress');

    emit('state', { callSid: 'CA1', value: 'receptionist.transcribing' });
    emit('turn', { callSid: 'CA1', seq: 2, role: 'caller', text: reviewed.turns[0]!.text });
    expect(itemTexts(list)).toHaveLength(2);
    expect(itemTexts(list)[1]).toMatch(
      /^Caller · .* · in receptionist\.transcribingIs 12 Elm Street still for sale\?$/,
    );
    expect(itemTexts(screen.getByRole('list', { name: 'States in the order reached' }))).toContain(
      'receptionist.transcribing',
    );

    endedYet = true;
    emit('ended', { callSid: 'CA1', reason: 'goodbye', outcome: 'viewing_scheduled' });
    await waitFor(() => expect(screen.getByText('Duration').nextElementSibling?.textContent).toBe('3:05'));
    expect(calls.map((c) => c.url)).toEqual(['/api/calls/CA1', '/api/calls/CA1']);
    expect(FakeEventSource.last.closed).toBe(true);
    expect(itemTexts(list)).toHaveLength(2);
  });
});

describe('transcript', () => {
  it('joins stored turns and live events by seq: a line said twice stays twice, a cut reply keeps what was heard', () => {
    const again = 'Sorry, could you say that again?';
    const live = (seq: number, role: 'caller' | 'agent', text: string, interrupted?: boolean): CallEvent => ({
      ...{ type: 'turn', callSid: 'CA1', at: ago(0), seq, role, text },
      ...(interrupted ? { interrupted } : {}),
    });
    const lines = transcript(
      [turn(1, { text: again })],
      [
        live(3, 'agent', again),
        live(1, 'agent', again), // the stored turn's own event
        live(2, 'caller', 'mumble'),
        live(4, 'agent', 'The house at 12 Elm Street has three bedrooms and a big yard.'),
        live(4, 'agent', 'The house at 12 Elm Street', true),
      ],
    );
    expect(lines.map((l) => [l.seq, l.role, l.text, l.interrupted ?? false])).toEqual([
      [1, 'agent', again, false],
      [2, 'caller', 'mumble', false],
      [3, 'agent', again, false],
      [4, 'agent', 'The house at 12 Elm Street', true],
    ]);
  });
});
