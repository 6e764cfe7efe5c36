/** `eaphost auth` / `eaphost serve` with the TLS methods, run as a user would: a child node process. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { runCliProcess as run } from '../support/cli-run';

describe('eaphost CLI with TLS methods', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-tls-cli-'));
  const users = path.join(dir, 'users.json');
  const password = 'erin pa55 wörd';
  fs.writeFileSync(users, JSON.stringify({ erin: { password } }));
  // A CA that vouches for nothing the embedded authenticator serves.
  const otherCa = path.join(dir, 'other-ca.pem');
  fs.writeFileSync(otherCa, createEphemeralCa().ca);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('embedded EAP-TLS needs no files: ephemeral CA, server and client certificates; keys match', () => {
    const r = run(['auth', '--method', 'tls', '--identity', 'erin', '--users', users, '--json']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout.trim());
    assert.equal(out.success, true);
    assert.equal(out.eapType, 13);
    assert.equal(out.mppeKeysMatch, true);
  });

  it('embedded PEAP needs no files: `auth --method peap --identity ID --password PW --users FILE`', () => {
    const r = run(['auth', '--method', 'peap', '--identity', 'erin', '--password', password, '--users', users]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /EAP-Success: erin authenticated with PEAP/);
    assert.match(r.stdout, /MPPE keys match the MSK/);
    assert.ok(!r.stdout.includes(password));
  });

  it('embedded TTLS with --phase2 pap and an anonymous outer identity', () => {
    const r = run(['auth', '--method', 'ttls', '--phase2', 'pap', '--anonymous-identity', 'anonymous', '--identity', 'erin',
      '--password', password, '--users', users, '--json']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.equal(JSON.parse(r.stdout.trim()).mppeKeysMatch, true);
  });

  it('a server certificate from a CA the peer was not told to trust: exit 1 with the reason', () => {
    const r = run(['auth', '--method', 'tls', '--identity', 'erin', '--users', users, '--ca', otherCa]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /EAP-Failure: erin was not authenticated \(.*unknown CA/);
    const json = run(['auth', '--method', 'tls', '--identity', 'erin', '--users', users, '--ca', otherCa, '--json']);
    assert.equal(json.status, 1);
    const out = JSON.parse(json.stdout.trim());
    assert.equal(out.success, false);
    assert.equal(out.error.reasonCode, 0x80420400);
  });

  it('a server certificate for another name: exit 1 naming both', () => {
    const r = run(['auth', '--method', 'tls', '--identity', 'erin', '--users', users, '--server-name', 'radius.example.com']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /name mismatch: expected radius\.example\.com/);
  });

  it('usage errors exit 2: --ca with --insecure, flags for other methods, no trust in RADIUS mode, serve without a certificate', () => {
    const cases: [string[], RegExp][] = [
      [['auth', '--method', 'peap', '--identity', 'erin', '--password', 'x', '--users', users, '--ca', otherCa, '--insecure'],
        /--ca FILE or --insecure, not both/],
      [['auth', '--method', 'peap', '--identity', 'erin', '--password', 'x', '--users', users, '--phase2', 'pap'],
        /--phase2 applies to --method ttls only/],
      [['auth', '--method', 'mschapv2', '--identity', 'erin', '--password', 'x', '--users', users, '--insecure'],
        /applies to --method peap, teap, ttls or tls only/],
      [['auth', '--method', 'tls', '--identity', 'erin', '--users', users, '--tls-max', '1.1'], /--tls-max must be 1\.2 or 1\.3/],
      [['auth', '--method', 'tls', '--identity', 'erin', '--users', users, '--ca', path.join(dir, 'missing.pem')],
        /--ca .*missing\.pem: cannot read it \(ENOENT\)/],
      [['auth', '--radius', '127.0.0.1:1', '--secret', 's', '--method', 'peap', '--identity', 'erin', '--password', 'x'],
        /needs --ca FILE .* or --insecure/],
      [['serve', '--port', '0', '--secret', 's', '--users', users, '--methods', 'peap'], /needs the server's --cert FILE and --key FILE/],
      [['serve', '--port', '0', '--secret', 's', '--users', users, '--cert', otherCa], /--cert FILE and --key FILE together/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}\n${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });
});
