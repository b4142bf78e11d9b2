import type { CallEvent } from '../call-runtime/call-events.ts';

/** Everything that happens on a softphone call, in order; the CLI prints these as they come. */
export type TranscriptEntry =
  | { kind: 'greeting'; text: string }
  | { kind: 'caller'; text: string }
  | { kind: 'agent'; text: string; cutShort?: boolean }
  | { kind: 'dtmf'; digits: string }
  | { kind: 'interrupt'; heard: string; durationMs: number }
  /** The agent's `sendDigits` message. */
  | { kind: 'send-digits'; digits: string }
  /** TwiML `<Say>` (e.g. after a handoff). */
  | { kind: 'say'; text: string }
  /** TwiML `<Say>` on a transferred call's callee leg. */
  | { kind: 'whisper'; text: string }
  /** A `<Dial>` to a human and its simulated outcome. */
  | { kind: 'transfer'; text: string }
  /** The simulated human answered the transfer. */
  | { kind: 'connected' }
  | { kind: 'event'; event: CallEvent }
  | { kind: 'info'; text: string }
  /** A webhook that answered 4xx/5xx, a bad TwiML document, an unparseable relay message… */
  | { kind: 'problem'; text: string }
  | { kind: 'end'; text: string };

export type Style = 'dim' | 'bold' | 'red' | 'yellow' | 'cyan' | 'green';

/** One line for an entry; `style` is applied by the CLI (identity by default). */
export function formatEntry(entry: TranscriptEntry, style: (s: Style, text: string) => string = (_s, t) => t): string {
  switch (entry.kind) {
    case 'greeting':
      return `${style('cyan', 'agent>')} ${entry.text}`;
    case 'agent':
      return `${style('cyan', 'agent>')} ${entry.text}${entry.cutShort ? style('dim', ' [cut short]') : ''}`;
    case 'caller':
      return `${style('green', 'you>')} ${entry.text}`;
    case 'dtmf':
      return `${style('green', 'you>')} [dtmf ${entry.digits}]`;
    case 'interrupt':
      return `${style('green', 'you>')} [interrupts after ${JSON.stringify(entry.heard)}, ${entry.durationMs} ms]`;
    case 'send-digits':
      return `  [agent sends digits] ${entry.digits}`;
    case 'say':
      return `  [say] ${entry.text}`;
    case 'whisper':
      return `  [whisper to agent] ${entry.text}`;
    case 'transfer':
      return `  [transfer] ${entry.text}`;
    case 'connected':
      return style('bold', '  [connected to a human]');
    case 'event':
      return formatEvent(entry.event, style);
    case 'info':
      return style('dim', `  [info] ${entry.text}`);
    case 'problem':
      return style('red', `  [problem] ${entry.text}`);
    case 'end':
      return style('bold', `[call ended] ${entry.text}`);
  }
}

function formatEvent(event: CallEvent, style: (s: Style, text: string) => string): string {
  switch (event.type) {
    case 'started':
      return style('dim', `  [started] ${event.kind} ${event.direction} ${event.from || '?'} → ${event.to || '?'}`);
    case 'state':
      return style('dim', `  [state] ${event.value}`);
    case 'tool':
      return style(
        event.ok ? 'yellow' : 'red',
        `  [tool] ${event.name} ${event.ok ? 'ok' : 'failed'} — ${event.summary}`,
      );
    case 'turn':
      return style('dim', `  [turn] ${event.role}${event.interrupted ? ' (interrupted)' : ''}: ${event.text}`);
    case 'ended':
      return style('dim', `  [ended] ${event.reason}${event.outcome ? ` (${event.outcome})` : ''}`);
  }
}

/** Turn events repeat what the transcript already shows; state events are dropped by --quiet. */
export function isShown(entry: TranscriptEntry, quiet = false): boolean {
  if (entry.kind !== 'event') return true;
  if (entry.event.type === 'turn') return false;
  return !(quiet && entry.event.type === 'state');
}
