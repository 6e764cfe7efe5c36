/**
 * The SQLite accounting store (better-sqlite3): WAL with synchronous=FULL, so a transaction is on
 * disk when it commits, and a short busy timeout, so a file another process holds locked fails the
 * batch (the NAS retries) rather than stalling the event loop for long.
 */
import Database from 'better-sqlite3';
import type { AccountingEvent } from './event';
import {
  AccountingSession, RECENT_REQUESTS_SQL, SPOOL_SQL, SQLITE, SessionFilter, recordedOfRow, schema, selectSessions, sessionOfRow, spooledOfRow,
} from './schema';
import { batchPlan } from './batch';
import type { AccountingBackend } from './backend';

/** The file opened as the store: WAL, synchronous=FULL, a short busy timeout, its tables made. */
function openFile(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 50');
    for (const step of schema(SQLITE)) {
      if (typeof step === 'string') db.exec(step);
      // SQLite's ADD COLUMN has no IF NOT EXISTS: the table's columns are asked first.
      else if (!(db.pragma(`table_info(${step.table})`) as { name: string }[]).some(({ name }) => name === step.column)) {
        db.exec(`ALTER TABLE ${step.table} ADD COLUMN ${step.column} ${step.definition}`);
      }
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Statements compiled once and kept, the most recently used PREPARED_KEPT: a batch's statements
 * differ only by their number of rows, and a busy store's batches keep to a few sizes (as many as
 * the NASes keep in flight), so compiling each batch's anew was a tenth of the store's time.
 */
const PREPARED_KEPT = 16;

function preparedBy(db: Database.Database): (sql: string) => Database.Statement {
  const kept = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = kept.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (kept.size >= PREPARED_KEPT) kept.delete(kept.keys().next().value!);
    } else {
      kept.delete(sql);
    }
    kept.set(sql, statement);
    return statement;
  };
}

/** One batch in one transaction: the requests new to the store inserted, their sessions updated. */
function transaction(db: Database.Database): (events: AccountingEvent[]) => void {
  const prepared = preparedBy(db);
  return db.transaction((events: AccountingEvent[]) => {
    const plan = batchPlan(SQLITE, events);
    const inserted = new Set<string>();
    for (const insert of plan.inserts) {
      for (const row of prepared(insert.sql).all(insert.values) as { event_key: string }[]) inserted.add(row.event_key);
    }
    for (const statement of plan.apply(inserted)) prepared(statement.sql).run(statement.values);
  });
}

/** `unloadable` makes the error for a driver whose native part does not load (built for another platform or node). */
export function openSqlite(file: string, unloadable: (detail: string) => Error): AccountingBackend {
  // The driver loads its addon at the first open: one in memory fails only for that.
  try {
    new Database(':memory:').close();
  } catch (error) {
    throw unloadable((error as Error).message.split('\n')[0]);
  }
  let db = openFile(file);
  let record = transaction(db);
  // A connection that found its file read-only keeps it so (SQLite opens a file it may not write
  // read-only, and a file renamed or deleted under it is refused as read-only too): the next batch
  // opens the file again, so a store made writable again, or back in its place, records again.
  let reopen = false;
  const write = (events: AccountingEvent[]): void => {
    if (reopen) {
      const again = openFile(file);
      db.close();
      db = again;
      record = transaction(db);
      reopen = false;
    }
    try {
      record(events);
    } catch (error) {
      if (/^SQLITE_READONLY/.test(String((error as { code?: unknown }).code))) reopen = true;
      throw error;
    }
  };
  return {
    write: async (events) => {
      write(events);
    },
    sessions: async (filter: SessionFilter): Promise<AccountingSession[]> => {
      const query = selectSessions(SQLITE, filter);
      return (db.prepare(query.sql).all(query.values) as Record<string, unknown>[]).map(sessionOfRow);
    },
    recentRequests: async (since) => (db.prepare(RECENT_REQUESTS_SQL(SQLITE)).all(since) as Record<string, unknown>[]).map(recordedOfRow),
    spoolHeads: async () => (db.prepare(SPOOL_SQL.heads).all() as Record<string, unknown>[]).map(spooledOfRow),
    unspool: async (id) => {
      db.prepare(SPOOL_SQL.remove(SQLITE)).run(id);
      return Number((db.prepare(SPOOL_SQL.depth).get() as { depth: number }).depth);
    },
    spoolDepth: async () => Number((db.prepare(SPOOL_SQL.depth).get() as { depth: number }).depth),
    close: async () => {
      db.close();
    },
  };
}
