import type { Em, Orm } from '../db/orm.ts';
import { Agent } from '../domain/agents/agent.entity.ts';
import type { Logger } from '../log.ts';
import type { DomainServices } from '../services.ts';
import type { JobEngine } from './job-engine.ts';

export const QUEUES = {
  pipelineCheck: 'pipeline-check',
  tasksDue: 'tasks-due',
  dailyDigest: 'daily-digest',
} as const;

interface JobDeps {
  orm: Orm;
  services: DomainServices;
  log: Logger;
}

interface AgentRun {
  em: Em;
  agentId: number;
  timezone: string;
}

/** Runs `fn` for one agent or every agent, each in its own transaction; one failure does not stop the rest. */
export async function forAgents(
  deps: JobDeps,
  only: number | undefined,
  fn: (run: AgentRun) => Promise<void>,
): Promise<void> {
  const agents = await deps.orm.em
    .fork()
    .find(Agent, only ? { id: only } : {}, { fields: ['id', 'timezone'], orderBy: { id: 'asc' } });
  for (const agent of agents) {
    try {
      await deps.orm.em.fork().transactional((tx) => fn({ em: tx, agentId: agent.id, timezone: agent.timezone }));
    } catch (err) {
      deps.log.error({ err, agentId: agent.id }, 'job step failed for agent');
      if (only) throw err;
    }
  }
}

/** The recurring work of the service, on the job engine. Every handler is idempotent. */
export function defineJobs(engine: JobEngine, deps: JobDeps): void {
  engine.define<{ agentId?: number }>({
    queue: QUEUES.pipelineCheck,
    cron: '*/5 * * * *',
    expireInSeconds: 240,
    async handler(data) {
      await forAgents(deps, data.agentId, async (run) => {
        const result = await deps.services.pipeline.check(run);
        if (result.advanced.length)
          deps.log.info({ agentId: run.agentId, advanced: result.advanced.length }, 'pipeline advanced');
      });
    },
  });
  engine.define<{ agentId?: number }>({
    queue: QUEUES.tasksDue,
    cron: '* * * * *',
    expireInSeconds: 55,
    async handler(data) {
      await forAgents(deps, data.agentId, async (run) => {
        const result = await deps.services.tasks.runDue(run, run.timezone);
        const expired = await deps.services.offers.expireDue(run);
        if (expired) deps.log.info({ agentId: run.agentId, expired }, 'offers expired');
        if (result.processed) deps.log.info({ agentId: run.agentId, ...result }, 'due tasks run');
      });
    },
  });
  // Each agent's digest at their local digest time (checked every 5 minutes; once per local day).
  engine.define<{ agentId?: number }>({
    queue: QUEUES.dailyDigest,
    cron: '*/5 * * * *',
    expireInSeconds: 240,
    async handler(data) {
      const due = new Set((await deps.services.digest.agentsDue(deps.orm.em.fork())).map((a) => a.id));
      await forAgents(deps, data.agentId, async (run) => {
        if (!due.has(run.agentId)) return;
        const digest = await deps.services.digest.generate(run, run.timezone);
        if (digest) deps.log.info({ agentId: run.agentId, date: digest.date }, 'daily digest generated');
      });
    },
  });
}
