/**
 * `serve --accounting FILE | postgres://…`: Accounting-Requests answered and recorded. Each request
 * the engine checked becomes an event (accounting/event.ts), is written with those that came with
 * it in one transaction, and is acknowledged once that commits. A store that fails (full, locked,
 * read-only, gone) is said once a second on stderr while nothing is acknowledged, and again when
 * it records again: the NAS resends what went unanswered, and each request is recorded once
 * (accounting/retries.ts tells a retry from a new request, and what it told before a restart is
 * read back from the store).
 */
import type { AccountingRecorder } from '../../../radius/server-accounting';
import {
  AccountingEvent, AccountingSession, SessionFilter, AccountingWriter, accountingEvent, failureReporter,
} from '../../../accounting';
import { AccountingRetries, RETRY_WINDOW_MS } from '../../../accounting/retries';
import { AccountingSpool } from '../../../accounting/spool';
import { openAccounting } from '../../accounting-sessions';
import { stringFlag } from '../../command-line';
import type { FlagValues, LineWriter } from '../../main';

export interface ServeAccounting {
  accounting: AccountingRecorder;
  onAccountingFailure: (message: string) => void;
  /** Which requests are retries of one taken already (bounded; its `forgotten` counts evictions). */
  retries: AccountingRetries;
  /** Requests of realms routed to a home server, kept until their home acknowledged them. */
  spool: AccountingSpool;
  /** The sessions the store holds (open ones unless `all`). */
  sessions(filter: SessionFilter): Promise<AccountingSession[]>;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = { 1: 'Start', 2: 'Stop', 3: 'Interim-Update', 7: 'Accounting-On', 8: 'Accounting-Off' };

/** The --log line of a recorded request: key=value pairs, the peer's texts quoted. */
export function accountingLogLine(event: AccountingEvent): string {
  return `${new Date(event.receivedAt).toISOString()} accounting client=${event.nas} ` +
    `status=${STATUS_NAMES[event.statusType] ?? event.statusType} session=${JSON.stringify(event.sessionId ?? '')} ` +
    `user=${JSON.stringify(event.userName ?? '')} station=${JSON.stringify(event.callingStationId ?? '')} recorded`;
}

/** `say` hears the store's failures; `log`, when given, a line per request recorded (serve --log). */
export async function accountingFlags(values: FlagValues, say: LineWriter, log?: LineWriter): Promise<ServeAccounting | undefined> {
  const target = stringFlag(values, 'accounting');
  if (target === undefined) return undefined;
  const backend = await openAccounting(target);
  const writer = new AccountingWriter(backend);
  const reporter = failureReporter((line) => say(`eaphost serve: ${line}`));
  const retries = new AccountingRetries();
  // A NAS retrying what was recorded before serve (re)started: its request is known as it was.
  retries.restore(await backend.recentRequests(Date.now() - RETRY_WINDOW_MS));
  const spool = new AccountingSpool(backend, (line) => say(`eaphost serve: ${line}`));
  return {
    retries,
    spool,
    accounting: async (request) => {
      const event = accountingEvent(request);
      event.key = retries.keyOf(event);
      if (request.realm !== undefined) event.spool = { realm: request.realm, home: request.home ?? '', attributes: request.attributes };
      await writer.record(event);
      reporter.recorded();
      // Counted once: a NAS's retry of a request recorded before is neither recorded nor spooled again.
      if (event.spool?.kept) spool.spooled();
      log?.(accountingLogLine(event));
    },
    onAccountingFailure: (message) => reporter.failed(message),
    sessions: (filter) => backend.sessions(filter),
    close: () => {
      spool.close();
      return backend.close();
    },
  };
}
