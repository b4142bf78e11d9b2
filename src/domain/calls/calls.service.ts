import type { SqlEntityManager } from '@mikro-orm/sql';
import type { IAgent } from '../agents/agent.entity.ts';
import type { AgentsService } from '../agents/agents.service.ts';
import { Call, CALL_STATUSES, type CallStatus, type ICall } from './call.entity.ts';

export interface InboundCall {
  callSid: string;
  from: string;
  to: string;
  transport: ICall['transport'];
}

/** Call records: which agent's line was dialled, status changes from the carrier. */
export class CallsService {
  constructor(private readonly agents: AgentsService) {}

  /** Records an inbound call on the line's agent; null when no agent registered the dialled number. */
  async startInbound(em: SqlEntityManager, c: InboundCall): Promise<{ call: ICall; agent: IAgent } | null> {
    // A "To" that is not a phone number at all is a number nobody registered, too.
    const agent = await this.agents.findByLineNumber(em, c.to).catch(() => null);
    if (!agent) return null;
    const existing = await em.findOne(Call, { callSid: c.callSid });
    if (existing) return { call: existing, agent };
    const call = em.create(Call, {
      agent,
      callSid: c.callSid,
      direction: 'inbound',
      fromNumber: c.from,
      toNumber: c.to,
      transport: c.transport,
      status: 'ringing',
    });
    await em.flush();
    return { call, agent };
  }

  /** Applies a carrier status callback; unknown calls are ignored (returns null). */
  async updateStatus(
    em: SqlEntityManager,
    callSid: string,
    status: string,
    durationSec?: number,
  ): Promise<ICall | null> {
    const call = await em.findOne(Call, { callSid });
    if (!call) return null;
    if ((CALL_STATUSES as readonly string[]).includes(status)) call.status = status as CallStatus;
    if (durationSec !== undefined && Number.isFinite(durationSec)) call.durationSec = durationSec;
    if (['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(status)) call.endedAt ??= new Date();
    await em.flush();
    return call;
  }
}
