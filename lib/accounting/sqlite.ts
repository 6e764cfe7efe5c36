/**
 * The SQLite accounting store (better-sqlite3): WAL with synchronous=FULL, so a transaction is on
 * disk when it commits, and a short busy timeout, so a file another process holds locked fails the
 * batch (the NAS retries) rather than stalling the event loop for long.
 */
import Database from 'better-sqlite3';
import type { AccountingEvent } from './event';
import { AccountingSession, SQLITE, SessionFilter, schema, selectSessions, sessionOfRow } from './schema';
import { batchPlan } from './batch';
import type { AccountingBackend } from './backend';

/** `unloadable` makes the error for a driver whose native part does not load (built for another platform or node). */
export function openSqlite(file: string, unloadable: (detail: string) => Error): AccountingBackend {
  // The driver loads its addon at the first open: one in memory fails only for that.
  try {
    new Database(':memory:').close();
  } catch (error) {
    throw unloadable((error as Error).message.split('\n')[0]);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 50');
  for (const sql of schema(SQLITE)) db.exec(sql);
  const write = db.transaction((events: AccountingEvent[]) => {
    const plan = batchPlan(SQLITE, events);
    const inserted = new Set<string>();
    for (const insert of plan.inserts) {
      for (const row of db.prepare(insert.sql).all(insert.values) as { event_key: string }[]) inserted.add(row.event_key);
    }
    for (const statement of plan.apply(inserted)) db.prepare(statement.sql).run(statement.values);
  });
  return {
    write: async (events) => {
      write(events);
    },
    sessions: async (filter: SessionFilter): Promise<AccountingSession[]> => {
      const query = selectSessions(SQLITE, filter);
      return (db.prepare(query.sql).all(query.values) as Record<string, unknown>[]).map(sessionOfRow);
    },
    close: async () => {
      db.close();
    },
  };
}
