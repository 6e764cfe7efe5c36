/**
 * The SQLite accounting store (better-sqlite3): WAL with synchronous=FULL, so a transaction is on
 * disk when it commits, and a short busy timeout, so a file another process holds locked fails the
 * batch (the NAS retries) rather than stalling the event loop for long.
 */
import Database from 'better-sqlite3';
import type { AccountingEvent } from './event';
import { AccountingSession, SQLITE, SessionFilter, applyEvent, insertEvent, schema, selectSessions, sessionOfRow } from './schema';
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
  const statements = new Map<string, Database.Statement>();
  const named = (values: unknown[]): Record<string, unknown> => Object.fromEntries(values.map((value, i) => [`p${i + 1}`, value]));
  const run = (sql: string, values: unknown[]): number => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement.run(named(values)).changes;
  };
  const write = db.transaction((events: AccountingEvent[]) => {
    for (const event of events) {
      const insert = insertEvent(SQLITE, event);
      if (run(insert.sql, insert.values) === 0) continue;  // a retransmission of one recorded
      const apply = applyEvent(SQLITE, event);
      if (apply) run(apply.sql, apply.values);
    }
  });
  return {
    write: async (events) => {
      write(events);
    },
    sessions: async (filter: SessionFilter): Promise<AccountingSession[]> => {
      const query = selectSessions(SQLITE, filter);
      return (db.prepare(query.sql).all(named(query.values)) as Record<string, unknown>[]).map(sessionOfRow);
    },
    close: async () => {
      db.close();
    },
  };
}
