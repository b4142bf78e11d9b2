import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCallServer, newLine, type CallServer } from '../../call-flows/harness.ts';
import { runFlow as runMcpFlow } from '../../call-flows/realtor-mcp-session.flow.ts';
import { FLOWS, runFlow } from '../../call-flows/receptionist.flows.ts';
import { runVoiceFlow, VOICE_FLOWS } from '../../call-flows/voice-commands.flows.ts';
import { placeCall } from '../../src/softphone/index.ts';
import { WAIT } from '../helpers/wait.ts';

describe('call-flows', () => {
  it('realtor MCP session runs to the end', async () => {
    await runMcpFlow(() => {});
  });
});

describe('receptionist call flows (softphone → ConversationRelay → local brain)', () => {
  let server: CallServer;
  beforeAll(async () => {
    server = await startCallServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const flow of FLOWS) {
    it(flow.name, async () => {
      const problems = await runFlow(server, await newLine(server.ctx), flow);
      expect(problems).toEqual([]);
    });
  }
});

describe("voice commands by phone (the agent's mobile + PIN → local command brain)", () => {
  let server: CallServer;
  beforeAll(async () => {
    server = await startCallServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const flow of VOICE_FLOWS) {
    it(flow.name, async () => {
      const problems = await runVoiceFlow(server, await newLine(server.ctx), flow);
      expect(problems).toEqual([]);
    });
  }

  it('anyone else calling the line, or the agent without a PIN, gets the receptionist', async () => {
    const line = await newLine(server.ctx);
    const stranger = await placeCall({ authToken: server.authToken, server: server.base, to: line.line });
    expect(stranger.greeting).toMatch(/virtual assistant; I'm an AI/);
    await stranger.hangup();
    const noPin = await placeCall({
      authToken: server.authToken,
      server: server.base,
      from: line.mobile,
      to: line.line,
    });
    expect(noPin.greeting).toMatch(/virtual assistant; I'm an AI/);
    await noPin.hangup();
  });

  it('the agent who gives no PIN is put through to the receptionist on the same call, which answers what they said', async () => {
    const line = await newLine(server.ctx);
    await server.ctx.services.agents.setPin({ em: server.ctx.orm.em.fork(), agentId: line.agentId }, '4821');
    const call = await placeCall({
      authToken: server.authToken,
      server: server.base,
      from: line.mobile,
      to: line.line,
    });
    expect(call.greeting).toMatch(/Please say or key your PIN/);
    expect(await call.say("I'd like to leave a message for Dana")).toMatch(/put you through to the receptionist/);
    // The receptionist's own welcome greeting follows on the same call.
    await vi.waitFor(
      () =>
        expect(call.transcript.some((e) => e.kind === 'greeting' && /virtual assistant; I'm an AI/.test(e.text))).toBe(
          true,
        ),
      WAIT,
    );
    // What the caller had said is answered without being asked again: the receptionist takes the message.
    await vi.waitFor(
      () => expect(call.transcript.some((e) => e.kind === 'agent' && /May I have your name\?/.test(e.text))).toBe(true),
      WAIT,
    );
    expect(await call.say('John Carter')).toMatch(/^Thanks, John Carter. What would you like/);
    await call.hangup();
    await server.ctx.calls.get(call.callSid)?.done;
    // One transcript: the receptionist's turns are numbered on from the voice-command session's.
    const review = await server.ctx.services.callHistory.get(
      { em: server.ctx.orm.em.fork(), agentId: line.agentId },
      call.callSid,
    );
    expect(review.turns.map((t) => t.seq)).toEqual(review.turns.map((_, i) => i + 1));
    const said = review.turns.map((t) => `${t.role}: ${t.text}`);
    const at = (pattern: RegExp) => said.findIndex((l) => pattern.test(l));
    const order = [
      /^agent: .*Please say or key your PIN/,
      /^agent: .*put you through to the receptionist/,
      /^agent: .*virtual assistant; I'm an AI/,
      /^caller: I'd like to leave a message for Dana$/,
      /^agent: Sure\. May I have your name\?/,
      /^caller: John Carter$/,
    ].map(at);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).not.toContain(-1);
  });
});
