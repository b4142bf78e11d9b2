import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { IAgent } from '../agents/agent.entity.ts';
import type { AgentsService } from '../agents/agents.service.ts';
import { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  Call,
  CALL_OUTCOMES,
  CALL_STATUSES,
  CallTurn,
  type CallStatus,
  type ICall,
  type ICallTurn,
} from './call.entity.ts';

export interface InboundCall {
  callSid: string;
  from: string;
  to: string;
  transport: ICall['transport'];
}

/** Call records: which agent's line was dialled, status changes from the carrier. */
/** The seq of a call's last stored turn (0 before any): a new session on the call numbers its turns on from it. */
export async function lastTurnSeq(em: SqlEntityManager, callId: number): Promise<number> {
  const last = await em.findOne(CallTurn, { call: callId }, { orderBy: { seq: 'desc' }, fields: ['seq'] });
  return last?.seq ?? 0;
}

export class CallsService {
  constructor(private readonly agents: AgentsService) {}

  /**
   * Records an inbound call on the line's agent; null when no agent registered the dialled number. One
   * lookup and one INSERT, with no surrounding transaction: on the embedded PGlite (one connection) every
   * statement on the call-answering path delays the greetings of the calls behind it. A carrier's retry of
   * the same CallSid finds the row the first request wrote.
   */
  async startInbound(em: SqlEntityManager, c: InboundCall): Promise<{ call: ICall; agent: IAgent } | null> {
    // A "To" that is not a phone number at all is a number nobody registered, too.
    const agent = await this.agents.findByLineNumber(em, c.to).catch(() => null);
    if (!agent) return null;
    const call = await this.insert(em, agent, { ...c, direction: 'inbound', propertyId: null });
    return { call, agent };
  }

  /**
   * Records an answered outbound (campaign) call: from the campaign's caller ID to the person, about the
   * campaign's property. A carrier's retry of the same CallSid finds the row the first request wrote.
   */
  async startOutbound(
    em: SqlEntityManager,
    agent: IAgent,
    c: InboundCall & { propertyId: number | null },
  ): Promise<ICall> {
    return this.insert(em, agent, { ...c, direction: 'outbound' });
  }

  /** Records a test call from the admin console (text, no carrier) on the agent. */
  async startConsole(em: SqlEntityManager, agent: IAgent, callSid: string): Promise<ICall> {
    const call = await this.insert(em, agent, {
      callSid,
      from: '',
      to: '',
      transport: 'conversation-relay',
      direction: 'inbound',
      propertyId: null,
      provider: 'console',
    });
    return call;
  }

  private async insert(
    em: SqlEntityManager,
    agent: IAgent,
    c: InboundCall & { direction: ICall['direction']; propertyId: number | null; provider?: string },
  ): Promise<ICall> {
    const now = new Date();
    const call = em.create(
      Call,
      {
        agent,
        callSid: c.callSid,
        direction: c.direction,
        fromNumber: c.from,
        toNumber: c.to,
        transport: c.transport,
        provider: c.provider ?? (c.transport === 'vapi' ? 'vapi' : 'twilio'),
        status: c.direction === 'inbound' ? 'ringing' : 'in-progress',
        propertyId: c.propertyId,
        fairHousingDeflections: 0,
        startedAt: now,
        createdAt: now,
      },
      { persist: false },
    );
    try {
      await em.insert(call);
      return call;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const existing = await em.fork().findOne(Call, { callSid: c.callSid });
      if (!existing) throw err;
      return existing;
    }
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

/** A brokerage line as E.164. An unencoded `+` in a query string arrives as a space: it is read as the `+`. */
const LineNumber = z
  .string()
  .regex(/^[+ ]\d{8,15}$/, 'must be an E.164 phone number: + and 8 to 15 digits, e.g. +15125550100')
  .transform((v) => `+${v.slice(1)}`);

export const CallListQuerySchema = z.strictObject({
  status: z.enum(CALL_STATUSES).optional(),
  /** The brokerage line of the call: the number called (inbound) or calling (outbound). */
  line: LineNumber.optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  property_id: z.coerce.number().int().positive().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CallListQuery = z.input<typeof CallListQuerySchema>;

export interface CallView {
  id: number;
  call_sid: string;
  direction: ICall['direction'];
  from: string;
  to: string;
  transport: ICall['transport'];
  status: ICall['status'];
  outcome: ICall['outcome'];
  ended_reason: string | null;
  property_id: number | null;
  summary: string | null;
  duration_sec: number | null;
  recording_url: string | null;
  fair_housing_deflections: number;
  started_at: string;
  ended_at: string | null;
  /** The machine's state when last persisted ("property.listening", "ended"). */
  state: unknown;
}

export interface CallTurnView {
  seq: number;
  role: ICallTurn['role'];
  text: string;
  state: string | null;
  intent: string | null;
  tool_name: string | null;
  tool_arguments: Record<string, unknown> | null;
  ok: boolean | null;
  interrupted: boolean;
  timings: Record<string, number> | null;
  at: string;
}

export function toCallView(c: ICall): CallView {
  return {
    id: c.id,
    call_sid: c.callSid,
    direction: c.direction,
    from: c.fromNumber,
    to: c.toNumber,
    transport: c.transport,
    status: c.status,
    outcome: c.outcome ?? null,
    ended_reason: c.endedReason ?? null,
    property_id: c.propertyId ?? null,
    summary: c.summary ?? null,
    duration_sec: c.durationSec ?? null,
    recording_url: c.recordingUrl ?? null,
    fair_housing_deflections: c.fairHousingDeflections,
    started_at: c.startedAt.toISOString(),
    ended_at: c.endedAt?.toISOString() ?? null,
    state: (c.machineSnapshot as { value?: unknown } | null)?.value ?? null,
  };
}

/** The agent's calls and their transcripts (read side). */
export class CallHistoryService {
  async list(scope: AgentScope, raw: CallListQuery): Promise<{ items: CallView[]; total: number }> {
    const q = CallListQuerySchema.parse(raw);
    const where = {
      agent: scope.agentId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.property_id ? { propertyId: q.property_id } : {}),
      ...(q.line
        ? {
            $or: [
              { direction: 'inbound' as const, toNumber: q.line },
              { direction: 'outbound' as const, fromNumber: q.line },
            ],
          }
        : {}),
      ...(q.from || q.to
        ? { startedAt: { ...(q.from ? { $gte: new Date(q.from) } : {}), ...(q.to ? { $lt: new Date(q.to) } : {}) } }
        : {}),
    };
    const [rows, total] = await scope.em.findAndCount(Call, where, {
      orderBy: { startedAt: 'desc', id: 'desc' },
      limit: q.limit,
      offset: q.offset,
    });
    return { items: rows.map(toCallView), total };
  }

  async get(scope: AgentScope, callSid: string): Promise<CallView & { turns: CallTurnView[] }> {
    const call = await scope.em.findOne(Call, { callSid, agent: scope.agentId });
    if (!call) throw new NotFoundError('Call', callSid);
    const turns = await scope.em.find(CallTurn, { call: call.id }, { orderBy: { seq: 'asc' } });
    return {
      ...toCallView(call),
      turns: turns.map((t) => ({
        seq: t.seq,
        role: t.role,
        text: t.text,
        state: t.state ?? null,
        intent: t.intent ?? null,
        tool_name: t.toolName ?? null,
        tool_arguments: t.toolArguments ?? null,
        ok: t.ok ?? null,
        interrupted: t.interrupted,
        timings: t.timings ?? null,
        at: t.createdAt.toISOString(),
      })),
    };
  }
}
