/** `eaphost sessions --accounting FILE|URL`: the sessions the store holds, newest first, as a table or one JSON array. */
import type { AccountingSession } from '../../../accounting';
import { findSessions } from '../../accounting-sessions';
import type { CommandIo, FlagValues } from '../../main';
import { printable } from '../../printable';

const COLUMNS: [string, (session: AccountingSession) => string][] = [
  ['NAS', (s) => s.nasIdentifier ?? s.nas], ['SESSION', (s) => s.acctSessionId], ['USER', (s) => s.userName ?? ''],
  ['STATION', (s) => s.callingStationId ?? ''], ['IP', (s) => s.framedIpAddress ?? ''], ['VLAN', (s) => s.vlan ?? ''],
  ['STARTED', (s) => s.startedAt ?? ''], ['SECONDS', (s) => (s.sessionTime === null ? '' : String(s.sessionTime))],
  ['IN', (s) => (s.inputOctets === null ? '' : String(s.inputOctets))],
  ['OUT', (s) => (s.outputOctets === null ? '' : String(s.outputOctets))], ['STATE', (s) => (s.open ? 'open' : 'closed')],
];

export async function runSessions(values: FlagValues, { out }: CommandIo): Promise<number> {
  const sessions = await findSessions(values);
  if (values.json === true) {
    out(JSON.stringify(sessions));
    return 0;
  }
  // What a NAS sent (a User-Name, a session id) is its choice: escaped as audit's report escapes a server's words.
  const rows = [COLUMNS.map(([title]) => title), ...sessions.map((session) => COLUMNS.map(([, cell]) => printable(cell(session))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) out(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  return 0;
}
