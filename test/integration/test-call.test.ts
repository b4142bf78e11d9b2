import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { newLine, startCallServer, type CallServer, type FlowLine } from '../../call-flows/harness.ts';
import { Call, CallTurn } from '../../src/domain/calls/call.entity.ts';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { until } from '../helpers/wait.ts';

/** The console's test call: the receptionist through the same runtime as a phone call, as text over a WebSocket. */
let server: CallServer;
let line: FlowLine;

beforeAll(async () => {
  server = await startCallServer();
  line = await newLine(server.ctx);
});
afterAll(async () => server?.close());

/** A test-call socket and the complete replies it receives (text pieces up to `last`). */
function open(headers: Record<string, string>, query = '') {
  const ws = new WebSocket(`${server.base.replace(/^http/, 'ws')}/api/test-call${query}`, { headers });
  const replies: string[] = [];
  const messages: Record<string, unknown>[] = [];
  let partial = '';
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as Record<string, unknown>;
    messages.push(msg);
    if (msg.type === 'text') {
      partial += `${String(msg.text)} `;
      if (msg.last) {
        replies.push(partial.trim());
        partial = '';
        waiters.splice(0).forEach((w) => w());
      }
    }
  });
  const nextReply = (): Promise<string> => {
    const n = replies.length;
    return new Promise((resolve) => {
      const check = () => (replies.length > n ? resolve(replies[n]!) : waiters.push(check));
      check();
    });
  };
  return { ws, replies, messages, nextReply };
}

describe('test call from the console (text through the call runtime)', () => {
  it('greets, answers from the listings with tools, and records the call like a phone call', async () => {
    const c = open({ authorization: `Bearer ${line.apiKey}` });
    const greeting = await c.nextReply();
    expect(greeting).toMatch(/virtual assistant; I'm an AI/);
    const answer = c.nextReply();
    c.ws.send(JSON.stringify({ type: 'say', text: 'Is 141 Elm St still available?' }));
    expect(await answer).toMatch(/141 Elm St: yes, it is still available/);
    c.ws.send(JSON.stringify({ type: 'bogus' }));
    await until(() => c.messages.some((m) => m.type === 'error'), 'the error for an unknown message');
    const callSid = String(c.messages.find((m) => m.type === 'call')!.call_sid);
    c.ws.send(JSON.stringify({ type: 'hangup' }));
    await server.ctx.calls.get(callSid)?.done;
    c.ws.close();

    const em = server.ctx.orm.em.fork();
    const call = await em.findOneOrFail(Call, { callSid });
    expect([call.provider, call.agent.id, call.outcome]).toEqual(['console', line.agentId, 'information_provided']);
    // No carrier reports its end: the session's end completes it.
    expect([call.status, call.endedReason, typeof call.durationSec]).toEqual(['completed', 'caller_hung_up', 'number']);
    const tools = (await em.find(CallTurn, { call: call.id, role: 'tool' })).map((t) => t.toolName);
    expect(tools).toContain('listing_info');
  });

  it('as the signed-in realtor: voice commands without a PIN, a change confirmed before it runs', async () => {
    const c = open({ authorization: `Bearer ${line.apiKey}` }, '?as=voice-commands');
    expect(await c.nextReply()).toBe("Hi Dana Reyes. You're in. What can I do for you?");
    let reply = c.nextReply();
    c.ws.send(JSON.stringify({ type: 'say', text: 'create a property at 9 Oak Ln, Austin, Texas for 300 thousand' }));
    expect(await reply).toMatch(/9 Oak Ln.*\$300,000.*\?/);
    const before = await server.ctx.orm.em.fork().findOne(Property, { agent: line.agentId, address: '9 Oak Ln' });
    expect(before).toBeNull();
    reply = c.nextReply();
    c.ws.send(JSON.stringify({ type: 'say', text: 'yes' }));
    expect(await reply).toMatch(/Created property #\d+ at 9 Oak Ln/);
    const created = await server.ctx.orm.em.fork().findOne(Property, { agent: line.agentId, address: '9 Oak Ln' });
    expect(created?.price).toBe(300_000);
    c.ws.close();
  });

  it('needs the API key or the console session', async () => {
    const ws = new WebSocket(`${server.base.replace(/^http/, 'ws')}/api/test-call`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(401);
  });
});
