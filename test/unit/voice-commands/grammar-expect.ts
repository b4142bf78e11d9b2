import { expect } from 'vitest';
import { parseCommand, type CommandContext, type CommandParse } from '../../../src/voice/commands/grammar.ts';
import { inputOf } from './tool-inputs.ts';

/**
 * Assertions for the phone grammar tests: an utterance parses to a command whose arguments pass the real tool's
 * input schema, or to a question; the contexts they are parsed in (a property and a campaign in the conversation,
 * or none).
 */

/** Tuesday 3 June 2025, 10:00 in New York. */
const NOW = new Date('2025-06-03T14:00:00Z');
export const CTX: CommandContext = { now: NOW, timeZone: 'America/New_York', lastPropertyId: 7, lastCampaignId: 3 };
export const BARE: CommandContext = { ...CTX, lastPropertyId: null, lastCampaignId: null };

type Command = Extract<CommandParse, { kind: 'command' }>;

function expectValid(parsed: CommandParse): asserts parsed is Command {
  expect(parsed.kind).toBe('command');
  const cmd = parsed as Command;
  const result = inputOf(cmd.tool).safeParse(cmd.args);
  expect(result.success, `${cmd.tool} ${JSON.stringify(cmd.args)}: ${JSON.stringify(result.error)}`).toBe(true);
  expect(cmd.readBack.length).toBeGreaterThan(5);
}

export function commandOf(text: string, ctx: CommandContext = CTX): Command {
  const parsed = parseCommand(text, ctx);
  expect(parsed.kind, `${text} → ${JSON.stringify(parsed)}`).toBe('command');
  expectValid(parsed);
  return parsed;
}

export function questionOf(text: string, ctx: CommandContext = CTX): string {
  const parsed = parseCommand(text, ctx);
  expect(parsed.kind, `${text} → ${JSON.stringify(parsed)}`).toBe('clarify');
  return (parsed as Extract<CommandParse, { kind: 'clarify' }>).question;
}

/** An utterance, the tool it calls, its arguments, and the context it is said in (CTX unless given). */
export type CommandCase = [string, string, Record<string, unknown>, CommandContext?];
/** An utterance and the question it gets back. */
export type QuestionCase = [string, RegExp];

export function expectCommand(text: string, tool: string, args: Record<string, unknown>, ctx: CommandContext = CTX) {
  const cmd = commandOf(text, ctx);
  expect(cmd.tool).toBe(tool);
  expect(cmd.args).toEqual(args);
}

export function expectQuestion(text: string, question: RegExp, ctx: CommandContext = CTX) {
  expect(questionOf(text, ctx)).toMatch(question);
}
