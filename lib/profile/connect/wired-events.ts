/**
 * Reading the Wired AutoConfig service's 802.1X records: the event XML EvtRender gives for the
 * Microsoft-Windows-Wired-AutoConfig/Operational channel, into ConnectEvents and raw codes.
 * Windows has no API for a wired attempt's outcome; these records are the only place it says it.
 * The event IDs read here, and the template each one's data follows, are in
 * docs/WINDOWS-CONTRACT.md with their sources. A record's data is read by position (%1, %2, …
 * of the documented message template), never by the Data elements' names, which Microsoft does
 * not document. Anything that is not such a record, or whose fields are out of bounds, is a
 * WiredEventError: a record this reader cannot vouch for never becomes an outcome.
 */
import { ProfileError } from '../network-profile';
import { readXml, XmlNode } from '../xml-read';
import type { ConnectCode, ConnectEvent } from './outcome';

export const WIRED_AUTOCONFIG_CHANNEL = 'Microsoft-Windows-Wired-AutoConfig/Operational';
export const WIRED_AUTOCONFIG_PROVIDER = 'Microsoft-Windows-Wired-AutoConfig';

/** The events an attempt is read from. */
export const WIRED_EVENT = {
  /** "Wired 802.1X Authentication was started." %1 interface GUID, %2 adapter, %3 connection ID. */
  started: 15503,
  /** "Wired 802.1X Authentication was restarted." %1, %2, %3, %4 restart reason. */
  restarted: 15504,
  /** "Wired 802.1X Authentication succeeded." The template of 15514. */
  succeeded: 15505,
  /** "Network authentication attempts have been temporarily suspended…" %1, %2, %3 reason
   *  code, %4 block timer (s). */
  suspended: 15506,
  /** "Wired 802.1X Authentication failed." %1 interface GUID, %2 adapter, %3 peer address,
   *  %4 local address, %5 connection ID, %6 identity, %7 user, %8 domain, %9 reason,
   *  %10 reason text, %11 error code. */
  failed: 15514,
} as const;

/** The query's event IDs, for the XPath filter. */
export const WIRED_EVENT_IDS: readonly number[] = Object.values(WIRED_EVENT);

/** A record that is not a well-formed Wired AutoConfig event, or has a field out of bounds. */
export class WiredEventError extends Error {
  readonly code = 'ERR_WIRED_EVENT';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`Wired-AutoConfig event: ${message}`, options);
    this.name = 'WiredEventError';
  }
}

/** One record, as the event schema carries it. */
export interface WiredEventRecord {
  eventId: number;
  /** EventRecordID: the channel's own sequence, which orders the records. */
  recordId: number;
  /** TimeCreated's SystemTime (UTC, ISO 8601). */
  timeCreated: string;
  /** The interface GUID (%1), "{…}" uppercase. */
  interfaceGuid: string;
  /** The insertion strings %1, %2, … in order. */
  data: string[];
}

/** What one record says about the attempt. */
export interface WiredReading {
  event?: Omit<ConnectEvent, 'elapsedMs'>;
  codes: ConnectCode[];
  /** Set on the attempt's last record. */
  final?: 'connected' | 'failed';
  /** The reason in Windows' words (15514's reason text), when given. */
  reasonText?: string;
}

// A rendered record is a few kilobytes; the addon caps one at 1 MiB, this reader tighter.
const MAX_RECORD_CHARS = 64 * 1024;
const MAX_DATA_ITEMS = 64;
const MAX_DATA_CHARS = 4096;
const GUID = /^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$/;
const SYSTEM_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const EAP_ERROR_FACILITY = 0x80420000;

function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((entry) => entry.name === name);
}

function required(node: XmlNode, name: string, where: string): XmlNode {
  const found = child(node, name);
  if (!found) throw new WiredEventError(`no ${where}/${name}`);
  return found;
}

/** A decimal or 0x-hex integer within [0, max]. */
function integer(text: string, what: string, max: number): number {
  const trimmed = text.trim();
  let value: number;
  if (/^0[xX][0-9A-Fa-f]{1,16}$/.test(trimmed)) value = parseInt(trimmed.slice(2), 16);
  else if (/^\d{1,20}$/.test(trimmed)) value = Number(trimmed);
  else throw new WiredEventError(`${what} is not a number: ${JSON.stringify(trimmed.slice(0, 40))}`);
  if (!Number.isSafeInteger(value) || value > max) throw new WiredEventError(`${what} ${trimmed} is out of range (0..${max})`);
  return value;
}

/** Reads one rendered event (EvtRender's EvtRenderEventXml) of the Wired AutoConfig channel. */
export function parseWiredEvent(xml: string): WiredEventRecord {
  if (typeof xml !== 'string') throw new WiredEventError('a record must be a string');
  if (xml.length > MAX_RECORD_CHARS) throw new WiredEventError(`a record of ${xml.length} characters is over ${MAX_RECORD_CHARS}`);
  let root: XmlNode;
  try {
    root = readXml(xml);
  } catch (error) {
    if (error instanceof ProfileError) throw new WiredEventError(error.message, { cause: error });
    throw error;
  }
  if (root.name !== 'Event') throw new WiredEventError(`the root element is <${root.name}>, not <Event>`);
  const system = required(root, 'System', 'Event');
  const provider = required(system, 'Provider', 'System').attributes.Name;
  if (provider !== WIRED_AUTOCONFIG_PROVIDER) throw new WiredEventError(`provider ${JSON.stringify(provider ?? '')} is not ${WIRED_AUTOCONFIG_PROVIDER}`);
  const eventId = integer(required(system, 'EventID', 'System').text, 'EventID', 0xffff);
  const recordId = integer(required(system, 'EventRecordID', 'System').text, 'EventRecordID', Number.MAX_SAFE_INTEGER);
  const timeCreated = required(system, 'TimeCreated', 'System').attributes.SystemTime ?? '';
  if (!SYSTEM_TIME.test(timeCreated) || Number.isNaN(Date.parse(timeCreated))) {
    throw new WiredEventError(`TimeCreated ${JSON.stringify(timeCreated.slice(0, 40))} is not a UTC time`);
  }
  const data = insertionStrings(root);
  const guid = GUID.exec((data[0] ?? '').trim());
  if (!guid) throw new WiredEventError(`event ${eventId}'s interface GUID (%1) is not a GUID: ${JSON.stringify((data[0] ?? '').slice(0, 60))}`);
  return { eventId, recordId, timeCreated, interfaceGuid: `{${guid[1].toUpperCase()}}`, data };
}

/** EventData's Data elements, or a UserData element's children, in order. */
function insertionStrings(root: XmlNode): string[] {
  const eventData = child(root, 'EventData');
  const userData = child(root, 'UserData');
  let items: XmlNode[];
  if (eventData) items = eventData.children.filter((entry) => entry.name === 'Data');
  else if (userData && userData.children.length === 1) items = userData.children[0].children;
  else throw new WiredEventError('no EventData (nor one UserData element)');
  if (items.length > MAX_DATA_ITEMS) throw new WiredEventError(`${items.length} data items, over ${MAX_DATA_ITEMS}`);
  return items.map((item, index) => {
    if (item.children.length > 0) throw new WiredEventError(`data item %${index + 1} has elements inside`);
    if (item.text.length > MAX_DATA_CHARS) throw new WiredEventError(`data item %${index + 1} is over ${MAX_DATA_CHARS} characters`);
    return item.text;
  });
}

function item(record: WiredEventRecord, position: number): string {
  const text = record.data[position - 1];
  if (text === undefined) throw new WiredEventError(`event ${record.eventId} has no %${position} (it has ${record.data.length})`);
  return text;
}

/** 15514's and 15505's error code: an EAP method's EAP_E_* (0x8042xxxx), else a Win32 error. */
function errorCode(value: number): ConnectCode {
  return (value & 0xffff0000) >>> 0 === EAP_ERROR_FACILITY ? { source: 'eap-error', value } : { source: 'win32', value };
}

/** What a record says about the attempt; records of other event IDs say nothing (no event, no codes). */
export function readWiredEvent(record: WiredEventRecord): WiredReading {
  const adapter = item(record, 2);
  switch (record.eventId) {
    case WIRED_EVENT.started:
      return { event: { state: '802.1x-started', detail: adapter }, codes: [] };
    case WIRED_EVENT.restarted:
      return { event: { state: 'authenticating', detail: `802.1X restarted on ${adapter}` }, codes: [] };
    case WIRED_EVENT.suspended: {
      const code: ConnectCode = { source: 'wired-reason', value: integer(item(record, 3), 'the reason code (%3)', 0xffffffff) };
      const seconds = integer(item(record, 4), 'the block timer (%4)', 0xffffffff);
      return { event: { state: 'failed', code, detail: `802.1X suspended on ${adapter} for ${seconds} s` }, codes: [code], final: 'failed' };
    }
    case WIRED_EVENT.succeeded:
    case WIRED_EVENT.failed: {
      const reason = integer(item(record, 9), 'the reason (%9)', 0xffffffff);
      const reasonText = item(record, 10).trim();
      const error = integer(item(record, 11), 'the error code (%11)', 0xffffffff);
      const codes: ConnectCode[] = [{ source: 'wired-reason', value: reason }];
      if (error !== 0) codes.push(errorCode(error));
      if (record.eventId === WIRED_EVENT.succeeded) {
        return { event: { state: 'connected', detail: adapter }, codes: reason === 0 && error === 0 ? [] : codes, final: 'connected' };
      }
      return { event: { state: 'failed', code: codes[codes.length - 1], detail: reasonText || adapter }, codes, final: 'failed',
        reasonText: reasonText || undefined };
    }
    default:
      return { codes: [] };
  }
}

/**
 * Which records are the attempt's, and what they say: those of the interface's GUID (a dock NIC
 * or a Hyper-V vEthernet logging at the same time is another interface), and 15505 only after
 * the attempt's 15503 (15505 and 15504 are not in Microsoft's documentation: a success counts
 * only beside the documented start, and a 15514 or 15506 of the attempt ends it first).
 */
export class WiredAttempt {
  private started = false;
  /** A 15505 came with no start before it: left out, said at the timeout. */
  unconfirmedSuccess = false;

  constructor(readonly interfaceGuid: string) {}

  /** The record's reading for the attempt, or undefined when it is not the attempt's. */
  take(record: WiredEventRecord): WiredReading | undefined {
    if (record.interfaceGuid !== this.interfaceGuid) return undefined;
    if (record.eventId === WIRED_EVENT.started) this.started = true;
    const reading = readWiredEvent(record);
    if (reading.final === 'connected' && !this.started) {
      this.unconfirmedSuccess = true;
      return undefined;
    }
    return reading;
  }
}

/** The XPath that selects the attempt's records: this provider's events after a record ID (the
 *  channel's last before the attempt) and no older than a time (UTC, ISO 8601). */
export function wiredEventQuery(afterRecordId: number | undefined, since: Date): string {
  if (afterRecordId !== undefined && !(Number.isSafeInteger(afterRecordId) && afterRecordId >= 0)) {
    throw new RangeError('afterRecordId must be a non-negative integer');
  }
  const ids = WIRED_EVENT_IDS.map((id) => `EventID=${id}`).join(' or ');
  const after = afterRecordId === undefined ? '' : ` and EventRecordID>${afterRecordId}`;
  return `*[System[Provider[@Name='${WIRED_AUTOCONFIG_PROVIDER}'] and (${ids})${after} and TimeCreated[@SystemTime>='${since.toISOString()}']]]`;
}
