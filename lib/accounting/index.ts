/**
 * Accounting kept (RFC 2866): the store `serve --accounting` records Accounting-Requests into and
 * `sessions`, `disconnect` and `coa` read, an SQLite file or PostgreSQL.
 */
export type { AccountingEvent } from './event';
export { accountingEvent } from './event';
export type { AccountingBackend } from './backend';
export type { AccountingSession, SessionFilter } from './schema';
export { AccountingDriverMissingError, AccountingWriter, failureReporter, openBackend } from './store';
