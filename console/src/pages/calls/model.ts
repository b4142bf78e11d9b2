/**
 * The calls API as the console sees it (copied from src/domain/calls: CallView, CallTurnView, CALL_OUTCOMES,
 * and src/call-runtime/call-events.ts), and the pure logic the call pages share.
 */
import { phone, stateText } from '../../format.ts';
import type { Tone } from '../../components/ui.tsx';

export const CALL_OUTCOMES = [
  'information_provided',
  'viewing_scheduled',
  'offer_created',
  'message_taken',
  'transferred',
  'no_outcome',
] as const;

export interface CallView {
  id: number;
  call_sid: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  transport: string;
  status: string;
  outcome: string | null;
  ended_reason: string | null;
  property_id: number | null;
  summary: string | null;
  duration_sec: number | null;
  recording_url: string | null;
  fair_housing_deflections: number;
  started_at: string;
  ended_at: string | null;
  state: unknown;
}

export interface CallTurnView {
  seq: number;
  role: 'caller' | 'agent' | 'tool';
  text: string;
  state: string | null;
  intent: string | null;
  tool_name: string | null;
  tool_arguments: Record<string, unknown> | null;
  ok: boolean | null;
  interrupted: boolean;
  /** Milliseconds: endpointingMs, firstTextMs, toolMs, ttsFirstByteMs, totalMs (absent or -1: not measured). */
  timings: Record<string, number> | null;
  at: string;
}

export type CallDetail = CallView & { turns: CallTurnView[] };
export interface CallPage {
  items: CallView[];
  total: number;
}

/** Server-sent events of GET /api/calls/events (event name = type). `started` may not be sent by older servers. */
export type CallEvent =
  | {
      type: 'started';
      callSid: string;
      at: string;
      direction: CallView['direction'];
      from: string;
      to: string;
      kind?: string;
    }
  | { type: 'state'; callSid: string; at: string; value: string }
  | {
      type: 'turn';
      callSid: string;
      at: string;
      /** The turn's seq (the stored turn's); a cut agent turn comes again with its seq and the text heard. */
      seq: number;
      role: 'caller' | 'agent';
      text: string;
      interrupted?: boolean;
    }
  | {
      type: 'tool';
      callSid: string;
      at: string;
      seq: number;
      name: string;
      arguments: Record<string, unknown>;
      ok: boolean;
      summary: string;
      durationMs: number;
    }
  | { type: 'ended'; callSid: string; at: string; reason: string; outcome: string | null };

const CALL_EVENT_TYPES = ['started', 'state', 'turn', 'tool', 'ended'] as const;

/** useEventStream handlers for every call event, each passed on with its type (the event's name). */
export const eventHandlers = (fn: (e: CallEvent) => void): Record<string, (data: unknown) => void> =>
  Object.fromEntries(CALL_EVENT_TYPES.map((type) => [type, (data) => fn({ ...(data as object), type } as CallEvent)]));

/** One line of a transcript, from the stored turns or from live events. */
export interface Line {
  seq: number;
  role: 'caller' | 'agent' | 'tool';
  text: string;
  at: string;
  state: string | null;
  interrupted?: boolean;
  tool?: { name: string; arguments: Record<string, unknown>; ok: boolean | null };
  timings?: Record<string, number> | null;
}

const LIVE_STATUSES = ['queued', 'ringing', 'in-progress'];
/** Still going: a live status and no end recorded (a console test call has no carrier to report it completed). */
/** The console page of a call, and the call list filtered to a property. */
export const callPath = (sid: string): string => `/calls/${encodeURIComponent(sid)}`;
export const propertyCallsPath = (propertyId: number): string => `/calls?property=${propertyId}`;

export const isLive = (c: Pick<CallView, 'status' | 'ended_at'>): boolean =>
  LIVE_STATUSES.includes(c.status) && !c.ended_at;
/** The status to show: "ended" when the call ended before (or without) the carrier's final status. */
export const shownStatus = (c: Pick<CallView, 'status' | 'ended_at'>): string =>
  c.ended_at && LIVE_STATUSES.includes(c.status) ? 'ended' : c.status;

/** The other party: the caller of an inbound call, the person an outbound call rang. */
export const contactOf = (c: Pick<CallView, 'direction' | 'from' | 'to'>): string =>
  c.direction === 'outbound' ? c.to : c.from;
/** The agent's number: the line an inbound call dialled, the caller ID of an outbound call. */
export const lineOf = (c: Pick<CallView, 'direction' | 'from' | 'to'>): string =>
  c.direction === 'outbound' ? c.from : c.to;

/** "Inbound call from (512) 555-0147", "Outbound call to …"; a console test call has no numbers. */
export function callName(c: Pick<CallView, 'direction' | 'from' | 'to'>): string {
  if (!c.from && !c.to) return 'Test call from the console';
  return c.direction === 'outbound' ? `Outbound call to ${phone(c.to)}` : `Inbound call from ${phone(c.from)}`;
}

export function statusTone(status: string): Tone {
  if (status === 'completed') return 'good';
  if (LIVE_STATUSES.includes(status)) return 'info';
  if (status === 'ended') return 'neutral';
  return status === 'failed' ? 'bad' : 'warn';
}

export function outcomeTone(outcome: string | null): Tone {
  if (outcome === 'viewing_scheduled' || outcome === 'offer_created') return 'good';
  if (outcome === 'message_taken' || outcome === 'transferred' || outcome === 'information_provided') return 'info';
  return 'neutral';
}

/** Seconds between two instants (now when `end` is missing). */
export const elapsedSec = (startIso: string, end: number | string | null = Date.now()): number =>
  Math.max(0, ((typeof end === 'string' ? Date.parse(end) : (end ?? Date.now())) - Date.parse(startIso)) / 1000);

export function lineFromTurn(t: CallTurnView): Line {
  return {
    seq: t.seq,
    role: t.role,
    text: t.text,
    at: t.at,
    state: t.state,
    interrupted: t.interrupted,
    timings: t.timings,
    ...(t.role === 'tool'
      ? { tool: { name: t.tool_name ?? 'tool', arguments: t.tool_arguments ?? {}, ok: t.ok } }
      : {}),
  };
}

/**
 * The transcript: the stored turns and what the live events add, in seq order. An event and a stored turn with
 * the same seq are one line; an agent turn the caller cut short comes again with its seq, and its line keeps
 * what they heard.
 */
export function transcript(turns: CallTurnView[], events: CallEvent[]): Line[] {
  const lines = new Map(turns.map((t) => [t.seq, lineFromTurn(t)]));
  let state: string | null = turns.at(-1)?.state ?? null;
  for (const e of events) {
    if (e.type === 'state') state = e.value;
    if (e.type !== 'turn' && e.type !== 'tool') continue;
    const known = lines.get(e.seq);
    if (known) {
      if (e.type === 'turn' && e.interrupted) lines.set(e.seq, { ...known, text: e.text, interrupted: true });
      continue;
    }
    lines.set(
      e.seq,
      e.type === 'turn'
        ? { seq: e.seq, role: e.role, text: e.text, at: e.at, state, interrupted: e.interrupted ?? false }
        : {
            seq: e.seq,
            role: 'tool',
            text: e.summary,
            at: e.at,
            state,
            tool: { name: e.name, arguments: e.arguments, ok: e.ok },
          },
    );
  }
  return [...lines.values()].sort((a, b) => a.seq - b.seq);
}

/** The machine states the call went through, each once, in the order first reached. */
export function statesOf(turns: CallTurnView[], events: CallEvent[], final: unknown): string[] {
  const seen = [
    ...turns.map((t) => t.state),
    ...events.map((e) => (e.type === 'state' ? e.value : null)),
    final === null || final === undefined ? null : stateText(final),
  ];
  return [...new Set(seen.filter((s): s is string => !!s))];
}
