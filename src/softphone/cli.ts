import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import { parseArgs, styleText } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DEMO_MOBILE, DEMO_PIN } from '../seed/demo.ts';
import { placeCall, type PlaceCallOptions, type SoftphoneCall } from './call.ts';
import {
  DEFAULT_FROM,
  DEFAULT_SERVER,
  DEFAULT_REPLY_TIMEOUT_MS,
  DEFAULT_TO,
  resolveApiKey,
  resolveAuthToken,
  SoftphoneConfigError,
  TRANSFER_OUTCOMES,
  type TransferOutcome,
} from './options.ts';
import { runScript } from './run-script.ts';
import { SCRIPT_HELP } from './script.ts';
import { formatEntry, isShown, type Style, type TranscriptEntry } from './transcript.ts';

const COMMANDS = `Type what the caller says and press Enter. Commands:
  /dtmf <digits>      press keys
  /interrupt [n]      barge in after the first n words of the agent's last reply (default: half)
  /wait <seconds>     stay silent (the agent may speak on its own)
  /hangup             hang up (also Ctrl-C or end of input)
  /help               this help`;

const USAGE = `Usage: npm run call -- [options]

A terminal softphone that plays Twilio against the server: a signed inbound voice webhook, the
<Connect><ConversationRelay> WebSocket (text turns), the <Connect action> handoff with <Say>,
<Hangup/> and <Dial> (simulated), and the status callback. Requests go to --server; signatures use
--public-url (the server's PUBLIC_URL), and URLs in the TwiML are reached on --server's origin.
Settings not given as options come from the environment the server itself reads (HOST, PORT,
PUBLIC_URL, TWILIO_AUTH_TOKEN, REALTOR_API_KEY, and PGLITE_DIR/DATABASE_URL for its data folder).

Options:
  --server <url>        server to call (default http://HOST:PORT, i.e. ${DEFAULT_SERVER})
  --public-url <url>    the server's PUBLIC_URL, used for signatures
                        (default: --server when given, else PUBLIC_URL, else the server)
  --from <number>       caller number (default ${DEFAULT_FROM})
  --as-agent            call as the demo agent (from their mobile ${DEMO_MOBILE}): voice commands; the PIN
                        is keyed for you (--pin, default the demo PIN ${DEMO_PIN}) — scripts key it with dtmf:
  --pin <digits>        the PIN --as-agent keys
  --to <number>         number called (default ${DEFAULT_TO}, the demo agent's line)
  --auth-token <token>  Twilio auth token (default TWILIO_AUTH_TOKEN, else the token the server generated in
                        .data/twilio-auth-token)
  --api-key <key>       agent API key for live call events (default REALTOR_API_KEY, else .data/demo-api-key)
  --script <file>       run a call script non-interactively; exit 0 when every expectation holds, else 1
  --transfer <outcome>  how a transfer to a human turns out: ${TRANSFER_OUTCOMES.join('|')} (default no-answer)
  --timeout <seconds>   wait per agent reply (default ${DEFAULT_REPLY_TIMEOUT_MS / 1000})
  --quiet               hide state events
  -h, --help            this help

${COMMANDS}

${SCRIPT_HELP}`;

/** After the last line of piped input, how long the call may go on before the softphone hangs up. */
const INPUT_END_GRACE_MS = 2_000;

const style = (s: Style, text: string) => styleText(s, text);

/** Prints entries without tearing the readline prompt. */
class Printer {
  rl: Interface | undefined;

  constructor(
    private readonly quiet: boolean,
    private readonly echoCaller: boolean,
  ) {}

  entry = (entry: TranscriptEntry): void => {
    if (!isShown(entry, this.quiet)) return;
    if (entry.kind === 'caller' && !this.echoCaller) return;
    this.line(formatEntry(entry, style), entry.kind !== 'end');
    if (entry.kind === 'end') this.rl = undefined;
  };

  line(text: string, prompt = true): void {
    if (this.rl && process.stdout.isTTY) {
      clearLine(process.stdout, 0);
      cursorTo(process.stdout, 0);
      process.stdout.write(`${text}\n`);
      if (prompt) this.rl.prompt(true);
    } else {
      process.stdout.write(`${text}\n`);
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        server: { type: 'string' },
        'public-url': { type: 'string' },
        from: { type: 'string' },
        'as-agent': { type: 'boolean', default: false },
        pin: { type: 'string' },
        to: { type: 'string' },
        'auth-token': { type: 'string' },
        'api-key': { type: 'string' },
        script: { type: 'string' },
        transfer: { type: 'string' },
        timeout: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const transfer = values.transfer ?? 'no-answer';
  if (!(TRANSFER_OUTCOMES as readonly string[]).includes(transfer)) {
    return usageError(`--transfer must be one of ${TRANSFER_OUTCOMES.join(', ')}`);
  }
  const timeout = values.timeout === undefined ? DEFAULT_REPLY_TIMEOUT_MS / 1000 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) return usageError('--timeout must be a positive number of seconds');

  let config: Config;
  let authToken: string;
  try {
    config = loadConfig();
    authToken = resolveAuthToken(values['auth-token'], config, serverDataDir(config));
  } catch (err) {
    if (!(err instanceof SoftphoneConfigError || err instanceof ConfigError)) throw err;
    process.stderr.write(`softphone: ${err.message}\n`);
    return 2;
  }
  // Without --server, the server is the one this environment would start (HOST, PORT, PUBLIC_URL).
  const host = ['0.0.0.0', '::'].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  const server = values.server ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
  const publicUrl = values['public-url'] ?? (values.server ? server : config.publicUrl);
  const apiKey = resolveApiKey(values['api-key'], config, serverDataDir(config));
  const opts: PlaceCallOptions = {
    authToken,
    server,
    publicUrl,
    from: values.from ?? (values['as-agent'] ? DEMO_MOBILE : DEFAULT_FROM),
    to: values.to ?? DEFAULT_TO,
    ...(apiKey ? { apiKey } : {}),
    transfer: transfer as TransferOutcome,
    replyTimeoutMs: timeout * 1000,
  };
  if (values.pin !== undefined && !/^\d{4,8}$/.test(values.pin)) return usageError('--pin must be 4 to 8 digits');
  const pin = values['as-agent'] ? (values.pin ?? DEMO_PIN) : undefined;
  return values.script ? scriptMode(values.script, opts, values.quiet) : interactive(opts, values.quiet, pin);
}

async function scriptMode(file: string, opts: PlaceCallOptions, quiet: boolean): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    process.stderr.write(`softphone: cannot read the script: ${(err as Error).message}\n`);
    return 2;
  }
  const printer = new Printer(quiet, true);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const result = await runScript(text, { ...opts, onEntry: printer.entry, signal: abort.signal });
  if (result.ok) {
    printer.line(style('green', `✓ script passed (${file})`));
    return 0;
  }
  printer.line(style('red', `✗ script failed (${file}):`));
  for (const f of result.failures) {
    printer.line(style('red', `  line ${f.line}: ${f.directive}\n    ${f.message}`));
  }
  return 1;
}

async function interactive(opts: PlaceCallOptions, quiet: boolean, pin?: string): Promise<number> {
  const tty = process.stdin.isTTY === true;
  const printer = new Printer(quiet, !tty);
  let call: SoftphoneCall;
  try {
    call = await placeCall({ ...opts, onEntry: printer.entry });
  } catch (err) {
    process.stderr.write(`softphone: ${(err as Error).message}\n`);
    return 1;
  }
  if (call.isEnded) return call.problems.length ? 1 : 0;
  // --as-agent: the PIN is keyed at once (voice commands).
  if (pin) await call.dtmf(`${pin}#`, { waitMs: 5_000 }).catch(() => undefined);

  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ', terminal: tty });
  printer.rl = rl;
  if (tty) printer.line(style('dim', 'Type what the caller says; /help for commands, /hangup or Ctrl-C to hang up.'));
  const hangup = () => void call.hangup();
  rl.on('SIGINT', hangup);
  process.once('SIGINT', hangup);
  process.once('SIGTERM', hangup);

  // Lines are handled one at a time (each waits for the agent's reply), so piped input works too.
  const queue: string[] = [];
  let busy = false;
  let inputDone = false;
  const drain = async () => {
    if (busy) return;
    busy = true;
    while (queue.length > 0 && !call.isEnded) await command(call, queue.shift()!, printer);
    busy = false;
    if (call.isEnded) return;
    if (!inputDone) {
      if (tty) rl.prompt();
      return;
    }
    // End of input: let the agent finish (an end, a handoff) before hanging up.
    await call.wait(INPUT_END_GRACE_MS);
    await call.hangup();
  };
  rl.on('line', (line) => {
    queue.push(line);
    void drain();
  });
  rl.on('close', () => {
    inputDone = true;
    void drain();
  });
  if (tty) rl.prompt();

  await call.ended;
  printer.rl = undefined;
  rl.close();
  return call.problems.length ? 1 : 0;
}

async function command(call: SoftphoneCall, raw: string, printer: Printer): Promise<void> {
  const text = raw.trim();
  if (!text) return;
  const warn = (message: string) => printer.line(style('yellow', `  ${message}`));
  try {
    if (!text.startsWith('/')) {
      await call.say(text);
      return;
    }
    const [name, ...args] = text.split(/\s+/);
    const arg = args.join('');
    switch (name) {
      case '/dtmf':
        if (!/^[0-9*#A-Da-d]+$/.test(arg)) return warn('usage: /dtmf <digits 0-9 * # A-D>');
        await call.dtmf(arg.toUpperCase());
        return;
      case '/interrupt': {
        const words = arg ? Number(arg) : undefined;
        if (words !== undefined && (!Number.isInteger(words) || words < 0)) return warn('usage: /interrupt [words]');
        call.interrupt(words);
        return;
      }
      case '/wait': {
        const seconds = Number(arg);
        if (!Number.isFinite(seconds) || seconds <= 0) return warn('usage: /wait <seconds>');
        await call.wait(seconds * 1000);
        return;
      }
      case '/hangup':
        await call.hangup();
        return;
      case '/help':
        printer.line(COMMANDS);
        return;
      default:
        warn(`unknown command ${name}; /help lists them`);
    }
  } catch (err) {
    warn((err as Error).message);
  }
}

/** Where the server keeps its generated Twilio token and the demo key (as in src/main.ts). */
function serverDataDir(config: Config): string {
  return config.DATABASE_URL ? '.data' : join(config.PGLITE_DIR, '..');
}

function usageError(message: string): number {
  process.stderr.write(`softphone: ${message}\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`softphone: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
