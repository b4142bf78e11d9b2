import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLine, startCallServer, type CallServer, type FlowLine } from '../../call-flows/harness.ts';
import { startRealtimeCall } from '../../src/call-server/realtime-call.ts';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { MULAW_SILENCE } from '../../src/voice/audio/mulaw.ts';
import { mulawTone } from '../../src/voice/audio/signal.ts';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { FakeRealtimeServer } from '../fakes/openai/fake-realtime-server.ts';
import { MediaStreamClient } from '../helpers/media-stream-client.ts';
import { until } from '../helpers/wait.ts';

/**
 * VOICE_PIPELINE=realtime: the model hears and speaks (fake Realtime server), the call's session and machine
 * decide when it answers and which tools it may use; tools run through our registry.
 */
let fake: FakeRealtimeServer;
let server: CallServer;
let line: FlowLine;

beforeAll(async () => {
  fake = await FakeRealtimeServer.start({ msPerWord: 20 });
  server = await startCallServer({
    OPENAI_API_KEY: 'sk-test-realtime',
    OPENAI_REALTIME_URL: fake.url,
    VOICE_TRANSPORT: 'media-stream',
    VOICE_PIPELINE: 'realtime',
  });
  line = await newLine(server.ctx);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('a Media Streams call on the realtime pipeline', () => {
  it('greets, answers a listing question through our tool, and records the turns', async () => {
    fake.queueScript({
      utterances: ['How much is 141 Elm Street?'],
      replies: [
        { toolCall: { name: 'listing_info', arguments: { property: '141 Elm Street' } } },
        { text: 'It is listed at eight hundred fifty thousand dollars.' },
      ],
    });
    const em = server.ctx.orm.em.fork();
    const started = await server.ctx.services.calls.startInbound(em, {
      callSid: `CArealtime${Date.now()}`,
      from: '+15125550142',
      to: line.line,
      transport: 'media-stream',
    });
    const callSid = started!.call.callSid;
    const media: Buffer[] = [];
    let closed = false;
    let call: Awaited<ReturnType<typeof startRealtimeCall>> | null = null;
    const out = {
      media: (b: Buffer) => media.push(b),
      // Twilio echoes a mark once the audio before it has played; here at once.
      mark: (name: string) => setImmediate(() => call?.mark(name)),
      clear: () => {},
      close: () => (closed = true),
    };
    call = await startRealtimeCall(server.ctx, callSid, out, server.ctx.log);
    const conn = await fake.connection(0);

    // The greeting is said by the model, verbatim, and its audio reaches Twilio.
    await until(() => media.length > 0, 'greeting audio');
    expect(conn.responses[0]!.text).toMatch(/virtual assistant/);
    expect(conn.sessionUpdates.at(-1)!.audio?.input?.turn_detection).toMatchObject({ create_response: false });

    // The caller speaks: a second of voice, then silence.
    const speech = mulawTone(1000, { hz: 440, dbfs: -20 });
    for (let at = 0; at < speech.length; at += 160) call.media(speech.subarray(at, at + 160));
    for (let i = 0; i < 40; i++) call.media(Buffer.alloc(160, MULAW_SILENCE));

    const turnRows = async () => {
      const row = await em.fork().findOneOrFail(Call, { callSid });
      return em.fork().find(CallTurn, { call: row.id }, { orderBy: { seq: 'asc' } });
    };
    await until(
      async () => (await turnRows()).some((t) => t.role === 'agent' && /850|eight hundred/.test(t.text)),
      'the answer',
    );
    const turns = await turnRows();
    expect(turns.find((t) => t.role === 'caller')?.text).toBe('How much is 141 Elm Street?');
    expect(turns.find((t) => t.role === 'tool')).toMatchObject({ toolName: 'listing_info', ok: true });
    // The tool's result went back to the model, which then answered; the machine offered it the property tools.
    expect(conn.toolOutputs[0]!.output).toContain('$850,000');
    const tools = (conn.sessionUpdates.at(-1)!.tools ?? []).map((t) => (t as { name: string }).name);
    expect(tools).toContain('schedule_viewing');

    call.stop();
    await until(async () => !!(await em.fork().findOneOrFail(Call, { callSid })).endedAt, 'the end of the call');
    expect(closed).toBe(false); // the caller hung up: nothing to close on our side
  });

  it('runs through the Media Streams route: TwiML → stream → greeting audio → a caller turn answered', async () => {
    fake.queueScript({ utterances: ['Is 141 Elm Street still available?'], replies: [{ text: 'Yes, it is.' }] });
    const callSid = `CArt${Date.now()}route`;
    const form = { CallSid: callSid, From: '+15125550142', To: line.line, CallStatus: 'ringing', Direction: 'inbound' };
    const voiceUrl = `${server.base}/twilio/voice`;
    const twiml = await (
      await fetch(voiceUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioRequest(server.authToken, voiceUrl, form),
        },
        body: new URLSearchParams(form),
      })
    ).text();
    expect(twiml).toContain('<Stream url="ws://127.0.0.1');
    const callToken = /name="callToken" value="([^"]+)"/.exec(twiml)![1]!;
    const client = await MediaStreamClient.connect({
      url: `${server.base.replace('http', 'ws')}/twilio/media-stream`,
      callSid,
      callToken,
    });
    await client.until(() => client.received.some((r) => r.event === 'media'), 'greeting audio');
    await client.say('Is 141 Elm Street still available?', { speechMs: 800, silenceMs: 700 });
    const em = server.ctx.orm.em.fork();
    await until(async () => {
      const row = await em.fork().findOneOrFail(Call, { callSid });
      return (await em.fork().count(CallTurn, { call: row.id, role: 'agent', text: 'Yes, it is.' })) > 0;
    }, 'the answer');
    await client.stop();
    await until(async () => !!(await em.fork().findOneOrFail(Call, { callSid })).endedAt, 'the end of the call');
  });
});
