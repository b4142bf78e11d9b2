import { parseMatcher, type Matcher } from './match.ts';

/**
 * The call-script language: one directive per line, `name: argument` (or a bare `expect-end` /
 * `hangup`); blank lines and lines starting with `#` are ignored. See SCRIPT_HELP.
 */
export type Directive = DirectiveBody & {
  /** 1-based line number in the script. */
  line: number;
  /** The line as written (trimmed). */
  source: string;
};

export type DirectiveBody =
  | { kind: 'say'; text: string }
  | { kind: 'expect'; negate: boolean; matcher: Matcher }
  | { kind: 'expect-greeting'; matcher: Matcher }
  | { kind: 'expect-tool'; negate: boolean; name: string; ok?: boolean }
  | { kind: 'expect-state'; matcher: Matcher }
  | { kind: 'wait'; seconds: number }
  | { kind: 'dtmf'; digits: string }
  | { kind: 'interrupt'; words: number }
  | { kind: 'expect-end'; matcher?: Matcher }
  | { kind: 'hangup' };

export interface ScriptProblem {
  line: number;
  source: string;
  message: string;
}

/** Thrown by parseScript with every bad line; the message lists them with their line numbers. */
export class ScriptSyntaxError extends Error {
  constructor(readonly problems: ScriptProblem[]) {
    super(`invalid call script:\n${problems.map((p) => `  line ${p.line}: ${p.message} (${p.source})`).join('\n')}`);
    this.name = 'ScriptSyntaxError';
  }
}

export const SCRIPT_HELP = `Call script: one directive per line; '#' comments and blank lines are ignored.
  say: <text>              send a caller turn, wait for the agent's complete reply (or the end of the call)
  expect: <text|/re/f>     the last agent reply contains the text (case-insensitive) or matches the regex
  expect-not: <text|/re/f> the last agent reply does not
  expect-greeting: <…>     the welcome greeting (from the TwiML) matches
  expect-tool: <name> [ok|failed]     a tool event with this name since the last say/wait/dtmf (waits up to 2 s)
  expect-no-tool: <name> [ok|failed]  no such tool event (watches for 2 s)
  expect-state: <text|/re/> a state event whose value matches since the last say/wait/dtmf (waits up to 2 s)
  wait: <seconds>          stay silent, collecting replies and events
  dtmf: <digits>           press keys (0-9 * # A-D), then wait up to 2 s for a reply
  interrupt: <n>           barge in: the caller heard only the first n words of the last agent reply
  expect-end[: <text|/re/>] the call has ended (waits up to the reply timeout); optionally the end reason,
                           handoff data or the TwiML spoken afterwards matches
  hangup                   the caller hangs up`;

const TOOL_ARG = /^([A-Za-z0-9_.-]+)(?:\s+(ok|failed))?$/;
const DIGITS = /^[0-9*#A-Da-d]+$/;

/** Parses a call script; throws ScriptSyntaxError listing every bad line. */
export function parseScript(text: string): Directive[] {
  const directives: Directive[] = [];
  const problems: ScriptProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const source = raw.trim();
    if (source === '' || source.startsWith('#')) return;
    const line = index + 1;
    try {
      directives.push({ ...parseDirective(source), line, source });
    } catch (err) {
      problems.push({ line, source, message: (err as Error).message });
    }
  });
  if (problems.length > 0) throw new ScriptSyntaxError(problems);
  return directives;
}

function parseDirective(source: string): DirectiveBody {
  const colon = source.indexOf(':');
  const name = (colon === -1 ? source : source.slice(0, colon)).trim().toLowerCase();
  const arg = colon === -1 ? '' : source.slice(colon + 1).trim();
  const required = (what: string): string => {
    if (!arg) throw new Error(`'${name}' needs ${what}`);
    return arg;
  };
  switch (name) {
    case 'say':
      return { kind: 'say', text: required('the text the caller says') };
    case 'expect':
    case 'expect-not':
      return { kind: 'expect', negate: name === 'expect-not', matcher: matcher(required('a text or /regex/')) };
    case 'expect-greeting':
      return { kind: 'expect-greeting', matcher: matcher(required('a text or /regex/')) };
    case 'expect-state':
      return { kind: 'expect-state', matcher: matcher(required('a text or /regex/')) };
    case 'expect-tool':
    case 'expect-no-tool': {
      const m = TOOL_ARG.exec(required('a tool name'));
      if (!m) throw new Error(`'${name}' takes a tool name, optionally followed by ok or failed`);
      return {
        kind: 'expect-tool',
        negate: name === 'expect-no-tool',
        name: m[1]!,
        ...(m[2] ? { ok: m[2] === 'ok' } : {}),
      };
    }
    case 'wait': {
      const seconds = Number(required('a number of seconds'));
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
        throw new Error(`'wait' takes a number of seconds between 0 and 600, not '${arg}'`);
      }
      return { kind: 'wait', seconds };
    }
    case 'dtmf': {
      const digits = required('one or more digits').replace(/\s+/g, '');
      if (!DIGITS.test(digits)) throw new Error(`'dtmf' takes keypad digits (0-9 * # A-D), not '${arg}'`);
      return { kind: 'dtmf', digits: digits.toUpperCase() };
    }
    case 'interrupt': {
      const words = Number(required('the number of words the caller heard'));
      if (!Number.isInteger(words) || words < 0) {
        throw new Error(`'interrupt' takes a whole number of words, not '${arg}'`);
      }
      return { kind: 'interrupt', words };
    }
    case 'expect-end':
      return arg ? { kind: 'expect-end', matcher: matcher(arg) } : { kind: 'expect-end' };
    case 'hangup':
      if (arg) throw new Error(`'hangup' takes no argument`);
      return { kind: 'hangup' };
    default:
      throw new Error(
        colon === -1 && !/^[a-z-]+$/.test(name)
          ? `not a directive (expected 'name: argument')`
          : `unknown directive '${name}'`,
      );
  }
}

function matcher(arg: string): Matcher {
  try {
    return parseMatcher(arg);
  } catch (err) {
    throw new Error(`bad regex ${arg}: ${(err as Error).message}`, { cause: err });
  }
}
