/**
 * A batch of requests as statements (group commit): the requests in one statement, then what the
 * new ones do to their sessions in as few statements as keep their order. Applying them one by one
 * is the meaning: a statement may not touch one session twice, and an Accounting-On or -Off closes
 * what came before it at that NAS and nothing after, so a session met again or an On/Off starts a
 * new statement. A request twice in a batch (a retry with another Acct-Delay-Time) counts once.
 * A request of a realm routed to a home server is spooled in the same transaction.
 */
import type { AccountingEvent } from './event';
import { STATUS } from './event';
import { Dialect, Statement, closeNasSessions, insertEvents, spoolEvents, touchesSession, upsertSessions } from './schema';

/** Rows per statement: 21 parameters a row stays under SQLite's 32,766 and PostgreSQL's 65,535. */
export const ROWS_PER_STATEMENT = 500;

export interface BatchPlan {
  /** Run these first: each returns the keys (event_key) of the requests it inserted. */
  inserts: Statement[];
  /** Then these, given the keys the inserts returned: requests already recorded change nothing. */
  apply(inserted: ReadonlySet<string>): Statement[];
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) out.push(items.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

export function batchPlan(dialect: Dialect, events: AccountingEvent[]): BatchPlan {
  const seen = new Set<string>();
  const unique = events.filter((event) => !seen.has(event.key) && seen.add(event.key));
  return {
    inserts: chunks(unique).map((chunk) => insertEvents(dialect, chunk)),
    apply: (inserted) => {
      const statements: Statement[] = [];
      let run: AccountingEvent[] = [];
      let sessions = new Set<string>();
      const flush = (): void => {
        for (const chunk of chunks(run)) statements.push(upsertSessions(dialect, chunk));
        run = [];
        sessions = new Set();
      };
      for (const event of unique) {
        if (!inserted.has(event.key)) continue;
        if (event.statusType === STATUS.on || event.statusType === STATUS.off) {
          flush();
          statements.push(closeNasSessions(dialect, event));
        } else if (touchesSession(event)) {
          const session = `${event.nas}\0${event.sessionId}`;
          if (sessions.has(session)) flush();
          sessions.add(session);
          run.push(event);
        }
      }
      flush();
      // A request new to the store goes to the spool with it, in the order the requests came.
      const spooled = unique.filter((event) => event.spool !== undefined && inserted.has(event.key));
      for (const event of unique) if (event.spool) event.spool.kept = inserted.has(event.key);
      for (const chunk of chunks(spooled)) statements.push(spoolEvents(dialect, chunk));
      return statements;
    },
  };
}
