/**
 * The accounting schema, one text for SQLite and PostgreSQL (docs/operator.md shows it): every
 * request once (accounting_events, keyed by what its retransmissions share), and each session as
 * its requests leave it (accounting_sessions, keyed by NAS and Acct-Session-Id). Times are ms
 * since 1970; counters are octets with their Gigawords.
 */
import type { RadiusAttribute } from '../radius';
import { AccountingEvent, STATUS } from './event';

/** How a dialect writes the n-th parameter (1-based), a 64-bit integer and a key numbered in order. */
export interface Dialect {
  parameter(n: number): string;
  integer: string;
  serial: string;
}

// better-sqlite3 binds numbered parameters by name only; `?` it binds by position, from an array.
export const SQLITE: Dialect = { parameter: () => '?', integer: 'INTEGER', serial: 'INTEGER PRIMARY KEY AUTOINCREMENT' };
export const POSTGRES: Dialect = { parameter: (n) => `$${n}`, integer: 'BIGINT', serial: 'BIGSERIAL PRIMARY KEY' };

const SESSION_FIELDS = [
  'user_name', 'calling_station_id', 'called_station_id', 'nas_identifier', 'nas_ip_address', 'nas_port',
  'framed_ip_address', 'class', 'vlan', 'input_octets', 'output_octets', 'input_packets', 'output_packets',
  'session_time', 'terminate_cause',
] as const;
const INTEGER_FIELDS = new Set(['nas_port', 'input_octets', 'output_octets', 'input_packets', 'output_packets',
  'session_time', 'terminate_cause']);

/** A column a table gained after it first shipped: added, with its default, to a store made without it. */
export interface AddedColumn {
  table: string;
  column: string;
  definition: string;
}

/** The tables, made when missing, in order; an AddedColumn is added where it is missing. */
export function schema(dialect: Dialect): (string | AddedColumn)[] {
  const int = dialect.integer;
  const columns = SESSION_FIELDS.map((name) => `${name} ${INTEGER_FIELDS.has(name) ? int : 'TEXT'}`).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS accounting_events (event_key TEXT PRIMARY KEY, nas TEXT NOT NULL, ` +
      `acct_session_id TEXT, status_type ${int} NOT NULL, event_time ${int} NOT NULL, received_at ${int} NOT NULL, ${columns})`,
    // The requests of the last few minutes, read when serve starts (RECENT_REQUESTS_SQL): made
    // in a store an older serve made too, as every statement here is.
    'CREATE INDEX IF NOT EXISTS accounting_events_received ON accounting_events (received_at)',
    `CREATE TABLE IF NOT EXISTS accounting_sessions (nas TEXT NOT NULL, acct_session_id TEXT NOT NULL, ${columns}, ` +
      `started_at ${int}, updated_at ${int} NOT NULL, stopped_at ${int}, open ${int} NOT NULL, ` +
      'PRIMARY KEY (nas, acct_session_id))',
    'CREATE INDEX IF NOT EXISTS accounting_sessions_open ON accounting_sessions (open, nas)',
    // Requests of a realm routed to a home server, each kept until its home acknowledged it
    // (spool.ts): its attributes as the NAS sent them, in order, as JSON ([type, value in hex] each;
    // native/radius encodes them when the request is sent); `home` the URL of the home its realm's
    // pool picked when it came, whose requests go one at a time; `id` the requests' order.
    `CREATE TABLE IF NOT EXISTS accounting_spool (id ${dialect.serial}, realm TEXT NOT NULL, home TEXT NOT NULL, ` +
      `attributes TEXT NOT NULL, received_at ${int} NOT NULL)`,
    // A spool made before requests were kept per home: its requests go where their realm is routed now.
    { table: 'accounting_spool', column: 'home', definition: "TEXT NOT NULL DEFAULT ''" },
    'CREATE INDEX IF NOT EXISTS accounting_spool_home ON accounting_spool (home, id)',
  ];
}

/**
 * The requests recorded since a time, oldest first: what tells a NAS's retry from a new request
 * (retries.ts) read back when serve starts, so a retry of one recorded before a restart is known.
 */
export const RECENT_REQUESTS_SQL = (dialect: Dialect): string =>
  'SELECT event_key, nas, acct_session_id, status_type, event_time, received_at FROM accounting_events ' +
  `WHERE received_at >= ${dialect.parameter(1)} ORDER BY received_at, event_time`;

/** A row of RECENT_REQUESTS_SQL as either driver returns it (PostgreSQL's BIGINT comes as text). */
export function recordedOfRow(row: Record<string, unknown>): RecordedRequest {
  return { eventKey: String(row.event_key), nas: String(row.nas),
    sessionId: row.acct_session_id === null || row.acct_session_id === undefined ? null : String(row.acct_session_id),
    statusType: Number(row.status_type), eventTime: Number(row.event_time), receivedAt: Number(row.received_at) };
}

/** A request the store recorded, as far as telling its retries apart needs it. */
export interface RecordedRequest {
  /** event_key: the request's content key, '-', what it was given to tell it from another of the same content. */
  eventKey: string;
  nas: string;
  sessionId: string | null;
  statusType: number;
  eventTime: number;
  receivedAt: number;
}

/** A request spooled for its realm's home server: a row of accounting_spool. */
export interface SpooledRequest {
  id: number;
  realm: string;
  /** The URL of the home it was spooled for: each home's requests go in order, one at a time. */
  home: string;
  attributes: RadiusAttribute[];
  /** When the NAS sent it, ms since 1970. */
  receivedAt: number;
}

/** The requests spooled, one request to insert. */
export function spoolEvents(dialect: Dialect, events: AccountingEvent[]): Statement {
  const parameters = new Parameters(dialect);
  const rows = events.map((event) => parameters.row([event.spool!.realm, event.spool!.home,
    JSON.stringify(event.spool!.attributes.map(({ type, value }) => [type, value.toString('hex')])), event.receivedAt]));
  return { sql: `INSERT INTO accounting_spool (realm, home, attributes, received_at) VALUES ${rows.join(', ')}`, values: parameters.values };
}

/** The spool's statements: each home's oldest request, one request deleted, how many are kept. */
export const SPOOL_SQL = {
  heads: 'SELECT id, realm, home, attributes, received_at FROM accounting_spool WHERE id IN (SELECT MIN(id) FROM accounting_spool GROUP BY home) ORDER BY id',
  remove: (dialect: Dialect): string => `DELETE FROM accounting_spool WHERE id = ${dialect.parameter(1)}`,
  depth: 'SELECT COUNT(*) AS depth FROM accounting_spool',
};

/** A row of SPOOL_SQL.heads as either driver returns it (PostgreSQL's BIGINT comes as text). */
export function spooledOfRow(row: Record<string, unknown>): SpooledRequest {
  const attributes = (JSON.parse(String(row.attributes)) as [number, string][])
    .map(([type, value]) => ({ type, value: Buffer.from(value, 'hex') }));
  return { id: Number(row.id), realm: String(row.realm), home: String(row.home), attributes, receivedAt: Number(row.received_at) };
}

function fieldValues(event: AccountingEvent): (string | number | null)[] {
  return [event.userName, event.callingStationId, event.calledStationId, event.nasIdentifier, event.nasIpAddress,
    event.nasPort, event.framedIpAddress, event.className, event.vlan, event.inputOctets, event.outputOctets,
    event.inputPackets, event.outputPackets, event.sessionTime, event.terminateCause];
}

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  values: (string | number | Buffer | null)[];
}

/** Parameters in the order the statement's text names them (SQLite's `?` binds by position). */
class Parameters {
  readonly values: (string | number | Buffer | null)[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(value: string | number | Buffer | null): string {
    this.values.push(value);
    return this.dialect.parameter(this.values.length);
  }
  row(values: (string | number | Buffer | null)[]): string {
    return `(${values.map((value) => this.add(value)).join(', ')})`;
  }
}

const EVENT_COLUMNS = ['event_key', 'nas', 'acct_session_id', 'status_type', 'event_time', 'received_at', ...SESSION_FIELDS];
const SESSION_COLUMNS = ['nas', 'acct_session_id', ...SESSION_FIELDS, 'started_at', 'updated_at', 'stopped_at', 'open'];

/**
 * The requests themselves, one row each, in one statement: a request a try of which is there
 * already inserts nothing, and the keys it returns are those inserted.
 */
export function insertEvents(dialect: Dialect, events: AccountingEvent[]): Statement {
  const parameters = new Parameters(dialect);
  const rows = events.map((event) => parameters.row([event.key, event.nas, event.sessionId, event.statusType, event.eventTime,
    event.receivedAt, ...fieldValues(event)]));
  return {
    sql: `INSERT INTO accounting_events (${EVENT_COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ` +
      'ON CONFLICT (event_key) DO NOTHING RETURNING event_key',
    values: parameters.values,
  };
}

/** Accounting-On and -Off close every session of that NAS still open (RFC 2866 §5.1: the NAS restarted or stops, its sessions are over). */
export function closeNasSessions(dialect: Dialect, event: AccountingEvent): Statement {
  const parameters = new Parameters(dialect);
  return {
    sql: `UPDATE accounting_sessions SET open = 0, stopped_at = ${parameters.add(event.eventTime)}, ` +
      `updated_at = ${parameters.add(event.eventTime)} WHERE nas = ${parameters.add(event.nas)} AND open = 1`,
    values: parameters.values,
  };
}

/** Whether a request names a session it starts, updates or stops. */
export function touchesSession(event: AccountingEvent): boolean {
  return event.sessionId !== null && [STATUS.start, STATUS.stop, STATUS.interim].includes(event.statusType as 1 | 2 | 3);
}

/**
 * What Start, Interim-Update and Stop requests do to their sessions, each a different session:
 * make or update it (in any order: a Stop that came first leaves it closed; a request of a session
 * begun after its stop opens it again). One statement may
 * not touch a row twice, so the caller gives each session once (batch.ts).
 */
export function upsertSessions(dialect: Dialect, events: AccountingEvent[]): Statement {
  const parameters = new Parameters(dialect);
  const rows = events.map((event) => {
    const stop = event.statusType === STATUS.stop;
    const started = event.statusType === STATUS.start ? event.eventTime
      : event.sessionTime !== null ? event.eventTime - event.sessionTime * 1000 : null;
    return parameters.row([event.nas, event.sessionId, ...fieldValues(event), started, event.eventTime,
      stop ? event.eventTime : null, stop ? 0 : 1]);
  });
  // A session begun after it was last stopped was restarted (its NAS reuses the Acct-Session-Id,
  // or restarted itself): it is open again, with what the new request says.
  const restarted = 'excluded.stopped_at IS NULL AND accounting_sessions.stopped_at IS NOT NULL AND ' +
    'excluded.started_at > accounting_sessions.stopped_at';
  const keep = (name: string): string =>
    `${name} = CASE WHEN ${restarted} THEN excluded.${name} ELSE COALESCE(excluded.${name}, accounting_sessions.${name}) END`;
  return {
    sql: `INSERT INTO accounting_sessions (${SESSION_COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ` +
      `ON CONFLICT (nas, acct_session_id) DO UPDATE SET ${SESSION_FIELDS.map(keep).join(', ')}, ` +
      `started_at = CASE WHEN ${restarted} THEN excluded.started_at ELSE COALESCE(accounting_sessions.started_at, excluded.started_at) END, ` +
      `updated_at = excluded.updated_at, stopped_at = CASE WHEN ${restarted} THEN NULL ` +
      'ELSE COALESCE(accounting_sessions.stopped_at, excluded.stopped_at) END, ' +
      `open = CASE WHEN ${restarted} THEN 1 WHEN accounting_sessions.stopped_at IS NULL AND excluded.stopped_at IS NULL THEN 1 ELSE 0 END`,
    values: parameters.values,
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
  const parameters = new Parameters(dialect);
  const where = filter.all ? [] : ['open = 1'];
  if (filter.user !== undefined) where.push(`user_name = ${parameters.add(filter.user)}`);
  if (filter.mac !== undefined) where.push(`calling_station_id = ${parameters.add(filter.mac)}`);
  if (filter.session !== undefined) where.push(`acct_session_id = ${parameters.add(filter.session)}`);
  return {
    sql: `SELECT * FROM accounting_sessions${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC`,
    values: parameters.values,
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
