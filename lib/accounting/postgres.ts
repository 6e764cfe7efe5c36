/**
 * The PostgreSQL accounting store (pg): one connection at a time from a pool of one, so batches
 * commit in order; a connection that breaks is replaced at the next batch, so a server that went
 * away and came back is written to again without a restart.
 */
import { Pool } from 'pg';
import type { AccountingEvent } from './event';
import { AccountingSession, POSTGRES, SessionFilter, applyEvent, insertEvent, schema, selectSessions, sessionOfRow } from './schema';
import type { AccountingBackend } from './backend';

export async function openPostgres(url: string): Promise<AccountingBackend> {
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 2000 });
  // An idle connection's error (the server restarted) is the next batch's to meet.
  pool.on('error', () => undefined);
  // Two instances starting together may both make the tables: one waits for the other's lock.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(2866)');
    for (const sql of schema(POSTGRES)) await client.query(sql);
    await client.query('SELECT pg_advisory_unlock(2866)');
  } finally {
    client.release();
  }
  return {
    write: async (events: AccountingEvent[]) => {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        for (const event of events) {
          const insert = insertEvent(POSTGRES, event);
          if ((await connection.query(insert.sql, insert.values)).rowCount === 0) continue;
          const apply = applyEvent(POSTGRES, event);
          if (apply) await connection.query(apply.sql, apply.values);
        }
        await connection.query('COMMIT');
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
    close: () => pool.end(),
  };
}
