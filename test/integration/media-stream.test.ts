import { describe, expect, it } from 'vitest';
import { SentenceChunker } from '../../src/call-runtime/sentences.ts';
import { Call } from '../../src/domain/calls/call.entity.ts';
import { mulawBytesFor } from '../../src/voice/audio/mulaw.ts';
import { MediaStreamClient } from '../helpers/media-stream-client.ts';
import { firstOf } from '../helpers/wait.ts';
import { MS_PER_WORD, PUBLIC, SHORT, useMediaStreamServer, words } from '../helpers/media-stream-server.ts';

const server = useMediaStreamServer();
const { incomingCall, connect, turns, post, ttsSessions } = server;

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
      url: server.wsUrl,
      callSid: other.callSid,
      callToken: other.callToken,
      sign: { authToken: 'not-the-auth-token-0123456789', url: `${PUBLIC.replace(/^http/, 'ws')}/twilio/media-stream` },
    });
    expect(await forged.closed).toEqual({ code: 1008, reason: 'invalid signature' });
    for (const sid of [callSid, other.callSid]) {
      expect(server.ctx.calls.get(sid)).toBeUndefined();
      const call = await server.ctx.orm.em.fork().findOneOrFail(Call, { callSid: sid });
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
    const turn = await firstOf(
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
    const res = await post('/twilio/stream-ended', { CallSid: callSid, To: server.line });
    expect(res.body).toContain(`<Dial action="${PUBLIC}/twilio/dial-status"`);
    expect(res.body).toContain(server.mobile);
    await firstOf(events, (e) => e.type === 'ended', 'ended');
    expect(await server.ctx.orm.em.fork().findOneOrFail(Call, { callSid })).toMatchObject({
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
    await server.ctx.calls.get(callSid)?.done; // the session writes its end as it closes
    expect(await server.ctx.orm.em.fork().findOneOrFail(Call, { callSid })).toMatchObject({ endedReason: 'goodbye' });
  });

  it('stop ends the session and the call record', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);
    await client.markPlayed(1);
    await client.stop();
    await firstOf(events, (e) => e.type === 'ended', 'ended');
    expect(server.ctx.calls.get(callSid)).toBeUndefined();
    const call = await server.ctx.orm.em.fork().findOneOrFail(Call, { callSid });
    expect(call.endedAt).toBeInstanceOf(Date);
    expect(call).toMatchObject({ endedReason: 'caller_hung_up', transport: 'media-stream' });
    // The call spoke through its own synthesis session, closed with the stream.
    expect(ttsSessions.get(callSid)).toEqual({ opened: 1, closed: 1 });
  });
});
