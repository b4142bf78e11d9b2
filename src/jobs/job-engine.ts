import { PgBoss, fromKysely, fromPglite, type Job, type PGliteLike } from 'pg-boss';
import type { Em, Orm } from '../db/orm.ts';
import type { Logger } from '../log.ts';

export interface JobDefinition<T extends object = object> {
  queue: string;
  /** Cron expression (UTC unless `tz`) for a recurring job with one schedule. */
  cron?: string;
  /** Jobs past this run again (pg-boss expiry); handlers must be idempotent. */
  expireInSeconds?: number;
  retryLimit?: number;
  handler(data: T, job: { id: string }): Promise<void>;
}

export interface SendOptions {
  /** Enqueue inside this ORM transaction: the job exists only if the transaction commits. */
  em?: Em;
  /** At most one queued job per key (pg-boss singletonKey). */
  singletonKey?: string;
  startAfter?: Date;
}

/**
 * The job engine: pg-boss on the same database as the ORM. On the embedded PGlite it shares the
 * ORM's PGlite instance (fromPglite); on PostgreSQL it has its own pool, and several service
 * instances share the queues without running a job twice.
 */
export class JobEngine {
  private readonly defs = new Map<string, JobDefinition>();
  private started = false;

  private constructor(
    readonly boss: PgBoss,
    private readonly log: Logger,
    /** pg-boss owns its pool on PostgreSQL; the shared PGlite is closed by the ORM. */
    private readonly ownsConnection: boolean,
  ) {
    boss.on('error', (err) => log.error({ err }, 'job engine error'));
  }

  static async create(orm: Orm, opts: { databaseUrl?: string | undefined }, log: Logger): Promise<JobEngine> {
    if (opts.databaseUrl) {
      return new JobEngine(
        new PgBoss({ connectionString: opts.databaseUrl, max: 10, useListenNotify: true }),
        log,
        true,
      );
    }
    const connection = orm.em.getDriver().getConnection() as unknown as { getNativeClient(): Promise<PGliteLike> };
    const pglite = await connection.getNativeClient();
    return new JobEngine(new PgBoss({ db: fromPglite(pglite), backend: 'pglite', useListenNotify: true }), log, false);
  }

  define<T extends object>(def: JobDefinition<T>): this {
    this.defs.set(def.queue, def as unknown as JobDefinition);
    return this;
  }

  /** Creates the queues, starts the workers and the cron schedules. */
  async start(): Promise<void> {
    await this.boss.start();
    for (const def of this.defs.values()) {
      await this.boss.createQueue(def.queue, {
        notify: true,
        ...(def.expireInSeconds ? { expireInSeconds: def.expireInSeconds } : {}),
        retryLimit: def.retryLimit ?? 2,
      });
      await this.boss.work<object>(def.queue, async (jobs: Job<object>[]) => {
        for (const job of jobs) {
          const started = performance.now();
          try {
            await def.handler(job.data ?? {}, { id: job.id });
            this.log.debug({ queue: def.queue, jobId: job.id, ms: performance.now() - started }, 'job done');
          } catch (err) {
            this.log.error({ err, queue: def.queue, jobId: job.id }, 'job failed');
            throw err;
          }
        }
      });
      if (def.cron) await this.boss.schedule(def.queue, def.cron);
    }
    this.started = true;
  }

  async send(queue: string, data: object, opts: SendOptions = {}): Promise<string | null> {
    return this.boss.send(queue, data, {
      ...(opts.em ? { db: fromKysely(opts.em.getKysely()) } : {}),
      ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
    });
  }

  /** A per-key recurring schedule (e.g. one daily digest per agent at local time). */
  async schedule(queue: string, cron: string, data: object, opts: { key: string; tz?: string }): Promise<void> {
    await this.boss.schedule(queue, cron, data, { key: opts.key, ...(opts.tz ? { tz: opts.tz } : {}) });
  }

  async unschedule(queue: string, key: string): Promise<void> {
    await this.boss.unschedule(queue, key);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 5_000, close: this.ownsConnection });
  }
}
