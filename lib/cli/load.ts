/**
 * `eaphost load`: many authentications against one RADIUS server, over one shared RadiusClient
 * (one UDP socket per address family, identifiers managed per server), at most --concurrency at
 * a time and at most --rate started per second, until --count are done or --duration is over.
 * A live progress line goes to a terminal; the summary (text or --json) comes at the end, and
 * on Ctrl-C with the figures so far.
 *
 * Exit codes: 0 every authentication succeeded, 1 some did not, 2 bad usage.
 */
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { authenticate, openEapHost } from '../index';
import { BuiltinMethodName, builtinMethods, isTlsMethodName } from '../builtin';
import { EapHostSession } from '../eaphost';
import {
  formatHostPort, parseHostPort, RadiusClient, RadiusEapTransport, RadiusTimeoutError,
} from '../radius';
import { LoadRecorder, progressLine, summaryLines } from './load-summary';
import { NAS_FLAGS, nasAttributes } from './nas-attributes';
import { PEER_TLS_BOOLEANS, PEER_TLS_VALUED, peerTlsOptions, TlsPeerOptions, wipeTlsOptions } from './tls-flags';
import { readUsersFile } from './users-file';

type LineWriter = (line: string) => void;

export interface LoadControls {
  /** Ends the run early, as Ctrl-C does: the summary so far is printed. */
  stop?: AbortSignal;
  /** A terminal for the live progress line (rewritten in place). */
  tty?: { write(text: string): boolean };
  /** Stop on SIGINT / SIGTERM (the command line does; tests use `stop`). */
  handleSignals?: boolean;
}

const LOAD_USAGE = 'usage: eaphost load --radius HOST:PORT --secret SECRET --method peap|ttls|tls|mschapv2|gtc|md5 ' +
  '(--users FILE | --identity ID [--password PW]) [TLS and NAS attribute flags as for auth] [--concurrency N] ' +
  '[--rate R] [--duration S | --count N] [--timeout MS] [--tries N] [--no-require-message-authenticator] [--json]';

class UsageError extends Error {}

const LIMITS = { concurrency: 1000, rate: 100_000, count: 10_000_000, durationS: 86_400 };

function bounded(text: string | undefined, name: string, max: number, integer = true): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number above 0 and at most ${max}, not "${text}"`);
  }
  return value;
}

interface LoadArgs {
  server: { host: string; port: number; secret: string };
  method: BuiltinMethodName;
  credentials: Array<{ identity: string; password?: string }>;
  tls: TlsPeerOptions;
  concurrency: number;
  rate?: number;
  count?: number;
  durationMs?: number;
  timeoutMs: number;
  tries: number;
  json: boolean;
  requireMessageAuthenticator: boolean;
  attributes: ReturnType<typeof nasAttributes>;
}

function parseLoadArgs(argv: string[]): LoadArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        radius: { type: 'string' }, secret: { type: 'string' }, method: { type: 'string' }, users: { type: 'string' },
        identity: { type: 'string' }, password: { type: 'string' }, concurrency: { type: 'string' },
        rate: { type: 'string' }, duration: { type: 'string' }, count: { type: 'string' }, timeout: { type: 'string' },
        tries: { type: 'string' }, json: { type: 'boolean' }, 'no-require-message-authenticator': { type: 'boolean' },
        attr: { type: 'string', multiple: true },
        ...Object.fromEntries(NAS_FLAGS.map((name) => [name, { type: 'string' as const }])),
        ...Object.fromEntries(PEER_TLS_VALUED.map((name) => [name, { type: 'string' as const }])),
        ...Object.fromEntries(PEER_TLS_BOOLEANS.map((name) => [name, { type: 'boolean' as const }])),
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const flags = values as Record<string, string | boolean | undefined>;
  const methodName = String(values.method ?? 'md5').toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(builtinMethods, methodName)) {
    throw new UsageError(`--method ${methodName}: shipped methods are ${Object.keys(builtinMethods).join(', ')}`);
  }
  const method = methodName as BuiltinMethodName;
  if (values.radius === undefined) throw new UsageError('--radius is required');
  if (values.secret === undefined || values.secret === '') throw new UsageError('--secret is required and must not be empty');
  let endpoint;
  try {
    endpoint = parseHostPort(values.radius);
  } catch (error) {
    throw new UsageError(`--radius: ${(error as Error).message}`);
  }
  let credentials: LoadArgs['credentials'];
  if (values.users !== undefined) {
    if (values.identity !== undefined) throw new UsageError('give --users FILE or --identity, not both');
    const users = readUsersFile(values.users, (message) => new UsageError(`--users: ${message}`));
    credentials = Object.entries(users).map(([identity, record]) => {
      if (method !== 'tls' && typeof record.password !== 'string') {
        throw new UsageError(`--users: "${identity}" needs a password: a peer cannot authenticate with an NT hash`);
      }
      return { identity, ...(typeof record.password === 'string' ? { password: record.password } : {}) };
    });
    if (credentials.length === 0) throw new UsageError(`--users ${values.users} lists no users`);
  } else {
    if (values.identity === undefined) throw new UsageError('--users FILE or --identity ID is required');
    if (method !== 'tls' && values.password === undefined) throw new UsageError('--password is required');
    credentials = [{ identity: values.identity, ...(values.password !== undefined ? { password: values.password } : {}) }];
  }
  const tls = peerTlsOptions(method, (name) => flags[name], (message) => new UsageError(message));
  if (isTlsMethodName(method) && tls.ca === undefined && tls.insecure !== true) {
    throw new UsageError(`--method ${method} needs --ca FILE, or --insecure to skip server certificate verification`);
  }
  const count = bounded(values.count, 'count', LIMITS.count);
  const duration = bounded(values.duration, 'duration', LIMITS.durationS, false);
  if (count !== undefined && duration !== undefined) throw new UsageError('give --count or --duration, not both');
  return {
    server: { ...endpoint, secret: values.secret }, method, credentials, tls,
    concurrency: bounded(values.concurrency, 'concurrency', LIMITS.concurrency) ?? 10,
    rate: bounded(values.rate?.replace(/\/s$/, ''), 'rate', LIMITS.rate, false),
    // Bounded even when neither is given: a load run always stops by itself.
    count: count ?? (duration === undefined ? 100 : undefined),
    durationMs: duration === undefined ? undefined : duration * 1000,
    timeoutMs: bounded(values.timeout, 'timeout', 600_000) ?? 6000,
    tries: bounded(values.tries, 'tries', 10) ?? 3,
    json: values.json ?? false,
    requireMessageAuthenticator: values['no-require-message-authenticator'] !== true,
    attributes: nasAttributes((name) => flags[name] as string | undefined, values.attr ?? [],
      (message) => new UsageError(message)),
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

export async function runLoad(argv: readonly string[], out: LineWriter = console.log, err: LineWriter = console.error,
  controls: LoadControls = {}): Promise<number> {
  let args: LoadArgs;
  try {
    args = parseLoadArgs(argv[0] === 'load' ? argv.slice(1) : [...argv]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`eaphost load: ${error.message}`);
    err(LOAD_USAGE);
    return 2;
  }
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
  // The secret probe would double the packets of every timed-out request; a load run reports
  // a wrong secret through its error samples instead.
  const client = new RadiusClient({
    timeoutMs: args.timeoutMs, tries: args.tries, secretProbe: false,
    requireMessageAuthenticator: args.requireMessageAuthenticator,
  });
  const ticker = controls.tty ? setInterval(() => controls.tty!.write(`\r\x1b[K${progressLine(recorder.summary())}`), 250) : undefined;
  ticker?.unref();
  let host: Awaited<ReturnType<typeof openEapHost>> | undefined;
  try {
    host = await openEapHost();
    const opened = host;
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
        session = await opened.beginSession({ method: args.method, ...credential, ...args.tls });
        const result = await authenticate({ session, transport, signal: halt.signal });
        recorder.record(result.success ? 'success' : 'failure', performance.now() - began);
      } catch (error) {
        // An authentication cut short by Ctrl-C is neither a success nor a failure of the server.
        if (!halt.signal.aborted) {
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
        if (halt.signal.aborted || performance.now() >= deadline) return;
        if (args.count !== undefined && launched >= args.count) return;
        const index = launched++;
        if (args.rate !== undefined) {
          await sleep(startedAt + (index * 1000) / args.rate - performance.now(), halt.signal);
          if (halt.signal.aborted || performance.now() >= deadline) return;
        }
        await one(index);
      }
    };
    await Promise.all(Array.from({ length: args.concurrency }, worker));
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
    await client.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    wipeTlsOptions(args.tls);
  }
  const summary = recorder.summary();
  if (args.json) {
    out(JSON.stringify({
      result: summary.interrupted ? 'interrupted' : 'done', server, method: args.method,
      concurrency: args.concurrency, ...(args.rate !== undefined ? { targetRate: args.rate } : {}), ...summary,
    }));
  } else {
    for (const line of summaryLines(summary)) out(line);
  }
  return summary.failures + summary.timeouts + summary.errors === 0 && summary.completed > 0 ? 0 : 1;
}
