/** What an accounting driver does (sqlite.ts, postgres.ts): one transaction for a batch, and a query for sessions. */
import type { AccountingEvent } from './event';
import type { AccountingSession, SessionFilter } from './schema';

export interface AccountingBackend {
  /** Writes every event in one transaction; resolves once it is durable. */
  write(events: AccountingEvent[]): Promise<void>;
  sessions(filter: SessionFilter): Promise<AccountingSession[]>;
  close(): Promise<void>;
}
