import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useApi, useEventStream } from '../../api.ts';
import { Empty, ErrorNote, Facts, Loading, Page, Panel } from '../../components/ui.tsx';
import { count, dateTime, duration, label, phone } from '../../format.ts';
import { LatencyChart, type LatencyTurn } from './LatencyChart.tsx';
import {
  callName,
  elapsedSec,
  eventHandlers,
  isLive,
  shownStatus,
  statesOf,
  transcript,
  type CallDetail,
  type CallEvent,
} from './model.ts';
import { OutcomeBadge, StatusBadge, StreamStatus, Transcript, useOnReconnect } from './parts.tsx';

/**
 * One call: its summary, the whole transcript with the tool calls and the machine state of each turn, the
 * states it went through, and how long each agent reply took. A call still in progress grows live.
 */
export function CallReview({ callSid }: { callSid: string }) {
  const { data, error, loading, reload } = useApi<CallDetail>(`/api/calls/${encodeURIComponent(callSid)}`);
  // Not the previous call's data while the next one loads.
  const call = data?.call_sid === callSid ? data : undefined;
  const [events, setEvents] = useState<CallEvent[]>([]);
  useEffect(() => setEvents([]), [callSid]);

  const live = !!call && isLive(call);
  const open = useEventStream(
    live ? `/api/calls/events?call_sid=${encodeURIComponent(callSid)}` : null,
    eventHandlers((e) => {
      setEvents((es) => [...es, e]);
      // The stored call has the outcome, summary and duration.
      if (e.type === 'ended') reload();
    }),
  );
  useOnReconnect(open, reload);

  const turns = useMemo(() => call?.turns ?? [], [call]);
  const lines = useMemo(() => transcript(turns, events), [turns, events]);
  const states = useMemo(() => statesOf(turns, events, call?.state), [turns, events, call]);
  const latency = useMemo<LatencyTurn[]>(
    () =>
      turns
        .filter((t) => t.role === 'agent' && t.timings)
        .map((t, i) => ({ label: `Reply ${i + 1}`, timings: t.timings ?? {} })),
    [turns],
  );

  return (
    <Page
      title={call ? callName(call) : 'Call'}
      actions={
        <>
          {live ? <StreamStatus open={open} /> : null}
          <Link href="/calls">All calls</Link>
        </>
      }
    >
      <ErrorNote error={error} />
      {!call && loading ? <Loading what="Loading the call" /> : null}
      {call ? (
        <>
          <div className="grid">
            <Panel title="Summary">
              <Facts
                items={[
                  ['Direction', label(call.direction)],
                  ['From', phone(call.from)],
                  ['To', phone(call.to)],
                  ['Started', dateTime(call.started_at)],
                  ['Ended', call.ended_at ? dateTime(call.ended_at) : null],
                  [
                    'Duration',
                    call.duration_sec !== null || call.ended_at
                      ? duration(call.duration_sec ?? elapsedSec(call.started_at, call.ended_at))
                      : 'In progress',
                  ],
                  ['Status', <StatusBadge status={shownStatus(call)} />],
                  ['Outcome', <OutcomeBadge outcome={call.outcome} />],
                  ['Ended because', call.ended_reason ? label(call.ended_reason) : null],
                  [
                    'Property',
                    call.property_id ? (
                      <Link href={`/properties/${call.property_id}`}>Property #{call.property_id}</Link>
                    ) : null,
                  ],
                  ['Recording', call.recording_url ? <a href={call.recording_url}>Listen to the recording</a> : null],
                  [
                    'Fair-housing questions declined',
                    call.fair_housing_deflections ? count(call.fair_housing_deflections) : null,
                  ],
                ]}
              />
              {call.summary ? <p className="call-summary">{call.summary}</p> : null}
            </Panel>
            <Panel title="Machine states">
              {states.length ? (
                <ol className="states" aria-label="States in the order reached">
                  {states.map((s) => (
                    <li key={s}>
                      <code>{s}</code>
                    </li>
                  ))}
                </ol>
              ) : (
                <Empty>No machine state was recorded.</Empty>
              )}
            </Panel>
          </div>
          <Panel title="Transcript">
            <Transcript lines={lines} showState announce={live} />
            {lines.length ? null : <Empty>Nothing was said on this call.</Empty>}
          </Panel>
          <Panel title="Latency">
            {latency.length ? (
              <LatencyChart title="Latency per agent reply" turns={latency} />
            ) : (
              <Empty>No timings were recorded for this call.</Empty>
            )}
          </Panel>
        </>
      ) : null}
    </Page>
  );
}
