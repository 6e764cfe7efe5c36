import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from '../../lib/cli/commands/load/summary';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';
import { freeUdpPort, makeTempDir } from '../support/programs';
import { eaphostCommand } from '../support/cli-run';

const runLoad = eaphostCommand('load');

/**
 * `eaphost load` against FreeRADIUS: the counts must be FreeRADIUS's verdicts (users it knows
 * succeed, a wrong password fails), bounded by --count / --duration, paced by --rate, and cut
 * short with a summary when stopped.
 */
const SECRET = 'load-secret';
const USERS = [1, 2, 3, 4].map((n) => ({ identity: `load${n}`, password: `pass ${n}` }));
/** MAB: FreeRADIUS knows the device aa:bb:cc:dd:ee:01 (User-Name = User-Password = the MAC), not …:02. */
const MAB_DEVICE = { identity: 'aabbccddee01', password: 'aabbccddee01' };

async function load(argv: string[], stop?: AbortSignal): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runLoad(argv, (line) => out.push(line), (line) => err.push(line), stop);
  return { code, out, err };
}

describe('eaphost load', function () {
  this.timeout(60_000);
  let server: FreeRadiusInstance;
  let dir: ReturnType<typeof makeTempDir>;
  const radius = () => ['--radius', `127.0.0.1:${server.port}`, '--secret', SECRET];

  before(async () => {
    server = await startFreeRadius({ secret: SECRET, users: [...USERS, MAB_DEVICE] });
    dir = makeTempDir('load');
    writeFileSync(join(dir.path, 'good.json'),
      JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
    writeFileSync(join(dir.path, 'mixed.json'), JSON.stringify({
      load1: { password: 'pass 1' }, load2: { password: 'pass 2' }, load3: { password: 'not it' },
    }));
  });
  after(async () => {
    await server?.stop();
    dir?.remove();
  });

  it('--count 40 --concurrency 8 over one socket pool: 40 Access-Accepts, rate and ordered percentiles', async () => {
    const { code, out, err } = await load([...radius(), '--method', 'md5', '--users', join(dir.path, 'good.json'),
      '--count', '40', '--concurrency', '8', '--json']);
    assert.equal(code, 0, `${out.join('\n')}${err.join('\n')}`);
    const summary = JSON.parse(out[0]);
    assert.equal(summary.result, 'done');
    assert.equal(summary.completed, 40);
    assert.equal(summary.successes, 40);
    assert.equal(summary.failures + summary.timeouts + summary.errors, 0);
    assert.ok(summary.rate > 0);
    const { p50, p95, p99, max } = summary.latencyMs;
    assert.ok(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, JSON.stringify(summary.latencyMs));
    assert.doesNotMatch(out[0], /pass \d|load-secret/);
  });

  it('a users file with one wrong password: FreeRADIUS\'s verdicts split 20 / 10, exit 1; MSCHAPv2 too', async () => {
    for (const method of ['md5', 'mschapv2']) {
      const { code, out } = await load([...radius(), '--method', method, '--users', join(dir.path, 'mixed.json'),
        '--count', '30', '--concurrency', '6', '--json']);
      assert.equal(code, 1);
      const summary = JSON.parse(out[0]);
      assert.equal(summary.successes, 20, method);
      assert.equal(summary.failures, 10, method);
      // The generator's own CPU per request: 30 EAP conversations cost it something, never nothing.
      assert.ok(Number.isFinite(summary.cpuUsPerRequest) && summary.cpuUsPerRequest > 0, String(summary.cpuUsPerRequest));
    }
  });

  it('--rate paces the starts; the text summary names the percentiles (EAP and PAP)', async () => {
    for (const method of ['md5', 'pap']) {
      const started = Date.now();
      const { code, out } = await load([...radius(), '--no-require-message-authenticator', '--method', method,
        '--identity', 'load1', '--password', 'pass 1', '--rate', '20/s', '--count', '10', '--concurrency', '5']);
      assert.equal(code, 0, out.join('\n'));
      assert.ok(Date.now() - started >= 440, 'the 10th start is 450 ms after the first');
      assert.match(out.join('\n'), /10 authentications/);
      assert.match(out.join('\n'), /latency p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms/);
      assert.match(out.join('\n'), /this process's CPU [\d.]+ µs a request/);
    }
  });

  it('a silent server: every authentication is a timeout, bounded by --timeout (EAP and PAP)', async () => {
    for (const method of ['md5', 'pap']) {
      const started = Date.now();
      const { code, out } = await load(['--radius', `127.0.0.1:${await freeUdpPort()}`, '--secret', SECRET, '--method', method,
        '--identity', 'load1', '--password', 'pass 1', '--timeout', '300', '--tries', '1', '--count', '4',
        '--concurrency', '4', '--json']);
      assert.equal(code, 1, method);
      const summary = JSON.parse(out[0]);
      assert.deepEqual([summary.started, summary.completed, summary.timeouts, summary.inFlight], [4, 4, 4, 0], method);
      assert.equal(summary.latencyMs, null);
      assert.ok(Date.now() - started < 2000);
    }
  });

  it('stopped (Ctrl-C) during --duration 60: returns at once with the summary so far (EAP and PAP)', async () => {
    for (const method of ['md5', 'pap']) {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 700);
      const started = Date.now();
      const { out } = await load([...radius(), '--no-require-message-authenticator', '--method', method,
        '--users', join(dir.path, 'good.json'), '--duration', '60', '--concurrency', '2', '--json'], stop.signal);
      assert.ok(Date.now() - started < 3000);
      const summary = JSON.parse(out[0]);
      assert.equal(summary.result, 'interrupted', method);
      assert.ok(summary.completed > 0);
      assert.equal(summary.completed, summary.successes);
      assert.equal(summary.inFlight, 0);
    }
  });

  it('bad usage exits 2', async () => {
    for (const flags of [['--count', '5', '--duration', '5'], ['--concurrency', '0'], ['--concurrency', '5000'],
      ['--rate', 'fast'], ['--count', '1.5']]) {
      const { code, err } = await load([...radius(), '--identity', 'x', '--password', 'y', ...flags]);
      assert.equal(code, 2, flags.join(' '));
      assert.match(err.join('\n'), /eaphost load --help for usage/);
    }
  });

  // FreeRADIUS answers plain PAP / MAB requests without Message-Authenticator (pap-acct.test.ts shows both ways).
  const plain = () => [...radius(), '--no-require-message-authenticator'];

  it('--method pap: plain Access-Requests as radclient sends them, FreeRADIUS\'s verdicts counted', async () => {
    const good = await load([...plain(), '--method', 'pap', '--users', join(dir.path, 'good.json'), '--count', '40',
      '--concurrency', '8', '--json']);
    assert.equal(good.code, 0, good.out.join('\n') + good.err.join('\n'));
    const summary = JSON.parse(good.out[0]);
    assert.deepEqual([summary.method, summary.completed, summary.successes], ['pap', 40, 40]);
    const mixed = await load([...plain(), '--method', 'pap', '--users', join(dir.path, 'mixed.json'), '--count', '30', '--json']);
    assert.equal(mixed.code, 1);
    const split = JSON.parse(mixed.out[0]);
    assert.deepEqual([split.successes, split.failures], [20, 10]);
  });

  it('--mab: one MAC per request counting up with --mac-count; the device FreeRADIUS knows passes, the other fails', async () => {
    const { code, out } = await load([...plain(), '--mab', '--calling-station-id', 'AA-BB-CC-DD-EE-01', '--mac-count', '2',
      '--count', '20', '--concurrency', '4', '--json']);
    assert.equal(code, 1, out.join('\n'));
    const summary = JSON.parse(out[0]);
    assert.deepEqual([summary.method, summary.successes, summary.failures, summary.errors], ['mab', 10, 10, 0]);
    const one = await load([...plain(), '--mab', '--calling-station-id', 'aa:bb:cc:dd:ee:01', '--count', '10', '--json']);
    assert.equal(one.code, 0, one.out.join('\n'));
    assert.equal(JSON.parse(one.out[0]).successes, 10);
    for (const bad of [['--mab', '--method', 'pap', '--calling-station-id', 'aa:bb:cc:dd:ee:01'], ['--mab'],
      ['--mab', '--calling-station-id', 'not-a-mac'], ['--method', 'pap', '--identity', 'x', '--password', 'y', '--mac-count', '2'],
      ['--method', 'pap', '--identity', 'x', '--password', 'y', '--insecure']]) {
      assert.equal((await load([...plain(), ...bad])).code, 2, bad.join(' '));
    }
  });

  it('nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 50), 50);
    assert.equal(percentile(sorted, 95), 95);
    assert.equal(percentile(sorted, 99), 99);
    assert.equal(percentile([7], 99), 7);
  });
});
