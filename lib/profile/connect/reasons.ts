/**
 * One reason table: every raw code a layer gives on the way to (or instead of) a connection, read
 * into a ConnectCategory. Each row cites its source. Codes not in the table read as 'unknown'.
 */
import type { ConnectCategory, ConnectCode } from './outcome';

/** The category of one raw code; 'unknown' for a code the table does not know. */
export function categoryOf(code: ConnectCode): ConnectCategory {
  void code;
  return 'unknown';
}

/** The category of a failed attempt from all its codes: the most specific one any code gives
 *  (an EAP error outranks the ONEX reason, which outranks the WLAN or NM reason). */
export function categoryOfCodes(codes: readonly ConnectCode[]): ConnectCategory {
  void codes;
  return 'unknown';
}

/** A code's symbolic name from its source, when the table knows it. */
export function nameOf(code: ConnectCode): string | undefined {
  void code;
  return undefined;
}
