import { z } from 'zod';
import type { Tool, ToolRegistry } from '../tools/registry.ts';
import type { BrainToolSpec } from './brain.port.ts';

/** Tools the runtime itself implements: they steer the call rather than touch data. */
export const RUNTIME_TOOLS: BrainToolSpec[] = [
  {
    name: 'transfer_call',
    description: 'Connect the caller to the agent (a person). Use when they ask for a person or you cannot help.',
    parameters: {
      type: 'object',
      properties: { reason: { type: 'string', description: 'One line for the agent: who is calling and why' } },
    },
  },
  {
    name: 'end_call',
    description: 'End the call politely when the caller is done (they said goodbye or need nothing else).',
    parameters: { type: 'object', properties: {} },
  },
  {
    name: 'set_call_outcome',
    description:
      'Campaign calls: record what the person answered before ending (interested, not interested, call back later, wrong number).',
    parameters: {
      type: 'object',
      properties: {
        outcome: { type: 'string', enum: ['interested', 'not_interested', 'call_back', 'wrong_number'] },
        note: { type: 'string', description: 'One line for the agent: what the person said or wants' },
        call_back_at: { type: 'string', description: 'When to call back, as said ("tomorrow at 5 pm")' },
      },
      required: ['outcome'],
    },
  },
];

/** The arguments of set_call_outcome. */
export const CallOutcomeArgs = z.object({
  outcome: z.enum(['interested', 'not_interested', 'call_back', 'wrong_number']),
  note: z.string().max(500).optional(),
  call_back_at: z.string().max(120).optional(),
});

/** A tool's argument schema as JSON Schema, converted once per tool (every brain step offers the tools). */
const schemas = new WeakMap<Tool, Record<string, unknown>>();
function jsonSchemaOf(tool: Tool): Record<string, unknown> {
  let schema = schemas.get(tool);
  if (!schema) {
    schema = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
    schemas.set(tool, schema);
  }
  return schema;
}

/** The tools offered to the brain: the runtime's own and the registry's, as the machine allows in this state. */
export function toolSpecs(tools: ToolRegistry, allowed: Set<string>): BrainToolSpec[] {
  const specs: BrainToolSpec[] = [];
  for (const name of allowed) {
    const runtime = RUNTIME_TOOLS.find((t) => t.name === name);
    if (runtime) {
      specs.push(runtime);
      continue;
    }
    const tool = tools.get(name);
    if (!tool) continue;
    specs.push({
      name,
      description: tool.description,
      parameters: jsonSchemaOf(tool),
      ...(tool.readOnly ? { readOnly: true } : {}),
    });
  }
  return specs;
}
