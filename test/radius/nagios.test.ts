import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../lib/cli/main';
import { startFreeRadius } from '../support/freeradius';
import { SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { withPeapRadiusServer } from '../support/eaphost-serve';
import { freeUdpPort } from '../support/programs';
import { secretFlag } from '../support/cli-run';

/**
 * `eaphost auth --radius … --nagios` against FreeRADIUS: one plugin status line and the plugin
 * exit codes. The certificate verdict is checked against the certificate file FreeRADIUS was
 * given (its validity read with node:crypto), the grade against FreeRADIUS's own verdict.
 */
const SECRET = 'nagios-secret';
const USER = { identity: 'nora', password: 'n0ra pass' };
const LINE = /^EAPHOST (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+( \| [^\n]+)?$/;

async function nagios(argv: string[]): Promise<{ code: number; line: string; all: string[]; err: string[] }> {
  const all: string[] = [];
  const err: string[] = [];
  const code = await main(['auth', ...argv, '--nagios'], (line) => all.push(line), (line) => err.push(line));
  assert.equal(all.length, 1, `exactly one line: ${all.join('\n')}`);
  assert.match(all[0], LINE);
  return { code, line: all[0], all, err };
}

describe('eaphost auth --nagios', function () {
  this.timeout(60_000);
  const radius = () => ['--radius', `127.0.0.1:${fixture.server.port}`, ...secretFlag('secret', SECRET)];
  const peap = () => ['--method', 'peap', '--identity', USER.identity, ...secretFlag('password', USER.password),
    '--ca', fixture.pki.files.ca, '--server-name', SERVER_NAME, '--tls-max', '1.2'];

  const fixture = interopServer((certificates) => startFreeRadius({
    secret: SECRET, users: [USER], tlsMaxVersion: '1.2',
    certificates,
  }));

  it('OK (exit 0) with the latency as perf data', async () => {
    const { code, line } = await nagios([...radius(), '--method', 'md5', '--identity', USER.identity, ...secretFlag('password', USER.password)]);
    assert.equal(code, 0, line);
    assert.match(line, /^EAPHOST OK - Access-Accept from 127\.0\.0\.1:\d+.* \| time=\d+ms;;;0$/);
    assert.doesNotMatch(line, new RegExp(`${SECRET}|${USER.password}`));
  });

  it('WARNING (1) past --warn-ms, CRITICAL (2) past --crit-ms; thresholds in the perf data', async () => {
    const md5 = [...radius(), '--method', 'md5', '--identity', USER.identity, ...secretFlag('password', USER.password)];
    const warned = await nagios([...md5, '--warn-ms', '0', '--crit-ms', '60000']);
    assert.equal(warned.code, 1, warned.line);
    assert.match(warned.line, /^EAPHOST WARNING - .* \| time=\d+ms;0;60000;0$/);
    const critical = await nagios([...md5, '--warn-ms', '0', '--crit-ms', '0']);
    assert.equal(critical.code, 2, critical.line);
    assert.match(critical.line, /^EAPHOST CRITICAL - /);
  });

  it('CRITICAL on Access-Reject and on a silent server; UNKNOWN (3) on bad usage', async () => {
    const rejected = await nagios([...radius(), '--method', 'md5', '--identity', USER.identity, ...secretFlag('password', 'wrong')]);
    assert.equal(rejected.code, 2);
    assert.match(rejected.line, /Access-Reject/);
    const silent = await nagios(['--radius', `127.0.0.1:${await freeUdpPort()}`, ...secretFlag('secret', SECRET), '--method', 'md5',
      '--identity', USER.identity, ...secretFlag('password', USER.password), '--timeout', '500']);
    assert.equal(silent.code, 2);
    assert.match(silent.line, /no reply from RADIUS server/);
    const usage = await nagios(['--radius', `127.0.0.1:${fixture.server.port}`, '--identity', 'x', ...secretFlag('password', 'y')]);
    assert.equal(usage.code, 3);
    assert.match(usage.line, /^EAPHOST UNKNOWN - .*--secret/);
    assert.equal((await nagios([...radius(), '--method', 'md5', '--identity', 'x', ...secretFlag('password', 'y'), '--cert-warn-days', '3'])).code, 3);
    assert.equal((await nagios([...radius(), ...peap(), '--warn-ms', '10', '--crit-ms', '5'])).code, 3);
  });

  it('PEAP: a server certificate expiring within --cert-warn-days is a WARNING, the days as FreeRADIUS\'s file says', async () => {
    const leaf = new X509Certificate(fixture.pki.serverCert);
    const days = (new Date(leaf.validTo).getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 0.5 && days < 1.1, `the test certificate is valid for a day (${days})`);
    const warned = await nagios([...radius(), ...peap(), '--cert-warn-days', '2']);
    assert.equal(warned.code, 1, warned.line);
    assert.match(warned.line, new RegExp(`server certificate .*CN=${SERVER_NAME.replace(/\./g, '\\.')}.* expires in`));
    const reported = Number(/cert_days=([\d.]+);2;;/.exec(warned.line)?.[1]);
    assert.ok(Math.abs(reported - days) < 0.2, `${reported} vs ${days}`);
    const fine = await nagios([...radius(), ...peap(), '--cert-warn-days', '0.25']);
    assert.equal(fine.code, 0, fine.line);
    assert.match(fine.line, /^EAPHOST OK - .*server certificate expires in [\d.]+ days \| time=\d+ms;;;0 cert_days=/);
  });

  it('TLS 1.3 encrypts the certificate on the wire: its days are read all the same, as over TLS 1.2', async () => {
    await withPeapRadiusServer(SECRET, USER, async (port, authenticator) => {
      const trust = authenticator.trust!;
      const ca = join(mkdtempSync(join(tmpdir(), 'eaphost-nagios-')), 'ca.pem');
      writeFileSync(ca, trust.ca);
      const base = (caFile: string) => ['--radius', `127.0.0.1:${port}`, ...secretFlag('secret', SECRET), '--method', 'peap',
        '--identity', USER.identity, ...secretFlag('password', USER.password), '--ca', caFile, '--server-name', trust.serverName,
        '--cert-warn-days', '1'];
      const over13 = await nagios([...base(ca), '--tls-max', '1.3']);
      const over12 = await nagios([...base(ca), '--tls-max', '1.2']);
      const days = (line: string) => Number(/cert_days=([\d.]+);1;;/.exec(line)?.[1]);
      assert.ok(Number.isFinite(days(over13.line)), over13.line);
      assert.equal(days(over13.line), days(over12.line), `${over13.line}\n${over12.line}`);
      // Refused (an untrusted CA): CRITICAL, and the certificate still graded.
      const refused = await nagios([...base(fixture.pki.files.otherCa), '--tls-max', '1.3']);
      assert.equal(refused.code, 2, refused.line);
      assert.match(refused.line, /cert_days=/, refused.line);
      rmSync(dirname(ca), { recursive: true, force: true });
    });
  });

  it('weak trust is a WARNING at best: --insecure, and --ca without --server-name, said on stderr too', async () => {
    await withPeapRadiusServer(SECRET, USER, async (port, authenticator) => {
      const ca = join(mkdtempSync(join(tmpdir(), 'eaphost-nagios-')), 'ca.pem');
      writeFileSync(ca, authenticator.trust!.ca);
      const base = ['--radius', `127.0.0.1:${port}`, ...secretFlag('secret', SECRET), '--method', 'peap', '--identity', USER.identity,
        ...secretFlag('password', USER.password)];
      const pinned = await nagios([...base, '--ca', ca, '--server-name', authenticator.trust!.serverName]);
      assert.equal(pinned.code, 0, pinned.line);
      assert.deepEqual(pinned.err, []);
      for (const weak of [['--insecure'], ['--ca', ca]]) {
        const graded = await nagios([...base, ...weak]);
        assert.equal(graded.code, 1, graded.line);
        assert.match(graded.line, /^EAPHOST WARNING - Access-Accept .*; insecure: /);
        assert.equal(graded.err.length, 1, graded.err.join('\n'));
        assert.match(graded.err[0], /^eaphost: warning: .*pose as the server/);
      }
      rmSync(dirname(ca), { recursive: true, force: true });
    });
  });
});
