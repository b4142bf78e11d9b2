import { ConflictError } from '../domain/errors.ts';
import type { CampaignsService } from '../domain/campaigns/campaigns.service.ts';
import type { ICampaign } from '../domain/campaigns/campaign.entity.ts';
import type { AgentScope } from '../domain/shared/scope.ts';
import { campaignMoves, campaignTransition, type CampaignEvent } from '../../state-machines/campaign.machine.ts';

export type CampaignCommand = 'START' | 'PAUSE' | 'RESUME' | 'CANCEL';

/**
 * Start, pause, resume, cancel, and completion once drained: the campaign machine decides each move from the
 * stored status, the service stores it (only if nobody moved the campaign meanwhile). A move the machine
 * refuses is a 409 naming the moves that are possible.
 */
export class CampaignControl {
  constructor(private readonly campaigns: CampaignsService) {}

  async command(scope: AgentScope, id: number, command: CampaignCommand): Promise<ICampaign> {
    const campaign = await this.campaigns.get(scope, id);
    const event: CampaignEvent =
      command === 'START' ? { type: 'START', targets: await this.campaigns.openTargets(scope, id) } : { type: command };
    const next = campaignTransition(campaign.status, event);
    if (!next) {
      const why = command === 'START' && campaign.status === 'draft' ? ' (enrol targets first)' : '';
      throw new ConflictError(`campaign ${id} is ${campaign.status}: cannot ${command.toLowerCase()}${why}`, {
        status: campaign.status,
        allowed: campaignMoves(campaign.status)
          .filter((m) => m !== 'DRAINED')
          .map((m) => m.toLowerCase()),
      });
    }
    return this.campaigns.moveStatus(scope, campaign, campaign.status, next);
  }

  /** An active campaign with nothing left to call is completed. Returns whether it was. */
  async completeIfDrained(scope: AgentScope, campaign: ICampaign): Promise<boolean> {
    if ((await this.campaigns.openTargets(scope, campaign.id)) > 0) return false;
    const next = campaignTransition(campaign.status, { type: 'DRAINED' });
    if (!next) return false;
    try {
      await this.campaigns.moveStatus(scope, campaign, campaign.status, next);
    } catch (err) {
      // Two last events at once (a carrier callback and the conversation's report): the other one completed it.
      if (err instanceof ConflictError) return false;
      throw err;
    }
    return true;
  }
}
