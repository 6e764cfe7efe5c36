/** The `eaphost` command, run as a user would: a child node process, exit codes and output. */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomCredentials } from './helpers';

const cli = path.resolve(__dirname, '..', 'lib', 'cli', 'main.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: process.env, timeout: 60000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

describe('eaphost CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-cli-'));
  const { identity, password } = randomCredentials();
  const users = path.join(dir, 'users.json');
  fs.writeFileSync(users, JSON.stringify({ [identity]: { password } }));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('auth exits 0 on EAP-Success and prints one JSON object with --json', () => {
    const r = run(['auth', '--method', 'md5', '--identity', identity, '--password', password, '--users', users, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim());
    assert.equal(out.success, true);
    assert.equal(out.method, 'md5');
    assert.equal(out.identity, identity);
    assert.equal(out.roundTrips, 2);
    assert.ok(Array.isArray(out.attributes));
    assert.ok(!r.stdout.includes(password), 'the password is never printed');
  });

  it('auth exits 1 on EAP-Failure with a wrong password', () => {
    const r = run(['auth', '--method', 'md5', '--identity', identity, '--password', 'not-' + password, '--users', users]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /EAP-Failure/);
  });

  it('auth --verbose prints every EAP packet decoded', () => {
    const r = run(['auth', '--method', 'md5', '--identity', identity, '--password', password, '--users', users, '--verbose']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /<- EAP-Request id=\d+ len=\d+ type=Identity/);
    assert.match(r.stdout, /-> EAP-Response id=\d+ len=\d+ type=MD5-Challenge value-size=16 value=[0-9a-f]{32}/);
    assert.match(r.stdout, /<- EAP-Success/);
  });

  it('exits 2 with a one-line error on bad usage or input', () => {
    const cases: string[][] = [
      [],
      ['frobnicate'],
      ['auth', '--method', 'md5', '--identity', identity, '--users', users],
      ['auth', '--method', 'tls', '--identity', identity, '--password', password, '--users', users],
      ['auth', '--method', 'md5', '--identity', identity, '--password', password, '--users', path.join(dir, 'missing.json')],
      ['auth', '--bogus'],
    ];
    for (const args of cases) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')} → ${r.status} ${r.stderr}`);
      assert.match(r.stderr.split('\n')[0], /^eaphost: /);
    }
  });

  it('methods lists EAP-MD5', () => {
    const r = run(['methods']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /type 4 .*EAP-MD5/);
  });
});
