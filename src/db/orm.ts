import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { MikroORM, Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { SqlEntityManager, AbstractSqlDriver } from '@mikro-orm/sql';
import { entities } from './entities.ts';

export type Orm = MikroORM<AbstractSqlDriver>;
export type Em = SqlEntityManager;

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface DbOptions {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; ':memory:' (or undefined) keeps the database in memory. */
  pgliteDir?: string | undefined;
  debug?: boolean;
}

function commonOptions(): Partial<Options> {
  return {
    entities,
    extensions: [Migrator],
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      emit: 'ts',
      snapshotName: '.snapshot',
      silent: true,
    },
    // Every unit of work is an explicit fork (per request, per tool call, per job).
    allowGlobalContext: false,
    debug: false,
  };
}

/** Opens the database: PostgreSQL when a URL is given, else embedded PGlite. */
export async function openOrm(opts: DbOptions): Promise<Orm> {
  if (opts.databaseUrl) {
    const { MikroORM } = await import('@mikro-orm/postgresql');
    return (await MikroORM.init({
      ...commonOptions(),
      clientUrl: opts.databaseUrl,
      pool: { min: 1, max: 10 },
    })) as unknown as Orm;
  }
  const { MikroORM } = await import('@mikro-orm/pglite');
  const inMemory = !opts.pgliteDir || opts.pgliteDir === ':memory:';
  if (!inMemory) await mkdir(opts.pgliteDir!, { recursive: true });
  return (await MikroORM.init({
    ...commonOptions(),
    ...(inMemory ? {} : { dbName: opts.pgliteDir }),
  })) as unknown as Orm;
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** Cheap liveness query for /health. */
export async function pingDb(orm: Orm): Promise<void> {
  await orm.em.fork().getConnection().execute('select 1');
}
