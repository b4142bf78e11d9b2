import { allTools } from '../../../src/tools/all-tools.ts';
import type { Tool } from '../../../src/tools/registry.ts';

/** The real tool input schemas the phone grammar's commands are checked against: every tool of the registry. */
const TOOLS = new Map(allTools.map((t) => [t.name, t]));

/** The input schema of `tool`, which the grammar's arguments must pass. */
export function inputOf(tool: string): Tool['input'] {
  const input = TOOLS.get(tool)?.input;
  if (!input) throw new Error(`the grammar called ${tool}, which no tool defines`);
  return input;
}
