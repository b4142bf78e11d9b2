import { describe, it } from 'vitest';
import { runFlow } from '../../call-flows/realtor-mcp-session.flow.ts';

describe('call-flows', () => {
  it('realtor MCP session runs to the end', async () => {
    await runFlow(() => {});
  });
});
