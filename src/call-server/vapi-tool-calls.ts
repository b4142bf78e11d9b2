import type { FastifyBaseLogger } from 'fastify';
import { Call } from '../domain/calls/call.entity.ts';
import { normalizeToolCalls, vapiCallSid, type ToolCallsMessage } from '../integrations/vapi/messages.ts';
import type { AppContext } from '../services.ts';

/**
 * Vapi's `tool-calls` message: runs each call with our tools for the call's agent, limited to the receptionist's
 * tools, and answers Vapi's `results` (one per tool call, `result` or `error`).
 */
export async function runToolCalls(
  ctx: AppContext,
  m: ToolCallsMessage,
  log: FastifyBaseLogger,
): Promise<Record<string, unknown>[]> {
  const calls = normalizeToolCalls(m);
  const callSid = vapiCallSid(m.call.id);
  const call = await ctx.orm.em.fork().findOne(Call, { callSid });
  if (!call) {
    log.warn({ callSid, tools: calls.map((c) => c.name) }, 'vapi: tool calls for an unknown call');
    return calls.map((c) => ({ toolCallId: c.id, name: c.name, error: `Not found: there is no call ${callSid}` }));
  }
  // Callers reach only the receptionist's tools, never the agent's own (CRM, contracts, pipeline…).
  const allowed = new Set(Object.values(ctx.calls.persona.tools).flat());
  const results: Record<string, unknown>[] = [];
  for (const c of calls) {
    if (c.problem || !c.args) {
      results.push({ toolCallId: c.id, name: c.name, error: c.problem ?? 'Invalid tool call' });
      continue;
    }
    if (!allowed.has(c.name) || !ctx.tools.get(c.name)) {
      results.push({ toolCallId: c.id, name: c.name, error: `${c.name} is not available on calls` });
      continue;
    }
    const outcome = await ctx.tools.invoke(c.name, withCallerDefaults(ctx, c.name, c.args, call.fromNumber), {
      agentId: call.agent.id,
      sessionId: `call:${callSid}`,
      source: 'call',
    });
    log.info({ callSid, tool: c.name, ok: outcome.ok, durationMs: Math.round(outcome.durationMs) }, 'vapi: tool call');
    results.push(
      outcome.ok
        ? {
            toolCallId: c.id,
            name: c.name,
            result: JSON.stringify({ data: outcome.result.data, voice_summary: outcome.result.voice_summary }),
          }
        : { toolCallId: c.id, name: c.name, error: outcome.error.message },
    );
  }
  return results;
}

/** The caller ID fills a missing phone on tools that take one (as the session does for its own tool calls). */
function withCallerDefaults(
  ctx: AppContext,
  name: string,
  args: Record<string, unknown>,
  caller: string,
): Record<string, unknown> {
  const shape = ctx.tools.get(name)?.input.shape ?? {};
  if (!caller) return args;
  for (const key of ['caller_phone', 'visitor_phone']) {
    if (key in shape && args[key] === undefined) return { ...args, [key]: caller };
  }
  return args;
}
