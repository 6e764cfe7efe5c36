/**
 * The accounting store `serve --accounting` records into and `sessions`, `disconnect` and `coa`
 * read: an SQLite file (better-sqlite3), or PostgreSQL (pg) for instances that share one. Requests
 * that arrive together are written in one transaction (group commit), and each is acknowledged
 * only once that transaction is durable: a failed transaction fails every request in it, none is
 * half written, and the NAS's retries are recorded once (accounting_events' key).
 */
import type { AccountingEvent } from './event';
import type { AccountingBackend } from './backend';

/** Which store `--accounting` names: a postgres:// or postgresql:// URL, else an SQLite file. */
export function isPostgres(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The store's driver (an optional peer dependency) is not installed: `driver` names the npm package. */
export class AccountingDriverMissingError extends Error {
  constructor(readonly driver: string, where: string, detail?: string) {
    super(`${where}: needs the npm package ${driver} (npm install ${driver})${detail === undefined ? '' : `, built for this node: ${detail}`}`);
    this.name = 'AccountingDriverMissingError';
  }
}

/** The backend TARGET names, its tables made; a driver not installed is an AccountingDriverMissingError. */
export async function openBackend(target: string): Promise<AccountingBackend> {
  if (target === '') throw new TypeError('an accounting store is a file or a postgres:// URL');
  try {
    if (isPostgres(target)) return await (await import('./postgres')).openPostgres(target);
    return (await import('./sqlite')).openSqlite(target, (detail) => new AccountingDriverMissingError('better-sqlite3@12', target, detail));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      const driver = isPostgres(target) ? 'pg' : 'better-sqlite3@12';
      throw new AccountingDriverMissingError(driver, isPostgres(target) ? 'postgres://…' : target);
    }
    throw error;
  }
}

/** The longest a transaction waits for more requests to join it (see AccountingWriter). */
const MAX_LINGER_MS = 10;

/**
 * Batches requests for the backend: those that come while a transaction runs go in the next one.
 * Each request's promise settles with its transaction. A NAS answered in a burst sends its next
 * requests in a burst, a little after its answers went out: when fewer than half as many as the
 * last transaction held are waiting, the next one waits for the rest, until half are there or for
 * as long as the last transaction took (at most MAX_LINGER_MS), so one burst is one transaction
 * rather than a request alone and the rest after it. A request alone (the last transaction held
 * one) waits for nothing.
 */
export class AccountingWriter {
  private queue: { event: AccountingEvent; settle: (error?: unknown) => void }[] = [];
  /** A transaction is running, or about to, or lingering. */
  private writing = false;
  private lingering?: { timer: NodeJS.Timeout; wanted: number };
  private last = { size: 0, ms: 0 };

  constructor(private readonly backend: AccountingBackend) {}

  record(event: AccountingEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.lingering && this.queue.length >= this.lingering.wanted) {
        clearTimeout(this.lingering.timer);
        this.lingering = undefined;
        this.flush(true);
      } else if (!this.writing) {
        this.writing = true;
        setImmediate(() => this.flush(false));
      }
    });
  }

  private flush(lingered: boolean): void {
    if (this.queue.length === 0) {
      this.writing = false;
      return;
    }
    const wanted = this.last.size;
    if (!lingered && this.queue.length < wanted) {
      this.lingering = { timer: setTimeout(() => {
        this.lingering = undefined;
        this.flush(true);
      }, Math.min(this.last.ms, MAX_LINGER_MS)), wanted };
      return;
    }
    const batch = this.queue;
    this.queue = [];
    const began = performance.now();
    this.backend.write(batch.map(({ event }) => event)).then(
      () => batch.forEach(({ settle }) => settle()),
      (error: unknown) => batch.forEach(({ settle }) => settle(error instanceof Error ? error : new Error(String(error)))),
    ).finally(() => {
      this.last = { size: batch.length, ms: performance.now() - began };
      this.flush(false);
    });
  }
}

/** Says a failing store once a second at most, and says when it records again. */
export function failureReporter(say: (line: string) => void, now = () => Date.now()): { failed(message: string): void; recorded(): void } {
  let lastSaid = -Infinity;
  let unanswered = 0;
  let down = false;
  return {
    failed(message) {
      unanswered++;
      down = true;
      if (now() - lastSaid < 1000) return;
      lastSaid = now();
      say(`accounting store failing, not acknowledging (${unanswered} unanswered so far): ${message}`);
    },
    recorded() {
      if (!down) return;
      down = false;
      say(`accounting store recording again (${unanswered} requests went unanswered meanwhile; the NAS resends them)`);
      unanswered = 0;
      lastSaid = -Infinity;
    },
  };
}
