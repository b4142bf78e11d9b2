import { describe, expect, it, vi } from 'vitest';
import { TextToSpeechError, type TextToSpeech, type TextToSpeechSession } from '../../src/call-runtime/speech.port.ts';
import { FakeTextToSpeech } from '../../src/voice/fakes/fake-tts.ts';
import { FailoverTextToSpeech, type FailoverOptions } from '../../src/voice/tts-failover.ts';
import { WAIT } from '../helpers/wait.ts';

type Behaviour = 'ok' | 'fail' | 'hang' | 'fail-mid';

/** A vendor stand-in doing what it is told, phrase by phrase, and recording what it was asked. */
class ScriptedTts implements TextToSpeech {
  readonly calls: { text: string; signal: AbortSignal }[] = [];
  readonly sessions: ScriptedSession[] = [];
  behaviour: Behaviour = 'ok';
  /** Only a vendor built `withSessions` has the optional per-call lifecycle. */
  readonly session?: (callSid: string) => TextToSpeechSession;

  constructor(
    readonly name: string,
    withSessions = false,
  ) {
    if (withSessions) {
      this.session = (callSid) => {
        const s = new ScriptedSession(this, callSid);
        this.sessions.push(s);
        return s;
      };
    }
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    this.calls.push({ text, signal });
    signal.throwIfAborted();
    await Promise.resolve();
    switch (this.behaviour) {
      case 'fail':
        throw new TextToSpeechError({ vendor: this.name, kind: 'http', status: 503, message: 'HTTP 503' });
      case 'hang':
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
        return;
      case 'fail-mid':
        yield Buffer.from(`${this.name}:1`);
        throw new TextToSpeechError({ vendor: this.name, kind: 'connection', message: 'socket dropped' });
      default:
        yield Buffer.from(`${this.name}:1`);
        await Promise.resolve();
        signal.throwIfAborted();
        yield Buffer.from(`${this.name}:2`);
    }
  }
}

class ScriptedSession implements TextToSpeechSession {
  readonly name: string;
  closed = 0;
  constructor(
    readonly parent: ScriptedTts,
    readonly callSid: string,
  ) {
    this.name = parent.name;
  }
  synthesize(text: string, signal: AbortSignal): AsyncIterable<Buffer> {
    return this.parent.synthesize(text, signal);
  }
  close(): void {
    this.closed++;
  }
}

async function speak(tts: TextToSpeech, text: string, signal = new AbortController().signal): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of tts.synthesize(text, signal)) out.push(chunk.toString());
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function setup(options: FailoverOptions = {}) {
  const primary = new ScriptedTts('eleven');
  const secondary = new ScriptedTts('openai');
  let clock = 1_000_000;
  const log = { info: vi.fn(), warn: vi.fn() };
  const tts = new FailoverTextToSpeech(primary, secondary, {
    failureThreshold: 3,
    coolDownMs: 60_000,
    firstByteTimeoutMs: 200,
    log,
    now: () => clock,
    ...options,
  });
  return { primary, secondary, tts, log, advance: (ms: number) => (clock += ms) };
}

describe('FailoverTextToSpeech', () => {
  it('speaks with the primary while it works', async () => {
    const { primary, secondary, tts } = setup();
    expect(await speak(tts, 'Hello.')).toEqual(['eleven:1', 'eleven:2']);
    expect(primary.calls.map((c) => c.text)).toEqual(['Hello.']);
    expect(secondary.calls).toHaveLength(0);
    expect(tts.name).toBe('eleven>openai');
  });

  it('retries the phrase on the secondary when the primary fails before its first byte, and logs it', async () => {
    const { primary, secondary, tts, log } = setup();
    primary.behaviour = 'fail';
    expect(await speak(tts, 'Hello there.')).toEqual(['openai:1', 'openai:2']);
    expect(secondary.calls.map((c) => c.text)).toEqual(['Hello there.']);
    expect(tts.state).toEqual({ consecutiveFailures: 1, coolingDown: false });
    expect(log.warn).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(TextToSpeechError) }),
      expect.stringContaining('before its first byte'),
    );
  });

  it('a primary with no first byte by the deadline is aborted and the secondary speaks', async () => {
    const { primary, secondary, tts } = setup({ firstByteTimeoutMs: 30 });
    primary.behaviour = 'hang';
    expect(await speak(tts, 'Are you there?')).toEqual(['openai:1', 'openai:2']);
    expect(primary.calls[0]!.signal.aborted).toBe(true);
    expect(primary.calls[0]!.signal.reason).toMatchObject({ kind: 'timeout' });
    expect(secondary.calls).toHaveLength(1);
  });

  it('a failure after audio has flowed is thrown (no repeat on the secondary) and counted', async () => {
    const { primary, secondary, tts } = setup();
    primary.behaviour = 'fail-mid';
    const seen: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const c of tts.synthesize('Long phrase.', new AbortController().signal)) seen.push(c.toString());
      })(),
    );
    expect(seen).toEqual(['eleven:1']);
    expect(err).toMatchObject({ kind: 'connection' });
    expect(secondary.calls).toHaveLength(0);
    expect(tts.state.consecutiveFailures).toBe(1);
  });

  it('after N consecutive failures the secondary speaks alone for the cool-down, then the primary is tried again', async () => {
    const { primary, secondary, tts, advance, log } = setup();
    primary.behaviour = 'fail';
    for (let i = 0; i < 3; i++) await speak(tts, `phrase ${i}`);
    expect(primary.calls).toHaveLength(3);
    expect(tts.state).toEqual({ consecutiveFailures: 3, coolingDown: true });
    expect(log.warn).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('cool-down'));

    await speak(tts, 'during cool-down');
    expect(primary.calls).toHaveLength(3);
    expect(secondary.calls.at(-1)!.text).toBe('during cool-down');

    // Cool-down over: the primary is tried; one more failure starts a new cool-down at once.
    advance(60_001);
    await speak(tts, 'probe');
    expect(primary.calls).toHaveLength(4);
    expect(tts.state.coolingDown).toBe(true);
    await speak(tts, 'cooling again');
    expect(primary.calls).toHaveLength(4);

    // Next probe succeeds: the count resets and the primary stays.
    advance(60_001);
    primary.behaviour = 'ok';
    expect(await speak(tts, 'back')).toEqual(['eleven:1', 'eleven:2']);
    expect(tts.state).toEqual({ consecutiveFailures: 0, coolingDown: false });
    expect(log.info).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('primary speaking again'));
  });

  it('a success in between resets the count', async () => {
    const { primary, tts } = setup();
    primary.behaviour = 'fail';
    await speak(tts, 'a');
    await speak(tts, 'b');
    primary.behaviour = 'ok';
    await speak(tts, 'c');
    primary.behaviour = 'fail';
    await speak(tts, 'd');
    expect(tts.state).toEqual({ consecutiveFailures: 1, coolingDown: false });
  });

  it('abort while the primary speaks: the primary is aborted, the reason thrown, no failover, no failure', async () => {
    const { primary, secondary, tts } = setup();
    const controller = new AbortController();
    const iterator = tts.synthesize('Hello.', controller.signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.toString()).toBe('eleven:1');
    const reason = new Error('barge-in');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    expect(primary.calls[0]!.signal.aborted).toBe(true);
    expect(secondary.calls).toHaveLength(0);
    expect(tts.state.consecutiveFailures).toBe(0);
  });

  it('abort while waiting for the primary’s first byte: no failover, no failure', async () => {
    const { primary, secondary, tts } = setup({ firstByteTimeoutMs: 10_000 });
    primary.behaviour = 'hang';
    const controller = new AbortController();
    const reason = new Error('barge-in');
    const pending = rejection(speak(tts, 'Hello.', controller.signal));
    await vi.waitFor(() => expect(primary.calls).toHaveLength(1), WAIT);
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(primary.calls[0]!.signal.aborted).toBe(true);
    expect(secondary.calls).toHaveLength(0);
    expect(tts.state.consecutiveFailures).toBe(0);
  });

  it('abort reaches the secondary too', async () => {
    const { primary, secondary, tts } = setup();
    primary.behaviour = 'fail';
    secondary.behaviour = 'hang';
    const controller = new AbortController();
    const reason = new Error('hang-up');
    const pending = rejection(speak(tts, 'Hello.', controller.signal));
    await vi.waitFor(() => expect(secondary.calls).toHaveLength(1), WAIT);
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(secondary.calls[0]!.signal.aborted).toBe(true);
  });

  it('a failing secondary fails the phrase', async () => {
    const { primary, secondary, tts } = setup();
    primary.behaviour = 'fail';
    secondary.behaviour = 'fail';
    expect(await rejection(speak(tts, 'Hello.'))).toMatchObject({ vendor: 'openai' });
  });

  it('sessions open both vendors’ per-call sessions, share the breaker, and close what they opened', async () => {
    const primary = new ScriptedTts('eleven', true);
    const secondary = new ScriptedTts('openai');
    const tts = new FailoverTextToSpeech(primary, secondary, { failureThreshold: 2, firstByteTimeoutMs: 200 });
    const a = tts.session('CA1');
    const b = tts.session('CA2');
    expect(primary.sessions.map((s) => s.callSid)).toEqual(['CA1', 'CA2']);
    primary.behaviour = 'fail';
    await speak(a, 'one');
    await speak(b, 'two');
    expect(tts.state.coolingDown).toBe(true);
    await speak(a, 'three');
    expect(primary.calls).toHaveLength(2);
    a.close();
    a.close();
    expect(primary.sessions.map((s) => s.closed)).toEqual([1, 0]);
    expect(secondary.sessions).toHaveLength(0);
  });

  it('works over the repo’s fake TTS (a slow primary fails over)', async () => {
    const slow = new FakeTextToSpeech({ firstByteMs: 5_000 });
    const quick = new FakeTextToSpeech();
    const tts = new FailoverTextToSpeech(slow, quick, { firstByteTimeoutMs: 30 });
    const chunks: Buffer[] = [];
    for await (const c of tts.synthesize('two words', new AbortController().signal)) chunks.push(c);
    expect(Buffer.concat(chunks).length).toBe(Math.round((quick.durationMs('two words') * 8_000) / 1000));
    expect(tts.session('CA1')).toBeDefined();
  });
});
