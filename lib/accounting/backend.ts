/** What an accounting driver does (sqlite.ts, postgres.ts): one transaction for a batch, and a query for sessions. */
import type { AccountingEvent } from './event';
import type { AccountingSession, RecordedRequest, SessionFilter, SpooledRequest } from './schema';

export interface AccountingBackend {
  /** Writes every event in one transaction; resolves once it is durable. */
  write(events: AccountingEvent[]): Promise<void>;
  sessions(filter: SessionFilter): Promise<AccountingSession[]>;
  /** The requests recorded at `since` (ms since 1970) or later, oldest first (RECENT_REQUESTS_SQL). */
  recentRequests(since: number): Promise<RecordedRequest[]>;
  /** The spool (spool.ts): each home's oldest request, oldest first. */
  spoolHeads(): Promise<SpooledRequest[]>;
  /** A spooled request its home acknowledged, deleted; then how many are left. */
  unspool(id: number): Promise<number>;
  /** How many requests the spool holds. */
  spoolDepth(): Promise<number>;
  close(): Promise<void>;
}
