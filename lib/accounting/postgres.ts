/**
 * The PostgreSQL accounting store (pg): one connection at a time from a pool of one, so batches
 * commit in order; a connection that breaks is replaced at the next batch, so a server that went
 * away and came back is written to again without a restart.
 */
import { Pool, PoolClient, PoolConfig } from 'pg';
import type { AccountingEvent } from './event';
import {
  AccountingSession, POSTGRES, RECENT_REQUESTS_SQL, SPOOL_SQL, SessionFilter, recordedOfRow, schema, selectSessions, sessionOfRow, spooledOfRow,
} from './schema';
import { batchPlan } from './batch';
import type { AccountingBackend } from './backend';

/** SQLSTATE 42501 (PostgreSQL's Appendix A). */
const INSUFFICIENT_PRIVILEGE = '42501';

async function tablesMade(client: PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ made: boolean }>(
    "SELECT to_regclass('accounting_events') IS NOT NULL AND to_regclass('accounting_sessions') IS NOT NULL AS made");
  return rows[0]?.made === true;
}

export async function openPostgres(url: string): Promise<AccountingBackend> {
  // pg 8.23's pipeline mode (its types lag): a batch's statements go out together, not one a round trip.
  const config: PoolConfig & { pipeline: boolean } = { connectionString: url, max: 1, connectionTimeoutMillis: 2000, pipeline: true };
  const pool = new Pool(config);
  // An idle connection's error (the server restarted) is the next batch's to meet.
  pool.on('error', () => undefined);
  // Two instances starting together may both make the tables: one waits for the other's lock.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(2866)');
    try {
      for (const step of schema(POSTGRES)) {
        await client.query(typeof step === 'string' ? step : `ALTER TABLE ${step.table} ADD COLUMN IF NOT EXISTS ${step.column} ${step.definition}`);
      }
    } catch (error) {
      // A role that may only read and write them (no CREATE on the schema) is enough once they are made.
      if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE || !(await tablesMade(client))) throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock(2866)');
    }
  } finally {
    client.release();
  }
  const depth = async (): Promise<number> => Number((await pool.query<{ depth: string }>(SPOOL_SQL.depth)).rows[0].depth);
  return {
    write: async (events: AccountingEvent[]) => {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        // Two round trips a batch, each a pipeline: the requests (which of them are new), then
        // what the new ones do to their sessions with the COMMIT.
        const plan = batchPlan(POSTGRES, events);
        const [, ...results] = await Promise.all([connection.query('BEGIN'),
          ...plan.inserts.map((insert) => connection.query<{ event_key: string }>(insert.sql, insert.values))]);
        const inserted = new Set(results.flatMap((result) => result.rows.map((row) => row.event_key)));
        await Promise.all([...plan.apply(inserted).map((statement) => connection.query(statement.sql, statement.values)),
          connection.query('COMMIT')]);
      } catch (error) {
        broken = error as Error;
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release(broken);
      }
    },
    sessions: async (filter: SessionFilter): Promise<AccountingSession[]> => {
      const query = selectSessions(POSTGRES, filter);
      return (await pool.query(query.sql, query.values)).rows.map(sessionOfRow);
    },
    recentRequests: async (since) => (await pool.query(RECENT_REQUESTS_SQL(POSTGRES), [since])).rows.map(recordedOfRow),
    spoolHeads: async () => (await pool.query(SPOOL_SQL.heads)).rows.map(spooledOfRow),
    unspool: async (id) => {
      await pool.query(SPOOL_SQL.remove(POSTGRES), [id]);
      return depth();
    },
    spoolDepth: () => depth(),
    close: () => pool.end(),
  };
}
