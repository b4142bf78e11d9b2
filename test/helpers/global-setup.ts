import { migrate, openOrm } from '../../src/db/orm.ts';

/** With DATABASE_URL, migrate the PostgreSQL once before the workers start. */
export async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const orm = await openOrm({ databaseUrl: url });
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
}
