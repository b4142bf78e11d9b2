import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallServer, newLine, type CallServer } from '../../call-flows/harness.ts';
import { runFlow as runMcpFlow } from '../../call-flows/realtor-mcp-session.flow.ts';
import { FLOWS, runFlow } from '../../call-flows/receptionist.flows.ts';

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
