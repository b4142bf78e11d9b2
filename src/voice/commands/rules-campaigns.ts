import { findProperty, target } from './property.ts';
import { numbered, PROPERTY_PURPOSES, purpose, PURPOSE_LABELS } from './slots.ts';
import { orList, withArticle } from './text.ts';
import { clarify, command, isClarify, type CommandContext, type CommandParse, type Rule } from './types.ts';

/**
 * The campaign tools (start_campaign, pause_campaign, campaign_status) take an optional campaign_id;
 * "it" and "the campaign" are the campaign of the conversation.
 */
function campaignId(text: string, ctx: CommandContext): { id: number | null; said: boolean } | CommandParse {
  const n = numbered(text, 'campaign');
  if (n.conflict) return clarify(`Which campaign: ${orList(n.conflict.map((c) => `campaign ${c}`))}?`);
  if (n.value !== undefined) return { id: n.value, said: true };
  return { id: ctx.lastCampaignId, said: false };
}

const campaignStatus: Rule = {
  tool: 'campaign_status',
  when: /\bhow(?:'s| is| are) (?:the |my |that |this |our |it )?(?:[a-z-]+ ){0,2}?campaigns? (?:\d+ )?(?:doing|going|performing|coming along)\b|\bcampaigns? (?:\d+ )?(?:status|stats|statistics|results|numbers|report|progress)\b|\b(?:status|stats|results|progress) (?:of|on|for) (?:the |my |that |this )?(?:[a-z-]+ ){0,2}?campaign\b/,
  build(u, ctx) {
    const c = campaignId(u.text, ctx);
    if ('kind' in c) return c;
    // "how are my campaigns doing": all of them, not the one of the conversation.
    if (c.id === null || (!c.said && /\bcampaigns\b/.test(u.text)))
      return command('campaign_status', {}, 'Checking your campaigns.');
    return command('campaign_status', { campaign_id: c.id }, `Checking campaign ${c.id}.`);
  },
};

const pauseCampaign: Rule = {
  tool: 'pause_campaign',
  when: /\b(?:pause|hold|halt|stop|suspend)\b.{0,40}\bcampaign\b|^(?:pause|hold|halt|suspend)(?: (?:it|that|this|the calls|calling|the dialer|dialing))?$|^stop (?:the calls|calling|dialing|the dialer)$/,
  build(u, ctx) {
    const c = campaignId(u.text, ctx);
    if ('kind' in c) return c;
    if (c.id === null) return clarify('Which campaign should I pause?');
    return command('pause_campaign', { campaign_id: c.id }, `Pause campaign ${c.id}?`);
  },
};

const startCampaign: Rule = {
  tool: 'start_campaign',
  when: /\b(?:start|launch|kick off|begin|run|resume|restart|unpause|send out|fire up|set up|create)\b.{0,50}\bcampaign\b|^(?:resume|unpause|restart) (?:it|that|the calls|calling|dialing)$|\b(?:start|begin) calling (?:my |the |all )?(?:past clients|expired listings|fsbos?|for sale by owners?)\b/,
  build(u, ctx) {
    const resume = /\b(?:resume|unpause|restart)\b/.test(u.text);
    const n = numbered(u.text, 'campaign');
    if (n.conflict) return clarify(`Which campaign: ${orList(n.conflict.map((c) => `campaign ${c}`))}?`);
    const p = purpose(n.rest);
    if (n.value !== undefined || (resume && !p.value)) {
      const id = n.value ?? ctx.lastCampaignId;
      if (id === null) return clarify('Which campaign should I resume?');
      return command('start_campaign', { campaign_id: id }, `${resume ? 'Resume' : 'Start'} campaign ${id}?`);
    }
    if (!p.value) {
      return clarify(
        'What kind of campaign: just listed, just sold, open house, property update, expired listings, for sale by owner, or past clients?',
      );
    }
    const label = PURPOSE_LABELS[p.value];
    const { ref } = findProperty(p.rest.replace(/\bcampaigns?\b/g, ' '));
    const t = target(ref, ctx, PROPERTY_PURPOSES.has(p.value));
    if (isClarify(t)) return ref.kind === 'ids' ? t : clarify(`Which property is the ${label} campaign for?`);
    if (t === null) return command('start_campaign', { purpose: p.value }, `Start ${withArticle(label)} campaign?`);
    // The campaign tools take a property id only, not an address.
    if (!('property_id' in t.args)) return clarify(`What is the property number of ${t.label}?`);
    return command(
      'start_campaign',
      { property_id: t.args.property_id, purpose: p.value },
      `Start ${withArticle(label)} campaign for ${t.label}?`,
      t.id,
    );
  },
};

export const CAMPAIGN_RULES: readonly Rule[] = [campaignStatus, pauseCampaign, startCampaign];
