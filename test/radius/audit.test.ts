/**
 * `eaphost audit` (lib/audit/) against FreeRADIUS 3.2 on loopback, one private instance per server
 * fault, each prediction for the wpa_supplicant platforms held to what Debian 12's eapol_test does
 * against the same server with the same trust (the root CA, domain_match on the server name):
 *   a. a good server (full chain, SAN, serverAuth, RSA-2048, SHA-256, TLS 1.2 and 1.3): every
 *      client connects; eapol_test succeeds with "MPPE keys OK", at TLS 1.3 too, where windows-11
 *      speaks it and no tls13-keys finding is made;
 *   b. TLS 1.0 only: wpa-supplicant / wpa-supplicant-legacy agree with eapol_test's defaults and
 *      with phase1 "tls_disable_tlsv1_0=0"; windows-11 fails with tls-version;
 *   c. the leaf without its intermediate: chain-incomplete; eapol_test fails with the root alone,
 *      succeeds with root + intermediate;
 *   d. a clientAuth-only certificate: eku-missing-server-auth; a name the certificate lacks:
 *      name-mismatch, and eapol_test's domain_match fails too;
 *   e. SHA-1-signed, RSA-1024 and expired leaves: weak-signature, weak-key, expired, the
 *      wpa_supplicant predictions equal to eapol_test's verdicts;
 *   f. a wrong password: credentials-rejected and no TLS finding;
 *   g. a RADIUS stand-in whose replies lack Message-Authenticator: no-message-authenticator;
 *   h. the Access-Requests of one run, counted by FreeRADIUS's own statistics (Status-Server),
 *      stay under the documented bound;
 *   i. no trustworthy answer (stand-ins): replies whose Message-Authenticator fails, and a server
 *      that never starts TLS (Request/Identity for ever), are `unreachable`, exit 3, with the
 *      client's own reason, every Access-Request the stand-in received counted;
 *   j. a leaf whose names are hostile text: the text report escapes its right-to-left override
 *      and writes its SAN once quoted.
 * Cases a and c run against hostapd's integrated RADIUS server as well.
 */
import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit, AuditReport } from '../../lib';
import { AUDIT_MAX_ACCESS_REQUESTS, AUDIT_MAX_AUTHENTICATIONS } from '../../lib/audit';
import { auditTable } from '../../lib/cli/commands/audit/audit';
import { AUDIT_SERVER_NAME, AuditLeaf, AuditPki, HOSTILE_SAN, makeAuditPki } from '../support/audit-pki';
import { cliOutputSchema, validate } from '../support/cli-output-schema';
import { eaphostCommand, runCli } from '../support/cli-run';
import { EapolTestOptions, ONLY_TLS13, runEapolTest } from '../support/eapol-test';
import { runAction } from '../../lib/action/run';
import { FreeRadiusInstance, FreeRadiusOptions, startFreeRadius } from '../support/freeradius';
import { HostapdInstance, startHostapd } from '../support/hostapd';
import { makeTempDir, runProgram } from '../support/programs';
import { replyServer, unsignedReplyServer } from '../support/unsigned-reply-server';

const SECRET = 'audit-secret';
const USER = { identity: 'aud', password: 'aud pa55 wörd' };

type Server = 'good' | 'tls10' | 'leafOnly' | 'clientAuth' | 'sha1' | 'rsa1024' | 'expired' | 'hostile';

/** Each server: its leaf, whether it sends the intermediate, and its eap module's TLS settings. */
const SERVERS: Record<Server, { leaf: AuditLeaf; leafOnly?: boolean; radius?: Partial<FreeRadiusOptions> }> = {
  good: { leaf: 'good', radius: { statusServer: true, tlsMaxVersion: '1.3' } },
  tls10: { leaf: 'good', radius: { tlsMinVersion: '1.0', tlsMaxVersion: '1.0', cipherList: 'DEFAULT@SECLEVEL=0' } },
  leafOnly: { leaf: 'good', leafOnly: true },
  clientAuth: { leaf: 'client-auth' },
  // Debian's OpenSSL level refuses to load these as the server's own certificate.
  sha1: { leaf: 'sha1', radius: { cipherList: 'DEFAULT@SECLEVEL=0', opensslDefaults: ['CipherString = DEFAULT@SECLEVEL=0'] } },
  rsa1024: { leaf: 'rsa1024', radius: { cipherList: 'DEFAULT@SECLEVEL=0', opensslDefaults: ['CipherString = DEFAULT@SECLEVEL=0'] } },
  expired: { leaf: 'expired' },
  hostile: { leaf: 'hostile', leafOnly: true },
};

const TLS_FINDINGS = ['tls-version', 'chain-incomplete', 'untrusted', 'name-mismatch', 'eku-missing-server-auth', 'expired',
  'not-yet-valid', 'weak-signature', 'weak-key', 'tls13-keys'];

describe('eaphost audit against FreeRADIUS, its predictions against Debian\'s eapol_test', function () {
  this.timeout(120_000);
  let pki: AuditPki;
  const servers = {} as Record<Server, FreeRadiusInstance>;
  const hostapd: { full?: HostapdInstance; leafOnly?: HostapdInstance } = {};
  const tables = makeTempDir('audit-tables');

  before(async () => {
    pki = await makeAuditPki();
    const names = Object.keys(SERVERS) as Server[];
    const started = await Promise.allSettled(names.map((name) => {
      const { leaf, leafOnly, radius } = SERVERS[name];
      const files = pki.leaves[leaf];
      return startFreeRadius({
        secret: SECRET, users: [USER], defaultEapType: 'peap', ...radius,
        certificates: { ca: pki.root, serverCert: leafOnly ? files.leafOnly : files.chain, serverKey: files.key },
      });
    }));
    started.forEach((result, i) => { if (result.status === 'fulfilled') servers[names[i]] = result.value; });
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const files = pki.leaves.good;
    for (const chain of ['full', 'leafOnly'] as const) {
      hostapd[chain] = await startHostapd({ secret: SECRET, users: [{ ...USER, methods: ['PEAP'], phase2: ['MSCHAPV2'] }],
        certificates: { ca: pki.root, serverCert: chain === 'full' ? files.chain : files.leafOnly, serverKey: files.key } });
    }
  });
  after(async () => {
    await Promise.all([...Object.values(servers), ...Object.values(hostapd)].map((server) => server!.stop()));
    pki?.remove();
    // EAPHOST_AUDIT_TABLES=DIR keeps the text tables of cases a, b, c and h (docs/audit.md shows them).
    const keep = process.env.EAPHOST_AUDIT_TABLES;
    if (keep) for (const file of ['a', 'b', 'c', 'h']) {
      try { writeFileSync(join(keep, `${file}.txt`), readFileSync(join(tables.path, `${file}.txt`))); } catch { /* not run */ }
    }
    tables.remove();
  });

  const endpoint = (name: Server) => ({ host: servers[name].host, port: servers[name].port, secret: SECRET });
  const run = (name: Server, extra: Partial<Parameters<typeof audit>[0]> = {}): Promise<AuditReport> => audit({
    server: endpoint(name), method: 'peap', identity: USER.identity, password: USER.password,
    // No pause between authentications but in case h, which runs the defaults: the suite stays short.
    ca: readFileSync(pki.root), serverName: AUDIT_SERVER_NAME, spacingMs: 0, ...extra,
  });
  const eapolTest = (name: Server, options: Partial<EapolTestOptions> = {}) => runEapolTest({
    ...endpoint(name), ...USER, method: 'PEAP', phase2: 'auth=MSCHAPV2', caCert: pki.root, serverName: AUDIT_SERVER_NAME,
    timeoutSeconds: 5, ...options,
  });
  const client = (report: AuditReport, name: string) => {
    const found = report.clients.find((entry) => entry.client === name);
    assert.ok(found, `no prediction for ${name}`);
    return found;
  };
  const ids = (report: AuditReport): string[] => report.findings.map((finding) => finding.id);
  const keepTable = (file: string, report: AuditReport): void => writeFileSync(join(tables.path, `${file}.txt`),
    `${report.authentications} authentications, ${report.accessRequests} Access-Requests, ${report.elapsedMs} ms\n\n` +
    `${auditTable(report).join('\n')}\n`);
  const describeRun = (report: AuditReport): string => JSON.stringify({ clients: report.clients, findings: report.findings,
    attempts: report.attempts }, null, 1);

  it('a. a good server: every client connects; eapol_test succeeds with MPPE keys OK', async () => {
    const report = await run('good');
    keepTable('a', report);
    assert.equal(report.verdict, 'pass', describeRun(report));
    assert.ok(report.clients.every((entry) => entry.connects), describeRun(report));
    // PEAP's inner EAP-MSCHAPv2: the NTLM readiness notice alone, which breaks no client.
    assert.deepEqual(ids(report), ['mschapv2-needs-ntlm'], describeRun(report));
    assert.equal(report.chain.length, 2, 'the leaf and its intermediate crossed in the clear at TLS 1.2');
    const truth = await eapolTest('good');
    assert.equal(truth.success, true, truth.stdout.slice(-3000));
    assert.equal(truth.mppeKeysOk, 1);
    assert.equal(client(report, 'wpa-supplicant').connects, truth.success);
    // TLS 1.3: the audit's keys check against eapol_test's own (its MSK against the Access-Accept's keys).
    assert.equal(client(report, 'windows-11').tlsVersion, '1.3');
    assert.equal(report.attempts.find((attempt) => attempt.name === 'tls1.3')?.mppeKeysMatch, true, describeRun(report));
    const tls13 = await eapolTest('good', { phase1: ONLY_TLS13 });
    assert.equal(tls13.success, true, tls13.stdout.slice(-3000));
    assert.match(tls13.stdout, /^SSL: Using TLS version TLSv1\.3$/m);
    assert.equal(tls13.mppeKeysOk, 1, 'eapol_test\'s MSK equals the server\'s MPPE keys at TLS 1.3: no tls13-keys finding is right');
  });

  it('a, the GitHub Action with audit: true: the clients table in the job summary, success true', async () => {
    const dir = makeTempDir('audit-action');
    try {
      const env: NodeJS.ProcessEnv = {
        GITHUB_OUTPUT: join(dir.path, 'output'), GITHUB_STEP_SUMMARY: join(dir.path, 'summary.md'), RUNNER_TEMP: dir.path,
        INPUT_AUDIT: 'true', INPUT_SERVER: `127.0.0.1:${servers.good.port}`, INPUT_SECRET: SECRET, INPUT_IDENTITY: USER.identity,
        INPUT_PASSWORD: USER.password, INPUT_CA: pki.root, 'INPUT_SERVER-NAME': AUDIT_SERVER_NAME,
      };
      for (const file of [env.GITHUB_OUTPUT!, env.GITHUB_STEP_SUMMARY!]) writeFileSync(file, '');
      const log: string[] = [];
      assert.equal(await runAction(env, { log: (line) => log.push(line) }), 0, log.join('\n'));
      const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
      assert.match(summary, /^### eaphost audit: every client connects$/m);
      const rows = summary.split('\n').filter((line) => /^\| [a-z0-9-]+ \| (yes|\*\*no\*\*) \|/.test(line));
      assert.deepEqual(rows.map((row) => row.split(' | ')[0].slice(2)), ['windows-11', 'windows-10', 'android', 'apple', 'wpa-supplicant',
        'wpa-supplicant-legacy']);
      assert.match(readFileSync(env.GITHUB_OUTPUT!, 'utf8'), /^success<<(\S+)\ntrue\n\1$/m);
      const written = log.filter((line) => !line.startsWith('::add-mask::')).join('\n');
      assert.ok(!written.includes(USER.password) && !summary.includes(USER.password), 'the password is written nowhere but its mask');
    } finally {
      dir.remove();
    }
  });

  it('a, through the CLI: exit 0, one JSON object in the CLI schema with verdict, clients, findings, elapsedMs', async () => {
    const dir = makeTempDir('audit-cli');
    try {
      writeFileSync(join(dir.path, 'secret'), `${SECRET}\n`);
      writeFileSync(join(dir.path, 'password'), `${USER.password}\n`);
      const cli = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${servers.good.port}`, '--secret-file', join(dir.path, 'secret'),
        '--method', 'peap', '--identity', USER.identity, '--password-file', join(dir.path, 'password'), '--ca', pki.root,
        '--server-name', AUDIT_SERVER_NAME, '--json']);
      assert.equal(cli.code, 0, cli.err.join('\n'));
      assert.equal(cli.out.length, 1);
      const output = JSON.parse(cli.out[0]);
      assert.deepEqual(validate(output, cliOutputSchema), []);
      assert.equal(output.command, 'audit');
      assert.equal(output.verdict, 'pass');
      assert.equal(output.clients.length, 6);
      assert.deepEqual(output.findings.map((finding: { id: string; severity: string }) => [finding.id, finding.severity]),
        [['mschapv2-needs-ntlm', 'notice']]);
      assert.equal(typeof output.elapsedMs, 'number');
      const text = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${servers.good.port}`, '--secret-file', join(dir.path, 'secret'),
        '--method', 'peap', '--identity', USER.identity, '--password-file', join(dir.path, 'password'), '--ca', pki.root, '--spacing', '0']);
      assert.equal(text.code, 0, text.err.join('\n'));
      assert.match(text.out.join('\n'), /^windows-11 +yes +1\.3$/m);
      assert.match(text.out.join('\n'), /^wpa-supplicant +yes +1\.2$/m);
      const usage = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${servers.good.port}`, '--secret-file', join(dir.path, 'secret'),
        '--method', 'md5', '--identity', USER.identity]);
      assert.equal(usage.code, 2);
    } finally {
      dir.remove();
    }
  });

  for (const chain of ['full', 'leafOnly'] as const) {
    it(`${chain === 'full' ? 'a' : 'c'}, hostapd's RADIUS server: the audit's wpa_supplicant verdict is eapol_test's, with the root CA`, async () => {
      const target = { host: hostapd[chain]!.host, port: hostapd[chain]!.port, secret: SECRET };
      const report = await audit({ server: target, method: 'peap', identity: USER.identity, password: USER.password,
        ca: readFileSync(pki.root), serverName: AUDIT_SERVER_NAME, spacingMs: 0 });
      const truth = await runEapolTest({ ...target, ...USER, method: 'PEAP', phase2: 'auth=MSCHAPV2', caCert: pki.root,
        serverName: AUDIT_SERVER_NAME });
      assert.equal(truth.success, chain === 'full', truth.stdout.slice(-2000));
      assert.equal(client(report, 'wpa-supplicant').connects, truth.success, describeRun(report));
      if (chain === 'full') {
        assert.equal(report.verdict, 'pass', describeRun(report));
        assert.equal(truth.mppeKeysOk, 1);
      } else {
        assert.ok(ids(report).includes('chain-incomplete'), describeRun(report));
        const both = await runEapolTest({ ...target, ...USER, method: 'PEAP', phase2: 'auth=MSCHAPV2', caCert: pki.rootAndIntermediate,
          serverName: AUDIT_SERVER_NAME });
        assert.equal(both.success, true, both.stdout.slice(-2000));
      }
    });
  }

  it('b. TLS 1.0 only: the wpa_supplicant predictions equal eapol_test\'s verdicts; windows-11 fails with tls-version', async () => {
    const report = await run('tls10');
    keepTable('b', report);
    assert.equal(report.verdict, 'fail');
    assert.deepEqual(client(report, 'windows-11').reasons, ['tls-version'], describeRun(report));
    assert.ok(report.attempts.some((attempt) => attempt.tlsVersion === '1.0'), 'the TLS 1.0 probe completed a handshake');
    // From the peer's typed outcome: at TLS 1.2 the server chose TLS 1.0 and the peer refused it
    // (GnuTLS's protocol_version alert); at TLS 1.3 FreeRADIUS answered with EAP-Failure.
    const evidence = report.findings.find((finding) => finding.id === 'tls-version')?.evidence ?? '';
    assert.equal(evidence, 'offered TLS 1.2: the server answered with a TLS version not offered (the peer\'s alert protocol_version (70)); ' +
      'offered TLS 1.3: EAP-Failure in answer to the ClientHello, no TLS alert; the server completed TLS 1.0', describeRun(report));
    const defaults = await eapolTest('tls10');
    const legacy = await eapolTest('tls10', { phase1: 'tls_disable_tlsv1_0=0' });
    assert.equal(client(report, 'wpa-supplicant').connects, defaults.success, `eapol_test, defaults:\n${defaults.stdout.slice(-2000)}`);
    assert.equal(client(report, 'wpa-supplicant-legacy').connects, legacy.success, `eapol_test, TLS 1.0 on:\n${legacy.stdout.slice(-2000)}`);
    if (defaults.success) assert.match(defaults.stdout, /Using TLS version TLSv1$/m);
  });

  it('c. the intermediate left out: chain-incomplete; eapol_test fails with the root, succeeds with root + intermediate', async () => {
    const report = await run('leafOnly');
    keepTable('c', report);
    assert.ok(ids(report).includes('chain-incomplete'), describeRun(report));
    assert.ok(report.clients.every((entry) => !entry.connects && entry.reasons.includes('chain-incomplete')));
    const rootOnly = await eapolTest('leafOnly');
    const both = await eapolTest('leafOnly', { caCert: pki.rootAndIntermediate });
    assert.equal(rootOnly.success, false, rootOnly.stdout.slice(-2000));
    assert.equal(both.success, true, both.stdout.slice(-2000));
    assert.equal(client(report, 'wpa-supplicant').connects, rootOnly.success);
  });

  it('d. a clientAuth-only certificate: eku-missing-server-auth, as eapol_test refuses it', async () => {
    const report = await run('clientAuth');
    assert.ok(ids(report).includes('eku-missing-server-auth'), describeRun(report));
    const truth = await eapolTest('clientAuth');
    assert.equal(client(report, 'wpa-supplicant').connects, truth.success, truth.stdout.slice(-2000));
    assert.equal(client(report, 'wpa-supplicant-legacy').connects, (await eapolTest('clientAuth', { phase1: 'tls_disable_tlsv1_0=0' })).success);
  });

  it('d. a name the certificate does not carry: name-mismatch for every client; eapol_test\'s domain_match fails', async () => {
    const report = await run('good', { serverName: 'other.audit.invalid' });
    assert.ok(ids(report).includes('name-mismatch'), describeRun(report));
    assert.ok(report.clients.every((entry) => entry.reasons.includes('name-mismatch')));
    const truth = await eapolTest('good', { serverName: 'other.audit.invalid' });
    assert.equal(truth.success, false, truth.stdout.slice(-2000));
    assert.equal(client(report, 'wpa-supplicant').connects, truth.success);
  });

  for (const [name, finding] of [['sha1', 'weak-signature'], ['rsa1024', 'weak-key'], ['expired', 'expired']] as const) {
    it(`e. ${name}: ${finding}, each wpa_supplicant prediction equal to eapol_test's verdict`, async () => {
      const report = await run(name);
      assert.ok(ids(report).includes(finding), describeRun(report));
      const defaults = await eapolTest(name);
      const legacy = await eapolTest(name, { phase1: 'tls_disable_tlsv1_0=0' });
      assert.equal(client(report, 'wpa-supplicant').connects, defaults.success, `defaults:\n${defaults.stdout.slice(-2000)}`);
      assert.equal(client(report, 'wpa-supplicant-legacy').connects, legacy.success, `TLS 1.0 on:\n${legacy.stdout.slice(-2000)}`);
      if (finding === 'expired') assert.ok(report.clients.every((entry) => entry.reasons.includes('expired')));
      if (finding !== 'expired') assert.deepEqual(client(report, 'apple').reasons, [finding], 'Apple refuses SHA-1 and RSA under 2048');
    });
  }

  it('f. a wrong password against a good server: credentials-rejected and no TLS finding; eapol_test is refused too', async () => {
    const report = await run('good', { password: 'not the password' });
    assert.deepEqual(ids(report), ['credentials-rejected', 'mschapv2-needs-ntlm'], describeRun(report));
    assert.ok(report.clients.every((entry) => entry.reasons.length === 1 && entry.reasons[0] === 'credentials-rejected'));
    assert.ok(!report.findings.some((finding) => TLS_FINDINGS.includes(finding.id)));
    const truth = await eapolTest('good', { password: 'not the password' });
    assert.equal(truth.success, false);
  });

  it('g. a RADIUS stand-in whose replies lack Message-Authenticator: no-message-authenticator', async () => {
    const standIn = await unsignedReplyServer(3, SECRET);
    try {
      const report = await audit({ server: { host: '127.0.0.1', port: standIn.port, secret: SECRET }, method: 'peap', identity: USER.identity,
        password: USER.password, ca: readFileSync(pki.root), timeoutMs: 1000, spacingMs: 0 });
      assert.ok(ids(report).includes('no-message-authenticator'), describeRun(report));
      assert.match(report.findings.find((finding) => finding.id === 'no-message-authenticator')!.evidence, /without Message-Authenticator/);
      assert.equal(report.verdict, 'fail');
      assert.ok(standIn.answered() >= 2, 'the stand-in answered the audit');
    } finally {
      await standIn.close();
    }
  });

  it('unreachable: a server that never answers exits 3 with every client unreachable, after one authentication', async () => {
    // A silent stand-in: a bound UDP socket that reads and never answers.
    const silent = createSocket('udp4');
    let received = 0;
    silent.on('message', () => { received++; });
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
    const dir = makeTempDir('audit-silent');
    try {
      writeFileSync(join(dir.path, 'secret'), `${SECRET}\n`);
      const cli = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${silent.address().port}`, '--secret-file',
        join(dir.path, 'secret'), '--method', 'peap', '--identity', USER.identity, '--password', USER.password, '--timeout', '300',
        '--tries', '3', '--json']);
      assert.equal(cli.code, 3, cli.err.join('\n'));
      const output = JSON.parse(cli.out[0]);
      assert.deepEqual(validate(output, cliOutputSchema), []);
      assert.equal(output.verdict, 'unreachable');
      assert.equal(output.authentications, 1);
      // Every Access-Request counted (the 3 tries, and the client's secret probe): what the silent
      // socket received.
      assert.ok(received >= 3, `the silent socket received ${received}`);
      assert.equal(output.accessRequests, received);
      assert.ok(output.clients.every((entry: { reasons: string[] }) => entry.reasons.join() === 'unreachable'));
    } finally {
      dir.remove();
      silent.close();
    }
  });

  /** `eaphost audit --json` against a stand-in on loopback (one try per request, 300 ms each). */
  const auditStandIn = async (port: number): Promise<{ code: number; output: Record<string, any> }> => {
    const dir = makeTempDir('audit-stand-in');
    try {
      writeFileSync(join(dir.path, 'secret'), `${SECRET}\n`);
      const cli = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${port}`, '--secret-file', join(dir.path, 'secret'),
        '--method', 'peap', '--identity', USER.identity, '--password', USER.password, '--timeout', '300', '--tries', '3', '--json']);
      const output = JSON.parse(cli.out[0]);
      assert.deepEqual(validate(output, cliOutputSchema), []);
      return { code: cli.code, output };
    } finally {
      dir.remove();
    }
  };
  const assertUnreachable = (run: { code: number; output: Record<string, any> }, evidence: RegExp, received: number): void => {
    const described = JSON.stringify(run.output, null, 1);
    assert.equal(run.code, 3, described);
    assert.equal(run.output.verdict, 'unreachable', described);
    assert.deepEqual(run.output.findings.map((finding: { id: string }) => finding.id), ['unreachable'], described);
    assert.match(run.output.findings[0].evidence, evidence, described);
    assert.ok(run.output.findings.every((finding: { evidence: string }) => !finding.evidence.startsWith(';')), described);
    assert.ok(run.output.clients.every((entry: { reasons: string[] }) => entry.reasons.join() === 'unreachable'), described);
    // The Access-Requests the stand-in received, counted on its own socket.
    assert.equal(run.output.accessRequests, received, described);
  };

  it('i. replies whose Message-Authenticator fails: unreachable, exit 3, the client\'s reason, every request counted', async () => {
    const standIn = await replyServer(SECRET, () => ({ code: 11, messageAuthenticator: 'wrong' }));
    try {
      const run = await auditStandIn(standIn.port);
      assert.ok(standIn.received(1) >= 3, `the stand-in received ${standIn.received(1)} Access-Requests`);
      assertUnreachable(run, /Message-Authenticator that does not verify/, standIn.received(1));
    } finally {
      await standIn.close();
    }
  });

  it('i. a server that never starts TLS (Request/Identity for ever): unreachable, exit 3, "the server did not start TLS"', async () => {
    let identifier = 0;
    // EAP-Request/Identity (RFC 3748 §5.1) in every Access-Challenge, correctly signed.
    const standIn = await replyServer(SECRET, () => ({
      code: 11, messageAuthenticator: 'right', attributes: [{ type: 79, value: Buffer.of(1, ++identifier & 0xff, 0, 5, 1) }],
    }));
    try {
      const run = await auditStandIn(standIn.port);
      assert.ok(standIn.answered() > 3, `the stand-in answered ${standIn.answered()} requests`);
      assertUnreachable(run, /^the server did not start TLS: /, standIn.received(1));
    } finally {
      await standIn.close();
    }
  });

  it('i. a server whose PEAP fragments never end: tls-fragments, named as such, not a TLS version', async () => {
    let identifier = 0;
    // PEAP Requests with the More Fragments bit set (RFC 5216 §2.1.5), 1,000 octets each, for ever:
    // the first one announcing a TLS message of 16,000 octets (the L bit).
    const standIn = await replyServer(SECRET, () => {
      const first = identifier === 0;
      const header = first ? Buffer.of(25, 0xc0, 0, 0, 0x3e, 0x80) : Buffer.of(25, 0x40);
      const data = Buffer.concat([header, Buffer.alloc(1000, 0x16)]);
      const eap = Buffer.concat([Buffer.of(1, ++identifier & 0xff, 0, 0), data]);
      eap.writeUInt16BE(eap.length, 2);
      return { code: 11, messageAuthenticator: 'right', attributes: [{ type: 79, value: eap.subarray(0, 253) },
        { type: 79, value: eap.subarray(253, 506) }, { type: 79, value: eap.subarray(506, 759) }, { type: 79, value: eap.subarray(759) }] };
    });
    try {
      const run = await auditStandIn(standIn.port);
      const described = JSON.stringify(run.output, null, 1);
      assert.equal(run.code, 1, described);
      assert.deepEqual(run.output.findings.map((finding: { id: string }) => finding.id), ['tls-fragments'], described);
      assert.match(run.output.findings[0].evidence, /^the server.s EAP-TLS fragments break RFC 5216 §2\.1\.5: .*past its declared length of 16000 bytes/, described);
      assert.ok(run.output.clients.every((entry: { reasons: string[] }) => entry.reasons.join() === 'tls-fragments'), described);
    } finally {
      await standIn.close();
    }
  });

  it('j. hostile names: the text report escapes U+202E and quotes the SAN once', async () => {
    const dir = makeTempDir('audit-hostile');
    try {
      writeFileSync(join(dir.path, 'secret'), `${SECRET}\n`);
      const cli = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${servers.hostile.port}`, '--secret-file',
        join(dir.path, 'secret'), '--method', 'peap', '--identity', USER.identity, '--password', USER.password, '--ca', pki.root,
        '--server-name', AUDIT_SERVER_NAME, '--spacing', '0']);
      const text = cli.out.join('\n');
      assert.equal(cli.code, 1, text);
      assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b-\u001f\u007f]/u, text);
      assert.match(text, /evidence: the server sent 1 certificate; the issuer of "radius\\u\{202E\}tset/, text);
      assert.ok(text.includes(`evidence: the certificate names "${HOSTILE_SAN}";`), text);
    } finally {
      dir.remove();
    }
  });

  it('h. bounded: the Access-Requests FreeRADIUS counted for one run equal the audit\'s count, under the documented bound', async () => {
    // What one statistics query adds to the count by itself, measured with nothing in between.
    const first = await totalAccessRequests(servers.good);
    const before = await totalAccessRequests(servers.good);
    const report = await run('good', { spacingMs: undefined });
    keepTable('h', report);
    const after = await totalAccessRequests(servers.good);
    assert.equal(after - before - (before - first), report.accessRequests, describeRun(report));
    assert.ok(report.accessRequests <= AUDIT_MAX_ACCESS_REQUESTS);
    assert.ok(report.authentications <= AUDIT_MAX_AUTHENTICATIONS);
    assert.equal(report.attempts.length, report.authentications);
    // Spaced: the default 250 ms between authentications.
    assert.ok(report.elapsedMs >= 250 * (report.authentications - 1), `${report.elapsedMs} ms for ${report.authentications} authentications`);
  });
});

/** FreeRADIUS's own count of Access-Requests (Status-Server to its `status` virtual server, statistics type 1). */
async function totalAccessRequests(server: FreeRadiusInstance): Promise<number> {
  const dir = makeTempDir('audit-status');
  try {
    const request = join(dir.path, 'status.txt');
    writeFileSync(request, 'Message-Authenticator = 0x00\nFreeRADIUS-Statistics-Type = 1\n');
    const run = await runProgram('radclient', ['-x', '-f', request, `127.0.0.1:${server.statusPort}`, 'status', SECRET], { timeoutMs: 10_000 });
    const found = /FreeRADIUS-Total-Access-Requests = (\d+)/.exec(run.stdout);
    assert.ok(found, `radclient printed no total:\n${run.stdout}\n${run.stderr}`);
    return Number(found[1]);
  } finally {
    dir.remove();
  }
}
