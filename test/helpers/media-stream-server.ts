import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { ownContext } from '../../call-flows/harness.ts';
import type { CallEvent } from '../../src/call-runtime/call-events.ts';
import type { SpeechToText, TextToSpeech } from '../../src/call-runtime/speech.port.ts';
import { mediaStreamRoutes, type TurnTakingEvent } from '../../src/call-server/media-stream.ws.ts';
import { twilioWebhooks } from '../../src/call-server/twilio-webhooks.ts';
import { CallTurn } from '../../src/domain/calls/call.entity.ts';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { DEMO_MOBILE, seedListings } from '../../src/seed/demo.ts';
import type { AppContext } from '../../src/services.ts';
import { FakeSpeechToText } from '../../src/voice/fakes/fake-stt.ts';
import { FakeTextToSpeech } from '../../src/voice/fakes/fake-tts.ts';
import { newAgent, uniquePhone } from './context.ts';
import { MediaStreamClient } from './media-stream-client.ts';

export const TOKEN = 'test-twilio-auth-token-0123456789';
export const PUBLIC = 'https://voice.example.test';
/** Fake speech and the session's playback estimate agree: 40 ms a word keeps the calls short. */
export const MS_PER_WORD = 40;
/** A short utterance: 300 ms of speech, then enough quiet to end it. */
export const SHORT = { speechMs: 300, silenceMs: 400 };
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'twilio', 'inbound-voice.form.json'), 'utf8'),
) as Record<string, string>;

export const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The file's media-stream server: a context of its own (media-stream transport, no silence prompt, fake speech at
 * MS_PER_WORD), an agent with a line, a mobile and the demo listings, and an app with the Twilio webhooks and the
 * media-stream route over recording fakes; started before the file's tests, closed after them.
 */
export function useMediaStreamServer() {
  let ctx: AppContext | undefined;
  let app: FastifyInstance | undefined;
  let wsUrl = '';
  let line = '';
  let mobile = '';
  const stt = new FakeSpeechToText({ stopMs: 300 });
  const tts = new FakeTextToSpeech({ msPerWord: MS_PER_WORD });
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
  const clients: MediaStreamClient[] = [];

  beforeAll(async () => {
    ctx = await ownContext({
      TWILIO_AUTH_TOKEN: TOKEN,
      PUBLIC_URL: PUBLIC,
      VOICE_TRANSPORT: 'media-stream',
      // No "are you still there?" while a test runs; replies are short.
      CALL_SILENCE_MS: '30000',
      CALL_SPEECH_MS_PER_WORD: String(MS_PER_WORD),
    });
    // An agent of the file's own with the demo listings (a line of its own: the database may be shared).
    const agent = await newAgent(ctx, { name: 'Dana Demo' });
    line = uniquePhone();
    mobile = DEMO_MOBILE;
    await ctx.services.agents.update(ctx.orm.em.fork(), agent.agentId, {
      lineNumbers: [line],
      brokerageName: 'Lone Star Demo Realty',
      mobilePhone: mobile,
    });
    await seedListings(ctx, agent.agentId);
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

  const started = (): { ctx: AppContext; app: FastifyInstance } => {
    if (!ctx || !app) throw new Error('the media-stream server is not started yet');
    return { ctx, app };
  };

  function post(path: string, form: Record<string, string>) {
    return started().app.inject({
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
    expect(res.body).toMatch(
      /<Redirect method="POST">https:\/\/voice\.example\.test\/twilio\/stream-ended<\/Redirect>/,
    );
    const callToken = /<Parameter name="callToken" value="([^"]+)"/.exec(res.body)?.[1];
    expect(callToken).toBeTruthy();
    const events: CallEvent[] = [];
    started().ctx.callEvents.subscribeCall(callSid, (e) => events.push(e));
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

  /** The call's turn rows, once the live session has written what it queued. */
  async function turns(callSid: string) {
    const { ctx } = started();
    await ctx.calls.get(callSid)?.flush();
    return ctx.orm.em.fork().find(CallTurn, { call: { callSid } }, { orderBy: { seq: 'asc' } });
  }

  return {
    get ctx() {
      return started().ctx;
    },
    get wsUrl() {
      return wsUrl;
    },
    get line() {
      return line;
    },
    get mobile() {
      return mobile;
    },
    tts,
    turnTaking,
    endpointingSent,
    ttsSessions,
    post,
    incomingCall,
    connect,
    turns,
  };
}
