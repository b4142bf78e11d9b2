import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

/**
 * The real tool input schemas the phone grammar's commands are checked against: every tool exported by
 * src/tools/*.tools.ts, and the campaign tools' agreed inputs while their module is not there yet.
 */

export interface ToolLike {
  name: string;
  input: { safeParse(v: unknown): { success: boolean; error?: unknown } };
}

const isTool = (v: unknown): v is ToolLike =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ToolLike).name === 'string' &&
  typeof (v as ToolLike).input?.safeParse === 'function';

/** The tool modules there were when the grammar was written; each must load. */
const KNOWN_MODULES = new Set([
  'contract.tools.ts',
  'crm.tools.ts',
  'insights.tools.ts',
  'offer.tools.ts',
  'pipeline.tools.ts',
  'property.tools.ts',
  'reception.tools.ts',
  'showing.tools.ts',
  'valuation.tools.ts',
]);

/** Every tool exported by src/tools/*.tools.ts (the campaign tools too, once their module is there). */
async function loadTools(): Promise<Map<string, ToolLike>> {
  const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'tools');
  const tools = new Map<string, ToolLike>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tools.ts'))) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    } catch (err) {
      // A module being written right now may not load yet; the known ones must.
      if (KNOWN_MODULES.has(file)) throw err;
      continue;
    }
    for (const value of Object.values(mod)) {
      for (const v of Array.isArray(value) ? value : [value]) if (isTool(v)) tools.set(v.name, v);
    }
  }
  return tools;
}

const TOOLS = await loadTools();

/** The campaign tools' inputs as agreed, for as long as their module is not in src/tools yet. */
const CAMPAIGN_INPUTS: Record<string, ToolLike['input']> = {
  start_campaign: z.strictObject({
    property_id: z.number().int().positive().optional(),
    purpose: z
      .enum([
        'just_listed',
        'just_sold',
        'expired_follow_up',
        'fsbo_follow_up',
        'open_house_rsvp',
        'past_client_check_in',
        'property_update',
      ])
      .optional(),
    campaign_id: z.number().int().positive().optional(),
  }),
  pause_campaign: z.strictObject({ campaign_id: z.number().int().positive().optional() }),
  campaign_status: z.strictObject({ campaign_id: z.number().int().positive().optional() }),
};

/** The input schema of `tool`, which the grammar's arguments must pass. */
export function inputOf(tool: string): ToolLike['input'] {
  const input = TOOLS.get(tool)?.input ?? CAMPAIGN_INPUTS[tool];
  if (!input) throw new Error(`the grammar called ${tool}, which no tool defines`);
  return input;
}
