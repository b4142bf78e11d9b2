import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useApi, useEventStream } from '../../api.ts';
import { Empty, ErrorNote, Facts, Loading, Page, Panel } from '../../components/ui.tsx';
import { duration, label, phone, stateText, time } from '../../format.ts';
import {
  type CallDetail,
  type CallEvent,
  callName,
  type CallPage,
  callPath,
  type CallView,
  elapsedSec,
  eventHandlers,
  isLive,
  lineOf,
  transcript,
} from './model.ts';
import { OutcomeBadge, StatusBadge, StreamStatus, Transcript, useNow, useOnReconnect } from './parts.tsx';

type Ended = Extract<CallEvent, { type: 'ended' }>;
interface EndedCall {
  sid: string;
  call: CallView | undefined;
  event: Ended;
}

/**
 * The calls in progress, each with its transcript as it happens (the stored turns, then the live events), and
 * the calls that ended while the page was open.
 */
export function LiveCalls() {
  const inProgress = useApi<CallPage>('/api/calls?status=in-progress&limit=50');
  const ringing = useApi<CallPage>('/api/calls?status=ringing&limit=50');
  const [events, setEvents] = useState<Record<string, CallEvent[]>>({});
  const [ended, setEnded] = useState<EndedCall[]>([]);
  const [resync, setResync] = useState(0);
  const asked = useRef(new Set<string>());
  const now = useNow();

  const reloadLists = () => {
    inProgress.reload();
    ringing.reload();
  };

  const calls = useMemo(() => {
    const gone = new Set(ended.map((e) => e.sid));
    const bySid = new Map<string, CallView>();
    for (const c of [...(ringing.data?.items ?? []), ...(inProgress.data?.items ?? [])])
      if (!gone.has(c.call_sid) && isLive(c)) bySid.set(c.call_sid, c);
    return [...bySid.values()].sort((a, b) => b.started_at.localeCompare(a.started_at));
  }, [ringing.data, inProgress.data, ended]);

  const onEvent = (e: CallEvent) => {
    if (e.type === 'started') {
      // A new call, or a new session on one (it may have been listed as ended).
      setEnded((list) => list.filter((x) => x.sid !== e.callSid));
      return reloadLists();
    }
    if (e.type === 'ended') {
      const call = calls.find((c) => c.call_sid === e.callSid);
      setEnded((list) =>
        list.some((x) => x.sid === e.callSid) ? list : [{ sid: e.callSid, call, event: e }, ...list].slice(0, 20),
      );
      setEvents(({ [e.callSid]: _, ...rest }) => rest);
      return;
    }
    setEvents((m) => ({ ...m, [e.callSid]: [...(m[e.callSid] ?? []), e] }));
    // A call that started after the list was read (or before a server that does not send `started`).
    if (inProgress.data && !calls.some((c) => c.call_sid === e.callSid) && !asked.current.has(e.callSid)) {
      asked.current.add(e.callSid);
      reloadLists();
    }
  };
  const open = useEventStream('/api/calls/events', eventHandlers(onEvent));
  useOnReconnect(open, () => {
    reloadLists();
    setResync((n) => n + 1);
  });

  const error = inProgress.error ?? ringing.error;
  return (
    <Page title="Live calls" actions={<StreamStatus open={open} />}>
      <Panel title={`Calls in progress${inProgress.data ? ` (${calls.length})` : ''}`}>
        <ErrorNote error={error} />
        {!inProgress.data && inProgress.loading ? <Loading what="Loading the calls in progress" /> : null}
        {inProgress.data && !calls.length ? <Empty>No calls in progress.</Empty> : null}
        <div className="live-calls">
          {calls.map((c) => (
            <LiveCall
              key={c.call_sid}
              call={c}
              events={events[c.call_sid] ?? []}
              now={now}
              resync={resync}
              announce={calls.length === 1}
            />
          ))}
        </div>
      </Panel>
      <Panel title="Recently ended">
        {ended.length ? (
          <ul className="ended-calls">
            {ended.map(({ sid, call, event }) => (
              <li key={sid}>
                <Link href={callPath(sid)}>{call ? callName(call) : `Call ${sid}`}</Link>{' '}
                <span className="muted">
                  ended {time(event.at)} · {label(event.reason)}
                  {call ? ` · ${duration(elapsedSec(call.started_at, event.at))}` : ''}
                </span>{' '}
                <OutcomeBadge outcome={event.outcome} />
              </li>
            ))}
          </ul>
        ) : (
          <Empty>Calls that end while this page is open are listed here.</Empty>
        )}
      </Panel>
    </Page>
  );
}

function LiveCall({
  call,
  events,
  now,
  resync,
  announce,
}: {
  call: CallView;
  events: CallEvent[];
  now: number;
  resync: number;
  announce: boolean;
}) {
  const id = useId();
  const detail = useApi<CallDetail>(`/api/calls/${encodeURIComponent(call.call_sid)}`);
  const { reload } = detail;
  useEffect(() => {
    if (resync) reload();
  }, [resync, reload]);
  const lines = useMemo(() => transcript(detail.data?.turns ?? [], events), [detail.data, events]);
  const lastState = events.findLast((e) => e.type === 'state');
  const state = lastState?.type === 'state' ? lastState.value : (detail.data?.state ?? call.state);
  const status = events.length && call.status === 'ringing' ? 'in-progress' : call.status;
  return (
    <article className="live-call" aria-labelledby={id}>
      <header className="live-call-head">
        <h3 id={id}>{callName(call)}</h3>
        <Link href={callPath(call.call_sid)}>Review</Link>
      </header>
      <Facts
        items={[
          ['Line', phone(lineOf(call))],
          ['Direction', label(call.direction)],
          ['Status', <StatusBadge status={status} />],
          ['State', <code>{stateText(state)}</code>],
          ['Duration', duration(elapsedSec(call.started_at, now))],
        ]}
      />
      <ErrorNote error={detail.error} />
      <Transcript lines={lines} label={`Transcript: ${callName(call)}`} follow announce={announce} />
      {lines.length ? null : <Empty>Nothing said yet.</Empty>}
    </article>
  );
}
