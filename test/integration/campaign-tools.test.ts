import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services.ts';
import { newAgent, testContext, uniquePhone, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;
let a: TestAgent;

beforeAll(async () => {
  ctx = await testContext();
  a = await newAgent(ctx);
});

const invoke = (tool: string, args: Record<string, unknown>) =>
  ctx.tools.invoke(tool, args, { agentId: a.agentId, sessionId: `campaign-tools-${Date.now()}`, source: 'call' });

describe('campaign tools (voice commands, MCP, REST share them)', () => {
  it('start by property and purpose, pause the active one, resume it, say how it is doing', async () => {
    const p = await ctx.services.properties.create(a.scope(), { address: '5 Pine Ct', city: 'Austin', state: 'TX' });
    const c = await ctx.services.campaigns.create(a.scope(), {
      name: 'Pine Ct neighbours',
      purpose: 'just_listed',
      propertyId: p.id,
      callerId: '+15125550147',
    });
    await ctx.services.campaigns.enrol(a.scope(), c.id, {
      numbers: [{ phone: uniquePhone() }, { phone: uniquePhone() }],
    });

    const started = await invoke('start_campaign', { property_id: p.id, purpose: 'just_listed' });
    expect(started.ok && started.result.voice_summary).toBe(
      'Started the just listed campaign for 5 Pine Ct: 2 numbers to call, within calling hours.',
    );
    const paused = await invoke('pause_campaign', {});
    expect(paused.ok && paused.result.voice_summary).toMatch(/^Paused the just listed campaign for 5 Pine Ct/);
    const resumed = await invoke('start_campaign', { campaign_id: c.id });
    expect(resumed.ok && resumed.result.voice_summary).toMatch(/^Resumed/);
    const status = await invoke('campaign_status', {});
    expect(status.ok && status.result.voice_summary).toBe(
      'The just listed campaign for 5 Pine Ct is active: 2 numbers, 0 reached.',
    );
  });

  it('a campaign that does not exist is a clear error, not a guess', async () => {
    const other = await newAgent(ctx);
    const out = await ctx.tools.invoke(
      'start_campaign',
      { purpose: 'open_house_rsvp' },
      { agentId: other.agentId, sessionId: 'x', source: 'call' },
    );
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error.message).toBe(
      "There's no draft or paused open house R S V P campaign. Create it in the console or the API first.",
    );
  });
});
