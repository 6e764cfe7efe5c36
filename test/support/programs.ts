import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { uninstrumentedEnv } from './child-env';

/**
 * Helpers shared by the interop launchers (FreeRADIUS, hostapd, eapol_test). A peer that is not
 * installed fails the test with the package to install: CI must never pass by skipping interop.
 */

/** sbin directories are often missing from a non-root PATH, yet that is where daemons live. */
const SBIN_DIRECTORIES = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export function findProgram(names: string[], debianPackage: string): string {
  const directories = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRECTORIES];
  for (const name of names) {
    for (const directory of directories) {
      const candidate = join(directory, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  throw new Error(`${names.join(' / ')} not found on PATH or in ${SBIN_DIRECTORIES.join(', ')}: ` +
    `install the Debian package "${debianPackage}" (apt-get install ${debianPackage}). Interop tests never skip.`);
}

/**
 * Ports this process has handed out: a daemon binds its port only once it has started, so two
 * servers started side by side (or one server's second listener) could otherwise be given the
 * same port, released and not yet bound again.
 */
const handedOut = new Set<number>();

/** The lowest port a test hands out. */
const FIRST_TEST_PORT = 10_000;

/**
 * The first port of the range the kernel hands to client sockets and to binds of port 0
 * (Linux's ip_local_port_range; Windows' dynamic range begins at 49152, above the default).
 * A port handed out below it cannot be taken, between its probe and the daemon's own bind, by
 * some other process's client socket: with the suite's lanes side by side, thousands of those
 * open every minute.
 */
function ephemeralFloor(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > FIRST_TEST_PORT + 1000) return low;
  } catch {
    // not Linux
  }
  return 32768;
}

/**
 * Ports fetch() refuses to connect to: the Fetch standard blocks a list of "bad ports", and the
 * tests read /metrics and other HTTP listeners with fetch(). Of the list, only 10080 lies in the
 * range tests hand out: a scan of 10000 to 65535 with this Node's fetch found it alone. A run once
 * drew it for serve's --metrics, and the test's fetch failed with "bad port".
 */
const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([10080]);

/** Whether tests may be handed `port`: below the ephemeral range, from FIRST_TEST_PORT, and one fetch() reaches. */
export function testPortAllowed(port: number): boolean {
  return port >= FIRST_TEST_PORT && port < ephemeralFloor() && !FETCH_BLOCKED_PORTS.has(port);
}

/** A random port below the ephemeral range that `bind(port)` could take right now (then released). */
async function unusedPort(bind: (port: number) => Promise<boolean>): Promise<number> {
  const floor = ephemeralFloor();
  for (;;) {
    const port = randomInt(FIRST_TEST_PORT, floor);
    // Drawn within the range already: only fetch()'s blocked ports are left to skip.
    if (FETCH_BLOCKED_PORTS.has(port) || handedOut.has(port) || !(await bind(port))) continue;
    handedOut.add(port);
    return port;
  }
}

/** A UDP port free on loopback right now (bound and released), never one handed out before. */
export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return unusedPort((port) => udpBindable(port, host));
}

/** Whether a UDP socket could bind `port` on `host` right now (it is released at once). */
function udpBindable(port: number, host: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/** Two UDP ports in a row free on loopback right now, never handed out before: the first of them
 *  (a RADIUS server's authentication port, its accounting port the next, as 1812 and 1813). */
export function freeUdpPortPair(host = '127.0.0.1'): Promise<number> {
  return unusedPort(async (port) => {
    if (port + 1 >= ephemeralFloor() || handedOut.has(port + 1)) return false;
    if (!(await udpBindable(port, host)) || !(await udpBindable(port + 1, host))) return false;
    handedOut.add(port + 1);
    return true;
  });
}

/** A TCP port free on loopback right now (listened on and released), never one handed out before. */
export function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return unusedPort((port) => new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  }));
}

export function makeTempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `eaphost-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Runs a program to completion, killing it after `timeoutMs`. A system program gets the
 *  uninstrumented environment; our own node (`env: process.env`) keeps the sanitizer lane's preload. */
export function runProgram(file: string, args: string[], options: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {})
  : Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? uninstrumentedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/** runProgram with this thread blocked until the program exits (spawnSync): no turn of the event loop runs meanwhile. */
export function runProgramBlocking(file: string, args: string[],
  options: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const started = Date.now();
  const child = spawnSync(file, args, { cwd: options.cwd, env: options.env ?? uninstrumentedEnv(), encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.error && !child.signal) throw child.error;
  return { code: child.status, stdout: child.stdout ?? '', stderr: child.stderr ?? '', elapsedMs: Date.now() - started };
}

/** Quotes a value for FreeRADIUS / hostapd configuration strings. */
export function quoteConfigString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A daemon started by startDaemon: its output so far, and a stop that also removes its files. */
/**
 * A daemon's environment whose OpenSSL reads `defaults` (openssl.cnf lines of its system_default
 * section, e.g. "CipherString = DEFAULT@SECLEVEL=0") from a file in `dir`: what lets a test server
 * load a certificate or speak a version the distribution's level refuses.
 */
export function opensslDefaultsEnv(dir: string, defaults: readonly string[] | undefined): NodeJS.ProcessEnv {
  const env = uninstrumentedEnv();
  if (!defaults) return env;
  env.OPENSSL_CONF = join(dir, 'openssl.cnf');
  writeFileSync(env.OPENSSL_CONF, ['openssl_conf = init', '[init]', 'ssl_conf = ssl', '[ssl]', 'system_default = defaults',
    '[defaults]', ...defaults, ''].join('\n'));
  return env;
}

/** `openssl ARGS…` in `cwd`: resolves when it succeeds, rejects with its stderr when it does not. */
export function opensslIn(cwd: string): (...args: string[]) => Promise<void> {
  return async (...args) => {
    const run = await runProgram('openssl', args, { cwd });
    if (run.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
  };
}

/**
 * What `output()` holds from offset `from` on, once `pattern` matched in it `count` times (default
 * once); a rejection after `timeoutMs` that shows its end otherwise. A program's lines reach us
 * through a pipe, read on the event loop: its reply can reach the test before the lines it wrote
 * before sending it, and a line it writes after its reply (serve --log's) comes later still.
 */
export async function outputUntil(name: string, output: () => string, pattern: RegExp,
  { from = 0, count = 1, timeoutMs = 10_000 }: { from?: number; count?: number; timeoutMs?: number } = {}): Promise<string> {
  const every = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const deadline = Date.now() + timeoutMs;
  while ([...output().slice(from).matchAll(every)].length < count) {
    if (Date.now() > deadline) {
      throw new Error(`${name} did not say ${pattern}${count === 1 ? '' : ` ${count} times`} in ${timeoutMs / 1000} s:\n${output().slice(from).slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return output().slice(from);
}

export interface Daemon {
  /** The process id (for reading its CPU time in /proc). */
  pid: number;
  log: () => string;
  /** The log from offset `from` on, once `pattern` matched in it (outputUntil): how a test reads
   *  what the daemon said about an exchange that just ended. */
  logUntil: (from: number, pattern: RegExp, timeoutMs?: number) => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * Starts `program` and waits until its output (stdout and stderr) contains `readyLine`, for at
 * most `timeoutMs`. A daemon that exits or is not ready in time is killed, `dir` removed, and the
 * error carries the end of its log.
 */
export async function startDaemon(name: string, program: string, args: string[], readyLine: string, timeoutMs: number,
  dir: { remove(): void }, env: NodeJS.ProcessEnv = uninstrumentedEnv()): Promise<Daemon> {
  const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not become ready in ${timeoutMs / 1000} s:\n${log.slice(-4000)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      log += chunk;
      if (log.includes(readyLine)) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited with ${code} before it was ready:\n${log.slice(-4000)}`));
    });
  }).catch((error) => {
    child.kill('SIGKILL');
    dir.remove();
    throw error;
  });
  const logUntil = (from: number, pattern: RegExp, timeoutMs?: number): Promise<string> =>
    outputUntil(name, () => log, pattern, { from, timeoutMs });
  return { pid: child.pid!, log: () => log, logUntil, stop: () => stopChild(child, exited).finally(() => dir.remove()) };
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the child has exited. */
export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
