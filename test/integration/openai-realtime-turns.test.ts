import { describe, expect, it } from 'vitest';
import { RealtimePlayback } from '../../src/integrations/llm/realtime-playback.ts';
import { mulawBytesFor } from '../../src/voice/audio/mulaw.ts';
import { next, record, SETTINGS, speak, TAKE_MESSAGE, useRealtimeFake } from '../helpers/realtime-conversation.ts';

const { setup } = useRealtimeFake();

describe('RealtimeConversation against the fake Realtime server (GA protocol): turns', () => {
  it('turns caller speech into speech events, the caller transcript and a spoken reply', async () => {
    const reply = 'Yes, the house on Elm Street is still available.';
    const { conv, server } = await setup({
      script: { utterances: ['Is the Elm Street house available?'], replies: [{ text: reply }] },
    });
    const rec = record(conv);

    const done = next(conv, 'responseDone');
    speak(conv);
    expect((await done)[0].status).toBe('completed');

    const [started] = rec.log.filter((e) => e.event === 'callerSpeechStarted');
    expect(started?.args[0]).toMatchObject({ audioStartMs: 0 });
    expect(rec.log.find((e) => e.event === 'callerTranscript')?.args[0]).toBe('Is the Elm Street house available?');
    expect(
      rec.log
        .filter((e) => e.event === 'agentTranscript')
        .map((e) => e.args[0])
        .join(''),
    ).toBe(reply);
    expect(rec.log.find((e) => e.event === 'agentTranscriptDone')?.args[0]).toBe(reply);
    // Realistic length: 9 words × 300 ms of μ-law.
    expect(Buffer.concat(rec.audio).length).toBe(mulawBytesFor(9 * 300));
    const order = rec.events();
    expect(order.indexOf('callerSpeechStarted')).toBeLessThan(order.indexOf('callerSpeechStopped'));
    expect(order.indexOf('callerSpeechStopped')).toBeLessThan(order.indexOf('callerTranscript'));
    expect(order.indexOf('callerTranscript')).toBeLessThan(order.indexOf('audio'));
    expect(server.responses).toMatchObject([{ origin: 'vad', status: 'completed', text: reply }]);
    expect(rec.errors).toEqual([]);
  });

  it('runs a tool call round trip: toolCall → sendToolResult → one response.create after response.done', async () => {
    const { conv, server } = await setup({
      script: {
        utterances: ['How many bedrooms does 12 Elm Street have?'],
        replies: [
          { text: 'Let me check.', toolCall: { name: 'listing_info', arguments: { address: '12 Elm Street' } } },
          { text: 'It has three bedrooms.' },
        ],
      },
    });
    const rec = record(conv);
    conv.on('toolCall', (call) => {
      // Answered at once, while the response that asked is still in progress.
      conv.sendToolResult(call.callId, JSON.stringify({ ok: true, data: { bedrooms: 3 } }));
    });

    const second = next(conv, 'agentTranscriptDone', (text) => text === 'It has three bedrooms.');
    const secondDone = next(conv, 'responseDone', (info) => info.metadata.client_ref !== undefined);
    speak(conv);
    await second;
    expect((await secondDone)[0].status).toBe('completed');

    const call = rec.log.find((e) => e.event === 'toolCall')?.args[0];
    expect(call).toMatchObject({ name: 'listing_info', arguments: { address: '12 Elm Street' } });
    expect(server.toolOutputs).toEqual([
      { callId: (call as { callId: string }).callId, output: '{"ok":true,"data":{"bedrooms":3}}' },
    ]);
    expect(server.responses.map((r) => [r.origin, r.status, r.toolCall])).toEqual([
      ['vad', 'completed', 'listing_info'],
      ['client', 'completed', null],
    ]);
    // No response.create raced the active response.
    expect(server.eventsOf('response.create')).toHaveLength(1);
    expect(rec.errors).toEqual([]);
  });

  it('barges in: cancel, then truncate at the played ms from Twilio marks; no more audio from that response', async () => {
    const long = 'Our office is open Monday to Friday from nine to six and on Saturdays by appointment only.';
    const { conv, server } = await setup({
      script: { utterances: ['When are you open?'], replies: [{ text: long, stallAfterMs: 600 }] },
      latency: { lateDeltasAfterCancel: 2 },
    });
    const rec = record(conv);
    let now = 1_000;
    const playback = new RealtimePlayback({ now: () => now });
    const marks: string[] = [];
    conv.on('audio', (chunk, itemId) => {
      const mark = playback.sent(itemId, chunk.length);
      if (mark) marks.push(mark);
    });

    speak(conv);
    await server.waitForStall();
    const itemId = server.audioItems()[0]!;
    while (conv.audioMs(itemId) < 600) await next(conv, 'audio');
    // Twilio played three 100 ms chunks, then the caller spoke.
    for (const mark of marks.slice(0, 3)) expect(playback.played(mark)).toBe(true);
    now += 40; // mid-chunk: played position is 300 + 40 ms
    const point = playback.clear();
    expect(point).toEqual({ itemId, audioEndMs: 340 });
    // Twilio echoes the marks the clear dropped: they do not count.
    for (const mark of marks.slice(3)) expect(playback.played(mark)).toBe(false);
    expect(playback.speaking).toBe(false);

    const done = next(conv, 'responseDone');
    expect(conv.interrupt(point!.audioEndMs, point!.itemId)).toEqual({ itemId, audioEndMs: 340 });
    expect((await done)[0]).toMatchObject({ status: 'cancelled', reason: 'client_cancelled' });

    expect(server.eventsOf('response.cancel')).toMatchObject([{ response_id: server.responses[0]!.id }]);
    expect(server.truncations).toEqual([{ itemId, audioEndMs: 340 }]);
    const cancelAt = server.clientEvents.findIndex((e) => e.type === 'response.cancel');
    const truncateAt = server.clientEvents.findIndex((e) => e.type === 'conversation.item.truncate');
    expect(cancelAt).toBeLessThan(truncateAt);
    // The fake stopped at the stall; the deltas still in flight after the cancel were dropped by the client.
    expect(server.sentAudio(itemId).length).toBe(mulawBytesFor(600));
    expect(server.lateAudio.get(itemId)).toHaveLength(2);
    expect(Buffer.concat(rec.audio).equals(server.sentAudio(itemId))).toBe(true);
    expect(conv.heardText(itemId, 340).split(' ').length).toBeLessThan(long.split(' ').length);
    expect(rec.errors).toEqual([]);
  });

  it('lets server VAD cancel a reply when the caller speaks over it; a late cancel is harmless', async () => {
    const { conv, server } = await setup({
      script: {
        utterances: ['Tell me about the house.', 'Actually, can I leave a message?'],
        replies: [
          { text: 'The house has a big garden and a new roof and a pool.', stallAfterMs: 300 },
          { text: 'Sure.' },
        ],
      },
    });
    const rec = record(conv);
    conv.on('callerSpeechStarted', () => conv.interrupt(0));

    speak(conv);
    await server.waitForStall();
    const cancelled = next(conv, 'responseDone');
    const second = next(conv, 'agentTranscriptDone', (text) => text === 'Sure.');
    speak(conv);
    expect((await cancelled)[0]).toMatchObject({ status: 'cancelled', reason: 'turn_detected' });
    await second;

    expect(server.truncations).toEqual([{ itemId: server.audioItems()[0], audioEndMs: 0 }]);
    // Whether the client's cancel found the response gone or not, nothing surfaced as an error.
    expect(rec.errors).toEqual([]);
  });

  it('without turn detection, commit() ends the caller turn and asks for the answer', async () => {
    const { conv, server } = await setup(
      { script: { utterances: ['I would like to see the condo.'], replies: [{ text: 'Of course.' }] } },
      { ...SETTINGS, turnDetection: null },
    );
    const rec = record(conv);
    const done = next(conv, 'responseDone');
    speak(conv, 400, 0);
    conv.commit();
    expect((await done)[0]).toMatchObject({ status: 'completed', metadata: { client_ref: expect.any(String) } });
    expect(rec.log.find((e) => e.event === 'callerTranscript')?.args[0]).toBe('I would like to see the condo.');
    expect(rec.log.find((e) => e.event === 'agentTranscriptDone')?.args[0]).toBe('Of course.');
    expect(rec.events()).not.toContain('callerSpeechStarted');
    expect(server.eventsOf('input_audio_buffer.commit')).toHaveLength(1);
  });

  it('clamps audio_end_ms to the audio received and sends no cancel when no response is active', async () => {
    const { conv, server } = await setup();
    await Promise.all([next(conv, 'responseDone'), conv.say('Hello.')]);
    const itemId = conv.currentAudioItemId!;
    expect(conv.interrupt(60_000)).toEqual({ itemId, audioEndMs: conv.audioMs(itemId) });
    await server.waitFor('conversation.item.truncate');
    expect(server.eventsOf('response.cancel')).toEqual([]);
    expect(server.truncations).toEqual([{ itemId, audioEndMs: conv.audioMs(itemId) }]);
    // The interrupted item is no longer current: a second interrupt truncates nothing.
    expect(conv.interrupt(0)).toBeNull();
  });

  it('queues say() behind a response in progress instead of racing it', async () => {
    const { conv, server } = await setup({
      script: { utterances: ['Hi'], replies: [{ text: 'Hello, how can I help you today?', stallAfterMs: 200 }] },
    });
    const rec = record(conv);
    speak(conv);
    await server.waitForStall();
    while (!conv.responding) await next(conv, 'audio');
    conv.say('Please hold on.');
    expect(server.eventsOf('response.create')).toEqual([]);
    const said = next(conv, 'responseDone', (info) => info.metadata.purpose === 'say');
    server.release();
    expect((await said)[0].status).toBe('completed');

    expect(server.responses.map((r) => [r.origin, r.status, r.text])).toEqual([
      ['vad', 'completed', 'Hello, how can I help you today?'],
      ['client', 'completed', 'Please hold on.'],
    ]);
    expect(server.eventsOf('response.create')).toHaveLength(1);
    expect(rec.errors).toEqual([]);
  });

  it('updates instructions and tools per machine state', async () => {
    const { conv, server } = await setup({
      script: {
        utterances: ['What is the price of 12 Elm?', 'Can I leave a message?'],
        replies: [
          { toolCall: { name: 'listing_info', arguments: { address: '12 Elm' } } },
          { toolCall: { name: 'take_message', arguments: { text: 'Call me back' } } },
        ],
      },
    });
    const rec = record(conv);

    await conv.updateSession({ instructions: 'Take a message.', tools: [TAKE_MESSAGE] });
    expect(server.sessionUpdates[1]).toEqual({
      type: 'realtime',
      instructions: 'Take a message.',
      tools: [{ type: 'function', ...TAKE_MESSAGE }],
    });
    expect(server.session.tools).toEqual([{ type: 'function', ...TAKE_MESSAGE }]);
    expect(server.session.audio?.input?.format).toEqual({ type: 'audio/pcmu' });

    // listing_info is no longer offered, so the model cannot call it; take_message it can.
    const first = next(conv, 'responseDone');
    speak(conv);
    await first;
    const call = next(conv, 'toolCall');
    speak(conv);
    expect((await call)[0]).toMatchObject({ name: 'take_message', arguments: { text: 'Call me back' } });
    expect(server.undeclaredToolCalls).toEqual(['listing_info']);
    expect(rec.log.filter((e) => e.event === 'toolCall')).toHaveLength(1);
  });
});
