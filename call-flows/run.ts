/**
 * npm run call-flows — every executable call flow against a fresh in-memory server, no vendor keys:
 * the realtor's MCP session, the receptionist's phone calls and the realtor's voice commands (softphone →
 * ConversationRelay → local brain).
 * Prints each flow and exits non-zero when one fails.
 */
import { newLine, startCallServer } from './harness.ts';
import { runFlow as runMcpFlow } from './realtor-mcp-session.flow.ts';
import { FLOWS, runFlow } from './receptionist.flows.ts';
import { runVoiceFlow, VOICE_FLOWS } from './voice-commands.flows.ts';

let failed = 0;
const report = (name: string, problems: string[]): void => {
  if (problems.length) failed++;
  console.log(`${problems.length ? 'FAIL' : 'pass'}  ${name}${problems.map((p) => `\n      ${p}`).join('')}`);
};

try {
  await runMcpFlow(() => {});
  report('realtor MCP session', []);
} catch (err) {
  report('realtor MCP session', [(err as Error).message]);
}

const server = await startCallServer();
try {
  for (const flow of FLOWS)
    report(`receptionist: ${flow.name}`, await runFlow(server, await newLine(server.ctx), flow));
  for (const flow of VOICE_FLOWS)
    report(`voice commands: ${flow.name}`, await runVoiceFlow(server, await newLine(server.ctx), flow));
} finally {
  await server.close();
}
console.log(
  failed ? `${failed} call flow(s) failed` : `all ${FLOWS.length + VOICE_FLOWS.length + 1} call flows passed`,
);
process.exit(failed ? 1 : 0);
