import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { MikroORM, Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { SqlEntityManager, AbstractSqlDriver } from '@mikro-orm/sql';
import { entities } from './entities.ts';
import { PgliteThread } from './pglite-thread.ts';

export type Orm = MikroORM<AbstractSqlDriver>;
export type Em = SqlEntityManager;

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface DbOptions {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; ':memory:' (or undefined) keeps the database in memory. */
  pgliteDir?: string | undefined;
  /** PGlite on its own thread (src/db/pglite-thread.ts). Default true. */
  pgliteThread?: boolean;
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
  if (opts.pgliteThread === false) {
    return (await MikroORM.init({
      ...commonOptions(),
      ...(inMemory ? {} : { dbName: opts.pgliteDir }),
    })) as unknown as Orm;
  }
  const thread = await PgliteThread.create(inMemory ? undefined : opts.pgliteDir);
  const orm = (await MikroORM.init({
    ...commonOptions(),
    dbName: inMemory ? 'memory' : opts.pgliteDir!,
    // A function, so that the ORM does not deep-copy the thread with its options.
    driverOptions: { pglite: () => thread as unknown as PGlite },
  })) as unknown as Orm;
  // The ORM leaves an instance it was given open: the thread closes with it.
  const close = orm.close.bind(orm);
  orm.close = async (force?: boolean) => {
    await close(force);
    await thread.close();
  };
  return orm;
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
