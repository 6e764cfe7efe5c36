/**
 * `eaphost serve` beside hostapd (RADIUS server with its integrated EAP server) and FreeRADIUS,
 * in one run: the same certificate (made for the run), the same users, the same load
 * (`eaphost load`, N in flight, the same count of authentications), method by method, each
 * server started afresh proposing that method first (no Nak round trip on any side).
 *
 *   node dist/bench/serve-vs-servers.js [--count 900] [--concurrency 32] [--methods peap,tls,ttls,teap,mschapv2]
 *     [--servers serve,hostapd,freeradius] [--serve-node-flags "--cpu-prof --cpu-prof-dir=DIR"] [--leaf-key rsa|ec-p256]
 *     [--baseline DIR] [--rounds N] [--serve-args=--log] [--tls 1.2|1.3] [--json]
 *
 * teap: serve alone (Debian's hostapd and FreeRADIUS serve none), its inner method EAP-MSCHAPv2.
 * --json: the rows again as one JSON line at the end.
 *
 * Per server and method: the server process's own CPU time (user + system, every thread, read
 * from /proc/PID/stat before and after the measured load) per successful authentication, and
 * the load's authentications per second; then serve's ratios against both baselines measured in
 * the same run. A warm-up load runs first on every server and is not counted. TLS methods
 * run TLS 1.2 (hostapd 2.10 offers nothing newer by default), full handshakes only (serve is
 * told to keep no sessions, as the other two keep none here); TTLS's phase 2 is MSCHAPv2, PEAP's inner method EAP-MSCHAPv2.
 * The server and client keys are RSA 2048 (--leaf-key ec-p256: ECDSA P-256), the CA's RSA 2048:
 * a full handshake's server cost is mostly its one private-key signature. Linux only.
 *
 * --tls 1.3: the TLS methods over TLS 1.3 (the load offers nothing older, serve accepts up to it), as
 * Windows 11's supplicant negotiates them with a server that offers it; serve's builds only.
 *
 * --baseline DIR: serve of another build (a checkout with its dist/ and native build) as the
 * server `serve-baseline`, measured beside this one's in the same run (add it to --servers).
 * --rounds N: every server and method N times over, in turn, so that pairs of neighbouring runs
 * share the machine's load. --serve-args: more arguments for serve and serve-baseline (`--log`).
 *
 * --servers serve,serve-wine: the same serve in the Windows node.exe under Wine as well, on the
 * Windows build (GnuTLS for Windows beside eap_methods.dll), beside Linux's, in one run. Its CPU
 * is node.exe's process plus the prefix's wineserver (which does part of what Windows' kernel
 * would). Run it with the Wine lane's environment (WINEPREFIX, EAPHOST_WINE_NODE_EXE and
 * EAPHOST_WINE_ADDON_PATH, the Windows addon as a Windows path: test/support/wine-node.ts).
 *
 *   node dist/bench/serve-vs-servers.js --stores [--methods mschapv2,md5] [--rounds 20] [--count 2000]
 *
 * --stores: serve's engine (a RadiusServer over the embedded authenticator, each in a process of
 * its own, both running) with the same users as a plain table, which the engine answers itself,
 * and behind a lookup function, which the engine asks through JS; both warmed up, then loaded in
 * alternating turns (table, function, function, table, …), so that the machine's own load moves
 * both alike. CPU per successful authentication is every thread's run time
 * (/proc/PID/task/ * /schedstat, nanoseconds) over all turns, and the function's ratio to the
 * table's, over all and per pair of turns (with their median).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAuthenticator } from '../lib';
import { main as eaphost } from '../lib/cli/main';
import { RadiusServer } from '../lib/radius';
import { startEaphostServe, startServeProcess } from '../test/support/eaphost-serve';
import { startFreeRadius } from '../test/support/freeradius';
import { HostapdUser, startHostapd } from '../test/support/hostapd';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME, makeInteropPki } from '../test/support/interop-pki';
import { freeUdpPort, makeTempDir } from '../test/support/programs';
import { startWineServe } from '../test/support/wine-node';
import { procStat } from './support/proc-cpu';

/** `eaphost load argv…` in this process. */
const runLoad = (argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> => eaphost(['load', ...argv], out, err);

type Method = 'peap' | 'tls' | 'ttls' | 'teap' | 'mschapv2' | 'md5';
type Store = 'table' | 'function';
type ServerName = 'serve' | 'serve-baseline' | 'serve-wine' | 'hostapd' | 'freeradius';
const SECRET = 'bench-serve-secret';
const USERS = Array.from({ length: 16 }, (_, i) => ({ identity: `load${i}`, password: `pw-${i}` }));
/** Not counted: enough for serve's JIT to have compiled its hot paths and its heap to have
 *  grown to its working size (after 300, serve's EAP-MSCHAPv2 CPU per authentication over the
 *  next 900 was 0.53-0.63 ms; after 3,000, 0.30-0.36 ms: a long-running server's figure). The
 *  other two compile nothing, and hostapd's RADIUS server holds at most 1000 sessions, each kept
 *  for a minute after it ends (RADIUS_MAX_SESSION): its warm-up and count together stay under that. */
const WARM_UP: Record<ServerName, number> = { serve: 3000, 'serve-baseline': 3000, 'serve-wine': 3000, hostapd: 64, freeradius: 64 };
/** hostapd's RADIUS server: sessions it keeps (RADIUS_MAX_SESSION), each for a minute after it ends. */
const HOSTAPD_SESSIONS = 1000;

interface RunningServer {
  pid: number;
  /** More processes whose CPU is the server's (serve-wine: the prefix's wineserver). */
  helperPids?: number[];
  port: number;
  stop(): Promise<unknown>;
}

interface Row {
  round: number;
  method: Method;
  server: ServerName;
  successes: number;
  failed: number;
  authsPerSecond: number;
  cpuMsPerAuth: number;
  /** Of cpuMsPerAuth, the user time (the rest is the kernel's). */
  userMsPerAuth: number;
  /** The client's CPU per authentication, as `eaphost load` reports it (`cpuUsPerRequest`: this
   *  process's, user + system), which shares the machine with the server's. */
  loadMsPerAuth: number;
  p50Ms: number;
  loadAverage: string;
}

/** CPU seconds per thread (the process's live threads), by name; node's own threads all share
 *  one, so the main thread is told apart and the others carry their thread id. */
function threadCpuSeconds(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = procStat(`${pid}/task/${task}`);
      const name = task === String(pid) ? 'main' : `${stat.name}:${task}`;
      threads.set(name, (threads.get(name) ?? 0) + stat.cpuMs / 1000);
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/** Where serve's CPU went, per thread name: "node 0.31 HostThread 0.08 …" (ms per authentication). */
function threadShares(before: Map<string, number>, after: Map<string, number>, successes: number): string {
  return [...after].map(([name, seconds]) => [name, (seconds - (before.get(name) ?? 0)) * 1000 / Math.max(successes, 1)] as const)
    .filter(([, ms]) => ms >= 0.005).sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${ms.toFixed(3)}`).join(', ');
}

/** The running wineservers (the bench runs one prefix at a time). */
function wineserverPids(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'wineserver';
    } catch {
      return false;
    }
  }).map(Number);
}

/** user + system CPU seconds of a server and its helper processes, and the user seconds of it. */
function serverCpuSeconds(server: RunningServer): { total: number; user: number } {
  return [server.pid, ...(server.helperPids ?? [])].reduce((sum, pid) => {
    const stat = procStat(pid);
    return { total: sum.total + stat.cpuMs / 1000, user: sum.user + stat.userMs / 1000 };
  }, { total: 0, user: 0 });
}

function hostapdUsers(method: Method): HostapdUser[] {
  if (method === 'tls') return [{ identity: CLIENT_IDENTITY, password: '', methods: ['TLS'] }];
  if (method === 'mschapv2') return USERS.map((user) => ({ ...user, methods: ['MSCHAPV2' as const] }));
  return USERS.map((user) => ({
    ...user, methods: [method === 'peap' ? 'PEAP' as const : 'TTLS' as const],
    phase2: [method === 'peap' ? 'MSCHAPV2' as const : 'TTLS-MSCHAPV2' as const],
  }));
}

type TlsVersion = '1.2' | '1.3';

async function startServer(name: ServerName, method: Method, pki: InteropPki, usersFile: string, serveNodeFlags: string[],
  baseline: string | undefined, serveArgs: string[] = [], tlsVersion: TlsVersion = '1.2'): Promise<RunningServer> {
  const certificates = { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey };
  // As the other two run here: TLS 1.2 (unless --tls 1.3), and no resumption (the load's peer would
  // otherwise resume its TLS sessions with serve, which keeps them by default, and skip handshakes).
  const tls = method === 'mschapv2' ? [] : ['--cert', pki.files.serverCert, '--key', pki.files.serverKey,
    '--tls-max', tlsVersion, '--tls-session-lifetime', '0', ...(method === 'tls' ? ['--ca', pki.files.ca] : [])];
  if (name === 'serve-wine') {
    const serve = await startWineServe(['--secret', SECRET, '--users', usersFile, '--methods', method, ...tls]);
    return { pid: serve.pid, helperPids: wineserverPids(), port: serve.port, stop: () => serve.stop() };
  }
  if (name === 'serve' || name === 'serve-baseline') {
    if (name === 'serve-baseline' && !baseline) throw new Error('serve-baseline needs --baseline DIR');
    const port = await freeUdpPort('127.0.0.1');
    const serve = await startEaphostServe(port, ['--secret', SECRET, '--users', usersFile, '--methods', method, ...tls, ...serveArgs],
      serveNodeFlags, name === 'serve-baseline' ? join(resolve(baseline!), 'dist', 'lib', 'cli', 'main.js') : undefined);
    return { pid: serve.pid, port, stop: () => serve.stop() };
  }
  if (method === 'teap') throw new Error(`${name}: Debian's build serves no TEAP; measure teap with --servers serve`);
  if (name === 'hostapd') {
    const hostapd = await startHostapd({ secret: SECRET, users: hostapdUsers(method), quiet: true,
      ...(method === 'mschapv2' ? {} : { certificates }) });
    return { pid: hostapd.pid, port: hostapd.port, stop: () => hostapd.stop() };
  }
  const freeradius = await startFreeRadius({ secret: SECRET, users: USERS, tlsMaxVersion: '1.2', certificates,
    defaultEapType: method });
  return { pid: freeradius.pid, port: freeradius.port, stop: () => freeradius.stop() };
}

function loadArgs(method: Method, port: number, usersFile: string, pki: InteropPki | undefined, count: number,
  concurrency: number, tlsVersion: TlsVersion = '1.2'): string[] {
  // The TLS methods' files (given for them only).
  const files = method === 'peap' || method === 'tls' || method === 'ttls' || method === 'teap' ? pki?.files : undefined;
  const tls = files ? ['--ca', files.ca, '--server-name', SERVER_NAME, '--tls-min', tlsVersion, '--tls-max', tlsVersion] : [];
  const who = method === 'tls' && files
    ? ['--identity', CLIENT_IDENTITY, '--cert', files.clientCert, '--key', files.clientKey, '--key-password', CLIENT_KEY_PASSWORD]
    : ['--users', usersFile];
  return ['--radius', `127.0.0.1:${port}`, '--secret', SECRET, '--method', method, ...who,
    ...tls, ...(method === 'ttls' ? ['--phase2', 'mschapv2'] : []),
    '--count', String(count), '--concurrency', String(concurrency), '--timeout', '20000', '--json'];
}

async function load(args: string[]): Promise<{ successes: number; failed: number; rate: number; p50: number; samples: string[];
  cpuUsPerRequest: number; }> {
  const lines: string[] = [];
  await runLoad(args, (line) => lines.push(line), (line) => lines.push(line));
  const summary = JSON.parse(lines[lines.length - 1]);
  return { successes: summary.successes, failed: summary.failures + summary.timeouts + summary.errors, rate: summary.rate,
    p50: summary.latencyMs?.p50 ?? 0, samples: summary.errorSamples ?? [], cpuUsPerRequest: summary.cpuUsPerRequest };
}

/** The run time of every thread of a process, in nanoseconds (schedstat's first field). */
function processRunNs(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return total;
}

/** --store-server: a RadiusServer over the embedded authenticator with USERS as `store` says,
 *  until SIGTERM. */
async function storeServer(store: Store, method: Method): Promise<void> {
  const table = new Map(USERS.map((user) => [user.identity, { password: user.password }]));
  const authenticator = await createAuthenticator({ methods: [method],
    users: store === 'table' ? Object.fromEntries(table) : { lookup: (identity: string) => table.get(identity) } });
  const server = new RadiusServer({ port: 0, secret: SECRET, authenticator });
  console.log(`listening on 127.0.0.1:${(await server.listen()).port}`);
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await server.close();
  await authenticator.close();
}

/** --stores: a table's and a lookup function's CPU per authentication, both servers running and
 *  loaded in turn, so that the machine's own load moves both alike. */
async function compareStores(methods: Method[], rounds: number, count: number, concurrency: number): Promise<void> {
  const dir = makeTempDir('bench-stores');
  const usersFile = join(dir.path, 'users.json');
  writeFileSync(usersFile, JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
  try {
    for (const method of methods) {
      const servers = {} as Record<Store, Awaited<ReturnType<typeof startServeProcess>>>;
      const total = { table: { ns: 0, successes: 0 }, function: { ns: 0, successes: 0 } };
      const ratios: number[] = [];
      try {
        for (const store of ['table', 'function'] as Store[]) {
          servers[store] = await startServeProcess(0, [__filename, '--store-server', store, '--methods', method]);
          await load(loadArgs(method, servers[store].port, usersFile, undefined, WARM_UP.serve, concurrency));
        }
        for (let round = 0; round < rounds; round++) {
          const cpu = {} as Record<Store, number>;
          for (const store of (round % 2 === 0 ? ['table', 'function'] : ['function', 'table']) as Store[]) {
            const { pid, port } = servers[store];
            const before = processRunNs(pid);
            const measured = await load(loadArgs(method, port, usersFile, undefined, count, concurrency));
            const ns = processRunNs(pid) - before;
            if (measured.failed > 0) console.error(`${store} ${method}: ${measured.failed} failed: ${measured.samples.join('; ')}`);
            total[store].ns += ns;
            total[store].successes += measured.successes;
            cpu[store] = ns / Math.max(measured.successes, 1);
          }
          ratios.push(cpu.function / cpu.table);
        }
      } finally {
        for (const server of Object.values(servers)) await server.stop();
      }
      const perAuth = (store: Store) => total[store].ns / 1e6 / Math.max(total[store].successes, 1);
      const sorted = [...ratios].sort((a, b) => a - b);
      const median = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
      console.log(`${method}: CPU per authentication, plain table ${perAuth('table').toFixed(4)} ms, lookup function ` +
        `${perAuth('function').toFixed(4)} ms: ${(perAuth('function') / perAuth('table')).toFixed(2)}x; per pair ` +
        `${ratios.map((r) => r.toFixed(2)).join(', ')}, median ${median.toFixed(2)}x ` +
        `(${rounds} pairs of ${count} authentications, ${concurrency} in flight, after ${WARM_UP.serve} each not counted)`);
    }
  } finally {
    dir.remove();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string' }, concurrency: { type: 'string' }, methods: { type: 'string' },
      servers: { type: 'string' }, 'serve-node-flags': { type: 'string' }, 'leaf-key': { type: 'string' },
      stores: { type: 'boolean' }, rounds: { type: 'string' }, 'store-server': { type: 'string' },
      baseline: { type: 'string' }, 'serve-args': { type: 'string' }, tls: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (values['store-server'] !== undefined) {
    return storeServer(values['store-server'] as Store, (values.methods ?? 'mschapv2') as Method);
  }
  const concurrency = Number(values.concurrency ?? 32);
  if (values.stores) {
    return compareStores((values.methods ?? 'mschapv2,md5').split(',') as Method[], Number(values.rounds ?? 20),
      Number(values.count ?? 2000), concurrency);
  }
  const count = Number(values.count ?? 900);
  const methods = (values.methods ?? 'peap,tls,ttls,mschapv2').split(',') as Method[];
  const servers = (values.servers ?? 'serve,hostapd,freeradius').split(',') as ServerName[];
  const serveNodeFlags = (values['serve-node-flags'] ?? '').split(' ').filter(Boolean);
  const serveArgs = (values['serve-args'] ?? '').split(' ').filter(Boolean);
  const tlsVersion = (values.tls ?? '1.2') as TlsVersion;
  if (tlsVersion !== '1.2' && tlsVersion !== '1.3') throw new Error('--tls is 1.2 or 1.3');
  if (tlsVersion === '1.3' && servers.some((name) => name === 'hostapd' || name === 'freeradius')) {
    throw new Error('--tls 1.3: serve\'s builds only (hostapd and FreeRADIUS are measured over TLS 1.2 here)');
  }
  // Past its session table hostapd refuses the rest, and its CPU over its few successes would
  // flatter every ratio against it: its measured load stays inside the table, warm-up included.
  if (servers.includes('hostapd') && WARM_UP.hostapd + count > HOSTAPD_SESSIONS) {
    throw new Error(`--count ${count}: hostapd keeps at most ${HOSTAPD_SESSIONS} sessions a minute; with its warm-up of ` +
      `${WARM_UP.hostapd}, --count is at most ${HOSTAPD_SESSIONS - WARM_UP.hostapd} when hostapd is measured`);
  }
  const leafKey = values['leaf-key'] ?? 'rsa';
  if (leafKey !== 'rsa' && leafKey !== 'ec-p256') throw new Error('--leaf-key is rsa or ec-p256');
  const pki = await makeInteropPki({ leafKey });
  console.log(`server and client keys: ${leafKey === 'rsa' ? 'RSA 2048' : 'ECDSA P-256'}`);
  const dir = makeTempDir('bench-serve');
  const usersFile = join(dir.path, 'users.json');
  writeFileSync(usersFile, JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
  const rows: Row[] = [];
  const threadLines: string[] = [];
  console.log(`load average at start: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  try {
    for (let round = 0; round < Number(values.rounds ?? 1); round++) for (const method of methods) {
      for (const name of servers) {
        const server = await startServer(name, method, pki, usersFile, serveNodeFlags, values.baseline, serveArgs, tlsVersion);
        try {
          await load(loadArgs(method, server.port, usersFile, pki, WARM_UP[name], concurrency, tlsVersion));
          const threadsBefore = threadCpuSeconds(server.pid);
          const before = serverCpuSeconds(server);
          const measured = await load(loadArgs(method, server.port, usersFile, pki, count, concurrency, tlsVersion));
          const after = serverCpuSeconds(server);
          const cpu = after.total - before.total;
          const perAuth = (seconds: number): number => Number((seconds * 1000 / Math.max(measured.successes, 1)).toFixed(3));
          if (name === 'serve' || name === 'serve-baseline') {
            threadLines.push(`${method}: ${name}'s CPU per thread, ms per authentication: ` +
              threadShares(threadsBefore, threadCpuSeconds(server.pid), measured.successes));
          }
          if (measured.failed > 0) console.error(`${name} ${method}: ${measured.failed} failed: ${measured.samples.join('; ')}`);
          rows.push({ round, method, server: name, successes: measured.successes, failed: measured.failed,
            authsPerSecond: Math.round(measured.rate), cpuMsPerAuth: perAuth(cpu),
            userMsPerAuth: perAuth(after.user - before.user),
            loadMsPerAuth: Number((measured.cpuUsPerRequest / 1000).toFixed(3)),
            p50Ms: measured.p50, loadAverage: loadavg()[0].toFixed(2) });
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    pki.remove();
    dir.remove();
  }
  console.log(`${count} authentications per server and method, ${concurrency} in flight, after ` +
    `${Object.entries(WARM_UP).map(([name, n]) => `${n} (${name})`).join(', ')} not counted; ` +
    'CPU is the server process\'s own (user + system; serve-wine: with its wineserver); loadMsPerAuth the client\'s, ' +
    'as `eaphost load` in this process reports it');
  console.table(rows);
  for (const line of threadLines) console.log(line);
  // --json: the rows once more, as the last line, for a bench that runs this one (bench/targets.ts).
  const json = values.json === true;
  for (const ours of rows.filter((row) => row.server === 'serve')) {
    const method = ours.method;
    // Against the servers of its own round: neighbours in time share the machine's load.
    for (const baseline of rows.filter((row) => row.round === ours.round && row.method === method && row.server !== 'serve')) {
      // A server that failed some of the load did less work than the count says: no ratio.
      if (baseline.failed > 0 || ours.failed > 0) {
        console.log(`round ${ours.round} ${method}: serve / ${baseline.server}: not comparable (failed: serve ${ours.failed}, ${baseline.server} ${baseline.failed})`);
        continue;
      }
      console.log(`round ${ours.round} ${method}: serve / ${baseline.server}: CPU per auth ${(ours.cpuMsPerAuth / baseline.cpuMsPerAuth).toFixed(2)}x, ` +
        `auths/s ${(ours.authsPerSecond / baseline.authsPerSecond).toFixed(2)}x`);
    }
  }
  if (json) console.log(JSON.stringify({ rows, threads: threadLines }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
