/**
 * Generates a migration from the difference between the entities and the migrations so far.
 * Runs against an in-memory PGlite, so authoring a migration needs no database server.
 */
import { migrate, openOrm } from '../db/orm.ts';

export async function createMigration(args: string[]): Promise<void> {
  const orm = await openOrm({});
  try {
    await migrate(orm);
    const initial = args.includes('--initial');
    const result = await orm.migrator.create(undefined, args.includes('--blank'), initial);
    if (!result.fileName) {
      console.log('No schema changes: no migration created.');
      return;
    }
    console.log(`Created migrations/${result.fileName}`);
  } finally {
    await orm.close(true);
  }
}
