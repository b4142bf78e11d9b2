import { describe, expect, it } from 'vitest';
import { SentenceChunker } from '../../src/call-runtime/sentences.ts';
import { endpointingFor, expectingAfter } from '../../src/voice/endpointing.ts';
import { MS_PER_WORD, SHORT, useMediaStreamServer } from '../helpers/media-stream-server.ts';
import { firstOf, until } from '../helpers/wait.ts';

const server = useMediaStreamServer();
const { incomingCall, connect, turns, tts, turnTaking, endpointingSent } = server;

describe('Twilio Media Streams (WS /twilio/media-stream): barge-in and turn-taking', () => {
  it('barge-in: sends clear, cancels the reply, and keeps only the phrases the caller heard', async () => {
    const { callSid, callToken, events } = await incomingCall();
    const client = await connect(callSid, callToken);
    await client.markPlayed(1);
    tts.msPerWord = 120; // a longer reply to talk over
    try {
      await client.say('Tell me about 141 Elm St', SHORT);
      const turn = await firstOf(events, (e) => e.type === 'turn' && e.role === 'agent' && /Elm/.test(e.text), 'reply');
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

      const interrupted = await firstOf(events, (e) => e.type === 'turn' && e.interrupted === true, 'interrupt');
      expect(interrupted).toMatchObject({ role: 'agent', text: first });
      await speaking;
      await firstOf(events, (e) => e.type === 'turn' && e.text === 'Sorry, how many bedrooms?', 'next turn');
      // The session's records are written in order: wait for the caller's new turn to be in the table.
      await server.ctx.calls.get(callSid)!.flush();
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
      await until(() => mine().some((e) => e.type === 'backchannel'), 'the backchannel final');
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

      await firstOf(events, (e) => e.type === 'turn' && e.role === 'caller' && e.text === 'wait', 'caller turn');
      await server.ctx.calls.get(callSid)!.flush();
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
      await until(() => agentTurns().length > replies.length, `reply ${replies.length}`);
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
});
