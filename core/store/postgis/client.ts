/**
 * One short-lived connection per operation (push, pull, one write-through): nothing stays open between
 * a user's actions, so a CLI run ends when its work does and a dropped network costs one retry.
 */
import pg from 'pg';
import { EkimaeError } from '../../errors.js';
import { redactText, type PgTarget } from './url.js';

/** bigint comes back as a JS number (fids and counts fit in 2^53); everything else as node-postgres reads it. */
const types = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export type PgClient = pg.Client;

/** PostgreSQL's SQLSTATE of an error (23505 unique violation, 40001 serialization failure, …). */
export const sqlState = (e: unknown): string | undefined => (e as { code?: unknown })?.code as string | undefined;

/** Any failure from the driver as E_DATABASE, the password masked even if the server or driver quoted it. */
export function databaseError(e: unknown, target: PgTarget, what: string): EkimaeError {
  if (e instanceof EkimaeError) return e;
  const msg = redactText(String((e as Error)?.message ?? e), target.password);
  const code = sqlState(e);
  return new EkimaeError('E_DATABASE', `${what} ${target.display}: ${msg}`, { database: target.display, schema: target.schema, ...(code ? { sqlState: code } : {}) });
}

export async function withClient<T>(target: PgTarget, what: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: target.connectionString, types, application_name: 'ekimae', connectionTimeoutMillis: 15_000 });
  // An idle connection the server drops must not crash the process (node-postgres emits 'error').
  c.on('error', () => undefined);
  try {
    await c.connect();
  } catch (e) {
    await c.end().catch(() => undefined);
    throw databaseError(e, target, 'cannot connect to');
  }
  try {
    return await fn(c);
  } catch (e) {
    throw databaseError(e, target, `${what} in`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** One transaction: committed when fn returns, rolled back when it throws. */
export async function inTransaction<T>(c: PgClient, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn();
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;
