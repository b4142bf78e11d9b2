import type { Orm } from '../db/orm.ts';
import { Agent } from '../domain/agents/agent.entity.ts';
import type { Logger } from '../log.ts';
import type { DomainServices } from '../services.ts';
import type { JobEngine } from './job-engine.ts';

export const QUEUES = {
  pipelineCheck: 'pipeline-check',
} as const;

interface JobDeps {
  orm: Orm;
  services: DomainServices;
  log: Logger;
}

/** Runs `fn` for every agent, each in its own transaction; one agent's failure does not stop the rest. */
export async function forEachAgent(
  deps: JobDeps,
  fn: (scope: { em: ReturnType<Orm['em']['fork']>; agentId: number }) => Promise<void>,
): Promise<void> {
  const agents = await deps.orm.em.fork().find(Agent, {}, { fields: ['id'], orderBy: { id: 'asc' } });
  for (const { id } of agents) {
    try {
      await deps.orm.em.fork().transactional((tx) => fn({ em: tx, agentId: id }));
    } catch (err) {
      deps.log.error({ err, agentId: id }, 'job step failed for agent');
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
      const run = async (scope: { em: ReturnType<Orm['em']['fork']>; agentId: number }) => {
        const result = await deps.services.pipeline.check(scope);
        if (result.advanced.length)
          deps.log.info({ agentId: scope.agentId, advanced: result.advanced.length }, 'pipeline advanced');
      };
      if (data.agentId) await deps.orm.em.fork().transactional((tx) => run({ em: tx, agentId: data.agentId! }));
      else await forEachAgent(deps, run);
    },
  });
}
