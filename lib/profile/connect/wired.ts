/**
 * Connecting through Windows wired 802.1X (the Wired AutoConfig service, dot3svc). Windows
 * documents no API to start a wired attempt or to learn its outcome: the attempt is
 * `netsh lan reconnect` (System32's netsh, windows-lan.ts), and the outcome is what the service
 * writes to its operational event log, read through the documented event API (the addon's
 * eventLogQuery: EvtQuery, EvtNext, EvtRender) and wired-events.ts. The service and then the log
 * are read before anything is touched: where it cannot be read, nothing could tell the outcome, so the network
 * is left alone and the outcome says why. A wired profile cannot be tried without being saved
 * (netsh keeps one profile per interface), so a profile is connected only with `install`.
 * The records followed are those after the channel's last record before the attempt, of the
 * interface's GUID (records carry it, netsh takes the name: the adapters Windows lists through
 * GetAdaptersAddresses give the one for the other, wired-interface.ts; never netsh's console text).
 * Wired AutoConfig must be running (Windows 11 leaves it stopped): without it netsh's lan context
 * does nothing yet exits 0, so the service is asked first and a stopped one is the outcome.
 * Success rests on a documented record: 15505 (which Microsoft does not document) counts only
 * after the attempt's 15503 on the same interface.
 */
import { EapError } from '../../core/errors';
import { binding } from '../../native';
import { installWindows } from '../install-windows';
import { runNetsh } from '../windows-lan';
import type { ConnectCategory, ConnectCode, ConnectEvent, ConnectOutcome, ConnectRequest } from './outcome';
import { categoryOfCodes } from './reasons';
import {
  WIRED_AUTOCONFIG_CHANNEL, WiredAttempt, WiredEventError, parseWiredEvent, wiredEventQuery,
} from './wired-events';
import { adapterNamed, adapterNames, recordGuid } from './wired-interface';

/** How often the log is read while an attempt runs: the service writes its records within
 *  seconds, and a read costs one EvtQuery. */
const POLL_MS = 500;
const BATCH = 64;
/** The Wired AutoConfig service, and SERVICE_RUNNING (winsvc.h) in its status. */
const WIRED_AUTOCONFIG_SERVICE = 'dot3svc';
const SERVICE_RUNNING = 4;
const SERVICE_STATES: Record<number, string> = {
  1: 'stopped', 2: 'start pending', 3: 'stop pending', 4: 'running', 5: 'continue pending', 6: 'pause pending', 7: 'paused',
};
const START_SERVICE = 'start Wired AutoConfig as an administrator: sc.exe start dot3svc (PowerShell: Start-Service dot3svc); ' +
  '`sc.exe config dot3svc start= auto` keeps it started after a restart';

/** Why Wired AutoConfig cannot take the attempt (absent, not running), or undefined when it runs.
 *  The service control manager's Win32 error stays in the words, not among the codes: those are
 *  the network's and the supplicant's, which the reason table reads. */
function wiredAutoConfigRefusal(): string | undefined {
  const service = `the Wired AutoConfig service (${WIRED_AUTOCONFIG_SERVICE})`;
  let state: number;
  try {
    state = binding.serviceControl({ service: WIRED_AUTOCONFIG_SERVICE, action: 'query', timeoutMs: 1000 }).state;
  } catch (error) {
    if (!(error instanceof EapError)) throw error;
    return `${service} could not be asked for its state (absent, or not for this user), so nothing was tried: ${error.message}`;
  }
  if (state === SERVICE_RUNNING) return undefined;
  return `${service} is not running (state ${state}, ${SERVICE_STATES[state] ?? 'unknown'}), so nothing was tried: ` +
    'without it Windows runs no wired 802.1X';
}

function checkRequest(request: ConnectRequest): string {
  if (typeof request.interface !== 'string' || request.interface.trim().length === 0) {
    throw new TypeError('a wired connect on Windows needs the interface\'s name ("Ethernet", as Network Connections shows it)');
  }
  if (/["\r\n\0]/.test(request.interface)) throw new TypeError('the interface name holds a quote, a line break or NUL');
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number');
  if (request.profile !== undefined && request.install !== true) {
    throw new TypeError('Windows keeps one wired profile per interface and cannot try one without saving it: pass install');
  }
  return request.interface;
}

function win32Code(error: unknown): ConnectCode | undefined {
  return error instanceof EapError && error.win32Error !== 0 ? { source: 'win32', value: error.win32Error } : undefined;
}

/** Reads the records after `afterRecordId`; rejects as EapError (the event API) or WiredEventError. */
async function readRecords(afterRecordId: number | undefined, since: Date) {
  const xml = await binding.eventLogQuery({ channel: WIRED_AUTOCONFIG_CHANNEL, query: wiredEventQuery(afterRecordId, since),
    reverse: false, maxEvents: BATCH });
  return xml.map((text) => parseWiredEvent(text));
}

/** The channel's newest record ID, or undefined when it holds none. */
async function lastRecordId(): Promise<number | undefined> {
  const [newest] = await binding.eventLogQuery({ channel: WIRED_AUTOCONFIG_CHANNEL, query: '*', reverse: true, maxEvents: 1 });
  if (newest === undefined) return undefined;
  const match = /<EventRecordID>\s*(\d{1,15})\s*<\/EventRecordID>/.exec(newest);
  if (!match) throw new WiredEventError('the newest record has no EventRecordID');
  return Number(match[1]);
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const NEXT_STEP: Partial<Record<ConnectCategory, string>> = {
  'credentials-rejected': 'check the user name and password stored for this interface (netsh lan set eapuserdata) and try again',
  'server-untrusted': "install the network's CA into the Root store, or fix the profile's trusted CA",
  'server-name-mismatch': "fix the profile's server names to match the authentication server's certificate",
  'client-certificate': 'import a client certificate the network accepts into the personal store',
  'no-authenticator': 'check the cable and that the switch port runs 802.1X',
  'interaction-required': 'connect once interactively so Windows can ask for what it needs',
  timeout: "check the cable, that the switch port runs 802.1X, and the Wired-AutoConfig log (Event Viewer) for the attempt",
  policy: 'ask the network administrator: a policy refused the attempt',
};

export async function connectWired(request: ConnectRequest): Promise<ConnectOutcome> {
  const started = Date.now();
  const name = checkRequest(request);
  const signal = request.signal;
  signal?.throwIfAborted();
  const elapsed = (): number => Date.now() - started;
  const emit = (event: Omit<ConnectEvent, 'elapsedMs'>): void => request.onEvent?.({ ...event, elapsedMs: elapsed() });
  const codes: ConnectCode[] = [];
  const method = request.profile?.eap[0]?.method;
  const outcome = (category: ConnectCategory, message: string, nextStep?: string): ConnectOutcome => ({
    connected: category === 'connected', authenticated: category === 'connected' || category === 'authenticated', category, ...(method ? { method } : {}), codes, elapsedMs: elapsed(), interface: name,
    via: 'wired-autoconfig', message, ...(category === 'connected' || category === 'authenticated' ? {} : { nextStep: nextStep ?? NEXT_STEP[category] ??
      'start the Wired AutoConfig service (dot3svc), check the interface name, and read the Wired-AutoConfig log (Event Viewer)' }),
  });

  // Wired AutoConfig first: stopped, nothing else could tell (netsh would exit 0 having done nothing).
  const refusal = wiredAutoConfigRefusal();
  if (refusal !== undefined) return outcome('policy', refusal, START_SERVICE);

  // The attempt's records are those after this one: read before netsh is asked for anything
  // (installing the profile may start an attempt by itself).
  const since = new Date(started);
  let after: number | undefined;
  try {
    after = await lastRecordId();
  } catch (error) {
    if (!(error instanceof EapError || error instanceof WiredEventError)) throw error;
    const code = win32Code(error);
    if (code) codes.push(code);
    return outcome('unknown', `the Wired AutoConfig log could not be read, so nothing was tried: ${error.message}`,
      'run it where Windows\' event log service runs and this user may read the Wired-AutoConfig/Operational channel');
  }

  // The records name the interface by GUID, the user by name: only this interface's records count.
  let adapters;
  try {
    adapters = binding.networkAdapters();
  } catch (error) {
    if (!(error instanceof EapError)) throw error;
    const code = win32Code(error);
    if (code) codes.push(code);
    return outcome('unknown', `the network adapters could not be listed, so nothing was tried: ${error.message}`);
  }
  const adapter = adapterNamed(adapters, name);
  if (adapter === undefined) {
    return outcome('unknown', `Windows has no network adapter named "${name}" (GetAdaptersAddresses lists ${adapterNames(adapters)})`,
      'name the interface as Network Connections (ncpa.cpl) shows it, for example Ethernet');
  }
  const guid = recordGuid(adapter);
  const attempt = new WiredAttempt(guid);

  if (request.profile !== undefined) {
    emit({ state: 'installing', detail: name });
    await installWindows(request.profile, { lanInterface: name, secrets: true });
    signal?.throwIfAborted();
  }

  emit({ state: 'associating', detail: `netsh lan reconnect interface="${name}" (${guid})` });
  const reconnect = await runNetsh(['lan', 'reconnect', `interface=${name}`]);
  if (reconnect.status !== 0) {
    emit({ state: 'failed', detail: reconnect.said });
    return outcome('unknown', `netsh lan reconnect failed (exit status ${reconnect.status}): ${reconnect.said || 'no output'}`);
  }

  let reasonText: string | undefined;
  let recorded = false;
  for (;;) {
    let records;
    try {
      records = await readRecords(after, since);
    } catch (error) {
      if (!(error instanceof EapError || error instanceof WiredEventError)) throw error;
      const code = win32Code(error);
      if (code) codes.push(code);
      return outcome('unknown', `the Wired AutoConfig log could not be read during the attempt: ${error.message}`);
    }
    for (const record of records) {
      after = record.recordId;
      const reading = attempt.take(record);
      if (reading === undefined) continue;
      recorded = true;
      codes.push(...reading.codes);
      reasonText = reading.reasonText ?? reasonText;
      if (reading.event) emit(reading.event);
      if (reading.final === 'connected') {
        return outcome(request.until === 'authenticated' ? 'authenticated' : 'connected', `802.1X authentication succeeded on ${name}`);
      }
      if (reading.final === 'failed') {
        const category = categoryOfCodes(codes);
        return outcome(category === 'connected' ? 'unknown' : category,
          `Wired 802.1X authentication failed on ${name}${reasonText ? `: ${reasonText}` : ''}`);
      }
    }
    // A full batch means more are waiting: read again at once.
    if (records.length === BATCH) continue;
    const left = request.timeoutMs - elapsed();
    if (left <= 0) {
      return outcome('timeout', attempt.unconfirmedSuccess
        ? `Wired AutoConfig recorded a success (event 15505) on ${name} but not the attempt's start (15503) within ${request.timeoutMs} ms: not taken as the outcome`
        : !recorded
          ? `netsh exited 0, but Wired AutoConfig recorded no 802.1X attempt on ${name} (${attempt.interfaceGuid}) within ${request.timeoutMs} ms`
          : `the 802.1X attempt on ${name} did not finish within ${request.timeoutMs} ms`);
    }
    await delay(Math.min(POLL_MS, left), signal);
  }
}
