import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/** A voice agent's definition from agents/<name>.json + its instructions file (persona lives there, not in code). */
const PersonaSchema = z.object({
  name: z.string(),
  description: z.string(),
  instructions: z.string(),
  voice: z.object({ ttsProvider: z.string(), voice: z.string(), language: z.string() }),
  /** Tools the agent may use in each dialogue state of its machine. */
  tools: z.record(z.string(), z.array(z.string())),
  lines: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  /** What the agent should do in each dialogue state ({phase_guidance} of the instructions). */
  phases: z.record(z.string(), z.string()).optional(),
  /**
   * A campaign playbook (outbound): its dialogue steps in order (the campaign-call machine's states), what
   * counts as a success, and the follow-up the agent gets when the person is interested.
   */
  playbook: z
    .object({
      purpose: z.string(),
      /** Dialogue steps after the opening, in order; the turn that moves the conversation on advances one. */
      steps: z.array(z.string()).min(1),
      /** What this call is trying to find out (for the instructions and the outcome note). */
      goal: z.string(),
      /** Title of the follow-up task the agent gets for an interested person ({name}, {property}). */
      interestedTask: z.string(),
      /** Whether the call may book a viewing of the campaign's property. */
      offersViewing: z.boolean(),
    })
    .optional(),
});

export interface Persona extends Omit<z.infer<typeof PersonaSchema>, 'instructions'> {
  /** The instructions template ({placeholders} filled per call). */
  instructions: string;
}

const AGENTS_DIR = new URL('../../agents/', import.meta.url);

/** Whether agents/<name>.json exists (names are [a-z0-9-] only). */
export function personaExists(name: string): boolean {
  return /^[a-z0-9-]{1,60}$/.test(name) && existsSync(new URL(`${name}.json`, AGENTS_DIR));
}

/** The agents defined in agents/ (their file names without .json). */
export function personaNames(): string[] {
  return readdirSync(AGENTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadPersona(name: string): Persona {
  const raw = PersonaSchema.parse(JSON.parse(readFileSync(new URL(`${name}.json`, AGENTS_DIR), 'utf8')));
  return { ...raw, instructions: readFileSync(new URL(raw.instructions, AGENTS_DIR), 'utf8') };
}

/** Fills {name} placeholders; unknown ones are left as they are. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);
}

/** A persona line with its placeholders filled (the first of a list). */
export function line(persona: Persona, key: string, vars: Record<string, string>): string {
  const value = persona.lines[key];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) throw new Error(`Persona ${persona.name} has no line "${key}"`);
  return fill(text, vars);
}
