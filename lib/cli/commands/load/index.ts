/**
 * `eaphost load`: many authentications against one RADIUS server, over one client engine (one
 * UDP socket per address family, identifiers managed per server), at most --concurrency at a
 * time and at most --rate started per second, until --count are done or --duration is over.
 * PAP and MAB runs are the engine's own load runs (ClientEngine.load: its thread makes every
 * request, the credentials taken in turn); EAP runs go through RadiusClient, one authentication
 * per worker. With --radsec, all of it over one RadSec connection (TLS, or DTLS with
 * --radsec-transport dtls), each request sent once.
 * A live progress line goes to a terminal; the summary (text or --json) comes at the end, and
 * on Ctrl-C with the figures so far.
 *
 * Exit codes: 0 every authentication succeeded, 1 some did not, 2 bad usage.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { authenticate, openEapHost } from '../../../index';
import { BuiltinMethodName, isTlsMethodName } from '../../../session/builtin';
import { EapHostSession } from '../../../session/eaphost';
import { RadiusAttributeType, RadiusClient, RadiusEapTransport, RadiusTimeoutError } from '../../../radius';
import { AccountingCode, AcctStatusType } from '../../../radius/accounting';
import { encodeAttributes, integerOf } from '../../../radius/attribute-codec';
import { failureOf } from '../../../radius/client';
import { ClientEngine } from '../../../radius/client-engine';
import type { RadiusClientOutcome } from '../../../radius/client-engine';
import { formatHostPort } from '../../../radius/endpoint';
import { LoadRecorder, progressLine, summaryLines } from './summary';
import { nasAttributes } from '../../nas-attributes';
import { mabUserName, plainSharedAttributes } from '../auth/pap';
import { PEER_TLS_BOOLEANS, PEER_TLS_VALUED, peerTlsOptions, TlsPeerOptions, wipeTlsOptions, certificateOnly } from '../../tls-flags';
import { readUsersFile } from '../../users-file';
import { positiveInteger, requireMessageAuthenticator, radiusServerFlags, shippedMethodName, stringFlag, flagReader } from '../../command-line';
import { CommandIo, FlagValues, LineWriter, UsageError } from '../../main';
import { reportJson, trustWarnings } from '../../report';
import { resolveSecrets } from '../../secrets';
import { radsecClient, radsecDefaultSecret } from '../../radsec-flags';
import type { RadSecClient } from '../../../radius';

const LIMITS = { concurrency: 1000, rate: 100_000, count: 10_000_000, durationS: 86_400 };

/** --rate and --duration may be fractions; the counts are whole numbers (positiveInteger). */
function boundedNumber(text: string | undefined, name: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageError(`--${name} must be a number above 0 and at most ${max}, not "${text}"`);
  }
  return value;
}

function bounded(text: string | undefined, name: string, max: number): number | undefined {
  return text === undefined ? undefined : positiveInteger(text, `--${name}`, 0, max);
}

/** PAP and MAB are plain Access-Requests, one round trip each, no EAP; acct, Accounting-Requests. */
type LoadMethod = BuiltinMethodName | 'pap' | 'mab' | 'acct';

interface LoadArgs {
  server: { host: string; port: number; secret: string };
  method: LoadMethod;
  credentials: Array<{ identity: string; password?: string }>;
  /** Weak server validation, said on stderr and in --json. */
  warnings: string[];
  tls: TlsPeerOptions;
  concurrency: number;
  rate?: number;
  count?: number;
  durationMs?: number;
  timeoutMs: number;
  tries: number;
  /** --radsec: one RadSec connection (TLS or DTLS) instead of UDP. */
  radsec?: RadSecClient;
  json: boolean;
  requireMessageAuthenticator: boolean;
  attributes: ReturnType<typeof nasAttributes>;
}

const MAX_MACS = 1_000_000;

/** --mac-count MACs counting up from the first: aabbccddeeff, aabbccddef00, … */
function macRange(first: string, count: number): string[] {
  const start = BigInt(`0x${first}`);
  if (start + BigInt(count) - 1n > 0xffffffffffffn) throw new UsageError('--mac-count runs past ff:ff:ff:ff:ff:ff');
  return Array.from({ length: count }, (_, i) => (start + BigInt(i)).toString(16).padStart(12, '0'));
}

function parseLoadArgs(values: FlagValues, stderr: LineWriter): LoadArgs {
  const mab = values.mab === true;
  resolveSecrets(values, mab ? ['secret'] : ['secret', 'password', 'key-password'], stderr);
  // RadSec's secret unless said otherwise: "radsec" over TLS, "radius/dtls" over DTLS.
  if (values.radsec === true) values.secret ??= radsecDefaultSecret(flagReader(values));
  if (values.radsec === true && values.tries !== undefined) {
    throw new UsageError('--tries applies over UDP: over RadSec a request is never sent again on its connection (RFC 6613 §2.6.1)');
  }
  const methodText = stringFlag(values, 'method');
  if (mab && methodText !== undefined) throw new UsageError('--mab is not an EAP method: leave out --method');
  const method: LoadMethod = mab ? 'mab' : shippedMethodName(methodText ?? 'md5', '--method', ['pap', 'acct']) as LoadMethod;
  const server = radiusServerFlags(values);
  const users = stringFlag(values, 'users');
  const identity = stringFlag(values, 'identity');
  const password = stringFlag(values, 'password');
  if (!mab && values['mac-count'] !== undefined) throw new UsageError('--mac-count goes with --mab');
  let credentials: LoadArgs['credentials'];
  if (mab) {
    if (users !== undefined || identity !== undefined || password !== undefined) {
      throw new UsageError('--mab sends the MAC of --calling-station-id as User-Name and User-Password: leave out --users, ' +
        '--identity and --password');
    }
    const mac = stringFlag(values, 'calling-station-id');
    if (mac === undefined) throw new UsageError('--mab needs --calling-station-id MAC');
    const first = mabUserName(mac);
    if (first === undefined) throw new UsageError(`--calling-station-id "${mac}" is not a MAC address`);
    const count = bounded(stringFlag(values, 'mac-count'), 'mac-count', MAX_MACS) ?? 1;
    credentials = macRange(first, count).map((name) => ({ identity: name, password: name }));
    // Each request's Calling-Station-Id is its own MAC (added per request).
    delete values['calling-station-id'];
  } else if (users !== undefined) {
    if (identity !== undefined) throw new UsageError('give --users FILE or --identity, not both');
    const records = readUsersFile(users, '--users');
    credentials = Object.entries(records).map(([name, record]) => {
      if (method !== 'tls' && method !== 'acct' && typeof record.password !== 'string') {
        throw new UsageError(`--users: "${name}" needs a password: a peer cannot authenticate with an NT hash`);
      }
      return { identity: name, ...(typeof record.password === 'string' ? { password: record.password } : {}) };
    });
    if (credentials.length === 0) throw new UsageError(`--users ${users} lists no users`);
  } else {
    if (identity === undefined) throw new UsageError('--users FILE or --identity ID is required');
    if (method !== 'acct' && !certificateOnly(method, flagReader(values)) && password === undefined) throw new UsageError('--password is required (or --password-file, EAPHOST_PASSWORD)');
    credentials = [{ identity, ...(password !== undefined ? { password } : {}) }];
  }
  if (method === 'pap' && credentials.some((credential) => Buffer.byteLength(credential.password ?? '') > 128)) {
    throw new UsageError('--password: a RADIUS User-Password holds at most 128 bytes');
  }
  if (method === 'pap' && credentials.some((credential) => Buffer.byteLength(credential.identity) > 253)) {
    throw new UsageError('--identity: a RADIUS User-Name holds at most 253 bytes');
  }
  const plain = method === 'pap' || method === 'mab' || method === 'acct';
  const tls = plain ? {} : peerTlsOptions(method, flagReader(values));
  if (plain) {
    const given = [...PEER_TLS_VALUED, ...PEER_TLS_BOOLEANS].find((name) => values[name] !== undefined);
    if (given !== undefined) throw new UsageError(`--${given} applies to --method peap, ttls or tls only`);
  }
  if (isTlsMethodName(method) && tls.ca === undefined && tls.insecure !== true) {
    throw new UsageError(`--method ${method} needs --ca FILE, or --insecure to skip server certificate verification`);
  }
  const count = bounded(stringFlag(values, 'count'), 'count', LIMITS.count);
  const duration = boundedNumber(stringFlag(values, 'duration'), 'duration', LIMITS.durationS);
  if (count !== undefined && duration !== undefined) throw new UsageError('give --count or --duration, not both');
  const timeoutMs = bounded(stringFlag(values, 'timeout'), 'timeout', 600_000) ?? 6000;
  const radsec = radsecClient(flagReader(values), timeoutMs);
  const concurrency = bounded(stringFlag(values, 'concurrency'), 'concurrency', LIMITS.concurrency) ?? 10;
  // One connection's Identifiers (RFC 6614 §2.5: 256 requests out at once).
  if (radsec && concurrency > 256) throw new UsageError('--concurrency over one RadSec connection is at most 256');
  return {
    server, method, credentials, tls, warnings: trustWarnings(method, tls, stderr),
    concurrency,
    rate: boundedNumber(stringFlag(values, 'rate')?.replace(/\/s$/, ''), 'rate', LIMITS.rate),
    // Bounded even when neither is given: a load run always stops by itself.
    count: count ?? (duration === undefined ? 100 : undefined),
    durationMs: duration === undefined ? undefined : duration * 1000,
    timeoutMs, tries: radsec ? 1 : bounded(stringFlag(values, 'tries'), 'tries', 10) ?? 3, ...(radsec ? { radsec } : {}),
    json: values.json === true,
    requireMessageAuthenticator: requireMessageAuthenticator(values),
    attributes: nasAttributes(flagReader(values)),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Unanswered: a timeout, or what went wrong (a wrong secret, a forged or unsigned reply). */
function recordUnanswered(recorder: LoadRecorder, outcome: RadiusClientOutcome, server: string): void {
  const error = failureOf(outcome, server);
  if (error instanceof RadiusTimeoutError) recorder.record('timeout', outcome.elapsedMs);
  else recorder.record('error', outcome.elapsedMs, error.message);
}

/** What runs the engine's load runs: the client engine over UDP, or the RadSec client's connection. */
type LoadEngine = Pick<ClientEngine, 'load' | 'loadProgress'>;

/** PAP and MAB: a run of the client engine's own, each request's User-Name and User-Password (and
 *  MAB's Calling-Station-Id, its own MAC) taken from the credentials in turn. */
async function plainRun(engine: LoadEngine, args: LoadArgs, recorder: LoadRecorder, signal: AbortSignal): Promise<void> {
  const mab = args.method === 'mab';
  const names = args.credentials.map((credential) => credential.identity);
  const own = [
    { type: RadiusAttributeType.UserName, values: names },
    { type: RadiusAttributeType.UserPassword, values: args.credentials.map((credential) => credential.password ?? '') },
    ...(mab ? [{ type: RadiusAttributeType.CallingStationId, values: names.map(callingStationId) }] : []),
  ];
  await engine.load(args.server, {
    own, attributes: plainSharedAttributes(mab, args.attributes), requireMessageAuthenticator: args.requireMessageAuthenticator, tries: args.tries,
    timeoutMs: args.timeoutMs, concurrency: args.concurrency, count: args.count, rate: args.rate,
    durationMs: args.durationMs === undefined ? undefined : Math.max(1, Math.round(args.durationMs)),
  }, { signal, unanswered: (outcome, server) => recordUnanswered(recorder, outcome, server) });
}

/** The most Acct-Session-Ids a run makes before it uses them again (the column's length). */
const ACCT_SESSIONS = 1_000_000;
/** Acct-Status-Type (RFC 2866 §5.1). */
const ACCT_STATUS_TYPE = 40;

/** acct: Accounting-Requests (Start), each its own Acct-Session-Id, the users' names in turn. */
async function accountingRun(engine: LoadEngine, args: LoadArgs, recorder: LoadRecorder, signal: AbortSignal): Promise<void> {
  const sessions = Math.min(ACCT_SESSIONS, args.count ?? ACCT_SESSIONS);
  const run = randomBytes(4).toString('hex');
  const ids = Array.from({ length: sessions }, (_, n) => `${run}-${n}`);
  const names = ids.map((_, n) => args.credentials[n % args.credentials.length].identity);
  const [start] = encodeAttributes([integerOf(ACCT_STATUS_TYPE, AcctStatusType.Start)]);
  await engine.load(args.server, {
    own: [{ type: RadiusAttributeType.UserName, values: names }, { type: RadiusAttributeType.AcctSessionId, values: ids }],
    attributes: [start, ...plainSharedAttributes(false, args.attributes)], code: AccountingCode.Request,
    requireMessageAuthenticator: false, tries: args.tries, timeoutMs: args.timeoutMs, concurrency: args.concurrency, count: args.count,
    rate: args.rate, durationMs: args.durationMs === undefined ? undefined : Math.max(1, Math.round(args.durationMs)),
  }, { signal, unanswered: (outcome, server) => recordUnanswered(recorder, outcome, server) });
}

/** A MAB device's Calling-Station-Id as switches send it: AA-BB-CC-DD-EE-FF. */
function callingStationId(mac: string): string {
  return mac.replace(/(..)(?!$)/g, '$1-').toUpperCase();
}

/** EAP: --concurrency workers, each one authentication at a time through RadiusClient. */
async function eapRun(opened: Awaited<ReturnType<typeof openEapHost>>, client: RadiusClient | RadSecClient, args: LoadArgs, recorder: LoadRecorder,
  halt: AbortSignal): Promise<void> {
  const startedAt = performance.now();
  const deadline = args.durationMs === undefined ? Infinity : startedAt + args.durationMs;
  let launched = 0;
  const one = async (index: number): Promise<void> => {
    const credential = args.credentials[index % args.credentials.length];
    const transport = new RadiusEapTransport({
      server: args.server, client, attributes: args.attributes, requireMessageAuthenticator: args.requireMessageAuthenticator,
    });
    let session: EapHostSession | undefined;
    const began = performance.now();
    recorder.started++;
    recorder.inFlight++;
    try {
      session = await opened.beginSession({ method: args.method as BuiltinMethodName, ...credential, ...args.tls });
      const result = await authenticate({ session, transport, signal: halt });
      recorder.record(result.success ? 'success' : 'failure', performance.now() - began);
    } catch (error) {
      // An authentication cut short by Ctrl-C is neither a success nor a failure of the server.
      if (!halt.aborted) {
        if (error instanceof RadiusTimeoutError) recorder.record('timeout', performance.now() - began);
        else recorder.record('error', performance.now() - began, (error as Error).message);
      }
    } finally {
      recorder.inFlight--;
      await transport.close().catch(() => undefined);
      await session?.endSession().catch(() => undefined);
    }
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      if (halt.aborted || performance.now() >= deadline) return;
      if (args.count !== undefined && launched >= args.count) return;
      const index = launched++;
      if (args.rate !== undefined) {
        await sleep(startedAt + (index * 1000) / args.rate - performance.now(), halt);
        if (halt.aborted || performance.now() >= deadline) return;
      }
      await one(index);
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
}

/** `controls.stop` ends the run early, as Ctrl-C does: the summary so far is printed; `controls.tty`
 *  takes the live progress line (rewritten in place). */
export async function runLoad(values: FlagValues, controls: CommandIo): Promise<number> {
  const { out, err } = controls;
  const args = parseLoadArgs(values, err);
  const server = formatHostPort(args.server.host, args.server.port);
  const recorder = new LoadRecorder();
  const halt = new AbortController();
  // Every authentication in flight listens on it: concurrency listeners is the design, not a leak.
  setMaxListeners(args.concurrency * 4 + 16, halt.signal);
  const interrupt = (): void => {
    if (halt.signal.aborted) return;
    recorder.interrupted = true;
    halt.abort();
  };
  controls.stop?.addEventListener('abort', interrupt, { once: true });
  if (controls.stop?.aborted) interrupt();
  if (controls.handleSignals) {
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
  }
  const plain = args.method === 'pap' || args.method === 'mab' || args.method === 'acct';
  // The secret probe would double the packets of every timed-out request; a load run reports
  // a wrong secret through its error samples instead.
  const client = plain ? undefined : args.radsec ?? new RadiusClient({
    timeoutMs: args.timeoutMs, tries: args.tries, secretProbe: false,
    requireMessageAuthenticator: args.requireMessageAuthenticator,
  });
  const udpEngine = plain && !args.radsec ? new ClientEngine() : undefined;
  const engine: LoadEngine | undefined = plain ? udpEngine ?? args.radsec : undefined;
  const figures = (): ReturnType<LoadRecorder['summary']> => {
    if (engine) recorder.absorb(engine.loadProgress());
    return recorder.summary();
  };
  const ticker = controls.tty ? setInterval(() => controls.tty!.write(`\r\x1b[K${progressLine(figures())}`), 250) : undefined;
  ticker?.unref();
  let host: Awaited<ReturnType<typeof openEapHost>> | undefined;
  try {
    if (engine) {
      await (args.method === 'acct' ? accountingRun : plainRun)(engine, args, recorder, halt.signal);
    } else {
      host = await openEapHost();
      await eapRun(host, client!, args, recorder, halt.signal);
    }
  } finally {
    if (ticker) {
      clearInterval(ticker);
      controls.tty!.write('\r\x1b[K');
    }
    controls.stop?.removeEventListener('abort', interrupt);
    if (controls.handleSignals) {
      process.removeListener('SIGINT', interrupt);
      process.removeListener('SIGTERM', interrupt);
    }
    await (client ?? args.radsec)?.close().catch(() => undefined);
    udpEngine?.close();
    await host?.close().catch(() => undefined);
    wipeTlsOptions(args.tls);
  }
  const summary = figures();
  const success = summary.failures + summary.timeouts + summary.errors === 0 && summary.completed > 0;
  if (args.json) {
    const lines = summaryLines(summary);
    out(reportJson({
      command: 'load', success, result: summary.interrupted ? 'interrupted' : 'done', exitCode: success ? 0 : 1,
      reason: lines[0], mode: args.radsec ? 'radsec' : 'radius', server, method: args.method,
      identity: args.credentials.length === 1 ? args.credentials[0].identity : null, roundTrips: null,
      elapsedMs: summary.elapsedMs, insecure: args.warnings.length > 0, warnings: args.warnings,
    }, { concurrency: args.concurrency, ...(args.rate !== undefined ? { targetRate: args.rate } : {}), ...summary }));
  } else {
    for (const line of summaryLines(summary)) out(line);
  }
  return success ? 0 : 1;
}
