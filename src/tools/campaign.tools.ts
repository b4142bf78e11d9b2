import { z } from 'zod';
import { CampaignControl } from '../campaigns/campaign-control.ts';
import { CAMPAIGN_PURPOSES, type ICampaign } from '../domain/campaigns/campaign.entity.ts';
import { defineTool, ToolError, type ToolContext } from './registry.ts';

const campaignRef = {
  campaign_id: z.number().int().positive().optional().describe('The campaign; default: found by property and purpose'),
  property_id: z.number().int().positive().optional(),
  purpose: z.enum(CAMPAIGN_PURPOSES).optional().describe('just_listed, just_sold, open_house_rsvp …'),
};

const spokenPurpose = (purpose: string): string => purpose.replace(/_/g, ' ').replace('rsvp', 'R S V P');

/** "the just listed campaign for 141 Elm St" */
async function describe(ctx: ToolContext, c: ICampaign): Promise<string> {
  const propertyId = c.property?.id;
  const property = propertyId ? await ctx.services.properties.get(ctx.scope, propertyId).catch(() => null) : null;
  return `the ${spokenPurpose(c.purpose)} campaign${property ? ` for ${property.address}` : ` "${c.name}"`}`;
}

/**
 * The campaign a spoken command means: by id, else the newest one matching the property and purpose among
 * `statuses` (newest first), else the newest in those statuses. A clear error names what was looked for.
 */
async function findCampaign(
  ctx: ToolContext,
  ref: { campaign_id?: number | undefined; property_id?: number | undefined; purpose?: string | undefined },
  statuses: ICampaign['status'][],
): Promise<ICampaign> {
  const { campaigns } = ctx.services;
  if (ref.campaign_id) return campaigns.get(ctx.scope, ref.campaign_id);
  const all = await campaigns.list(ctx.scope);
  const found = all.find(
    (c) =>
      statuses.includes(c.status) &&
      (ref.property_id === undefined || c.property?.id === ref.property_id) &&
      (ref.purpose === undefined || c.purpose === ref.purpose),
  );
  if (found) return found;
  const what = [
    ref.purpose ? spokenPurpose(ref.purpose) : null,
    'campaign',
    ref.property_id ? `for property ${ref.property_id}` : null,
  ]
    .filter(Boolean)
    .join(' ');
  throw new ToolError(
    `There's no ${statuses.join(' or ')} ${what}. Create it in the console or the API first.`,
    'not_found',
  );
}

export const startCampaign = defineTool({
  name: 'start_campaign',
  title: 'Start or resume a campaign',
  description:
    'Start a draft campaign or resume a paused one, found by id or by property and purpose ("the just-listed campaign for property 5").',
  input: z.strictObject(campaignRef),
  async run(ctx, input) {
    const campaign = await findCampaign(ctx, input, ['draft', 'paused']);
    const command = campaign.status === 'paused' ? 'RESUME' : 'START';
    const moved = await new CampaignControl(ctx.services.campaigns).command(ctx.scope, campaign.id, command);
    const targets = await ctx.services.campaigns.openTargets(ctx.scope, campaign.id);
    return {
      data: { campaign_id: moved.id, status: moved.status, open_targets: targets },
      voice_summary: `${command === 'RESUME' ? 'Resumed' : 'Started'} ${await describe(ctx, moved)}: ${targets} number${targets === 1 ? '' : 's'} to call, within calling hours.`,
      property_id: moved.property?.id ?? null,
    };
  },
});

export const pauseCampaign = defineTool({
  name: 'pause_campaign',
  title: 'Pause a campaign',
  description: 'Pause an active campaign (by id, or the newest active one); calls in progress finish.',
  input: z.strictObject(campaignRef),
  async run(ctx, input) {
    const campaign = await findCampaign(ctx, input, ['active']);
    const moved = await new CampaignControl(ctx.services.campaigns).command(ctx.scope, campaign.id, 'PAUSE');
    return {
      data: { campaign_id: moved.id, status: moved.status },
      voice_summary: `Paused ${await describe(ctx, moved)}. Say "resume it" to go on.`,
      property_id: moved.property?.id ?? null,
    };
  },
});

export const campaignStatus = defineTool({
  name: 'campaign_status',
  title: 'How a campaign is doing',
  description: 'Progress and outcomes of a campaign (by id, or the newest active, paused or completed one).',
  readOnly: true,
  input: z.strictObject(campaignRef),
  async run(ctx, input) {
    const campaign = await findCampaign(ctx, input, ['active', 'paused', 'completed', 'draft']);
    const stats = await ctx.services.campaigns.stats(ctx.scope, campaign.id);
    const count = (k: string, from: Record<string, number>) => from[k] ?? 0;
    const o = stats.byOutcome;
    const reached = ['interested', 'not_interested', 'call_back', 'wrong_number', 'do_not_call'].reduce(
      (n, k) => n + count(k, o),
      0,
    );
    const parts = [
      `${stats.targets} number${stats.targets === 1 ? '' : 's'}`,
      `${reached} reached`,
      count('interested', o) ? `${count('interested', o)} interested` : null,
      count('call_back', o) ? `${count('call_back', o)} to call back` : null,
      count('voicemail_left', o) ? `${count('voicemail_left', o)} voicemails` : null,
      count('do_not_call', o) ? `${count('do_not_call', o)} opted out` : null,
    ].filter(Boolean);
    return {
      data: { campaign_id: campaign.id, status: campaign.status, ...stats },
      voice_summary: `${(await describe(ctx, campaign)).replace(/^the/, 'The')} is ${campaign.status}: ${parts.join(', ')}.`,
      property_id: campaign.property?.id ?? null,
    };
  },
});

export const campaignTools = [startCampaign, pauseCampaign, campaignStatus];
