import type { CallOutcome, Conversation, OutboundConversations } from '../call-runtime/conversation.ts';
import type { Orm } from '../db/orm.ts';
import type { ICall } from '../domain/calls/call.entity.ts';
import {
  CallAttempt,
  type ICallAttempt,
  type ICampaign,
  type ICampaignTarget,
} from '../domain/campaigns/campaign.entity.ts';
import { Agent, type IAgent } from '../domain/agents/agent.entity.ts';
import type { OutcomeCode } from '../domain/campaigns/outcomes.ts';
import { Property } from '../domain/properties/property.entity.ts';
import type { Logger } from '../log.ts';
import type { DomainServices } from '../services.ts';
import { parseViewingTime } from '../voice/nlu/index.ts';
import type { OptOutSource } from '../../state-machines/conversation.ts';
import type { CallScript, Playbooks } from './playbooks.ts';

type Attempt = ICallAttempt & { target: NonNullable<ICallAttempt['target']> };

/** What the dialer does for the conversation (implemented by CampaignDialer). */
export interface ConversationOutcomes {
  optOut(providerCallId: string, source: OptOutSource): Promise<boolean>;
  conversationEnded(
    providerCallId: string,
    result: { outcome: OutcomeCode; note: string | null; callBackAt: Date | null },
  ): Promise<void>;
}

export interface CampaignCallsDeps {
  orm: Orm;
  services: DomainServices;
  playbooks: Playbooks;
  log: Logger;
  now?: () => Date;
}

/**
 * The answered side of campaign calls: the call record of a conversation, its playbook script, the opening's
 * timing (abandonment), and the session's report (opt-out, outcome) handed to the dialer. Also the CRM write-back
 * of every outcome.
 */
export class CampaignCalls implements OutboundConversations {
  private readonly now: () => Date;

  constructor(
    private readonly deps: CampaignCallsDeps,
    private readonly dialer: ConversationOutcomes,
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * A dialled number answered and the carrier asks what to play: the call record (linked to its attempt; `callSid`
   * is the runtime's key of the call) and the conversation. `carrierSpeaksGreeting`: the opening goes out with this
   * answer (ConversationRelay, Vapi), so it is timed now. Null for a call no campaign dialled.
   */
  async answered(a: {
    providerCallId: string;
    callSid: string;
    transport: ICall['transport'];
    carrierSpeaksGreeting: boolean;
  }): Promise<{ call: ICall; agent: IAgent; conversation: Conversation } | null> {
    const em = this.deps.orm.em.fork();
    const attempt = await this.attempt(a.providerCallId);
    if (!attempt) return null;
    const { agent, campaign, target } = attempt;
    const { transport, carrierSpeaksGreeting } = a;
    const call = await this.deps.services.calls.startOutbound(em, agent, {
      callSid: a.callSid,
      from: campaign.callerId,
      to: target.phone,
      transport,
      propertyId: campaign.property?.id ?? null,
    });
    const now = this.now();
    await em.nativeUpdate(
      CallAttempt,
      { id: attempt.id, connectedAt: null },
      { callId: call.id, connectedAt: now, ...(carrierSpeaksGreeting ? { greetedAt: now } : {}) },
    );
    return { call, agent, conversation: await this.build(attempt) };
  }

  /** The conversation of an outbound call whose session opens on an instance that did not answer it. */
  async conversationOf(call: ICall): Promise<Conversation | null> {
    const attempt = (await this.deps.orm.em
      .fork()
      .findOne(CallAttempt, { callId: call.id }, { populate: ['target', 'campaign', 'agent'] })) as Attempt | null;
    return attempt ? this.build(attempt) : null;
  }

  /** The voicemail message of a dialled call's playbook. */
  async voicemailOf(providerCallId: string): Promise<string | null> {
    const attempt = await this.attempt(providerCallId);
    return attempt ? this.voicemailFor(attempt.campaign, attempt.target) : null;
  }

  /** The voicemail message for a target (given to carriers that leave it themselves, such as Vapi). */
  async voicemailFor(campaign: ICampaign, target: ICampaignTarget): Promise<string> {
    const agent = await this.deps.orm.em.fork().findOneOrFail(Agent, campaign.agent.id);
    return (await this.script({ agent, campaign, target })).voicemail;
  }

  /** Writes an outcome back to the CRM: note, follow-up task, notification, contact update (outcomes.ts). */
  async writeBack(
    providerCallId: string | null,
    attempt: Attempt | null,
    result: { outcome: OutcomeCode; note: string | null; callBackAt: Date | null },
  ): Promise<void> {
    const row = attempt ?? (providerCallId ? await this.attempt(providerCallId) : null);
    if (!row) return;
    const em = this.deps.orm.em.fork();
    const script = await this.script(row);
    await this.deps.services.campaignOutcomes.record(
      { em, agentId: row.agent.id },
      {
        campaign: row.campaign,
        target: row.target,
        outcome: result.outcome,
        note: result.note,
        callBackAt: result.callBackAt,
        callSid: row.providerCallId,
        timeZone: row.agent.timezone,
        now: this.now(),
        interestedTask: this.deps.playbooks.interestedTask(script),
      },
    );
  }

  private async build(attempt: Attempt): Promise<Conversation> {
    const script = await this.script(attempt);
    const { campaign, target } = attempt;
    const providerCallId = attempt.providerCallId ?? '';
    const propertyId = campaign.property?.id ?? null;
    return {
      kind: 'campaign',
      persona: script.persona,
      machine: script.machine,
      greeting: script.greeting,
      vars: script.vars,
      propertyId,
      campaign: {
        playbook: campaign.playbook,
        personName: target.name ?? null,
        propertyId,
        propertyAddress: propertyId ? script.vars.property! : null,
        persona: script.persona,
      },
      hooks: {
        greeted: (at) => void this.greeted(attempt.id, at),
        optedOut: async (source) => void (await this.dialer.optOut(providerCallId, source)),
        ended: async ({ outcome, toolsUsed }) =>
          this.dialer.conversationEnded(providerCallId, this.outcomeOf(outcome, toolsUsed, attempt.agent.timezone)),
      },
    };
  }

  /** The brain's outcome; a booked viewing without one is interest; nothing recorded is no outcome. */
  private outcomeOf(
    outcome: CallOutcome | null,
    toolsUsed: string[],
    timeZone: string,
  ): { outcome: OutcomeCode; note: string | null; callBackAt: Date | null } {
    if (!outcome) {
      const booked = toolsUsed.includes('schedule_viewing');
      return {
        outcome: booked ? 'interested' : 'no_outcome',
        note: booked ? 'Viewing booked' : null,
        callBackAt: null,
      };
    }
    const when = outcome.callBackAt ? parseViewingTime(outcome.callBackAt, this.now(), timeZone) : null;
    const note = [outcome.note, outcome.callBackAt && !when ? `Call back: ${outcome.callBackAt}` : null]
      .filter(Boolean)
      .join('. ');
    return { outcome: outcome.outcome, note: note || null, callBackAt: when ? new Date(when.start) : null };
  }

  private async greeted(attemptId: number, at: Date): Promise<void> {
    await this.deps.orm.em
      .fork()
      .nativeUpdate(CallAttempt, { id: attemptId, greetedAt: null }, { greetedAt: at })
      .catch((err: unknown) => this.deps.log.error({ err, attemptId }, 'campaign call: greeting time not stored'));
  }

  private async script(attempt: Pick<Attempt, 'agent' | 'campaign' | 'target'>): Promise<CallScript> {
    const propertyId = attempt.campaign.property?.id;
    const property = propertyId ? await this.deps.orm.em.fork().findOne(Property, propertyId) : null;
    return this.deps.playbooks.script(attempt.agent, attempt.campaign, attempt.target, property);
  }

  private attempt(providerCallId: string): Promise<Attempt | null> {
    return this.deps.orm.em
      .fork()
      .findOne(
        CallAttempt,
        { providerCallId },
        { populate: ['target', 'campaign', 'agent'] },
      ) as Promise<Attempt | null>;
  }
}
