/**
 * The embedded database's thread: one PGlite (WASM PostgreSQL) whose queries run here, off the event loop of
 * the service. src/db/pglite-thread.ts is the other side. Loaded by tsx as well as by Node's own type
 * stripping (vitest), so this file and its imports use erasable TypeScript only.
 */
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import { createPostgreSqlTypeParsers } from '@mikro-orm/sql';
import { parse as parseArray } from 'postgres-array';
import { parentPort, workerData } from 'node:worker_threads';

export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; rowMode?: 'array' | 'object'; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; channel: string }
  | { id: number; op: 'close' };

export interface SerializedError {
  message: string;
  name: string;
  /** The error's own fields (PostgreSQL's code, detail, constraint, …). */
  fields: Record<string, unknown>;
}

export type PgliteReply =
  { id: number; result: unknown } | { id: number; error: SerializedError } | { notify: string; payload: string };

export interface PgliteWorkerData {
  /** A directory, or undefined for an in-memory database. */
  dataDir: string | undefined;
}

const port = parentPort;
if (!port) throw new Error('pglite.worker.ts runs only in a worker thread');
const { dataDir } = workerData as PgliteWorkerData;

// The type parsers MikroORM gives the PGlite it creates itself (dates stay strings for the ORM to map).
const db = new PGlite({ dataDir, parsers: createPostgreSqlTypeParsers((s: string) => parseArray(s)) });

interface OpenTransaction {
  tx: Transaction;
  /** Ends the transaction's callback: true commits, false rolls back. */
  finish: (commit: boolean) => void;
  /** Settles when PGlite has committed or rolled back. */
  done: Promise<void>;
}
const transactions = new Map<number, OpenTransaction>();
const unlisteners = new Map<string, () => Promise<void>>();
let nextTx = 0;

function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error', fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { message: err.message, name: err.name, fields };
}

/** The transaction a statement belongs to, or the database itself. */
function target(tx: number | undefined): PGlite | Transaction {
  if (tx === undefined) return db;
  const open = transactions.get(tx);
  if (!open) throw new Error(`transaction ${tx} is not open`);
  return open.tx;
}

/** Strips what cannot cross threads (or need not): a result is rows, fields and a count. */
function plain(r: Results): unknown {
  return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
}

class RolledBack extends Error {}

/** Opens a transaction (PGlite's exclusive one) that stays open until `end`. Resolves to its id. */
function begin(): Promise<number> {
  const id = ++nextTx;
  return new Promise<number>((started, failed) => {
    let entered = false;
    // The callback runs once PGlite has begun the transaction, after `done` is assigned.
    const done: Promise<void> = db.transaction(async (tx) => {
      entered = true;
      const commit = await new Promise<boolean>((finish) => {
        transactions.set(id, { tx, finish, done });
        started(id);
      });
      // A throw out of the callback makes PGlite roll back.
      if (!commit) throw new RolledBack();
    });
    done.catch((err: unknown) => {
      if (!entered) failed(err);
    });
  });
}

async function handle(msg: PgliteRequest): Promise<unknown> {
  switch (msg.op) {
    case 'query':
      return plain(await target(msg.tx).query(msg.sql, msg.params, msg.rowMode ? { rowMode: msg.rowMode } : {}));
    case 'exec':
      return (await target(msg.tx).exec(msg.sql)).map(plain);
    case 'begin':
      return begin();
    case 'end': {
      const open = transactions.get(msg.tx);
      if (!open) throw new Error(`transaction ${msg.tx} is not open`);
      open.finish(msg.commit);
      try {
        await open.done;
      } catch (err) {
        if (!(err instanceof RolledBack)) throw err;
      } finally {
        transactions.delete(msg.tx);
      }
      return null;
    }
    case 'listen': {
      if (!unlisteners.has(msg.channel)) {
        const channel = msg.channel;
        unlisteners.set(
          channel,
          await db.listen(channel, (payload) => port!.postMessage({ notify: channel, payload } satisfies PgliteReply)),
        );
      }
      return null;
    }
    case 'unlisten': {
      const unlisten = unlisteners.get(msg.channel);
      unlisteners.delete(msg.channel);
      await unlisten?.();
      return null;
    }
    case 'close':
      if (!db.closed) await db.close();
      return null;
  }
}

port.on('message', (msg: PgliteRequest) => {
  handle(msg).then(
    (result) => port.postMessage({ id: msg.id, result } satisfies PgliteReply),
    (err: unknown) => port.postMessage({ id: msg.id, error: serializeError(err) } satisfies PgliteReply),
  );
});
