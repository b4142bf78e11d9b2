import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLine, startCallServer, type CallServer, type FlowLine } from '../../call-flows/harness.ts';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { FakeSpeechToText } from '../../src/voice/fakes/fake-stt.ts';
import { FakeTextToSpeech } from '../../src/voice/fakes/fake-tts.ts';
import { callerSpeech } from '../helpers/caller-speech.ts';
import { MediaStreamClient } from '../helpers/media-stream-client.ts';
import { until } from '../helpers/wait.ts';

/**
 * A whole call over Media Streams on the cascaded pipeline, with real (espeak-ng) caller speech in real-time
 * 20 ms frames: the question is answered in audio, a backchannel over the answer changes nothing, "wait" cuts
 * it (Twilio clear, only the heard part kept), and the viewing is booked.
 */
const stt = new FakeSpeechToText({ stopMs: 400 });
let server: CallServer;
let line: FlowLine;

beforeAll(async () => {
  server = await startCallServer(
    { VOICE_TRANSPORT: 'media-stream', CALL_SILENCE_MS: '20000' },
    { speech: { stt, tts: new FakeTextToSpeech({ msPerWord: 150 }) } },
  );
  line = await newLine(server.ctx);
});
afterAll(async () => {
  await server?.close();
});

describe('a Media Streams call flow with interruptions', () => {
  it('answers, ignores "uh-huh", stops on "wait", books the viewing', async () => {
    const callSid = `CAflow${Date.now()}`;
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
    const client = await MediaStreamClient.connect({
      url: `${server.base.replace('http', 'ws')}/twilio/media-stream`,
      callSid,
      callToken: /name="callToken" value="([^"]+)"/.exec(twiml)![1]!,
      transcripts: (sid, text) => stt.queueTranscript(sid, text),
    });
    const speak = async (text: string) => client.say(text, { audio: await callerSpeech(text), silenceMs: 600 });
    const clears = () => client.received.filter((r) => r.event === 'clear').length;
    const mediaCount = () => client.received.filter((r) => r.event === 'media').length;

    await client.markPlayed(1); // the greeting played
    const before = mediaCount();
    await speak("Hi, I'm calling about 141 Elm Street. Tell me about it.");
    await client.until(() => mediaCount() > before, 'the answer starts');
    await speak('uh-huh');
    expect(clears()).toBe(0);
    await speak('wait');
    await client.until(() => clears() === 1, 'clear after "wait"');

    await speak('Can I see it tomorrow at 3 pm? My name is John Carter.');
    const em = server.ctx.orm.em.fork();
    const turns = async () => {
      const row = await em.fork().findOneOrFail(Call, { callSid });
      return em.fork().find(CallTurn, { call: row.id }, { orderBy: { seq: 'asc' } });
    };
    await until(
      async () => (await turns()).some((t) => t.toolName === 'schedule_viewing'),
      'the viewing booked',
      15_000,
      20,
    );
    await client.stop();
    await server.ctx.calls.get(callSid)?.done;

    const rows = await turns();
    const callerSaid = rows.filter((t) => t.role === 'caller').map((t) => t.text);
    expect(callerSaid).not.toContain('uh-huh'); // a backchannel is not a turn
    expect(callerSaid).toContain('wait');
    expect(rows.find((t) => t.role === 'agent' && t.interrupted)).toBeTruthy();
    expect(rows.filter((t) => t.role === 'tool').map((t) => `${t.toolName} ${t.ok}`)).toEqual(
      expect.arrayContaining(['listing_info true', 'schedule_viewing true']),
    );
    const showings = await server.app.inject({
      url: '/api/showings',
      headers: { authorization: `Bearer ${line.apiKey}` },
    });
    expect(showings.json()).toEqual([expect.objectContaining({ visitor_name: 'John Carter' })]);
  });
});
