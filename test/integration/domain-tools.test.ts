import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testContext, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;
let a: TestAgent;
const session = `domain-tools-${Date.now()}`;

async function say(tool: string, args: Record<string, unknown>) {
  const out = await ctx.tools.invoke(tool, args, { agentId: a.agentId, sessionId: session, source: 'call' });
  if (!out.ok) throw new Error(`${tool}: ${out.error.message}`);
  return out.result;
}

beforeAll(async () => {
  ctx = await testContext();
  a = await newAgent(ctx);
});

describe('domain tools in a voice-style session', () => {
  it('contracts, offers, tasks and intelligence by voice', async () => {
    await say('create_property', {
      address: 'nine oh eight maple drive',
      city: 'Austin',
      state: 'TX',
      price: '425k',
      year_built: 1965,
    });
    const ready = await say('contract_readiness', { property: 'this property' });
    expect(ready.voice_summary).toMatch(/Not ready to close/);
    const contracts = (await say('list_contracts', {})).data as { id: number; name: string; is_required: boolean }[];
    expect(contracts.some((c) => /lead/i.test(c.name))).toBe(true);

    const attached = await say('attach_contract', {
      name: 'Survey',
      is_required: false,
      reason: 'Buyer wants a survey',
    });
    expect(attached.voice_summary).toBe('Attached Survey to 908 Maple Dr as optional.');
    const req = await say('set_contract_requirement', {
      contract_id: (attached.data as { id: number }).id,
      is_required: true,
      reason: 'Lender requires it',
    });
    expect(req.voice_summary).toBe('Survey is now required.');

    const offer = await say('record_offer', { offer_price: 'four hundred thousand', financing_type: 'fha' });
    expect(offer.voice_summary).toMatch(/^Recorded offer #\d+ of \$400,000 on 908 Maple Dr\.$/);
    const analysis = await say('analyze_offer', { offer_price: 400000 });
    expect(analysis.voice_summary.length).toBeGreaterThan(20);
    const letter = await say('counter_offer_letter', { offer_id: (offer.data as { id: number }).id });
    expect((letter.data as { letter: string }).letter).toMatch(/908 Maple Dr/);

    const task = await say('create_task', { title: 'Call the lender', in_minutes: 60, property: 'it' });
    expect(task.voice_summary).toMatch(/^Scheduled "Call the lender" for /);
    const tasks = await say('list_tasks', {});
    expect(tasks.voice_summary).toMatch(/pending task/);

    const next = await say('next_action', {});
    expect(next.voice_summary).toMatch(/^Next for 908 Maple Dr: /);
    const acc = await say('prediction_accuracy', {});
    expect(acc.voice_summary.length).toBeGreaterThan(10);
    const digest = await say('daily_digest', {});
    expect(digest.voice_summary).toMatch(/^You have 1 active property/);
  });
});
