import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteThread } from '../../src/db/pglite-thread.ts';

describe('PGlite on its own thread', () => {
  let db: PgliteThread;
  beforeAll(async () => {
    db = await PgliteThread.create();
    await db.exec('create table t (id serial primary key, name text unique not null, at timestamptz, data jsonb)');
  });
  afterAll(() => db.close());

  it('runs parameterised queries and returns rows, fields and counts', async () => {
    const inserted = await db.query<{ id: number }>(
      'insert into t (name, at, data) values ($1, $2, $3), ($4, $5, $6) returning id',
      ['a', new Date('2026-01-02T03:04:05Z'), { beds: 3 }, 'b', null, null],
    );
    expect(inserted.rows.map((r) => r.id)).toEqual([1, 2]);
    expect(inserted.affectedRows).toBe(2);
    const { rows, fields } = await db.query<Record<string, unknown>>('select * from t where id = $1', [1]);
    expect(fields.map((f) => f.name)).toEqual(['id', 'name', 'at', 'data']);
    // Timestamps stay strings (MikroORM maps them), JSON comes back parsed.
    expect(rows[0]).toMatchObject({ id: 1, name: 'a', data: { beds: 3 } });
    expect(typeof rows[0]!.at).toBe('string');
    expect(new Date(rows[0]!.at as string).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    const arrays = await db.query<unknown[]>('select id, name from t order by id', [], { rowMode: 'array' });
    expect(arrays.rows).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('rejects with PostgreSQL’s error fields (what the ORM maps to its exceptions)', async () => {
    const err = (await db.query('insert into t (name) values ($1)', ['a']).catch((e: unknown) => e)) as Error &
      Record<string, unknown>;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/duplicate key/);
    expect(err.code).toBe('23505');
    expect(err.constraint).toBe('t_name_key');
    // The connection is fine afterwards.
    expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('commits a transaction that returns and rolls back one that throws', async () => {
    const id = await db.transaction(async (tx) => {
      const r = await tx.query<{ id: number }>('insert into t (name) values ($1) returning id', ['c']);
      return r.rows[0]!.id;
    });
    expect((await db.query('select name from t where id = $1', [id])).rows).toEqual([{ name: 'c' }]);

    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (name) values ($1)', ['d']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query('select count(*)::int as n from t where name = $1', ['d'])).rows).toEqual([{ n: 0 }]);
  });

  it('delivers NOTIFY to listeners until they unlisten', async () => {
    const got: string[] = [];
    const stop = await db.listen('jobs', (payload) => got.push(payload));
    await db.query("select pg_notify('jobs', 'one')");
    await expect.poll(() => got).toEqual(['one']);
    await stop();
    await db.query("select pg_notify('jobs', 'two')");
    await db.query('select 1');
    expect(got).toEqual(['one']);
  });

  it('does not hold up the event loop while a query runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      // A query that keeps the database busy for a while (hundreds of ms of WASM).
      await db.query('select count(*) from generate_series(1, 2000000)');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(3);
  });

  it('never keeps a process alive by itself, and an awaited query finishes first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-thread-'));
    const script = join(dir, 'main.mts');
    const module = new URL('../../src/db/pglite-thread.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { PgliteThread } from '${module}';\n` +
        `const db = await PgliteThread.create();\n` +
        `const { rows } = await db.query('select 40 + 2 as answer');\n` +
        `console.log(rows[0].answer);\n`,
    );
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
      expect(out.trim()).toBe('42');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
