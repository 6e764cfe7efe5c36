/**
 * `serve` as an operator runs it, in one run on loopback:
 * 1. Accounting-Requests a second into `serve --accounting` with an SQLite file (WAL,
 *    synchronous=FULL: each acknowledged only once its transaction is durable) and with
 *    PostgreSQL 15 (Debian's, started in a temporary directory): --acct-loads (default 2)
 *    `eaphost load --method acct` processes at once, as that many NASes (one load keeps at most
 *    256 in flight: one Identifier space), each request a Start with its own Acct-Session-Id;
 *    --acct-rounds (default 3) rounds, this build and --baseline DIR's (another checkout's build)
 *    taking turns, each side's best kept (with serve's CPU per request and the load average);
 *    every acknowledged request is checked to be a row. Then
 *    radclient (freeradius-utils) `acct` beside it on the same serve.
 * 2. What `--metrics` costs: `eaphost load --method pap` at full rate against serve with and
 *    without --metrics, the metrics side scraped every second during its run, alternating
 *    --rounds times (default 3); each side's best rate kept, and serve's CPU time per request
 *    (its /proc/PID/stat utime + stime across the run, over the requests answered).
 *
 *   node dist/bench/serve-operable.js [--count 20000] [--parallel 64] [--acct-parallel 256] [--acct-loads 2]
 *     [--acct-rounds 3] [--baseline DIR] [--pap-count 200000] [--rounds 3] [--metrics-only] [--json]
 *
 * --metrics-only measures 2. alone. Its last lines give the fastest round of metrics off whole (the
 * rate, the load's p99 latency, serve's CPU and the load's own CPU per request); --json adds them as
 * one JSON line.
 *
 * --parallel is radclient's -p and load's --concurrency for PAP; --acct-parallel, each accounting
 * load's (requests in flight are what one transaction can gather: the store's batch).
 *
 * Figures are ratios within this run (metrics on against off), never a timed test.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findProgram, makeTempDir } from '../test/support/programs';
import { ServeProcess, startEaphostServe } from '../test/support/eaphost-serve';
import { psqlRows, startPostgres } from '../test/support/postgres';
import { sqliteRows } from '../test/support/accounting-oracle';
import { cpuMs } from './support/proc-cpu';

const SECRET = 'bench-operable-secret';
const CLI = join(resolve(__dirname, '..', '..'), 'dist', 'lib', 'cli', 'main.js');

/** `eaphost load argv… --json` in a process of its own: its summary. */
function runLoad(argv: string[]): Promise<{ completed: number; successes: number; rate: number; latencyMs: { p99: number } | null;
  cpuUsPerRequest: number; }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, 'load', ...argv, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', () => {
      try {
        done(JSON.parse(output.trim().split('\n').pop() ?? ''));
      } catch {
        reject(new Error(`eaphost load printed no summary: ${output}`));
      }
    });
  });
}

/** radclient acct, each request of `file` sent `repeat` times, `parallel` in flight: its wall time. */
function radclientAcct(port: number, file: string, repeat: number, parallel: number): Promise<{ ms: number; output: string }> {
  return new Promise((done, reject) => {
    const began = performance.now();
    const child = spawn(findProgram(['radclient'], 'freeradius-utils'), ['-q', '-s', '-c', String(repeat), '-p', String(parallel),
      '-r', '3', '-t', '5', '-f', file, `127.0.0.1:${port}`, 'acct', SECRET], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', () => done({ ms: performance.now() - began, output }));
  });
}

/** Builds whose serve is measured: this one, and --baseline DIR's when given. */
interface Build {
  side: string;
  cli: string;
}

/** One accounting round: requests acknowledged and sent, the rate, serve's CPU (user + system) per
 *  acknowledged request, and the machine's 1-minute load average as the round ended. */
interface AccountingFigures {
  acknowledged: number;
  completed: number;
  rate: number;
  cpuPerRequestUs: number;
  loadAverage: number;
}

/**
 * `loads` `eaphost load --method acct` processes at once against one serve, as that many NASes (a
 * load keeps at most 256 requests in flight, one RADIUS Identifier space): the requests every one
 * counted acknowledged, over the wall time from the first start to the last finish.
 */
async function accountingRound(cli: string, target: string, secretFile: string, users: string, count: number, acctParallel: number,
  loads: number, identity: string): Promise<AccountingFigures> {
  const serve = await startEaphostServe(0, ['--secret-file', secretFile, '--users', users, '--methods', 'md5', '--accounting', target], [], cli);
  try {
    const cpuBefore = cpuMs(serve.pid);
    const began = performance.now();
    const each = Math.ceil(count / loads);
    const summaries = await Promise.all(Array.from({ length: loads }, () => runLoad(['--radius', `127.0.0.1:${serve.port}`,
      '--secret-file', secretFile, '--method', 'acct', '--identity', identity, '--count', String(each), '--concurrency', String(acctParallel)])));
    const seconds = (performance.now() - began) / 1000;
    const acknowledged = summaries.reduce((sum, summary) => sum + summary.successes, 0);
    const cpuPerRequestUs = ((cpuMs(serve.pid) - cpuBefore) * 1000) / acknowledged;
    // One load alone reports its own rate (its start-up left out); several, the rate over the wall time.
    return { acknowledged, completed: summaries.reduce((sum, summary) => sum + summary.completed, 0),
      rate: loads === 1 ? summaries[0].rate : acknowledged / seconds, cpuPerRequestUs, loadAverage: loadavg()[0] };
  } finally {
    await serve.stop();
  }
}

async function accounting(dir: string, secretFile: string, count: number, parallel: number, acctParallel: number,
  builds: Build[], rounds: number, loads: number): Promise<string[]> {
  const lines: string[] = [];
  const users = join(dir, 'users.json');
  const radclientFile = join(dir, 'acct.txt');
  writeFileSync(radclientFile, Array.from({ length: 16 }, (_, i) =>
    `Acct-Status-Type = Start\nAcct-Session-Id = "rc-${i}"\nUser-Name = "radclient"\nNAS-Identifier = "eaphost"\n`).join('\n'));
  const postgres = await startPostgres();
  try {
    for (const [store, target] of [['SQLite (WAL)', join(dir, 'accounting.db')], ['PostgreSQL 15', postgres.url]]) {
      const best = new Map<string, AccountingFigures>();
      for (let round = 0; round < rounds; round++) {
        // This build and the baseline take turns going first, round by round; each round's rows under its own name.
        for (const [index, build] of (round % 2 === 0 ? builds : [...builds].reverse()).entries()) {
          const identity = `loader-${round}-${index}-${build.side.length}`;
          const figures = await accountingRound(build.cli, target, secretFile, users, count, acctParallel, loads, identity);
          const kept = store.startsWith('SQLite')
            ? Number(sqliteRows(target, `SELECT count(*) AS n FROM accounting_events WHERE user_name = '${identity}'`)[0].n)
            : Number((await psqlRows(postgres, `SELECT count(*)::int AS n FROM accounting_events WHERE user_name = '${identity}'`))[0].n);
          // A request recorded whose answer came too late for load is a row not counted acknowledged; never fewer rows.
          if (kept < figures.acknowledged) throw new Error(`${store}, ${build.side}: ${figures.acknowledged} acknowledged, ${kept} rows`);
          if (figures.rate > (best.get(build.side)?.rate ?? 0)) best.set(build.side, figures);
        }
      }
      for (const [side, figures] of best) {
        lines.push(`${store}, ${side}: ${loads} × eaphost load --method acct --concurrency ${acctParallel}, ` +
          `${figures.acknowledged}/${figures.completed} acknowledged, each a row, best of ${rounds}: ${Math.round(figures.rate)}/s, ` +
          `serve CPU ${figures.cpuPerRequestUs.toFixed(1)} µs/request, load average ${figures.loadAverage.toFixed(1)}`);
      }
      const serve = await startEaphostServe(0, ['--secret-file', secretFile, '--users', users, '--methods', 'md5', '--accounting', target]);
      try {
        const repeat = Math.ceil(count / 16);
        const theirs = await radclientAcct(serve.port, radclientFile, repeat, parallel);
        lines.push(`${store}, this build: radclient acct -p ${parallel} ${repeat * 16} requests in ${Math.round(theirs.ms)} ms, ` +
          `${Math.round((repeat * 16) / (theirs.ms / 1000))}/s`);
      } finally {
        await serve.stop();
      }
    }
  } finally {
    await postgres.remove();
  }
  return lines;
}

interface PapFigures { rate: number; cpuPerRequestUs: number; scrapes: number; p99Ms: number; loadCpuPerRequestUs: number }

/** A PAP load run against `serve`, scraping its /metrics every second when `metricsUrl` is given. */
async function papRound(serve: ServeProcess, secretFile: string, users: string, count: number, parallel: number,
  metricsUrl?: string): Promise<PapFigures> {
  let scrapes = 0;
  const scraper = metricsUrl === undefined ? undefined : setInterval(() => {
    fetch(metricsUrl).then((response) => response.text()).then(() => { scrapes++; }, () => undefined);
  }, 1000);
  const cpuBefore = cpuMs(serve.pid);
  try {
    const summary = await runLoad(['--radius', `127.0.0.1:${serve.port}`, '--secret-file', secretFile, '--method', 'pap',
      '--users', users, '--count', String(count), '--concurrency', String(parallel)]);
    if (summary.successes !== count) throw new Error(`PAP load: ${summary.successes}/${count} accepted`);
    return { rate: summary.rate, cpuPerRequestUs: ((cpuMs(serve.pid) - cpuBefore) * 1000) / summary.completed, scrapes,
      p99Ms: summary.latencyMs?.p99 ?? NaN, loadCpuPerRequestUs: summary.cpuUsPerRequest };
  } finally {
    if (scraper) clearInterval(scraper);
  }
}

async function metricsCost(dir: string, secretFile: string, count: number, parallel: number, rounds: number,
  json: boolean): Promise<string[]> {
  const users = join(dir, 'users.json');
  const base = ['--secret-file', secretFile, '--users', users, '--methods', 'md5', '--pap'];
  const off = await startEaphostServe(0, base);
  const on = await startEaphostServe(0, [...base, '--metrics', '127.0.0.1:0']);
  const url = /metrics on (http:\/\/\S+)/.exec(await on.logged(/metrics on http:\/\/\S+/))![1];
  const none: PapFigures = { rate: 0, cpuPerRequestUs: Infinity, scrapes: 0, p99Ms: NaN, loadCpuPerRequestUs: NaN };
  const best = { off: none, on: none };
  // The fastest round of each side whole: its p99 and the load's own CPU beside its rate.
  const fastest = { off: none, on: none };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? ['off', 'on'] as const : ['on', 'off'] as const) {
        const figures = await papRound(side === 'on' ? on : off, secretFile, users, count, parallel, side === 'on' ? url : undefined);
        best[side] = { ...best[side], rate: Math.max(best[side].rate, figures.rate),
          cpuPerRequestUs: Math.min(best[side].cpuPerRequestUs, figures.cpuPerRequestUs), scrapes: best[side].scrapes + figures.scrapes };
        if (figures.rate > fastest[side].rate) fastest[side] = figures;
      }
    }
  } finally {
    await on.stop();
    await off.stop();
  }
  const ratio = (a: number, b: number): string => `${((a / b - 1) * 100).toFixed(1)} %`;
  return [
    `PAP, metrics off: ${Math.round(best.off.rate)}/s, serve CPU ${best.off.cpuPerRequestUs.toFixed(1)} µs/request (best of ${rounds})`,
    `PAP, metrics on, scraped every second (${best.on.scrapes} scrapes): ${Math.round(best.on.rate)}/s, ` +
      `serve CPU ${best.on.cpuPerRequestUs.toFixed(1)} µs/request`,
    `metrics on vs off: throughput ${ratio(best.on.rate, best.off.rate)}, CPU per request ${ratio(best.on.cpuPerRequestUs, best.off.cpuPerRequestUs)}`,
    `fastest round, metrics off: ${Math.round(fastest.off.rate)}/s, p99 ${fastest.off.p99Ms} ms, serve CPU ` +
      `${fastest.off.cpuPerRequestUs.toFixed(1)} µs/request, the load's own ${fastest.off.loadCpuPerRequestUs} µs/request`,
    ...(json ? [JSON.stringify({ best, fastest, count, parallel, rounds })] : []),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string' }, parallel: { type: 'string' }, rounds: { type: 'string' },
    'acct-parallel': { type: 'string' }, 'pap-count': { type: 'string' }, baseline: { type: 'string' }, 'acct-rounds': { type: 'string' },
    'acct-loads': { type: 'string' }, 'metrics-only': { type: 'boolean' }, json: { type: 'boolean' } } });
  const count = Number(values.count ?? 20_000);
  const parallel = Number(values.parallel ?? 64);
  const acctParallel = Number(values['acct-parallel'] ?? 256);
  const papCount = Number(values['pap-count'] ?? 200_000);
  const rounds = Number(values.rounds ?? 3);
  const builds: Build[] = [{ side: 'this build', cli: CLI },
    ...(values.baseline ? [{ side: 'baseline', cli: join(resolve(values.baseline), 'dist', 'lib', 'cli', 'main.js') }] : [])];
  const dir = makeTempDir('bench-operable');
  try {
    const secretFile = join(dir.path, 'secret');
    writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    writeFileSync(join(dir.path, 'users.json'), JSON.stringify(Object.fromEntries(
      Array.from({ length: 16 }, (_, i) => [`pap${i}`, { password: `pw-${i}` }]))), { mode: 0o600 });
    if (values['metrics-only'] !== true) {
      for (const line of await accounting(dir.path, secretFile, count, parallel, acctParallel, builds,
        Number(values['acct-rounds'] ?? 3), Number(values['acct-loads'] ?? 2))) console.log(line);
    }
    for (const line of await metricsCost(dir.path, secretFile, papCount, parallel, rounds, values.json === true)) console.log(line);
  } finally {
    dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
