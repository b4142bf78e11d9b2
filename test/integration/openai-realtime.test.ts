import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RealtimeError } from '../../src/integrations/llm/openai-realtime.ts';
import { LISTING_INFO, next, record, SETTINGS, useRealtimeFake } from '../helpers/realtime-conversation.ts';

const { start, open, setup } = useRealtimeFake();

describe('RealtimeConversation against the fake Realtime server (GA protocol): session, audio and errors', () => {
  it('configures the session: pcmu in and out, Realtime function tools, voice, turn detection, transcription', async () => {
    const turnDetection = {
      type: 'server_vad' as const,
      threshold: 0.6,
      prefix_padding_ms: 200,
      silence_duration_ms: 400,
      create_response: true,
      interrupt_response: true,
    };
    const { conv, server } = await setup({}, { ...SETTINGS, voice: 'marin', turnDetection });

    expect(conv.connected).toBe(true);
    expect(server.authorization).toBe('Bearer sk-test-realtime');
    expect(server.model).toBe('gpt-realtime');
    expect(server.sessionUpdates).toEqual([
      {
        type: 'realtime',
        output_modalities: ['audio'],
        instructions: SETTINGS.instructions,
        tools: [
          {
            type: 'function',
            name: 'listing_info',
            description: LISTING_INFO.description,
            parameters: LISTING_INFO.parameters,
          },
        ],
        tool_choice: 'auto',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            turn_detection: turnDetection,
            transcription: { model: 'gpt-4o-mini-transcribe' },
          },
          output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
        },
      },
    ]);
    // The effective session the server acknowledged.
    expect(server.session.audio?.input?.format).toEqual({ type: 'audio/pcmu' });
    expect(server.session.audio?.output?.format).toEqual({ type: 'audio/pcmu' });
  });

  it('passes μ-law through both ways byte for byte', async () => {
    const { conv, server } = await setup({}, { ...SETTINGS, turnDetection: null });
    const rec = record(conv);

    // Caller → model: Twilio frames go out untouched (noise, so any transcoding would show).
    const frames = Array.from({ length: 25 }, () => randomBytes(160));
    for (const frame of frames) conv.appendAudio(frame);

    // Model → caller: a spoken line comes back exactly as the server sent it.
    const [done] = await Promise.all([next(conv, 'responseDone'), conv.say('Thanks for calling Jane Doe Realty.')]);
    expect(server.inputAudio().equals(Buffer.concat(frames))).toBe(true);
    const [itemId] = server.audioItems();
    expect(Buffer.concat(rec.audio).equals(server.sentAudio(itemId!))).toBe(true);
    expect(rec.log.filter((e) => e.event === 'audio').every((e) => e.args[1] === itemId)).toBe(true);
    expect(conv.audioMs(itemId!)).toBe((server.sentAudio(itemId!).length * 1000) / 8000);
    expect(done[0]).toMatchObject({ status: 'completed', metadata: { purpose: 'say' } });
  });

  it('says a line: one response.create with the line as per-response instructions and no tools', async () => {
    const { conv, server } = await setup();
    const transcript = next(conv, 'agentTranscriptDone');
    const ref = conv.say('Goodbye, have a great day!', { line: 'goodbye' });
    const [done] = await next(conv, 'responseDone');

    const [create] = server.eventsOf('response.create');
    expect(create?.response?.instructions).toContain('"Goodbye, have a great day!"');
    expect(create?.response?.tool_choice).toBe('none');
    expect(done).toMatchObject({ status: 'completed', metadata: { purpose: 'say', line: 'goodbye', client_ref: ref } });
    expect((await transcript)[0]).toBe('Goodbye, have a great day!');
  });

  it('load mode: answers each appended frame with one audio delta of the same bytes', async () => {
    const { conv, server } = await setup({ mode: 'load' });
    const rec = record(conv);
    const frames = Array.from({ length: 200 }, () => randomBytes(160));
    const all = new Promise<void>((resolve) =>
      conv.on('audio', () => {
        if (rec.audio.length === frames.length) resolve();
      }),
    );
    for (const frame of frames) conv.appendAudio(frame);
    await all;
    expect(server.appendCount).toBe(200);
    expect(rec.audio.every((chunk, i) => chunk.equals(frames[i]!))).toBe(true);
  });

  it('refuses a bad key at the handshake (HTTP 401): connect rejects with an auth error', async () => {
    const fake = await start();
    const conv = open('sk-wrong-key-1234');
    const closed = next(conv, 'closed');
    const err = await conv.connect(SETTINGS).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RealtimeError);
    expect(err).toMatchObject({ kind: 'auth', status: 401, code: 'invalid_api_key', retryable: false });
    expect((err as Error).message).toContain('Incorrect API key provided');
    await closed;
    expect(conv.connected).toBe(false);
    expect(fake.refused).toEqual([{ status: 401, authorization: 'Bearer sk-wrong-key-1234' }]);
  });

  it('refuses a bad key in-band (error event, close 3000): connect rejects with an auth error', async () => {
    const fake = await start({ authFailure: 'event' });
    const conv = open('sk-wrong');
    const err = await conv.connect(SETTINGS).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: 'auth', code: 'invalid_api_key' });
    expect(fake.connections).toEqual([]);
  });

  it('rejects connect when the server refuses the session configuration', async () => {
    const fake = await start();
    const conv = open();
    const err = await conv.connect({ ...SETTINGS, voice: 'robot' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: 'server', code: 'invalid_value' });
    const server = await fake.connection();
    expect(server.eventsOf('session.update')[0]?.event_id).toBe((err as RealtimeError).eventId);
  });

  it('reports server errors and the socket closing', async () => {
    const { conv, server } = await setup();
    const rec = record(conv);
    conv.sendToolResult('call_unknown', '{}', { respond: false });
    const [err] = await next(conv, 'error');
    expect(err).toMatchObject({ kind: 'server', code: 'invalid_value' });
    const closed = next(conv, 'closed');
    server.drop(1011, 'session expired');
    expect((await closed)[0]).toEqual({ code: 1011, reason: 'session expired' });
    expect(conv.connected).toBe(false);
    expect(rec.errors).toHaveLength(1);
  });
});
