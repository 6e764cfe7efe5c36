/**
 * One reason table: every raw code a layer gives on the way to (or instead of) a connection, read
 * into a ConnectCategory. The rows, each with its source, are in reason-table.ts. Codes not in the
 * table read as 'unknown'; the raw code is never replaced, only read.
 */
import type { ConnectCategory, ConnectCode, ConnectCodeSource } from './outcome';
import { REASON_GROUPS, ReasonGroup, ReasonRow } from './reason-table';

interface Found { row: ReasonRow; group: ReasonGroup }

const EXACT = new Map<string, Found>();
for (const group of REASON_GROUPS) {
  for (const row of group.rows) EXACT.set(`${group.source}\0${String(row[0])}`, { row, group });
}
const WPA_PREFIXES: Found[] = REASON_GROUPS.flatMap((group) => (group.prefixes ?? []).map((row) => ({ row, group })));

/** Wired AutoConfig's ReasonCode and the WLAN/ONEX codes share Windows' one L2 reason space. */
const SAME_SPACE: Partial<Record<ConnectCodeSource, readonly ConnectCodeSource[]>> = {
  'wired-reason': ['onex-reason', 'wlan-reason'],
};

/** A Windows code may arrive signed (an HRESULT in an INT32); the table holds DWORDs. */
function keyOf(value: number | string): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value >>> 0) : String(value);
  return value.trim();
}

function find(code: ConnectCode): Found | undefined {
  if (code === null || typeof code !== 'object' || (typeof code.value !== 'number' && typeof code.value !== 'string')) return undefined;
  const key = keyOf(code.value);
  for (const source of SAME_SPACE[code.source] ?? [code.source]) {
    const exact = EXACT.get(`${source}\0${key}`);
    if (exact) return exact;
  }
  if (code.source === 'wpa-eap-status' && typeof code.value === 'string') {
    return WPA_PREFIXES.find(({ row }) => key === row[0] || key.startsWith(`${String(row[0])} `));
  }
  return undefined;
}

/** The category of one raw code; 'unknown' for a code the table does not know. */
export function categoryOf(code: ConnectCode): ConnectCategory {
  return find(code)?.row[2] ?? 'unknown';
}

/** A code's symbolic name from its source, when the table knows it. */
export function nameOf(code: ConnectCode): string | undefined {
  return find(code)?.row[1];
}

/** The raw value a source's table row gives a symbolic name: code that tests for one state reads
 *  the constant here, so each Windows value is written once (in reason-table.ts). */
export function valueNamed(source: ConnectCodeSource, name: string): number {
  const row = REASON_GROUPS.find((group) => group.source === source)?.rows.find((entry) => entry[1] === name);
  if (row === undefined || typeof row[0] !== 'number') throw new Error(`the reason table has no ${source} value named ${name}`);
  return row[0];
}

/** Which layer speaks most precisely: the EAP method's own error, then 802.1X's, then the OS's. */
const SOURCE_RANK: Record<ConnectCodeSource, number> = {
  'eap-error': 0, 'wpa-eap-status': 0, 'onex-reason': 1, 'wired-reason': 1, 'onex-status': 2, win32: 2,
  'wlan-reason': 3, 'nm-device-reason': 3, 'nm-active-reason': 3,
};

/** Within one layer, a certificate's verdict says more than "the EAP exchange failed". */
const SPECIFICITY: readonly ConnectCategory[] = ['server-name-mismatch', 'server-untrusted', 'client-certificate',
  'credentials-rejected', 'interaction-required', 'policy', 'no-address', 'no-authenticator', 'interrupted', 'timeout'];

/** The category of a failed attempt from all its codes: the most specific one any code gives
 *  (an EAP error outranks the ONEX reason, which outranks the WLAN or NM reason). Success codes
 *  say nothing about why an attempt failed, so a failed attempt never reads as 'connected'. */
export function categoryOfCodes(codes: readonly ConnectCode[]): ConnectCategory {
  let best: { category: ConnectCategory; rank: number; specificity: number } | undefined;
  for (const code of codes) {
    const category = categoryOf(code);
    if (category === 'unknown' || category === 'connected' || category === 'authenticated') continue;
    const rank = SOURCE_RANK[code.source] ?? Number.MAX_SAFE_INTEGER;
    const specificity = SPECIFICITY.indexOf(category);
    if (!best || rank < best.rank || (rank === best.rank && specificity < best.specificity)) best = { category, rank, specificity };
  }
  return best?.category ?? 'unknown';
}

/** A code with its name filled in from the table, as a backend records it. */
export function namedCode(source: ConnectCodeSource, value: number | string): ConnectCode {
  const code: ConnectCode = { source, value };
  const name = nameOf(code);
  return name === undefined ? code : { ...code, name };
}
