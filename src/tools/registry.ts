import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { HistorySource } from '../domain/activity/history.entity.ts';
import { truncate } from '../domain/activity/history.service.ts';
import { DomainError } from '../domain/errors.ts';
import { findNul } from '../nul-check.ts';
import type { AgentScope } from '../domain/shared/scope.ts';
import type { Em, Orm } from '../db/orm.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { DomainServices } from '../services.ts';

/** What a tool handler gets: the tenant's unit of work, the session and the domain services. */
export interface ToolContext {
  scope: AgentScope;
  sessionId: string;
  source: HistorySource;
  services: DomainServices;
  /** The property this conversation was last about, for "this property" / "it". */
  lastPropertyId(): Promise<number | null>;
}

export interface ToolResult<T = unknown> {
  data: T;
  /** One or two sentences, as a phone agent would say the result. */
  voice_summary: string;
  /** The property the call was about, recorded in the activity history. */
  property_id?: number | null;
}

export interface Tool<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  /** Read-only tools can be retried and run without confirmation. */
  readOnly?: boolean;
  run(ctx: ToolContext, input: z.output<S>): Promise<ToolResult>;
}

export function defineTool<S extends z.ZodObject>(tool: Tool<S>): Tool {
  return tool as unknown as Tool;
}

/** A failure the caller (a person or a model) can act on; its message is safe to speak. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details?: Record<string, unknown>,
    /** HTTP-like status for surfaces that need one (422 = the request was understood but refused). */
    readonly status = 422,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export type ToolOutcome =
  { ok: true; result: ToolResult; durationMs: number } | { ok: false; error: ToolError; durationMs: number };

export interface InvokeOptions {
  agentId: number;
  sessionId: string;
  source: HistorySource;
  /** The property the session is about, when the caller knows it better than the history does. */
  lastPropertyId?: () => Promise<number | null>;
  /**
   * Return as soon as the tool has run and write its history row behind the result (a live call
   * answers first); `recorded` settles when the row is written. Otherwise invoke waits for the row.
   */
  deferHistory?: boolean;
}

export type InvokeResult = ToolOutcome & { recorded: Promise<void> };

/** Readable one-line summary of validation issues, naming each field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/**
 * The one tool registry, served by MCP and the call runtime. Each invocation runs in its own
 * unit of work and is written to the activity history (tool, input/output summary, success,
 * duration, property), whether it succeeded or not.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();

  constructor(private readonly deps: { orm: Orm; services: DomainServices; log: Logger; metrics?: Metrics }) {}

  register(...tools: Tool[]): this {
    for (const tool of tools) {
      if (this.tools.has(tool.name)) throw new Error(`Tool ${tool.name} is registered twice`);
      this.tools.set(tool.name, tool);
    }
    return this;
  }

  list(): Tool[] {
    return [...this.tools.values()];
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  async invoke(name: string, rawInput: unknown, opts: InvokeOptions): Promise<InvokeResult> {
    const started = performance.now();
    const tool = this.tools.get(name);
    const input = (rawInput ?? {}) as Record<string, unknown>;
    const elapsed = (): number => performance.now() - started;
    if (!tool) {
      return {
        ok: false,
        error: new ToolError(`There is no tool named ${name}`, 'unknown_tool', undefined, 404),
        durationMs: elapsed(),
        recorded: Promise.resolve(),
      };
    }
    const { services, orm, log } = this.deps;
    const em = orm.em.fork();
    // A writing handler runs on the transaction's EntityManager only: on the embedded PGlite a query
    // on any other fork would wait for this transaction forever. Read-only tools need no transaction.
    const contextFor = (tx: Em): ToolContext => {
      const scope: AgentScope = { em: tx, agentId: opts.agentId };
      const fromHistory = () => services.history.lastPropertyOfSession(scope, opts.sessionId);
      return {
        scope,
        sessionId: opts.sessionId,
        source: opts.source,
        services,
        lastPropertyId: opts.lastPropertyId
          ? async () => (await opts.lastPropertyId!()) ?? (await fromHistory())
          : fromHistory,
      };
    };

    let outcome: ToolOutcome;
    const nul = findNul(input, 'input');
    const parsed = nul ? null : tool.input.safeParse(input);
    if (nul || !parsed) {
      const error = new ToolError(
        `Invalid arguments for ${name}: ${nul} contains a NUL character`,
        'invalid_arguments',
      );
      outcome = { ok: false, error, durationMs: elapsed() };
    } else if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const error = new ToolError(
        `Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)}`,
        'invalid_arguments',
        {
          issues,
        },
      );
      outcome = { ok: false, error, durationMs: elapsed() };
    } else {
      try {
        const result = tool.readOnly
          ? await tool.run(contextFor(em), parsed.data)
          : await em.transactional((tx) => tool.run(contextFor(tx), parsed.data));
        outcome = { ok: true, result, durationMs: elapsed() };
      } catch (err) {
        outcome = { ok: false, error: toToolError(err, name, log), durationMs: elapsed() };
      }
    }

    this.deps.metrics?.toolCalls.inc({
      tool: name,
      source: opts.source,
      outcome: outcome.ok ? 'ok' : outcome.error.code,
    });
    this.deps.metrics?.toolDuration.observe({ tool: name }, outcome.durationMs / 1000);
    const propertyId = outcome.ok
      ? (outcome.result.property_id ?? numberOrNull(input.property_id))
      : numberOrNull(input.property_id);
    const recorded = services.history
      .record(
        { em: orm.em.fork(), agentId: opts.agentId },
        {
          sessionId: opts.sessionId,
          source: opts.source,
          toolName: name,
          propertyId,
          // JSONB cannot hold \u0000 either: the history keeps the input without it.
          input: nul ? (JSON.parse(JSON.stringify(input).replace(/\\u0000/g, '')) as Record<string, unknown>) : input,
          output: outcome.ok
            ? { data: outcome.result.data }
            : { error: outcome.error.message, code: outcome.error.code },
          inputSummary: truncate(JSON.stringify(input).replace(/\\u0000/g, '')),
          outputSummary: outcome.ok ? outcome.result.voice_summary : `error: ${outcome.error.message}`,
          success: outcome.ok,
          durationMs: outcome.durationMs,
        },
      )
      // A failed history write must not turn a completed tool call into a failure.
      .catch((err: unknown) => log.error({ err, tool: name }, 'tool history write failed'));
    if (!opts.deferHistory) await recorded;
    return { ...outcome, recorded };
  }
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

function toToolError(err: unknown, tool: string, log: Logger): ToolError {
  if (err instanceof ToolError) return err;
  if (err instanceof DomainError) return new ToolError(err.message, err.code, err.details, err.status);
  if (err instanceof z.ZodError) {
    return new ToolError(`Invalid arguments for ${tool}: ${describeIssues(err.issues)}`, 'invalid_arguments');
  }
  log.error({ err, tool }, 'tool failed');
  return new ToolError(
    `Something went wrong while running ${tool}. Please try again.`,
    'internal_error',
    undefined,
    500,
  );
}
