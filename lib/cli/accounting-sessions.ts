/**
 * The sessions serve --accounting recorded, as the commands find them: `sessions` lists them, and
 * `disconnect` / `coa --accounting FILE|URL --user NAME | --mac MAC | --session ID` take the one
 * open session that matches, so one line names it: its NAS (the address its accounting came
 * from, unless --nas says otherwise) and what names it there (User-Name, Acct-Session-Id,
 * Calling-Station-Id, NAS-IP-Address, NAS-Identifier, as the NAS sent them) fill the request's
 * flags. A MAC is matched in the spellings NASes send in Calling-Station-Id (02-00-00-00-00-01,
 * 02:00:00:00:00:01, 020000000001, either case).
 */
import {
  AccountingBackend, AccountingDriverMissingError, AccountingSession, SessionFilter, openBackend,
} from '../accounting';
import { formatHostPort } from '../radius/endpoint';
import { stringFlag } from './command-line';
import { FlagValues, UsageError } from './main';

/** The store --accounting TARGET names; an empty target or a driver not installed is a UsageError. */
export async function openAccounting(target: string): Promise<AccountingBackend> {
  try {
    return await openBackend(target);
  } catch (error) {
    if (error instanceof AccountingDriverMissingError) throw new UsageError(`--accounting ${error.message}`);
    if (error instanceof TypeError) throw new UsageError(`--accounting: ${error.message}`);
    throw error;
  }
}

/** The spellings of a MAC a NAS may send, or the text itself when it is not a MAC. */
export function macSpellings(value: string): string[] {
  const hex = value.replace(/[-:.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return [value];
  const pairs = hex.match(/../g)!;
  const spellings = [pairs.join('-'), pairs.join(':'), hex];
  // A MAC of digits alone is the same in either case: each spelling once.
  return [...new Set([...spellings, ...spellings.map((spelling) => spelling.toUpperCase())])];
}

/** The sessions `values` select (--accounting, --user, --mac, --session, --all). */
export async function findSessions(values: FlagValues): Promise<AccountingSession[]> {
  const target = stringFlag(values, 'accounting');
  if (target === undefined) throw new UsageError('--accounting FILE|URL is required');
  const backend = await openAccounting(target);
  try {
    const filter: SessionFilter = { all: values.all === true };
    for (const name of ['user', 'session'] as const) {
      const value = stringFlag(values, name);
      if (value !== undefined) filter[name] = value;
    }
    const mac = stringFlag(values, 'mac');
    if (mac === undefined) return await backend.sessions(filter);
    const found = await Promise.all(macSpellings(mac).map((spelling) => backend.sessions({ ...filter, mac: spelling })));
    // A store that matches without regard to case finds a session under two spellings: each session once.
    const unique = new Map(found.flat().map((session) => [JSON.stringify([session.nas, session.acctSessionId]), session]));
    return [...unique.values()];
  } finally {
    await backend.close();
  }
}


/** Fills `values` from the store when --accounting is given; nothing otherwise. */
export async function sessionFromAccounting(values: FlagValues): Promise<void> {
  if (values.accounting === undefined) {
    for (const name of ['user', 'mac', 'session']) {
      if (values[name] !== undefined) throw new UsageError(`--${name} looks the session up in --accounting FILE|URL: give it`);
    }
    return;
  }
  if (['user', 'mac', 'session'].every((name) => values[name] === undefined)) {
    throw new UsageError('--accounting: name the session with --user, --mac or --session');
  }
  const found = await findSessions({ accounting: values.accounting, user: values.user, mac: values.mac, session: values.session });
  if (found.length !== 1) {
    throw new UsageError(`--accounting: ${found.length === 0 ? 'no open session' : `${found.length} open sessions`} match` +
      (found.length > 1 ? ` (${found.map((s) => `${s.acctSessionId} on ${s.nasIdentifier ?? s.nas}`).join(', ')}): narrow it down` : ''));
  }
  const [session] = found;
  values.nas ??= formatHostPort(session.nas, 3799);
  const fill = (flag: string, value: string | null): void => {
    if (value !== null) values[flag] ??= value;
  };
  fill('identity', session.userName);
  fill('session-id', session.acctSessionId);
  fill('calling-station-id', session.callingStationId);
  fill('nas-ip-address', session.nasIpAddress);
  fill('nas-identifier', session.nasIdentifier);
}
