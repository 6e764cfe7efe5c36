/**
 * The accounting schema, one text for SQLite and PostgreSQL (docs/operator.md shows it): every
 * request once (accounting_events, keyed by what its retransmissions share), and each session as
 * its requests leave it (accounting_sessions, keyed by NAS and Acct-Session-Id). Times are ms
 * since 1970; counters are octets with their Gigawords.
 */
import { AccountingEvent, STATUS } from './event';

/** How a dialect writes the n-th parameter (1-based) and a 64-bit integer. */
export interface Dialect {
  parameter(n: number): string;
  integer: string;
}

// better-sqlite3 binds numbered parameters by name only (@p1 from { p1 }).
export const SQLITE: Dialect = { parameter: (n) => `@p${n}`, integer: 'INTEGER' };
export const POSTGRES: Dialect = { parameter: (n) => `$${n}`, integer: 'BIGINT' };

const SESSION_FIELDS = [
  'user_name', 'calling_station_id', 'called_station_id', 'nas_identifier', 'nas_ip_address', 'nas_port',
  'framed_ip_address', 'class', 'vlan', 'input_octets', 'output_octets', 'input_packets', 'output_packets',
  'session_time', 'terminate_cause',
] as const;
const INTEGER_FIELDS = new Set(['nas_port', 'input_octets', 'output_octets', 'input_packets', 'output_packets',
  'session_time', 'terminate_cause']);

/** The tables, made when missing. */
export function schema(dialect: Dialect): string[] {
  const int = dialect.integer;
  const columns = SESSION_FIELDS.map((name) => `${name} ${INTEGER_FIELDS.has(name) ? int : 'TEXT'}`).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS accounting_events (event_key TEXT PRIMARY KEY, nas TEXT NOT NULL, ` +
      `acct_session_id TEXT, status_type ${int} NOT NULL, event_time ${int} NOT NULL, received_at ${int} NOT NULL, ${columns})`,
    `CREATE TABLE IF NOT EXISTS accounting_sessions (nas TEXT NOT NULL, acct_session_id TEXT NOT NULL, ${columns}, ` +
      `started_at ${int}, updated_at ${int} NOT NULL, stopped_at ${int}, open ${int} NOT NULL, ` +
      'PRIMARY KEY (nas, acct_session_id))',
    'CREATE INDEX IF NOT EXISTS accounting_sessions_open ON accounting_sessions (open, nas)',
  ];
}

function fieldValues(event: AccountingEvent): (string | number | null)[] {
  return [event.userName, event.callingStationId, event.calledStationId, event.nasIdentifier, event.nasIpAddress,
    event.nasPort, event.framedIpAddress, event.className, event.vlan, event.inputOctets, event.outputOctets,
    event.inputPackets, event.outputPackets, event.sessionTime, event.terminateCause];
}

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  values: (string | number | null)[];
}

/** The request itself, which inserts nothing when a try of it is there already. */
export function insertEvent(dialect: Dialect, event: AccountingEvent): Statement {
  const values = [event.key, event.nas, event.sessionId, event.statusType, event.eventTime, event.receivedAt, ...fieldValues(event)];
  const names = ['event_key', 'nas', 'acct_session_id', 'status_type', 'event_time', 'received_at', ...SESSION_FIELDS];
  return {
    sql: `INSERT INTO accounting_events (${names.join(', ')}) VALUES (${values.map((_, i) => dialect.parameter(i + 1)).join(', ')}) ` +
      'ON CONFLICT (event_key) DO NOTHING',
    values,
  };
}

/**
 * What the request does to its session: Start, Interim-Update and Stop make or update it (in any
 * order: a Stop that came first leaves it closed); Accounting-On and -Off close every session of
 * that NAS still open (RFC 2866 §5.1: the NAS restarted or stops, its sessions are over).
 */
export function applyEvent(dialect: Dialect, event: AccountingEvent): Statement | undefined {
  const p = dialect.parameter;
  if (event.statusType === STATUS.on || event.statusType === STATUS.off) {
    return {
      sql: `UPDATE accounting_sessions SET open = 0, stopped_at = ${p(2)}, updated_at = ${p(2)} WHERE nas = ${p(1)} AND open = 1`,
      values: [event.nas, event.eventTime],
    };
  }
  if (event.sessionId === null || ![STATUS.start, STATUS.stop, STATUS.interim].includes(event.statusType as 1 | 2 | 3)) {
    return undefined;
  }
  const stop = event.statusType === STATUS.stop;
  const started = event.statusType === STATUS.start ? event.eventTime
    : event.sessionTime !== null ? event.eventTime - event.sessionTime * 1000 : null;
  const values = [event.nas, event.sessionId, ...fieldValues(event), started, event.eventTime, stop ? event.eventTime : null, stop ? 0 : 1];
  const names = ['nas', 'acct_session_id', ...SESSION_FIELDS, 'started_at', 'updated_at', 'stopped_at', 'open'];
  const keep = (name: string): string => `${name} = COALESCE(excluded.${name}, accounting_sessions.${name})`;
  return {
    sql: `INSERT INTO accounting_sessions (${names.join(', ')}) VALUES (${values.map((_, i) => p(i + 1)).join(', ')}) ` +
      `ON CONFLICT (nas, acct_session_id) DO UPDATE SET ${SESSION_FIELDS.map(keep).join(', ')}, ` +
      'started_at = COALESCE(accounting_sessions.started_at, excluded.started_at), ' +
      'updated_at = excluded.updated_at, stopped_at = COALESCE(accounting_sessions.stopped_at, excluded.stopped_at), ' +
      'open = CASE WHEN accounting_sessions.stopped_at IS NULL AND excluded.stopped_at IS NULL THEN 1 ELSE 0 END',
    values,
  };
}

/** A session as `eaphost sessions` lists it. */
export interface AccountingSession {
  nas: string;
  acctSessionId: string;
  userName: string | null;
  callingStationId: string | null;
  calledStationId: string | null;
  nasIdentifier: string | null;
  nasIpAddress: string | null;
  nasPort: number | null;
  framedIpAddress: string | null;
  class: string | null;
  vlan: string | null;
  inputOctets: number | null;
  outputOctets: number | null;
  sessionTime: number | null;
  startedAt: string | null;
  updatedAt: string;
  stoppedAt: string | null;
  terminateCause: number | null;
  open: boolean;
}

/** Which sessions: open ones (or all), of a user, a station (Calling-Station-Id) or an Acct-Session-Id. */
export interface SessionFilter {
  all?: boolean;
  user?: string;
  mac?: string;
  session?: string;
}

export function selectSessions(dialect: Dialect, filter: SessionFilter): Statement {
  const where: string[] = [];
  const values: string[] = [];
  const add = (condition: (p: string) => string, value: string): void => {
    values.push(value);
    where.push(condition(dialect.parameter(values.length)));
  };
  if (!filter.all) where.push('open = 1');
  if (filter.user !== undefined) add((p) => `user_name = ${p}`, filter.user);
  if (filter.mac !== undefined) add((p) => `calling_station_id = ${p}`, filter.mac);
  if (filter.session !== undefined) add((p) => `acct_session_id = ${p}`, filter.session);
  return {
    sql: `SELECT * FROM accounting_sessions${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC`,
    values,
  };
}

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(Number(value)).toISOString());
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A row as either driver returns it (PostgreSQL's BIGINT comes as text). */
export function sessionOfRow(row: Record<string, unknown>): AccountingSession {
  const str = (name: string): string | null => (row[name] === null || row[name] === undefined ? null : String(row[name]));
  return {
    nas: String(row.nas), acctSessionId: String(row.acct_session_id), userName: str('user_name'),
    callingStationId: str('calling_station_id'), calledStationId: str('called_station_id'), nasIdentifier: str('nas_identifier'),
    nasIpAddress: str('nas_ip_address'), nasPort: num(row.nas_port), framedIpAddress: str('framed_ip_address'),
    class: str('class'), vlan: str('vlan'), inputOctets: num(row.input_octets), outputOctets: num(row.output_octets),
    sessionTime: num(row.session_time), startedAt: iso(row.started_at), updatedAt: iso(row.updated_at) as string,
    stoppedAt: iso(row.stopped_at), terminateCause: num(row.terminate_cause), open: Number(row.open) === 1,
  };
}
