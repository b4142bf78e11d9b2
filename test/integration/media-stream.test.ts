import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/call-runtime/call-events.ts';
import { SentenceChunker } from '../../src/call-runtime/sentences.ts';
import type { SpeechToText, TextToSpeech } from '../../src/call-runtime/speech.port.ts';
import { mediaStreamRoutes, type TurnTakingEvent } from '../../src/call-server/media-stream.ws.ts';
import { twilioWebhooks } from '../../src/call-server/twilio-webhooks.ts';
import { loadConfig } from '../../src/config.ts';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { buildContext, type AppContext } from '../../src/services.ts';
import { mulawBytesFor } from '../../src/voice/audio/mulaw.ts';
import { endpointingFor, expectingAfter } from '../../src/voice/endpointing.ts';
import { FakeSpeechToText } from '../../src/voice/fakes/fake-stt.ts';
import { FakeTextToSpeech } from '../../src/voice/fakes/fake-tts.ts';
import { MediaStreamClient } from '../helpers/media-stream-client.ts';

const TOKEN = 'test-twilio-auth-token-0123456789';
const PUBLIC = 'https://voice.example.test';
/** Fake speech and the session's playback estimate agree: 40 ms a word keeps the calls short. */
const MS_PER_WORD = 40;
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'twilio', 'inbound-voice.form.json'), 'utf8'),
) as Record<string, string>;

let ctx: AppContext;
let app: FastifyInstance;
let wsUrl: string;
let line: string;
let mobile: string;
const stt = new FakeSpeechToText({ stopMs: 300 });
/** The end-of-utterance silence the route gave each call's recognizer, in order. */
const endpointingSent = new Map<string, number[]>();
/** The fake, with each stream's setEndpointing recorded. */
const recordingStt: SpeechToText = {
  name: stt.name,
  open(opts) {
    const stream = stt.open(opts);
    const set = stream.setEndpointing?.bind(stream);
    stream.setEndpointing = (ms) => {
      endpointingSent.set(opts.callSid, [...(endpointingSent.get(opts.callSid) ?? []), ms]);
      set?.(ms);
    };
    return stream;
  },
};
const turnTaking: TurnTakingEvent[] = [];
/** Per-call synthesis sessions the route opened and closed (TextToSpeech.session). */
const ttsSessions = new Map<string, { opened: number; closed: number }>();
const sessionTts: TextToSpeech = {
  name: 'fake',
  synthesize: (text, signal) => tts.synthesize(text, signal),
  session(callSid) {
    const counts = ttsSessions.get(callSid) ?? { opened: 0, closed: 0 };
    counts.opened++;
    ttsSessions.set(callSid, counts);
    return { name: 'fake', synthesize: (text, signal) => tts.synthesize(text, signal), close: () => counts.closed++ };
  },
};
/** A short utterance: 300 ms of speech, then enough quiet to end it. */
const SHORT = { speechMs: 300, silenceMs: 400 };
const tts = new FakeTextToSpeech({ msPerWord: MS_PER_WORD });
const clients: MediaStreamClient[] = [];

beforeAll(async () => {
  ctx = await buildContext(
    loadConfig({
      DATABASE_URL: process.env.DATABASE_URL,
      PGLITE_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      TWILIO_AUTH_TOKEN: TOKEN,
      PUBLIC_URL: PUBLIC,
      VOICE_TRANSPORT: 'media-stream',
      // No "are you still there?" while a test runs; replies are short.
      CALL_SILENCE_MS: '30000',
      CALL_SPEECH_MS_PER_WORD: String(MS_PER_WORD),
    }),
    createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    { jobs: false },
  );
  const demo = await seedDemo(ctx, join(mkdtempSync(join(tmpdir(), 'media-stream-')), 'demo-key'));
  const agent = await ctx.services.agents.get(ctx.orm.em.fork(), demo.agentId);
  line = agent.line_numbers[0]!;
  mobile = agent.mobile_phone!;
  // The same plugins app.ts registers, on an app of its own (the test injects tuned fakes).
  app = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger });
  await app.register(websocket);
  await app.register(twilioWebhooks, { ctx });
  await app.register(mediaStreamRoutes, {
    ctx,
    stt: recordingStt,
    tts: sessionTts,
    onTurnTaking: (e) => turnTaking.push(e),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  wsUrl = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/twilio/media-stream`;
});
afterAll(async () => {
  await Promise.all(clients.filter((c) => c.isOpen).map((c) => c.stop()));
  await app?.close();
  await ctx?.close();
});

function post(path: string, form: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest(TOKEN, `${PUBLIC}${path}`, form),
    },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A call Twilio answered with our <Connect><Stream> TwiML: its CallSid, the token from the TwiML, its events. */
async function incomingCall(): Promise<{ callSid: string; callToken: string; events: CallEvent[] }> {
  const callSid = `CA${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const res = await post('/twilio/voice', { ...fixture, CallSid: callSid, To: line, Called: line });
  expect(res.body).toMatch(/<Connect><Stream url="wss:\/\/voice\.example\.test\/twilio\/media-stream">/);
  expect(res.body).toMatch(/<Redirect method="POST">https:\/\/voice\.example\.test\/twilio\/stream-ended<\/Redirect>/);
  const callToken = /<Parameter name="callToken" value="([^"]+)"/.exec(res.body)?.[1];
  expect(callToken).toBeTruthy();
  const events: CallEvent[] = [];
  ctx.callEvents.subscribeCall(callSid, (e) => events.push(e));
  return { callSid, callToken: callToken!, events };
}

async function connect(callSid: string, callToken: string): Promise<MediaStreamClient> {
  const client = await MediaStreamClient.connect({
    url: wsUrl,
    callSid,
    callToken,
    transcripts: (sid, text) => stt.queueTranscript(sid, text),
    sign: { authToken: TOKEN, url: `${PUBLIC.replace(/^http/, 'ws')}/twilio/media-stream` },
  });
  clients.push(client);
  return client;
}

/** Waits for a call event; fails after `timeoutMs`. */
async function waitForEvent(events: CallEvent[], match: (e: CallEvent) => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = events.find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until `ready()` holds; fails after `timeoutMs`. */
async function waitFor(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The call's turn rows, once the live session has written what it queued. */
const turns = async (callSid: string) => {
  await ctx.calls.get(callSid)?.flush();
  return ctx.orm.em.fork().find(CallTurn, { call: { callSid } }, { orderBy: { seq: 'asc' } });
};
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('Twilio Media Streams (WS /twilio/media-stream)', () => {
  it('closes the socket with 1008 and opens no session when the call token or the signature is wrong', async () => {
    const { callSid } = await incomingCall();
    const other = await incomingCall();
    for (const token of ['', 'not-a-token', other.callToken]) {
      const client = await connect(callSid, token);
      expect(await client.closed).toEqual({ code: 1008, reason: 'invalid call token' });
      expect(client.mediaBytes).toBe(0);
    }
    const forged = await MediaStreamClient.connect({
      url: wsUrl,
      callSid: other.callSid,
      callToken: other.callToken,
      sign: { authToken: 'not-the-auth-token-0123456789', url: `${PUBLIC.replace(/^http/, 'ws')}/twilio/media-stream` },
    });
    expect(await forged.closed).toEqual({ code: 1008, reason: 'invalid signature' });
    for (const sid of [callSid, other.callSid]) {
      expect(ctx.calls.get(sid)).toBeUndefined();
      const call = await ctx.orm.em.fork().findOneOrFail(Call, { callSid: sid });
      expect(call).toMatchObject({ status: 'ringing', machineSnapshot: null, endedAt: null });
    }
  });

  it('speaks the greeting as paced media then a mark; answers an utterance about a listing with audio', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);

    const greeting = await client.markPlayed(1);
    const greetingText = (await turns(callSid))[0]!.text;
    expect(greetingText).toMatch(/virtual assistant/);
    expect(greeting).toMatchObject({ mark: expect.any(String), cleared: false });
    expect(greeting.bytes).toBe(mulawBytesFor(words(greetingText) * MS_PER_WORD));
    const media = client.received.filter((r) => r.event === 'media');
    expect(media.every((m) => m.streamSid === client.streamSid)).toBe(true);
    // ~50 ms messages (the last piece of a phrase may be shorter).
    expect(media.slice(0, -1).every((m) => m.bytes >= 320 && m.bytes <= 480)).toBe(true);
    expect(client.received.findIndex((r) => r.event === 'mark')).toBe(media.length);

    await client.say('Can you tell me about 141 Elm St?', SHORT);
    const turn = await waitForEvent(
      events,
      (e) => e.type === 'turn' && e.role === 'agent' && e.text !== greetingText,
      'reply',
    );
    const reply = (turn as { text: string }).text;
    expect(reply).toMatch(/141 Elm St/);
    const sentences = [...new SentenceChunker().push(`${reply} `)];
    await client.markPlayed(1 + sentences.length);
    const replyAudio = client.played.slice(1);
    expect(replyAudio.map((p) => p.bytes)).toEqual(sentences.map((s) => mulawBytesFor(words(s) * MS_PER_WORD)));
    expect((await turns(callSid)).map((t) => [t.role, t.text])).toEqual([
      ['agent', greetingText],
      ['caller', 'Can you tell me about 141 Elm St?'],
      ['tool', expect.stringMatching(/\$850,000/)],
      ['agent', reply],
    ]);
    expect(client.clears).toBe(0);
    await client.stop();
  });

  it('barge-in: sends clear, cancels the reply, and keeps only the phrases the caller heard', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);
    await client.markPlayed(1);
    tts.msPerWord = 120; // a longer reply to talk over
    try {
      await client.say('Tell me about 141 Elm St', SHORT);
      const turn = await waitForEvent(
        events,
        (e) => e.type === 'turn' && e.role === 'agent' && /Elm/.test(e.text),
        'reply',
      );
      const reply = (turn as { text: string }).text;
      const [first, ...rest] = new SentenceChunker().push(`${reply} `);
      expect(rest.length).toBeGreaterThan(0);

      // The first sentence has played; the caller talks over the second.
      await client.markPlayed(2);
      const sentAt = client.received.length;
      const speaking = client.say('Sorry, how many bedrooms?', SHORT);
      await client.until(() => client.clears === 1, 'clear');
      const clearAt = client.received.findIndex((r) => r.event === 'clear');
      expect(clearAt).toBeGreaterThanOrEqual(sentAt);
      const cut = client.played.find((p) => p.cleared);
      expect(cut).toBeDefined();
      expect(client.played.filter((p) => p.echoedAt !== null)).toHaveLength(2);

      const interrupted = await waitForEvent(events, (e) => e.type === 'turn' && e.interrupted === true, 'interrupt');
      expect(interrupted).toMatchObject({ role: 'agent', text: first });
      await speaking;
      await waitForEvent(events, (e) => e.type === 'turn' && e.text === 'Sorry, how many bedrooms?', 'next turn');
      // The session's records are written in order: wait for the caller's new turn to be in the table.
      await ctx.calls.get(callSid)!.flush();
      const agentTurns = (await turns(callSid)).filter((t) => t.role === 'agent');
      expect(agentTurns[1]).toMatchObject({ text: first, interrupted: true });
      expect(agentTurns[0]).toMatchObject({ interrupted: false });
    } finally {
      tts.msPerWord = MS_PER_WORD;
    }
    await client.stop();
  });

  it('a backchannel or a noise over the agent neither clears nor is a turn; "wait" clears at once', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);
    await client.markPlayed(1);
    tts.msPerWord = 250; // a long reply to talk over
    try {
      await client.say('Tell me about 141 Elm St', SHORT);
      // The reply is playing once its audio follows the greeting's mark.
      const greetingMark = client.received.findIndex((r) => r.event === 'mark');
      await client.until(() => client.received.slice(greetingMark + 1).some((r) => r.event === 'media'), 'reply audio');
      const mine = () => turnTaking.filter((e) => e.callSid === callSid);

      // A cough: voice activity, no words, short. Its silence outlasts the endpointing, so it is over
      // before the next utterance is declared.
      await client.noise(120, 1_000);
      await client.say('uh-huh', SHORT);
      await waitFor(() => mine().some((e) => e.type === 'backchannel'), 'the backchannel final');
      expect(mine().filter((e) => e.type === 'backchannel')).toEqual([
        { type: 'backchannel', callSid, text: 'uh-huh' },
      ]);
      expect(client.clears).toBe(0);
      expect(mine().filter((e) => e.type === 'barge_in')).toEqual([]);

      void client.say('wait', SHORT);
      await client.until(() => client.clears === 1, 'clear');
      const bargeIns = mine().filter((e) => e.type === 'barge_in');
      // Decided on the first partial ("wait"), before the utterance ended; the time from that event to the
      // clear is measured for the benchmark.
      expect(bargeIns).toEqual([
        expect.objectContaining({ type: 'barge_in', trigger: 'interruption_phrase', text: 'wait', callSid }),
      ]);
      expect(bargeIns[0]).toMatchObject({ triggerToClearMs: expect.any(Number), speechToClearMs: expect.any(Number) });

      await waitForEvent(events, (e) => e.type === 'turn' && e.role === 'caller' && e.text === 'wait', 'caller turn');
      await ctx.calls.get(callSid)!.flush();
      const callerTurns = (await turns(callSid)).filter((t) => t.role === 'caller').map((t) => t.text);
      expect(callerTurns).toEqual(['Tell me about 141 Elm St', 'wait']);
      expect((await turns(callSid)).find((t) => t.role === 'agent' && t.interrupted)).toBeDefined();
    } finally {
      tts.msPerWord = MS_PER_WORD;
    }
    await client.stop();
  });

  it('the endpointing given to the recognizer follows the agent’s last question', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);
    const agentTurns = () => events.filter((e) => e.type === 'turn' && e.role === 'agent') as { text: string }[];
    // The greeting is one phrase; the session speaks a brain's reply sentence by sentence, a mark after each.
    let marks = 1;
    await client.markPlayed(marks);
    const replies = [agentTurns()[0]!.text];
    /** The next agent reply, once it has played in full (so the caller does not talk over it). */
    const nextReply = async (): Promise<string> => {
      await waitFor(() => agentTurns().length > replies.length, `reply ${replies.length}`);
      const text = agentTurns()[replies.length]!.text;
      marks += [...new SentenceChunker().push(`${text} `)].length;
      await client.markPlayed(marks);
      return text;
    };
    await client.say('Can you tell me about 141 Elm St?', SHORT);
    replies.push(await nextReply());
    await client.say('yes', SHORT);
    replies.push(await nextReply());
    await client.say('tomorrow at 3 pm', SHORT);
    replies.push(await nextReply());

    expect(replies.map(expectingAfter)).toEqual(['free', 'yes_no', 'time', 'name']);
    expect(endpointingSent.get(callSid)).toEqual(replies.map((r) => endpointingFor(expectingAfter(r))));
    expect(endpointingSent.get(callSid)).toEqual([650, 400, 800, 1000]);
    expect(turnTaking.filter((e) => e.callSid === callSid && e.type === 'endpointing')).toEqual(
      ['free', 'yes_no', 'time', 'name'].map((expecting, i) => ({
        type: 'endpointing',
        callSid,
        expecting,
        silenceMs: [650, 400, 800, 1000][i],
      })),
    );
    expect(client.clears).toBe(0);

    // Each answer's timings: the silence that ended the caller's utterance (the one in force then), and its
    // first phrase handed to synthesis → first audio sent (the greeting's too, added once its audio went out).
    const agentRows = (await turns(callSid)).filter((t) => t.role === 'agent');
    expect(agentRows.map((t) => t.timings?.endpointingMs)).toEqual([undefined, 650, 400, 800]);
    for (const { timings } of agentRows) expect(timings?.ttsFirstByteMs).toBeGreaterThanOrEqual(0);
    expect(agentRows[0]!.timings).toEqual({ ttsFirstByteMs: expect.any(Number) });
    expect(agentRows[1]!.timings).toEqual({
      endpointingMs: 650,
      ttsFirstByteMs: expect.any(Number),
      firstTextMs: expect.any(Number),
      toolMs: expect.any(Number),
      totalMs: expect.any(Number),
    });
    await client.stop();
  });

  it('dtmf 0 transfers: the line plays out, then the stream closes and stream-ended dials the agent', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);
    await client.markPlayed(1);
    client.dtmf('0');
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1000, reason: 'session ended' });
    // Closed only after the transfer line's mark came back.
    expect(client.played).toHaveLength(2);
    expect(client.played[1]!.echoedAt).not.toBeNull();
    const agentTurns = (await turns(callSid)).filter((t) => t.role === 'agent');
    expect(client.played[1]!.bytes).toBe(mulawBytesFor(words(agentTurns[1]!.text) * MS_PER_WORD));
    const res = await post('/twilio/stream-ended', { CallSid: callSid, To: line });
    expect(res.body).toContain(`<Dial action="${PUBLIC}/twilio/dial-status"`);
    expect(res.body).toContain(mobile);
    await waitForEvent(events, (e) => e.type === 'ended', 'ended');
    expect(await ctx.orm.em.fork().findOneOrFail(Call, { callSid })).toMatchObject({
      endedReason: 'transferred',
      outcome: 'transferred',
    });
  });

  it('goodbye: the session says goodbye, hangs up after it played, and stream-ended hangs up', async () => {
    const { callSid, callToken } = await incomingCall();
    const client = await connect(callSid, callToken);
    await client.markPlayed(1);
    void client.say('Thanks, goodbye', SHORT);
    expect(await client.closed).toEqual({ code: 1000, reason: 'session ended' });
    expect(client.played.at(-1)!.echoedAt).not.toBeNull();
    const res = await post('/twilio/stream-ended', { CallSid: callSid });
    expect(res.body).toMatch(/<Hangup\/>/);
    await ctx.calls.get(callSid)?.done; // the session writes its end as it closes
    expect(await ctx.orm.em.fork().findOneOrFail(Call, { callSid })).toMatchObject({ endedReason: 'goodbye' });
  });

  it('stop ends the session and the call record', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);
    await client.markPlayed(1);
    await client.stop();
    await waitForEvent(events, (e) => e.type === 'ended', 'ended');
    expect(ctx.calls.get(callSid)).toBeUndefined();
    const call = await ctx.orm.em.fork().findOneOrFail(Call, { callSid });
    expect(call.endedAt).toBeInstanceOf(Date);
    expect(call).toMatchObject({ endedReason: 'caller_hung_up', transport: 'media-stream' });
    // The call spoke through its own synthesis session, closed with the stream.
    expect(ttsSessions.get(callSid)).toEqual({ opened: 1, closed: 1 });
  });
});
