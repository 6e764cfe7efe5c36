/** The `eaphost` command, run as a user would: a child node process, exit codes and output. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runCliChild, runCliProcess as run, scratchUser } from './support/cli-run';
import { RFC2759 } from './support/mschapv2-oracle';

describe('eaphost CLI', () => {
  const { dir, identity, password, users } = scratchUser('eaphost-cli-');

  it('a value that begins with "-" is the value of the flag before it (getopt\'s rule), not a flag', async () => {
    // A random base64url password begins with "-" one time in 64: node:util's parser refused it
    // as ambiguous, an exit 2 no user could explain. The six children run at once.
    await Promise.all(['-x7Secret', '--looks-like-a-flag', '-h'].map(async (dashed, i) => {
      const dashedUsers = path.join(dir, `dashed-users-${i}.json`);
      fs.writeFileSync(dashedUsers, JSON.stringify({ '-dash-user': { password: dashed } }));
      const [r, wrong] = await Promise.all([
        runCliChild(['auth', '--method', 'md5', '--identity', '-dash-user', '--password', dashed, '--users', dashedUsers, '--json']),
        runCliChild(['auth', '--method', 'md5', '--identity', '-dash-user', '--password', `${dashed}x`, '--users', dashedUsers]),
      ]);
      assert.equal(r.status, 0, `${dashed}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout.trim()).identity, '-dash-user');
      assert.equal(wrong.status, 1, `${dashed}x must be refused as a wrong password: ${wrong.stderr}`);
    }));
  });

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

  it('auth --verbose prints every EAP packet decoded, but neither the MD5 challenge nor the response', () => {
    const r = run(['auth', '--method', 'md5', '--identity', identity, '--password', password, '--users', users, '--verbose']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /<- EAP-Request id=\d+ len=\d+ type=Identity/);
    assert.match(r.stdout, /<- EAP-Request id=\d+ len=\d+ type=MD5-Challenge value-size=\d+ value=\(\d+ bytes, not shown\)/);
    assert.match(r.stdout, /-> EAP-Response id=\d+ len=\d+ type=MD5-Challenge value-size=16 value=\(16 bytes, not shown\)/);
    // Challenge and response are what an offline dictionary attack on the password needs.
    assert.doesNotMatch(r.stdout, /[0-9a-f]{16}/i, 'no hex run of 8 bytes or more');
    assert.match(r.stdout, /<- EAP-Success/);
  });

  it('exits 2 with a one-line error on bad usage or input', () => {
    const cases: string[][] = [
      [],
      ['frobnicate'],
      ['auth', '--method', 'md5', '--identity', identity, '--users', users],
      ['auth', '--method', 'no-such-method', '--identity', identity, '--password', password, '--users', users],
      ['auth', '--method', 'md5', '--identity', identity, '--password', password, '--users', path.join(dir, 'missing.json')],
      ['auth', '--bogus'],
    ];
    for (const args of cases) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')} → ${r.status} ${r.stderr}`);
      // Named by the command it was for, when there is one (after the warning a literal password earns).
      const said = r.stderr.split('\n').filter((line) => !line.startsWith('eaphost: warning:'));
      assert.match(said[0], new RegExp(`^eaphost${args[0] === 'auth' ? ' auth' : ''}: `));
    }
  });

  it('auth --trust-ephemeral-ca: a Root store by name, on Windows, for a TLS method only; else exit 2 saying why', () => {
    const base = ['auth', '--identity', identity, '--password', password, '--users', users];
    const bogus = run([...base, '--method', 'peap', '--trust-ephemeral-ca', 'Machine']);
    assert.equal(bogus.status, 2, bogus.stderr);
    assert.match(bogus.stderr, /--trust-ephemeral-ca must be LocalMachine or CurrentUser/);
    const md5 = run([...base, '--method', 'md5', '--trust-ephemeral-ca', 'CurrentUser']);
    assert.equal(md5.status, 2, md5.stderr);
    assert.match(md5.stderr, process.platform === 'win32' ? /needs a TLS method/ : /applies on Windows only/);
  });

  it('auth --method mschapv2 --json --show-keys: a 32-byte MSK, mppeKeysMatch true', () => {
    const r = run(['auth', '--method', 'mschapv2', '--identity', identity, '--password', password, '--users', users,
      '--json', '--show-keys']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim());
    assert.equal(out.success, true);
    assert.equal(out.eapType, 26);
    assert.match(out.msk, /^[0-9a-f]{64}$/);
    assert.equal(out.mppeKeysMatch, true);
    assert.equal(out.emsk, undefined);
    for (const attribute of out.attributes) assert.deepEqual(Object.keys(attribute).sort(), ['length', 'type']);
  });

  it('auth --json without --show-keys prints no key material', () => {
    const r = run(['auth', '--method', 'mschapv2', '--identity', identity, '--password', password, '--users', users, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim());
    assert.equal(out.mppeKeysMatch, true);
    assert.equal(out.msk, undefined);
  });

  it('auth --verbose never prints the password or the keys (MSCHAPv2 and GTC)', () => {
    for (const method of ['mschapv2', 'gtc']) {
      const r = run(['auth', '--method', method, '--identity', identity, '--password', password, '--users', users,
        '--verbose', '--json', '--show-keys']);
      assert.equal(r.status, 0, `${method}: ${r.stderr}`);
      const lines = r.stdout.trim().split('\n');
      const json = JSON.parse(lines.pop()!);
      const verbose = lines.join('\n');
      assert.match(verbose, method === 'gtc' ? /-> EAP-Response id=\d+ len=\d+ type=GTC response=/ : /type=MSCHAPv2 op=Success/);
      assert.ok(!verbose.includes(password), `${method}: the password appears in --verbose output`);
      if (json.msk) {
        for (const part of [json.msk, json.msk.slice(0, 32), json.msk.slice(32)]) {
          assert.ok(!verbose.toLowerCase().includes(part), `${method}: key material appears in --verbose output`);
        }
      }
    }
  });

  it('auth --method mschapv2 with a user stored by NT hash; a wrong password exits 1 with error 691', () => {
    const hashed = path.join(dir, 'hashed.json');
    fs.writeFileSync(hashed, JSON.stringify({ [identity]: { ntHash: RFC2759.passwordHash.toString('hex') } }));
    const good = run(['auth', '--method', 'mschapv2', '--identity', identity, '--password', RFC2759.password, '--users', hashed]);
    assert.equal(good.status, 0, good.stderr + good.stdout);
    assert.match(good.stdout, /EAP-Success/);
    const bad = run(['auth', '--method', 'mschapv2', '--identity', identity, '--password', 'not-it', '--users', hashed, '--json']);
    assert.equal(bad.status, 1, bad.stderr);
    const out = JSON.parse(bad.stdout.trim());
    assert.equal(out.success, false);
    assert.equal(out.error.win32Error, 691);
    assert.equal(typeof out.error.retry, 'boolean');
  });

  it('a users file with a malformed ntHash is bad input (exit 2)', () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ [identity]: { ntHash: 'abc' } }));
    const r = run(['auth', '--method', 'mschapv2', '--identity', identity, '--password', password, '--users', broken]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /ntHash must be 32 hex digits/);
  });

  it('methods lists EAP-MD5', () => {
    const r = run(['methods']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /type 4 .*EAP-MD5/);
    assert.match(r.stdout, /type 6 .*EAP-GTC/);
    assert.match(r.stdout, /type 26 .*EAP-MSCHAPv2/);
  });
});
