import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CallTurn } from '../../src/domain/calls/call.entity.ts';
import { uniquePhone } from '../helpers/context.ts';
import { eventually } from '../helpers/wait.ts';
import {
  answered,
  BEARER,
  callSidOf,
  GOODBYE,
  GREETING,
  hmacHeaders,
  MOBILE,
  parseChunks,
  said,
  useVapiServer,
  type Json,
} from '../helpers/vapi.ts';

const vapi = useVapiServer();
const { appWith, webhook, message, findCall, startCall, openChat, chat, chatRequest } = vapi;

describe('Vapi custom LLM: /vapi/chat/completions', () => {
  it('streams the session’s answers turn by turn and ends the call with endCall', async () => {
    const callId = await startCall();
    const question = 'How much is 141 Elm Street?';
    const first = await chat(chatRequest(callId, [answered(GREETING), said(question)]));
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    expect(first.data.at(-1)).toBe('[DONE]');
    // Every chunk is one chat.completion.chunk of the same completion; content first, then the stop.
    const { chunks } = first;
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const c of chunks) {
      expect(c).toMatchObject({ id: chunks[0]!.id, object: 'chat.completion.chunk', model: 'receptionist' });
      expect(c.choices).toHaveLength(1);
      expect(c.choices[0].index).toBe(0);
    }
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.choices[0].delta.role === 'assistant')).toBe(true);
    expect(first.finishReason).toBe('stop');
    expect(first.content).toBe("141 Elm St: it's listed at $850,000. Would you like to schedule a viewing?");
    expect(first.toolCalls).toEqual([]);

    const second = await chat(
      chatRequest(callId, [answered(GREETING), said(question), answered(first.content), said('No thanks, goodbye.')]),
    );
    expect(second.content).toBe(GOODBYE);
    expect(second.toolCalls).toEqual([
      {
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'endCall', arguments: '{}' },
      },
    ]);
    expect(second.finishReason).toBe('tool_calls');
    expect(second.data.at(-1)).toBe('[DONE]');

    // The session's records: the turns as they happened, and how the call ended.
    const call = await eventually(
      () => findCall(callId),
      (c) => !!c?.endedReason,
    );
    expect(call).toMatchObject({ transport: 'vapi', endedReason: 'goodbye', outcome: 'information_provided' });
    const turns = await vapi.ctx.orm.em.fork().find(CallTurn, { call: call!.id }, { orderBy: { seq: 'asc' } });
    expect(turns.map((t) => [t.role, t.toolName ?? t.text])).toEqual([
      ['agent', GREETING],
      ['caller', question],
      ['tool', 'listing_info'],
      ['agent', first.content],
      ['caller', 'No thanks, goodbye.'],
      ['tool', 'end_call'],
      ['agent', GOODBYE],
    ]);

    // A request after the end: a closing line and endCall.
    const after = await chat(chatRequest(callId, [answered(GOODBYE), said('Hello?')]));
    expect(after.content).toBe('This call has ended. Goodbye.');
    expect(after.toolCalls[0]!.function.name).toBe('endCall');
  });

  it('starts the record itself when no assistant-request came through us; answers stream:false with one JSON', async () => {
    const callId = randomUUID();
    const res = await fetch(`${vapi.base}/vapi/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...BEARER },
      body: JSON.stringify(
        chatRequest(callId, [answered(GREETING), said('How much is 141 Elm Street?')], { stream: false }),
      ),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      model: 'receptionist',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }],
    });
    expect(body.choices[0].message.content).toBe(
      "141 Elm St: it's listed at $850,000. Would you like to schedule a viewing?",
    );
    expect(await findCall(callId)).toMatchObject({ transport: 'vapi', toNumber: vapi.line, status: 'in-progress' });
  });

  it('transfers with transferCall to the agent’s mobile', async () => {
    const callId = await startCall();
    const res = await chat(chatRequest(callId, [answered(GREETING), said('Can I speak to Dana please?')]));
    expect(res.content).toBe('Let me connect you with Dana Realtor. One moment, please.');
    expect(res.toolCalls).toEqual([
      expect.objectContaining({
        type: 'function',
        function: { name: 'transferCall', arguments: JSON.stringify({ destination: MOBILE }) },
      }),
    ]);
    expect(res.finishReason).toBe('tool_calls');
    // Vapi rings the agent: the session is over, with our reason (Vapi's own report does not replace it).
    expect(
      await eventually(
        () => findCall(callId),
        (c) => !!c?.endedReason,
      ),
    ).toMatchObject({
      outcome: 'transferred',
      endedReason: 'transferred',
    });
    expect(vapi.ctx.calls.get(callSidOf(callId))).toBeUndefined();
    const report = message('end-of-call-report.json', callId);
    report.message.endedReason = 'assistant-forwarded-call';
    await webhook(report);
    expect(await findCall(callId)).toMatchObject({ status: 'completed', endedReason: 'transferred' });
  });

  it('a new turn while the reply streams ends the old stream and tells the session it was interrupted', async () => {
    const callId = await startCall();
    const events: Json[] = [];
    const unsubscribe = vapi.ctx.callEvents.subscribeCall(callSidOf(callId), (e) => events.push(e));
    try {
      const slow = await openChat(chatRequest(callId, [answered(GREETING), said('Tell me slowly about your homes')]));
      await slow.waitFor((d) => d.length > 0);
      const next = await chat(
        chatRequest(callId, [
          answered(GREETING),
          said('Tell me slowly about your homes'),
          answered('Let me look into that for you.'),
          said('Never mind, goodbye.'),
        ]),
      );
      await slow.finished;
      const old = parseChunks(slow.data);
      expect(old.content).toBe('Let me look into that for you.');
      expect(old.finishReason).toBe('stop');
      expect(slow.data.at(-1)).toBe('[DONE]');
      expect(next.content).toBe(GOODBYE);
      expect(next.toolCalls[0]!.function.name).toBe('endCall');
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'turn',
          role: 'agent',
          text: 'Let me look into that for you.',
          interrupted: true,
        }),
      );
    } finally {
      unsubscribe();
    }
  });

  it('a request Vapi abandons mid-reply counts as a barge-in', async () => {
    const callId = await startCall();
    const events: Json[] = [];
    const unsubscribe = vapi.ctx.callEvents.subscribeCall(callSidOf(callId), (e) => events.push(e));
    try {
      const controller = new AbortController();
      const res = await fetch(`${vapi.base}/vapi/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...BEARER },
        body: JSON.stringify(chatRequest(callId, [answered(GREETING), said('Tell me slowly about your homes')])),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read(); // the first sentence
      controller.abort();
      await eventually(
        async () => events.some((e) => e.type === 'turn' && e.interrupted),
        (v) => v,
      );
      expect(events).toContainEqual(
        expect.objectContaining({ role: 'agent', text: 'Let me look into that for you.', interrupted: true }),
      );
      const next = await chat(chatRequest(callId, [answered(GREETING), said('How much is 141 Elm Street?')]));
      expect(next.content).toContain("141 Elm St: it's listed at $850,000.");
    } finally {
      unsubscribe();
    }
  });

  it('apologises and ends the stream when no reply comes in time', async () => {
    const quick = await appWith({}, { replyTimeoutMs: 300 });
    await quick.listen({ host: '127.0.0.1', port: 0 });
    const quickBase = `http://127.0.0.1:${(quick.server.address() as { port: number }).port}`;
    const callId = await startCall();
    const started = Date.now();
    const res = await chat(chatRequest(callId, [answered(GREETING), said('Hold on a second')]), BEARER, quickBase);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(res.content).toBe('Sorry, I ran into a problem there. Could you say that again?');
    expect(res.finishReason).toBe('stop');
    expect(res.data.at(-1)).toBe('[DONE]');
    // The call goes on.
    const next = await chat(
      chatRequest(callId, [answered(GREETING), said('Hold on a second'), answered(res.content), said('Bye now')]),
      BEARER,
      quickBase,
    );
    expect(next.content).toBe(GOODBYE);
  });

  it('answers a request without a caller turn (a model-generated first message) with the greeting', async () => {
    const callId = await startCall();
    const res = await chat(chatRequest(callId, [{ role: 'system', content: 'You are a receptionist.' }]));
    expect(res.content).toBe(GREETING);
    expect(res.finishReason).toBe('stop');
    expect(res.data.at(-1)).toBe('[DONE]');
  });

  it('Vapi’s user-interrupted message cuts the streaming reply short', async () => {
    const callId = await startCall();
    const events: Json[] = [];
    const unsubscribe = vapi.ctx.callEvents.subscribeCall(callSidOf(callId), (e) => events.push(e));
    try {
      const slow = await openChat(chatRequest(callId, [answered(GREETING), said('Tell me slowly about your homes')]));
      await slow.waitFor((d) => d.length > 0);
      const res = await webhook({ message: { type: 'user-interrupted', turnId: 'turn-1', call: { id: callId } } });
      expect(res.statusCode).toBe(200);
      await slow.finished;
      expect(parseChunks(slow.data)).toMatchObject({ content: 'Let me look into that for you.', finishReason: 'stop' });
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'turn',
          role: 'agent',
          text: 'Let me look into that for you.',
          interrupted: true,
        }),
      );
    } finally {
      unsubscribe();
    }
  });

  it('replays the last reply when Vapi repeats a finished turn', async () => {
    const callId = await startCall();
    const request = chatRequest(callId, [answered(GREETING), said('How much is 141 Elm Street?')]);
    const first = await chat(request);
    const again = await chat(request);
    expect(again.content).toBe(first.content);
    await vapi.ctx.calls.get(callSidOf(callId))?.flush(); // turn rows are written just after the reply streams
    const call = await findCall(callId);
    expect(await vapi.ctx.orm.em.fork().count(CallTurn, { call: call!.id, role: 'caller' })).toBe(1);
  });

  it('refuses bad requests: no auth, bad JSON, no call, unknown line', async () => {
    const noAuth = await fetch(`${vapi.base}/vapi/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatRequest(randomUUID(), [said('hi')])),
    });
    expect(noAuth.status).toBe(401);
    const wrong = await fetch(`${vapi.base}/vapi/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-secret-0123456789' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    // The HMAC works here too.
    const signedBody = JSON.stringify({ model: 'receptionist', messages: [] });
    const signed = await fetch(`${vapi.base}/vapi/chat/completions`, {
      method: 'POST',
      headers: hmacHeaders(signedBody),
      body: signedBody,
    });
    expect(signed.status).toBe(400);
    expect(((await signed.json()) as Json).message).toMatch(/^call: missing/);

    const post = (body: string) =>
      vapi.app.inject({
        method: 'POST',
        url: '/vapi/chat/completions',
        headers: { 'content-type': 'application/json', ...BEARER },
        payload: body,
      });
    expect((await post('nope')).statusCode).toBe(400);
    const noMessages = await post(JSON.stringify({ call: { id: randomUUID() } }));
    expect(noMessages.statusCode).toBe(400);
    expect(noMessages.json().message).toMatch(/^messages: /);

    const callId = randomUUID();
    const unknownLine = chatRequest(callId, [said('hi')]);
    unknownLine.phoneNumber.number = uniquePhone();
    const res = await post(JSON.stringify(unknownLine));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
    expect(await findCall(callId)).toBeNull();
  });
});
