/**
 * `eaphost load --method pap` and `--mab` beside radclient (freeradius-utils), in one run against
 * the same FreeRADIUS on loopback: the same requests (PAP: User-Name and a hidden User-Password;
 * MAB: the MAC as both, Calling-Station-Id, Service-Type Call-Check), the same number of them and
 * the same number in flight, requests per second side by side.
 *
 *   node dist/bench/load-vs-radclient.js [--count 20000] [--parallel 64] [--rounds 1] [--baseline DIR]
 *
 * radclient's rate is its requests over its process's wall time (start-up included, as a user
 * running it sees it); ours is `eaphost load`'s own figure, which starts after the process has.
 * Each `eaphost load` runs in a process of its own (`node dist/lib/cli/main.js load`).
 * --baseline DIR: another build of eaphost (a checkout with its dist/ and native build), whose
 * `eaphost load` runs in the same rounds, alternating with this one's, against the same server.
 * --rounds N: N rounds of every side, in turn (radclient, ours, the baseline, then again).
 *
 * Then the same `load` runs against `eaphost serve` (PAP from --users, MAB from --mab), with no
 * policy and with a ten-rule --policy (nine rules that match none of the requests, the tenth all
 * of them, giving a VLAN and a Session-Timeout), alternated --serve-rounds times (default 3),
 * each side's best round kept: what the policy costs per request on serve's own thread, and
 * radclient's rate against the same serve.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startFreeRadius } from '../test/support/freeradius';
import { findProgram, makeTempDir } from '../test/support/programs';
import { startEaphostServe } from '../test/support/eaphost-serve';
import { cpuMs } from './support/proc-cpu';

/** `eaphost load argv… --json` of the build in `checkout`, in a process of its own: its summary. */
function runLoad(checkout: string, argv: string[]): Promise<{ completed: number; successes: number; rate: number }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [join(checkout, 'dist', 'lib', 'cli', 'main.js'), 'load', ...argv, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', () => {
      try {
        done(JSON.parse(output.trim().split('\n').pop() ?? ''));
      } catch {
        reject(new Error(`eaphost load (${checkout}) printed no summary: ${output}`));
      }
    });
  });
}

const SECRET = 'bench-radclient-secret';
const USERS = Array.from({ length: 16 }, (_, i) => ({ identity: `pap${i}`, password: `pw-${i}` }));
const MACS = Array.from({ length: 16 }, (_, i) => `aabbccddee${i.toString(16).padStart(2, '0')}`);

interface Row {
  kind: string;
  side: string;
  requests: number;
  accepted: number;
  perSecond: number;
}

/** radclient with every request of `file` sent `repeat` times, at most `parallel` in flight. */
function radclient(program: string, port: number, file: string, repeat: number, parallel: number): Promise<{ ms: number; output: string }> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(program, ['-q', '-s', '-c', String(repeat), '-p', String(parallel), '-r', '3', '-t', '5', '-f', file,
      `127.0.0.1:${port}`, 'auth', SECRET], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - began, output }));
  });
}

/** radclient -s: "Packets received  (Access-Accept): N" style lines, 3.x spelling. */
function accepted(output: string): number {
  return Number(/Accepted\s*:\s*(\d+)/i.exec(output)?.[1] ?? /Access-Accept\)?\s*:\s*(\d+)/i.exec(output)?.[1] ?? NaN);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string' }, parallel: { type: 'string' },
    rounds: { type: 'string' }, baseline: { type: 'string' }, 'serve-rounds': { type: 'string' } } });
  const count = Number(values.count ?? 20_000);
  const parallel = Number(values.parallel ?? 64);
  const rounds = Number(values.rounds ?? 1);
  const ours = resolve(__dirname, '..', '..');
  const builds = [{ side: 'eaphost load', checkout: ours },
    ...(values.baseline ? [{ side: 'baseline load', checkout: resolve(values.baseline) }] : [])];
  const program = findProgram(['radclient'], 'freeradius-utils');
  const dir = makeTempDir('bench-radclient');
  const server = await startFreeRadius({
    secret: SECRET, users: [...USERS, ...MACS.map((mac) => ({ identity: mac, password: mac }))],
  });
  const rows: Row[] = [];
  try {
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
    const papFile = join(dir.path, 'pap.txt');
    writeFileSync(papFile, USERS.map((user) => `User-Name = "${user.identity}"\nUser-Password = "${user.password}"\n` +
      'NAS-Identifier = "eaphost"\nMessage-Authenticator = 0x00\n').join('\n'));
    const mabFile = join(dir.path, 'mab.txt');
    writeFileSync(mabFile, MACS.map((mac) => `User-Name = "${mac}"\nUser-Password = "${mac}"\n` +
      `Calling-Station-Id = "${mac.replace(/(..)(?!$)/g, '$1-').toUpperCase()}"\nService-Type = Call-Check\n` +
      'NAS-Identifier = "eaphost"\nMessage-Authenticator = 0x00\n').join('\n'));
    // FreeRADIUS answers plain requests without Message-Authenticator; radclient does not check for one either.
    const secretFile = join(dir.path, 'secret');
    writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    const radius = ['--radius', `127.0.0.1:${server.port}`, '--secret-file', secretFile, '--no-require-message-authenticator'];
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['pap', 'mab'] as const) {
        const theirs = await radclient(program, server.port, kind === 'pap' ? papFile : mabFile, Math.ceil(count / 16), parallel);
        const sent = Math.ceil(count / 16) * 16;
        rows.push({ kind, side: `radclient -p ${parallel}`, requests: sent, accepted: accepted(theirs.output),
          perSecond: Math.round(sent / (theirs.ms / 1000)) });
        // This build and the baseline take turns going first, round by round.
        for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
          const summary = await runLoad(build.checkout, [...radius, ...(kind === 'pap' ? ['--method', 'pap', '--users', usersFile]
            : ['--mab', '--calling-station-id', MACS[0], '--mac-count', String(MACS.length)]),
          '--count', String(count), '--concurrency', String(parallel)]);
          rows.push({ kind, side: `${build.side} --concurrency ${parallel}`, requests: summary.completed, accepted: summary.successes,
            perSecond: Math.round(summary.rate) });
        }
      }
    }
    await againstServe({ dir: dir.path, ours, secretFile, usersFile, papFile, mabFile, count, parallel, program, rows,
      rounds: Number(values['serve-rounds'] ?? 3) });
  } finally {
    await server.stop();
    dir.remove();
  }
  console.log('| request | side | requests | accepted | per second |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.kind.toUpperCase()} | ${row.side} | ${row.requests} | ${row.accepted} | ${row.perSecond} |`);
}

/** Nine rules that match none of the bench's requests, and a tenth that matches them all. */
const TEN_RULES = {
  rules: [
    ...Array.from({ length: 9 }, (_, i) => ({ match: { ssid: `other-${i}`, nas: '192.0.2.0/24', callingStationId: `02-00-00-00-00-${i}0` },
      reply: { vlan: 10 + i } })),
    { match: { method: ['pap', 'mab'], nas: ['eaphost', '127.0.0.0/8'] }, reply: { vlan: 100, vlanTag: 1, sessionTimeout: 3600 } },
  ],
};

/** `eaphost load` PAP and MAB against `eaphost serve`, with no policy and with TEN_RULES, alternated; each side's best round. */
async function againstServe(args: { dir: string; ours: string; secretFile: string; usersFile: string; papFile: string; mabFile: string;
  count: number; parallel: number; program: string; rows: Row[]; rounds: number }): Promise<void> {
  const policyFile = join(args.dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(TEN_RULES));
  const macsFile = join(args.dir, 'macs.txt');
  writeFileSync(macsFile, MACS.map((mac) => `${mac}\n`).join(''));
  const best = new Map<string, Row>();
  const keep = (row: Row): void => {
    const key = `${row.kind}|${row.side}`;
    if ((best.get(key)?.perSecond ?? -1) < row.perSecond) best.set(key, row);
  };
  // serve's CPU per request (its process, every thread, from /proc), each load run's.
  const cpu = new Map<string, number[]>();
  for (let round = 0; round < args.rounds; round++) {
    // No policy and the policy take turns going first, round by round.
    for (const withPolicy of round % 2 === 0 ? [false, true] : [true, false]) {
      const serve = await startEaphostServe(0, ['--secret-file', args.secretFile, '--users', args.usersFile, '--pap', '--mab', macsFile,
        ...(withPolicy ? ['--policy', policyFile] : [])]);
      const to = `serve${withPolicy ? ' --policy (10 rules)' : ''}`;
      try {
        for (const kind of ['pap', 'mab'] as const) {
          const before = cpuMs(serve.pid);
          const summary = await runLoad(args.ours, ['--radius', `127.0.0.1:${serve.port}`, '--secret-file', args.secretFile,
            ...(kind === 'pap' ? ['--method', 'pap', '--users', args.usersFile]
              : ['--mab', '--calling-station-id', MACS[0], '--mac-count', String(MACS.length)]),
            '--count', String(args.count), '--concurrency', String(args.parallel)]);
          const key = `${kind.toUpperCase()} | ${to}`;
          cpu.set(key, [...(cpu.get(key) ?? []), ((cpuMs(serve.pid) - before) * 1000) / summary.completed]);
          keep({ kind, side: `eaphost load → ${to}`, requests: summary.completed, accepted: summary.successes, perSecond: Math.round(summary.rate) });
          if (!withPolicy) continue;
          const theirs = await radclient(args.program, serve.port, kind === 'pap' ? args.papFile : args.mabFile, Math.ceil(args.count / 16), args.parallel);
          const sent = Math.ceil(args.count / 16) * 16;
          keep({ kind, side: `radclient -p ${args.parallel} → ${to}`, requests: sent, accepted: accepted(theirs.output),
            perSecond: Math.round(sent / (theirs.ms / 1000)) });
        }
      } finally {
        await serve.stop();
      }
    }
  }
  args.rows.push(...best.values());
  console.log('| request | serve | CPU µs per request, each round |');
  console.log('|---|---|---|');
  for (const [key, values] of cpu) console.log(`| ${key} | ${values.map((value) => value.toFixed(1)).join(', ')} |`);
  console.log('');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
