import type { CallEvent } from '../call-runtime/call-events.ts';
import { placeCall, type CallEnd, type PlaceCallOptions, type SoftphoneCall } from './call.ts';
import { describeMatcher, matches, type Matcher } from './match.ts';
import { DEFAULT_REPLY_TIMEOUT_MS } from './options.ts';
import { parseScript, ScriptSyntaxError, type Directive } from './script.ts';
import { formatEntry, isShown, type TranscriptEntry } from './transcript.ts';

export interface ScriptFailure {
  /** Script line (1-based); 0 while placing the call or after the last directive. */
  line: number;
  /** The directive as written. */
  directive: string;
  message: string;
}

export interface ScriptResult {
  /** Every expectation held and no webhook, TwiML or protocol problem occurred. */
  ok: boolean;
  failures: ScriptFailure[];
  /** The call as printed by the CLI (no colours; turn events left out). */
  transcript: string[];
  events: CallEvent[];
  /** How the call ended (absent when it could not be placed or the script did not parse). */
  end?: CallEnd;
  callSid?: string;
}

/** How long expect-tool / expect-state (and expect-no-tool) watch for late events. */
export const EVENT_GRACE_MS = 2_000;

/**
 * Places a call and plays a call script (see SCRIPT_HELP) against it. Never throws for script or
 * call problems: syntax errors, failed expectations, webhook/TwiML/relay problems all come back as
 * failures with their line. Expectation failures do not stop the script; a `say`, `dtmf` or
 * `interrupt` that cannot be done (timeout, call over) does. The call is hung up at the end if still up.
 */
export async function runScript(
  scriptText: string,
  opts: PlaceCallOptions & {
    /** Aborting hangs up (the status callback is still sent) and stops the script with a failure. */
    signal?: AbortSignal;
  },
): Promise<ScriptResult> {
  const failures: ScriptFailure[] = [];
  const transcript: string[] = [];
  let directives: Directive[];
  try {
    directives = parseScript(scriptText);
  } catch (err) {
    if (!(err instanceof ScriptSyntaxError)) throw err;
    const syntax = err.problems.map((p) => ({ line: p.line, directive: p.source, message: `syntax: ${p.message}` }));
    return { ok: false, failures: syntax, transcript, events: [] };
  }

  let current = { line: 0, directive: '(placing the call)' };
  const onEntry = (entry: TranscriptEntry) => {
    if (isShown(entry)) transcript.push(formatEntry(entry));
    if (entry.kind === 'problem') failures.push({ ...current, message: entry.text });
    opts.onEntry?.(entry);
  };
  let call: SoftphoneCall;
  try {
    call = await placeCall({ ...opts, onEntry });
  } catch (err) {
    failures.push({ ...current, message: (err as Error).message });
    return { ok: false, failures, transcript, events: [] };
  }

  const player = new ScriptPlayer(call, opts.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS);
  const abort = () => void call.hangup();
  opts.signal?.addEventListener('abort', abort, { once: true });
  for (const directive of directives) {
    if (opts.signal?.aborted) break;
    current = { line: directive.line, directive: directive.source };
    try {
      const failure = await player.play(directive);
      if (failure) failures.push({ ...current, message: failure });
    } catch (err) {
      failures.push({ ...current, message: `${(err as Error).message} (script stopped)` });
      break;
    }
  }
  if (opts.signal?.aborted) failures.push({ ...current, message: 'interrupted: hung up (script stopped)' });
  current = { line: 0, directive: '(after the script)' };
  const end = await call.hangup();
  opts.signal?.removeEventListener('abort', abort);
  return { ok: failures.length === 0, failures, transcript, events: call.events, end, callSid: call.callSid };
}

/** Plays directives one by one; `play` returns a failure message, or throws when the script cannot go on. */
class ScriptPlayer {
  /** Index into call.events at the last say/wait/dtmf, and that directive's line. */
  private eventMark = 0;
  private markLine = 0;

  constructor(
    private readonly call: SoftphoneCall,
    private readonly timeoutMs: number,
  ) {}

  async play(d: Directive): Promise<string | undefined> {
    const call = this.call;
    switch (d.kind) {
      case 'say':
        this.mark(d.line);
        await call.say(d.text, { timeoutMs: this.timeoutMs });
        return undefined;
      case 'wait':
        this.mark(d.line);
        await call.wait(d.seconds * 1000);
        return undefined;
      case 'dtmf':
        this.mark(d.line);
        await call.dtmf(d.digits);
        return undefined;
      case 'interrupt':
        call.interrupt(d.words);
        return undefined;
      case 'hangup':
        await call.hangup();
        return undefined;
      case 'expect': {
        const last = call.replies.at(-1);
        if (last === undefined) return 'no agent reply yet';
        if (matches(d.matcher, last) !== d.negate) return undefined;
        return `expected the last agent reply ${d.negate ? 'not ' : ''}to ${verb(d.matcher)}; it was ${JSON.stringify(last)}`;
      }
      case 'expect-greeting':
        if (call.greeting === undefined) return 'no welcome greeting was spoken (the TwiML had none)';
        if (matches(d.matcher, call.greeting)) return undefined;
        return `expected the welcome greeting to ${verb(d.matcher)}; it was ${JSON.stringify(call.greeting)}`;
      case 'expect-tool':
        return this.expectTool(d);
      case 'expect-state':
        return this.expectState(d.matcher);
      case 'expect-end': {
        const end = await call.waitForEnd(this.timeoutMs);
        if (!end) return `the call is still up after ${this.timeoutMs / 1000} s`;
        if (!d.matcher) return undefined;
        const said = [end.message, end.handoffData, ...end.spoken].filter(Boolean).join('\n');
        if (matches(d.matcher, said)) return undefined;
        return `the call ended, but not with ${describeMatcher(d.matcher)}: ${JSON.stringify(said)}`;
      }
    }
  }

  private mark(line: number): void {
    this.eventMark = this.call.events.length;
    this.markLine = line;
  }

  private since(): string {
    return this.markLine ? `since line ${this.markLine}` : 'since the call began';
  }

  private noEvents(): string | undefined {
    return this.call.hasEventStream ? undefined : 'no call events (no API key, or the event stream was refused)';
  }

  private async expectTool(d: Extract<Directive, { kind: 'expect-tool' }>): Promise<string | undefined> {
    const missing = this.noEvents();
    if (missing) return missing;
    const wanted = (e: CallEvent) => e.type === 'tool' && e.name === d.name && (d.ok === undefined || e.ok === d.ok);
    const found = await this.call.waitForEvent(wanted, {
      since: this.eventMark,
      timeoutMs: this.call.isEnded ? 0 : EVENT_GRACE_MS,
    });
    const label = `${d.name}${d.ok === undefined ? '' : d.ok ? ' ok' : ' failed'}`;
    if (d.negate) {
      return found?.type === 'tool'
        ? `unexpected tool event ${this.since()}: ${found.name} ${found.ok ? 'ok' : 'failed'} — ${found.summary}`
        : undefined;
    }
    if (found) return undefined;
    const seen = this.call.events
      .slice(this.eventMark)
      .flatMap((e) => (e.type === 'tool' ? [`${e.name} ${e.ok ? 'ok' : 'failed'}`] : []));
    return `no ${label} tool event ${this.since()}; ${seen.length ? `saw: ${seen.join(', ')}` : 'saw no tool events'}`;
  }

  private async expectState(matcher: Matcher): Promise<string | undefined> {
    const missing = this.noEvents();
    if (missing) return missing;
    const found = await this.call.waitForEvent((e) => e.type === 'state' && matches(matcher, e.value), {
      since: this.eventMark,
      timeoutMs: this.call.isEnded ? 0 : EVENT_GRACE_MS,
    });
    if (found) return undefined;
    const seen = this.call.events.slice(this.eventMark).flatMap((e) => (e.type === 'state' ? [e.value] : []));
    return `no state event matching ${describeMatcher(matcher)} ${this.since()}; ${seen.length ? `saw: ${seen.join(', ')}` : 'saw no state events'}`;
  }
}

function verb(matcher: Matcher): string {
  return `${matcher.kind === 'regex' ? 'match' : 'contain'} ${describeMatcher(matcher)}`;
}
