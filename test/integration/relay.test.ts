import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { newLine, startCallServer, type CallServer, type FlowLine } from '../../call-flows/harness.ts';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { issueCallToken } from '../../src/domain/calls/call-token.ts';
import { signTwilioRequest } from '../../src/integrations/twilio/twilio.ts';
import { until, WAIT_MS } from '../helpers/wait.ts';

/** The ConversationRelay WebSocket against recorded-shape Twilio messages (fixtures/twilio/conversation-relay). */
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/twilio/conversation-relay/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

let server: CallServer;
let line: FlowLine;

beforeAll(async () => {
  server = await startCallServer();
  line = await newLine(server.ctx);
});
afterAll(async () => {
  await server?.close();
});

let counter = 0;
/** A call record as `/twilio/voice` creates it, and a socket to the relay. */
async function connect(opts: { signature?: string } = {}) {
  const callSid = `CA${Date.now().toString(16)}${(counter++).toString(16).padStart(8, '0')}`.padEnd(34, '0');
  const form = { CallSid: callSid, From: '+15125550142', To: line.line, CallStatus: 'ringing', Direction: 'inbound' };
  const url = `${server.base}/twilio/voice`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest(server.authToken, url, form),
    },
    body: new URLSearchParams(form),
  });
  expect(res.status).toBe(200);
  const wsUrl = `${server.base.replace('http', 'ws')}/twilio/relay`;
  const socket = new WebSocket(wsUrl, {
    headers: { 'x-twilio-signature': opts.signature ?? signTwilioRequest(server.authToken, wsUrl, {}) },
  });
  const received: Record<string, unknown>[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const send = (msg: Record<string, unknown> | string): void =>
    socket.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  const setup = (token = issueCallToken(server.authToken, callSid)): void =>
    send({ ...fixture('setup'), callSid, to: line.line, customParameters: { callToken: token } });
  /** Resolves with the concatenated tokens of the next complete reply. */
  /** The next reply's text tokens (received since index `from`) up to the one marked last. */
  const reply = async (from = 0): Promise<string> => {
    const texts = () => received.slice(from).filter((m) => m.type === 'text');
    const lastAt = () => texts().findIndex((m) => m.last === true);
    await until(() => lastAt() >= 0, 'a reply', WAIT_MS, 20);
    return texts()
      .slice(0, lastAt() + 1)
      .map((m) => String(m.token))
      .join('');
  };
  return { callSid, socket, received, closed, send, setup, reply };
}

describe('ConversationRelay WebSocket', () => {
  it('closes with 1008 on a bad call token, and opens no session', async () => {
    const c = await connect();
    c.setup('1999999999999.forged');
    expect((await c.closed).code).toBe(1008);
    expect(server.ctx.calls.get(c.callSid)).toBeUndefined();
  });

  it('closes with 1008 on a bad handshake signature', async () => {
    const c = await connect({ signature: 'not-a-signature' });
    expect((await c.closed).code).toBe(1008);
  });

  it('ignores garbage, messages before setup and partial prompts; answers the final prompt', async () => {
    const c = await connect();
    c.send('{not json');
    c.send(fixture('prompt'));
    c.setup();
    c.send(fixture('error'));
    c.send(fixture('prompt-partial'));
    c.send(fixture('prompt'));
    const answer = await c.reply();
    expect(answer).toMatch(/141 Elm St: it's listed at \$850,000\. Would you like to schedule a viewing\?/);
    expect(c.received.filter((m) => m.type === 'text').at(-1)).toMatchObject({ last: true });
    await server.ctx.calls.get(c.callSid)?.flush();
    const em = server.ctx.orm.em.fork();
    const call = await em.findOneOrFail(Call, { callSid: c.callSid });
    const callers = await em.find(CallTurn, { call: call.id, role: 'caller' });
    expect(callers.map((t) => t.text)).toEqual([fixture('prompt').voicePrompt]);
    c.socket.close();
  });

  it('an interrupt keeps only what the caller heard; DTMF 0 hands the call to the agent', async () => {
    const c = await connect();
    c.setup();
    c.send(fixture('prompt'));
    await c.reply();
    c.send(fixture('interrupt'));
    c.send(fixture('dtmf'));
    const { code } = await c.closed;
    expect(code).toBe(1000);
    const end = c.received.find((m) => m.type === 'end');
    expect(JSON.parse(String(end?.handoffData))).toMatchObject({ reason: 'transfer', to: line.mobile });
    await server.ctx.calls.get(c.callSid)?.done;
    const em = server.ctx.orm.em.fork();
    const call = await em.findOneOrFail(Call, { callSid: c.callSid });
    expect(call).toMatchObject({ endedReason: 'transferred', outcome: 'transferred' });
    const cut = await em.findOneOrFail(CallTurn, { call: call.id, interrupted: true });
    expect(cut.text).toBe(fixture('interrupt').utteranceUntilInterrupt);
  });

  it('the carrier recognizes and speaks: an answer’s timings have the brain’s figures, no endpointing or TTS', async () => {
    const c = await connect();
    c.setup();
    c.send(fixture('prompt'));
    await c.reply();
    await server.ctx.calls.get(c.callSid)?.flush();
    const em = server.ctx.orm.em.fork();
    const call = await em.findOneOrFail(Call, { callSid: c.callSid });
    const answer = await em.findOneOrFail(CallTurn, { call: call.id, role: 'agent', seq: { $gt: 1 } });
    expect(answer.timings).toMatchObject({ firstTextMs: expect.any(Number), totalMs: expect.any(Number) });
    expect(answer.timings).not.toHaveProperty('endpointingMs');
    expect(answer.timings).not.toHaveProperty('ttsFirstByteMs');
    c.socket.close();
  });

  it('a second socket for a live call is refused', async () => {
    const c = await connect();
    c.setup();
    await until(() => server.ctx.calls.get(c.callSid) !== undefined, 'the call session');
    const wsUrl = `${server.base.replace('http', 'ws')}/twilio/relay`;
    const again = new WebSocket(wsUrl);
    const closed = new Promise<number>((resolve) => again.on('close', (code) => resolve(code)));
    await new Promise((r) => again.once('open', r));
    again.send(
      JSON.stringify({
        ...fixture('setup'),
        callSid: c.callSid,
        customParameters: { callToken: issueCallToken(server.authToken, c.callSid) },
      }),
    );
    expect(await closed).toBe(1008);
    c.socket.close();
  });
});
