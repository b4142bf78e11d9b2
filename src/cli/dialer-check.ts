/**
 * The outbound-dialing compliance guard from the terminal (pure rules: no do-not-call or consent lookups).
 *
 *   npm run --silent dialer:check -- --to <E.164> --at <ISO-8601 instant> [--zip <zip>] [--state <XX>]
 *   npm run --silent dialer:check -- --batch <cases.jsonl>
 *
 * One case prints one JSON line `{"allowed": bool, "rules": [{rule, ok, detail}…], "zones": […]}`.
 * A batch file holds one case per line, `{"id": "…", "to": "+1…", "at": "…", "zip"?: "…", "state"?: "…"}`;
 * each prints one answer line, in input order, with its `id`. A malformed line is answered with
 * `{"id", "allowed": false, "error", "rules": [], "zones": []}` and the batch goes on; blank lines are
 * skipped (they hold no case). Bad flags: a message on stderr, exit 2.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { checkDial, normaliseZip, parseInstant, type DialCheckResult } from '../domain/dialing/index.ts';
import { US_STATE_CODES } from '../domain/shared/us-states.ts';
import { UsageError } from './usage-error.ts';

const USAGE =
  'usage: dialer:check --to <E.164> --at <ISO-8601 instant> [--zip <zip>] [--state <XX>]\n' +
  '       dialer:check --batch <cases.jsonl>';

const STATES: ReadonlySet<string> = new Set(US_STATE_CODES);

interface Case {
  to: string;
  at: string;
  zip?: string;
  state?: string;
}

/** Checks the fields of one case; returns the problem as text, or undefined when the case is well-formed. */
function caseProblem(c: { to?: unknown; at?: unknown; zip?: unknown; state?: unknown }): string | undefined {
  if (typeof c.to !== 'string' || c.to.trim() === '') return '"to" must be a non-empty string';
  if (typeof c.at !== 'string') return '"at" must be an ISO-8601 instant string';
  const at = parseInstant(c.at);
  if (typeof at !== 'number') return `"at": ${at.error}`;
  if (c.zip !== undefined && (typeof c.zip !== 'string' || normaliseZip(c.zip) === undefined)) {
    return `"zip" must be a US ZIP code (12345 or 12345-6789), got ${JSON.stringify(c.zip)}`;
  }
  if (c.state !== undefined && (typeof c.state !== 'string' || !STATES.has(c.state.trim().toUpperCase()))) {
    return `"state" must be a US state or territory code (e.g. FL), got ${JSON.stringify(c.state)}`;
  }
  return undefined;
}

const answer = (r: DialCheckResult): { allowed: boolean; rules: DialCheckResult['rules']; zones: string[] } => ({
  allowed: r.allowed,
  rules: r.rules,
  zones: r.zones,
});

/** One batch line → one answer line (never throws). */
export function answerLine(line: string, lineNo: number): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return JSON.stringify({
      id: null,
      allowed: false,
      error: `line ${lineNo}: not valid JSON (${(e as Error).message})`,
      rules: [],
      zones: [],
    });
  }
  const obj =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  const rawId = obj?.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  const problem = !obj
    ? 'a case must be a JSON object'
    : id === null
      ? '"id" must be a string or a number'
      : caseProblem(obj);
  if (problem || !obj) {
    return JSON.stringify({ id, allowed: false, error: `line ${lineNo}: ${problem}`, rules: [], zones: [] });
  }
  try {
    const c = obj as unknown as Case;
    return JSON.stringify({ id, ...answer(checkDial({ to: c.to, at: c.at, zip: c.zip, state: c.state })) });
  } catch (e) {
    return JSON.stringify({
      id,
      allowed: false,
      error: `line ${lineNo}: the guard failed (${(e as Error).message})`,
      rules: [],
      zones: [],
    });
  }
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = out.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', resolve);
  });
}

async function runBatch(path: string, out: Writable): Promise<void> {
  const input = createReadStream(path, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (e) => reject(new UsageError(`cannot read --batch file ${path}: ${e.message}`)));
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let buffer: string[] = [];
  let size = 0;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const a = answerLine(line, lineNo);
    buffer.push(a);
    size += a.length;
    if (size >= 1 << 20) {
      await write(out, buffer.join('\n') + '\n');
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length > 0) await write(out, buffer.join('\n') + '\n');
}

/** Runs the CLI; resolves with the exit code (usage errors throw UsageError). */
export async function runDialerCheckCli(argv: readonly string[], out: Writable = process.stdout): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        to: { type: 'string' },
        at: { type: 'string' },
        zip: { type: 'string' },
        state: { type: 'string' },
        batch: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    await write(out, `${USAGE}\n`);
    return 0;
  }
  if (values.batch !== undefined) {
    if (values.to !== undefined || values.at !== undefined || values.zip !== undefined || values.state !== undefined) {
      throw new UsageError(`--batch cannot be combined with --to/--at/--zip/--state\n${USAGE}`);
    }
    if (values.batch === '') throw new UsageError(`--batch needs a file\n${USAGE}`);
    await runBatch(values.batch, out);
    return 0;
  }
  if (values.to === undefined || values.at === undefined) throw new UsageError(`--to and --at are required\n${USAGE}`);
  const problem = caseProblem(values);
  if (problem) throw new UsageError(`${problem.replace(/^"(\w+)"/, '--$1')}\n${USAGE}`);
  const r = checkDial({ to: values.to, at: values.at, zip: values.zip, state: values.state });
  await write(out, JSON.stringify(answer(r)) + '\n');
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0); // the reader went away (e.g. `| head`)
    throw e;
  });
  runDialerCheckCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`dialer:check: ${(e as Error).message}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}
