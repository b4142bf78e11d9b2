import { CampaignControl } from '../../src/campaigns/campaign-control.ts';
import type { CampaignInput } from '../../src/domain/campaigns/campaigns.service.ts';
import type { AgentScope } from '../../src/domain/shared/scope.ts';
import type { AppContext } from '../../src/services.ts';

/**
 * An active informational campaign calling `phones`, each with prior express consent on record (so the
 * dial gate lets them through in calling hours).
 */
export async function startedCampaign(
  ctx: AppContext,
  scope: () => AgentScope,
  phones: string[],
  settings: Partial<CampaignInput> = {},
) {
  const c = await ctx.services.campaigns.create(scope(), {
    name: `Campaign ${Date.now()}`,
    purpose: 'property_update',
    callerId: '+15125550147',
    telemarketing: false,
    ...settings,
  });
  await ctx.services.campaigns.enrol(scope(), c.id, { numbers: phones.map((phone) => ({ phone })) });
  for (const phone of phones) {
    await ctx.services.doNotCall.recordConsent(scope(), {
      phone,
      type: 'pec',
      source: 'past client',
      evidence: 'closing file',
      givenAt: new Date('2026-01-01T00:00:00Z'),
    });
  }
  await new CampaignControl(ctx.services.campaigns).command(scope(), c.id, 'START');
  return c;
}
