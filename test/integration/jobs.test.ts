import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownContext } from '../../call-flows/harness.ts';
import { loadConfig } from '../../src/config.ts';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { QUEUES } from '../../src/jobs/jobs.ts';
import { createLogger } from '../../src/log.ts';
import { buildContext, type AppContext } from '../../src/services.ts';
import { newAgent } from '../helpers/context.ts';
import { until } from '../helpers/wait.ts';

const log = createLogger({ level: 'silent' });

/** A context that runs the job engine (the shared test context does not). */
describe('job engine', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await ownContext({}, { jobs: true });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('schedules the pipeline check every 5 minutes and runs it when sent', async () => {
    const schedules = await ctx.jobs!.boss.getSchedules(QUEUES.pipelineCheck);
    expect(schedules.map((s) => s.cron)).toContain('*/5 * * * *');

    const agent = await newAgent(ctx);
    const p = await ctx.services.properties.create(agent.scope(), { address: '5 Job Ln', city: 'Austin', state: 'TX' });
    await ctx.services.research.recordEnrichment(agent.scope(), p.id, { source: 'manual', zestimate: 500000 });
    await ctx.jobs!.send(QUEUES.pipelineCheck, { agentId: agent.agentId });
    await until(
      async () => (await ctx.orm.em.fork().findOneOrFail(Property, p.id)).status === 'enriched',
      'the property enriched',
      15_000,
      50,
    );
    const notes = await ctx.services.notifications.list(agent.scope(), {
      unread_only: false,
      include_dismissed: true,
      limit: 10,
    });
    expect(notes.map((n) => n.type)).toEqual(['pipeline_auto_advance']);
  });

  it('enqueues inside an ORM transaction: a rollback drops the job', async () => {
    const seen: string[] = [];
    const queue = `tx-test-${randomUUID().slice(0, 8)}`;
    await ctx.jobs!.boss.createQueue(queue, { notify: true });
    await ctx.jobs!.boss.work<{ tag: string }>(queue, async (jobs) => {
      for (const j of jobs) seen.push(j.data.tag);
    });
    await ctx.orm.em
      .fork()
      .transactional(async (tx) => {
        await ctx.jobs!.send(queue, { tag: 'rolled-back' }, { em: tx });
        throw new Error('rollback');
      })
      .catch(() => {});
    await ctx.orm.em.fork().transactional((tx) => ctx.jobs!.send(queue, { tag: 'committed' }, { em: tx }));
    await until(async () => seen.includes('committed'), 'the committed job', 15_000, 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(['committed']);
  });
});

/** Two service instances on one PostgreSQL must never run the same job twice. */
describe.skipIf(!process.env.DATABASE_URL)('two instances on one PostgreSQL', () => {
  let a: AppContext;
  let b: AppContext;
  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: 'silent' });
    a = await buildContext(config, log, { jobs: true });
    b = await buildContext(config, log, { jobs: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('runs each of 300 jobs exactly once across both instances', async () => {
    const queue = `dup-test-${randomUUID().slice(0, 8)}`;
    const runs: { instance: string; n: number }[] = [];
    for (const [name, ctx] of [
      ['a', a],
      ['b', b],
    ] as const) {
      await ctx.jobs!.boss.createQueue(queue, { notify: true });
      await ctx.jobs!.boss.work<{ n: number }>(
        queue,
        {
          batchSize: 10,
          localConcurrency: 4,
          burstWhenBatchFull: true,
          pollingIntervalSeconds: 1,
          notifyPollingIntervalSeconds: 2,
        },
        async (jobs) => {
          for (const j of jobs) {
            runs.push({ instance: name, n: j.data.n });
            await new Promise((r) => setTimeout(r, 2));
          }
        },
      );
    }
    await a.jobs!.boss.insert(
      queue,
      Array.from({ length: 300 }, (_, n) => ({ data: { n } })),
    );
    await until(async () => runs.length >= 300, '300 runs', 60_000, 50).catch(async (err: Error) => {
      const states = await a.orm.em
        .fork()
        .getConnection()
        .execute(`select state, count(*) from pgboss.job where name = ? group by state`, [queue]);
      throw new Error(
        `${err.message} after ${runs.length} of 300 runs (unique ${new Set(runs.map((r) => r.n)).size}); ${JSON.stringify(states)}`,
      );
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(runs).toHaveLength(300);
    expect(new Set(runs.map((r) => r.n)).size).toBe(300);
    expect(new Set(runs.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
  }, 90_000);

  it('a pipeline check run by both instances at once moves each property once', async () => {
    const agent = await newAgent(a);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const p = await a.services.properties.create(agent.scope(), {
        address: `${i + 1} Twin St`,
        city: 'Austin',
        state: 'TX',
      });
      await a.services.research.recordEnrichment(agent.scope(), p.id, { source: 'manual' });
      ids.push(p.id);
    }
    await Promise.all([
      a.jobs!.send(QUEUES.pipelineCheck, { agentId: agent.agentId }),
      b.jobs!.send(QUEUES.pipelineCheck, { agentId: agent.agentId }),
    ]);
    await until(
      async () => (await a.orm.em.fork().count(Property, { id: { $in: ids }, status: 'enriched' })) === 10,
      'ten properties enriched',
      15_000,
      50,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const history = await a.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>(
        `select count(*) as n from conversation_history where agent_id = ? and tool_name = 'pipeline_auto_advance'`,
        [agent.agentId],
      );
    expect(Number(history[0]!.n)).toBe(10);
  }, 60_000);
});
