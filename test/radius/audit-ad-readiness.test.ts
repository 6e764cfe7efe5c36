/**
 * `eaphost audit` and Active Directory's hardening, against FreeRADIUS 3.2 on loopback:
 *   - three EAP-TLS client certificates made by the openssl command, all accepted by FreeRADIUS
 *     (the same CA, clientAuth): one with the SID security extension (1.3.6.1.4.1.311.25.2, the
 *     OtherName AD CS writes), one with the subjectAltName URL tag:microsoft.com,2022-09-14:sid:…,
 *     one with neither; only the last gets client-cert-weak-mapping (NPS in enforcement mode
 *     refuses it with reason code 16), and openssl's own reading of each says which has what;
 *   - the same certificates as PKCS#12 (openssl pkcs12 -export), given as `pkcs12` or in a
 *     profile (audit --profile, eaphost profile): the addon reads the bundle's leaf (pkcs12Chain,
 *     the DER openssl wrote, never the key) and the same check judges it; a wrong password and
 *     malformed bundles are typed errors, never a crash; a certificate of the Windows store is
 *     not read, and says so (client-cert-mapping-unchecked, a note), never silence;
 *   - PEAP with its inner EAP-MSCHAPv2 gets the mschapv2-needs-ntlm readiness notice; EAP-TTLS with
 *     PAP and EAP-TLS do not.
 */
import { strict as assert } from 'node:assert';
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit, AuditAttempt, AuditReport, EapError } from '../../lib';
import { clientCertificateMapping } from '../../lib/audit/certificates';
import { binding } from '../../lib/native';
import { cliOutputSchema, validate } from '../support/cli-output-schema';
import { eaphostCommand, runCli } from '../support/cli-run';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { makeTempDir, opensslIn, runProgram } from '../support/programs';

const SECRET = 'readiness-secret';
const USER = { identity: 'ada', password: 'ada pa55' };
const SERVER_NAME = 'radius.readiness.invalid';
const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const PASSPHRASE = 'p12 pa55phrase';
/** What the audit and `eaphost profile` say of a certificate they do not read (lib/audit/certificates.ts). */
const UNCHECKED = {
  store: 'cannot check mapping of a store certificate: export it or check the SID extension 1.3.6.1.4.1.311.25.2 yourself',
  wrongPassword: 'cannot check mapping of a PKCS#12 certificate: the PKCS#12 bundle could not be read (wrong password?)',
};
/** The reader's refusal of a bundle its password does not open: the method's own words (tls_credentials.cc). */
const WRONG_PASSWORD = 'the PKCS#12 bundle could not be read (wrong password?)';

type Mapping = 'sid-extension' | 'san-url' | 'neither';
const MAPPINGS: Record<Mapping, string[]> = {
  'sid-extension': [
    '1.3.6.1.4.1.311.25.2=ASN1:SEQUENCE:sid_extension', '[sid_extension]', 'name=IMPLICIT:0,SEQUENCE:sid_other_name',
    '[sid_other_name]', 'type=OID:1.3.6.1.4.1.311.25.2.1', `value=EXPLICIT:0,OCTETSTRING:${SID}`,
  ],
  'san-url': ['subjectAltName=@names', '[names]', `URI.1=tag:microsoft.com,2022-09-14:sid:${SID}`],
  neither: [],
};

describe('eaphost audit: strong certificate mapping and NTLM readiness, against FreeRADIUS', function () {
  this.timeout(120_000);
  const dir = makeTempDir('audit-readiness');
  const file = (name: string) => join(dir.path, name);
  let server: FreeRadiusInstance;

  before(async () => {
    const openssl = opensslIn(dir.path);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    await openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=eaphost readiness CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const issue = async (name: string, subject: string, lines: string[]): Promise<void> => {
      writeFileSync(file(`${name}.ext`), ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', ...lines, ''].join('\n'));
      await openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${subject}`);
      await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`,
        '-days', '1', '-extfile', `${name}.ext`);
    };
    await issue('server', SERVER_NAME, ['extendedKeyUsage=serverAuth', `subjectAltName=DNS:${SERVER_NAME}`]);
    for (const [name, lines] of Object.entries(MAPPINGS)) {
      // The extension lines first: a [section] line ends the default section.
      await issue(name, USER.identity, ['extendedKeyUsage=clientAuth', ...lines]);
      await openssl('pkcs12', '-export', '-in', `${name}.pem`, '-inkey', `${name}.key`, '-out', `${name}.p12`, '-passout', `pass:${PASSPHRASE}`);
    }
    await openssl('pkcs12', '-export', '-in', 'neither.pem', '-inkey', 'neither.key', '-certfile', 'ca.pem', '-out', 'with-ca.p12',
      '-passout', `pass:${PASSPHRASE}`);
    server = await startFreeRadius({
      secret: SECRET, users: [USER], certificates: { ca: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.key') },
    });
  });
  after(async () => {
    await server?.stop();
    dir.remove();
  });

  const run = (options: Partial<Parameters<typeof audit>[0]>): Promise<AuditReport> => audit({
    server: { host: server.host, port: server.port, secret: SECRET }, method: 'peap', identity: USER.identity,
    ca: readFileSync(file('ca.pem')), serverName: SERVER_NAME, spacingMs: 0, maxAuthentications: 2, ...options,
  });
  const described = (report: AuditReport): string => JSON.stringify({ findings: report.findings, attempts: report.attempts }, null, 1);

  for (const mapping of Object.keys(MAPPINGS) as Mapping[]) {
    it(`EAP-TLS with a client certificate with ${mapping === 'neither' ? 'neither mapping' : `the ${mapping}`}: ` +
      `${mapping === 'neither' ? 'client-cert-weak-mapping, a warning' : 'no mapping finding'}`, async () => {
      // openssl's reading: which certificate carries what.
      const text = (await runProgram('openssl', ['x509', '-in', file(`${mapping}.pem`), '-noout', '-text'])).stdout;
      assert.equal(/1\.3\.6\.1\.4\.1\.311\.25\.2:/.test(text), mapping === 'sid-extension', text);
      assert.equal(text.includes(`URI:tag:microsoft.com,2022-09-14:sid:${SID}`), mapping === 'san-url', text);
      const report = await run({ method: 'tls', session: { cert: readFileSync(file(`${mapping}.pem`)), key: readFileSync(file(`${mapping}.key`)) } });
      // FreeRADIUS accepts each: the certificates differ only in their mapping.
      assert.equal(report.verdict, 'pass', described(report));
      assert.equal(report.attempts[0].outcome, 'accept', described(report));
      const finding = report.findings.find((entry) => entry.id === 'client-cert-weak-mapping');
      assert.equal(finding !== undefined, mapping === 'neither', described(report));
      assert.ok(!report.findings.some((entry) => entry.id === 'mschapv2-needs-ntlm'), 'EAP-TLS runs no MSCHAPv2');
      if (finding) {
        assert.equal(finding.severity, 'warning');
        assert.deepEqual(finding.clients, []);
        assert.match(finding.title, /reason code 16/);
        assert.match(finding.evidence, new RegExp(`"${USER.identity}" has neither the SID extension \\(1\\.3\\.6\\.1\\.4\\.1\\.311\\.25\\.2\\)`));
        assert.match(finding.fix, /AD CS template that includes the SID extension/);
        assert.match(finding.fix, /tag:microsoft\.com,2022-09-14:sid:<SID>/);
      }
    });
  }

  it('through the CLI: the weak mapping as one typed finding in the JSON schema, and in the table', async () => {
    writeFileSync(file('secret'), `${SECRET}\n`);
    const args = ['--radius', `127.0.0.1:${server.port}`, '--secret-file', file('secret'), '--method', 'tls', '--identity', USER.identity,
      '--cert', file('neither.pem'), '--key', file('neither.key'), '--ca', file('ca.pem'), '--server-name', SERVER_NAME,
      '--spacing', '0', '--max-authentications', '2'];
    const cli = await runCli(eaphostCommand('audit'), [...args, '--json']);
    assert.equal(cli.code, 0, cli.err.join('\n'));
    const output = JSON.parse(cli.out[0]);
    assert.deepEqual(validate(output, cliOutputSchema), []);
    assert.deepEqual(output.findings.map((finding: { id: string }) => finding.id), ['client-cert-weak-mapping']);
    const table = await runCli(eaphostCommand('audit'), args);
    assert.equal(table.code, 0, table.err.join('\n'));
    assert.match(table.out.join('\n'), /^ {2}client-cert-weak-mapping \(warning\): .*reason code 16\)$/m);
  });

  /** The network profile (the JSON model) of EAP-TLS with the certificate as PKCS#12, as a file. */
  const tlsProfile = (mapping: Mapping): string => {
    const name = file(`${mapping}.json`);
    writeFileSync(name, JSON.stringify({
      version: 1, name: 'Readiness', networks: [{ type: 'wired' }],
      eap: [{
        method: 'tls', ca: [readFileSync(file('ca.pem'), 'utf8')], serverNames: [SERVER_NAME],
        clientCertificate: { pkcs12: readFileSync(file(`${mapping}.p12`)).toString('base64'), passphrase: PASSPHRASE },
      }],
      credentials: { identity: USER.identity },
    }));
    return name;
  };

  for (const mapping of ['sid-extension', 'neither'] as const) {
    it(`EAP-TLS with the ${mapping === 'neither' ? 'unmapped' : 'SID-extension'} certificate as PKCS#12: ` +
      `${mapping === 'neither' ? 'client-cert-weak-mapping, as for the PEM one' : 'no mapping finding'}`, async () => {
      // openssl's reading of the PKCS#12: the certificate inside is the PEM one, extension and all.
      const inside = (await runProgram('openssl', ['pkcs12', '-in', file(`${mapping}.p12`), '-passin', `pass:${PASSPHRASE}`, '-nokeys', '-clcerts']))
        .stdout;
      const pem = readFileSync(file(`${mapping}.pem`), 'utf8');
      assert.ok(inside.replace(/\s/g, '').includes(pem.replace(/\s/g, '')), inside);
      const report = await run({ method: 'tls', session: { pkcs12: readFileSync(file(`${mapping}.p12`)), keyPassword: PASSPHRASE } });
      // FreeRADIUS accepts it: the peer read the PKCS#12 and presented the certificate.
      assert.equal(report.attempts[0].outcome, 'accept', described(report));
      assert.equal(report.verdict, 'pass', described(report));
      const fromPem = await run({ method: 'tls', session: { cert: readFileSync(file(`${mapping}.pem`)), key: readFileSync(file(`${mapping}.key`)) } });
      // The same findings as the same certificate given as PEM, word for word.
      assert.deepEqual(report.findings, fromPem.findings, described(report));
      assert.deepEqual(report.findings.map((entry) => [entry.id, entry.severity]),
        mapping === 'neither' ? [['client-cert-weak-mapping', 'warning']] : [], described(report));
      if (mapping === 'neither') {
        assert.match(report.findings[0].title, /reason code 16/);
        assert.match(report.findings[0].evidence, new RegExp(`"${USER.identity}" has neither the SID extension`));
      }
      assert.ok(!JSON.stringify(report).includes(PASSPHRASE), 'the passphrase is never in the report');
    });
  }

  it('pkcs12Chain: the leaf openssl put in the bundle, as DER, then nothing of the key', () => {
    for (const mapping of Object.keys(MAPPINGS) as Mapping[]) {
      const chain = binding.pkcs12Chain({ pkcs12: readFileSync(file(`${mapping}.p12`)), password: PASSPHRASE });
      const pem = new X509Certificate(readFileSync(file(`${mapping}.pem`)));
      assert.equal(chain.length, 1, mapping);
      assert.ok(chain[0].equals(pem.raw), `${mapping}: the leaf's DER is openssl's`);
      // The private scalar (node:crypto's reading of the key file) is in nothing returned.
      const scalar = Buffer.from(createPrivateKey(readFileSync(file(`${mapping}.key`))).export({ format: 'jwk' }).d as string, 'base64url');
      assert.equal(scalar.length, 32);
      assert.ok(!chain.some((der) => der.includes(scalar)), `${mapping}: no key bytes come back`);
    }
    // A bundle with its CA too: the chain EAP-TLS presents is the leaf alone (GnuTLS takes a
    // bundle's CA as a trust anchor, never into the chain it sends).
    const withCa = binding.pkcs12Chain({ pkcs12: readFileSync(file('with-ca.p12')), password: PASSPHRASE });
    assert.deepEqual(withCa.map((der) => der.toString('hex')), [new X509Certificate(readFileSync(file('neither.pem'))).raw.toString('hex')]);
  });

  it('pkcs12Chain: a wrong password is a coded Error in the method\'s words; malformed bundles are RangeErrors, never a crash', () => {
    const wrong = 'not the pa55phrase';
    const bundle = readFileSync(file('neither.p12'));
    for (const password of [wrong, '']) {
      assert.throws(() => binding.pkcs12Chain({ pkcs12: bundle, password }), (error: NodeJS.ErrnoException) => {
        assert.equal(error.constructor, Error, String(error));
        assert.deepEqual([error.code, error.message], ['ERR_PKCS12_PASSWORD', WRONG_PASSWORD]);
        return true;
      });
    }
    const malformed = (pkcs12: Buffer, what: string): void => {
      assert.throws(() => binding.pkcs12Chain({ pkcs12, password: PASSPHRASE }), (error: NodeJS.ErrnoException) => {
        assert.ok(error instanceof RangeError, `${what}: ${String(error)}`);
        assert.equal(error.code, 'ERR_PKCS12_MALFORMED', what);
        assert.ok(!error.message.includes(PASSPHRASE), what);
        return true;
      });
    };
    malformed(Buffer.alloc(0), 'empty');
    malformed(Buffer.concat([bundle, Buffer.alloc(1024 * 1024 + 1 - bundle.length)]), 'one byte over 1 MiB');
    malformed(Buffer.from('-----BEGIN PKCS12-----'), 'PEM text');
    // Truncations at every 7th byte, then random bytes behind a SEQUENCE header, then a
    // corrupted byte at each of the first 64 offsets: each a RangeError or the password refusal
    // (a corruption inside the MAC'd content), or, where the byte is one GnuTLS does not read (the
    // version), the same leaf; the process lives on.
    const mutants: Buffer[] = [];
    for (let end = 1; end < bundle.length; end += 7) mutants.push(bundle.subarray(0, end));
    for (let i = 0; i < 32; i++) mutants.push(Buffer.concat([Buffer.of(0x30, 0x82, 0x01, 0x00), randomBytes(256)]));
    for (let at = 0; at < 64; at++) {
      const mutant = Buffer.from(bundle);
      mutant[at] ^= 0x41;
      mutants.push(mutant);
    }
    const leaf = new X509Certificate(readFileSync(file('neither.pem'))).raw;
    let refusedAsMalformed = 0;
    for (const mutant of mutants) {
      let chain: Buffer[];
      try {
        chain = binding.pkcs12Chain({ pkcs12: mutant, password: PASSPHRASE });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        assert.ok(code === 'ERR_PKCS12_MALFORMED' || code === 'ERR_PKCS12_PASSWORD', String(error));
        assert.equal(error instanceof RangeError, code === 'ERR_PKCS12_MALFORMED', String(error));
        if (code === 'ERR_PKCS12_MALFORMED') refusedAsMalformed++;
        continue;
      }
      assert.deepEqual(chain, [leaf], 'a mutant that reads has the same leaf');
    }
    assert.ok(refusedAsMalformed > mutants.length / 2, `${refusedAsMalformed} of ${mutants.length} refused as malformed`);
    // The argument object's own checks: a TypeError naming the field.
    assert.throws(() => binding.pkcs12Chain({ pkcs12: 'MII' as unknown as Buffer, password: PASSPHRASE }), TypeError);
    assert.throws(() => binding.pkcs12Chain({ pkcs12: bundle, password: 7 as unknown as string }), TypeError);
  });

  it('through the CLI: audit --profile with the unmapped PKCS#12 and eaphost profile say it is weakly mapped; the SID one gets no note', async () => {
    writeFileSync(file('secret'), `${SECRET}\n`);
    const profileFile = tlsProfile('neither');
    const audited = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${server.port}`, '--secret-file', file('secret'),
      '--profile', profileFile, '--spacing', '0', '--max-authentications', '2', '--json']);
    assert.equal(audited.code, 0, audited.err.join('\n'));
    const output = JSON.parse(audited.out[0]);
    assert.deepEqual(validate(output, cliOutputSchema), []);
    assert.equal(output.attempts[0].outcome, 'accept', audited.out[0]);
    assert.deepEqual(output.findings.map((finding: { id: string }) => finding.id), ['client-cert-weak-mapping']);
    assert.ok(!audited.out.join('\n').includes(PASSPHRASE) && !audited.err.join('\n').includes(PASSPHRASE), 'the passphrase never printed');
    const converted = await runCli(eaphostCommand('profile'), ['--from', profileFile, '--to', 'json']);
    assert.equal(converted.code, 0, converted.err.join('\n'));
    assert.deepEqual(converted.err, [`note: ${profileFile}: eap[0].clientCertificate: the client certificate "${USER.identity}" has neither ` +
      'the SID extension (1.3.6.1.4.1.311.25.2) nor a subjectAltName URL tag:microsoft.com,2022-09-14:sid:<SID>: a domain controller ' +
      'in Full Enforcement mode maps it weakly, and NPS refuses it (reason code 16, "authentication failed"). Reissue the client ' +
      'certificate from an AD CS template that includes the SID extension (1.3.6.1.4.1.311.25.2), or add the subjectAltName URL ' +
      'tag:microsoft.com,2022-09-14:sid:<SID> of its account (KB5014754).']);
    assert.ok(!converted.err.join('\n').includes(PASSPHRASE), 'the passphrase never printed');
    const strong = await runCli(eaphostCommand('profile'), ['--from', tlsProfile('sid-extension'), '--to', 'json']);
    assert.deepEqual([strong.code, strong.err], [0, []]);
    // A profile with no client certificate gets no such note.
    const papFile = file('pap.json');
    writeFileSync(papFile, JSON.stringify({ ...JSON.parse(readFileSync(profileFile, 'utf8')), eap: [{ method: 'ttls', phase2: 'pap',
      ca: [readFileSync(file('ca.pem'), 'utf8')] }] }));
    const pap = await runCli(eaphostCommand('profile'), ['--from', papFile, '--to', 'json']);
    assert.deepEqual([pap.code, pap.err], [0, []]);
  });

  it('a PKCS#12 its passphrase does not open: a typed EapError before any Access-Request, the passphrase never in it', async () => {
    const wrong = 'not the pa55phrase';
    const attempted: unknown[] = [];
    await assert.rejects(run({
      method: 'tls', session: { pkcs12: readFileSync(file('neither.p12')), keyPassword: wrong }, onAttempt: (entry) => attempted.push(entry),
    }), (error: Error) => {
      assert.ok(error instanceof EapError, String(error));
      assert.match(error.message, /the PKCS#12 bundle could not be read \(wrong password\?\)/);
      assert.ok(!error.message.includes(wrong));
      return true;
    });
    assert.equal(attempted.length, 1);
    assert.equal((attempted[0] as AuditAttempt).accessRequests, 0, 'the server was never asked');
    const profileFile = tlsProfile('neither');
    const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
    profile.eap[0].clientCertificate.passphrase = wrong;
    writeFileSync(profileFile, JSON.stringify(profile));
    writeFileSync(file('secret'), `${SECRET}\n`);
    const cli = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${server.port}`, '--secret-file', file('secret'),
      '--profile', profileFile, '--spacing', '0']);
    assert.equal(cli.code, 2, cli.err.join('\n'));
    assert.deepEqual(cli.out, []);
    assert.match(cli.err.join('\n'), /^eaphost audit: EapHostPeerBeginSession: .*the PKCS#12 bundle could not be read \(wrong password\?\)/);
    assert.ok(!cli.err.join('\n').includes(wrong));
    const json = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${server.port}`, '--secret-file', file('secret'),
      '--profile', profileFile, '--spacing', '0', '--json']);
    assert.equal(json.code, 2, json.err.join('\n'));
    const output = JSON.parse(json.out[0]);
    assert.deepEqual(validate(output, cliOutputSchema), []);
    assert.deepEqual([output.result, output.exitCode, output.error.win32Error], ['error', 2, 13]);
    assert.match(output.reason, /the PKCS#12 bundle could not be read \(wrong password\?\)/);
    assert.ok(!json.out.join('\n').includes(wrong));
    // eaphost profile converts it, and says its mapping could not be checked, and why.
    const converted = await runCli(eaphostCommand('profile'), ['--from', profileFile, '--to', 'json']);
    assert.equal(converted.code, 0, converted.err.join('\n'));
    assert.deepEqual(converted.err, [`note: ${profileFile}: eap[0].clientCertificate: ${UNCHECKED.wrongPassword}: ` +
      'NPS in enforcement mode refuses a certificate without a strong mapping (reason code 16)']);
    assert.ok(!converted.err.join('\n').includes(wrong));
  });

  it('a certificate of the Windows store: a note that its mapping cannot be checked; off Windows a typed refusal', async () => {
    const certStore = { store: 'CurrentUser\\My', thumbprint: '00'.repeat(20) };
    assert.deepEqual(await clientCertificateMapping('tls', { certStore }), { clientCertificateUnchecked: UNCHECKED.store });
    assert.deepEqual(await clientCertificateMapping('teap', { innerMethod: 'tls', certStore }), { clientCertificateUnchecked: UNCHECKED.store });
    assert.deepEqual(await clientCertificateMapping('peap', { certStore }), {});
    // A PKCS#12 is read: strongly mapped, nothing; its password wrong, unchecked and why; TEAP's inner EAP-TLS too.
    const sidBundle = readFileSync(file('sid-extension.p12'));
    assert.deepEqual(await clientCertificateMapping('tls', { pkcs12: sidBundle, keyPassword: PASSPHRASE }), {});
    assert.deepEqual(await clientCertificateMapping('tls', { pkcs12: sidBundle, keyPassword: 'wrong' }), { clientCertificateUnchecked: UNCHECKED.wrongPassword });
    const weak = await clientCertificateMapping('teap', { innerMethod: 'tls', pkcs12: readFileSync(file('neither.p12')), keyPassword: PASSPHRASE });
    assert.match(weak.clientCertificateWeak ?? '', /has neither the SID extension/);
    // The audit carries the note into its findings on Windows; here the peer refuses the store
    // before any server is asked (the Windows store exists on Windows only).
    await assert.rejects(run({ method: 'tls', session: { certStore } }), (error: Error) => {
      assert.ok(error instanceof EapError, String(error));
      assert.equal((error as EapError).win32Error, 50);
      assert.match(error.message, /certStore .*Windows only/);
      return true;
    });
  });

  it('PEAP with the inner EAP-MSCHAPv2: the mschapv2-needs-ntlm notice naming EAP-TLS and TEAP; TTLS-PAP: none', async () => {
    const peap = await run({ password: USER.password });
    assert.equal(peap.verdict, 'pass', described(peap));
    const notice = peap.findings.find((entry) => entry.id === 'mschapv2-needs-ntlm');
    assert.ok(notice, described(peap));
    assert.equal(notice.severity, 'notice');
    assert.match(notice.title, /NTLM/);
    assert.match(notice.evidence, /PEAP with the inner EAP-MSCHAPv2/);
    assert.match(notice.fix, /EAP-TLS .*TEAP/);
    const pap = await run({ method: 'ttls', password: USER.password, session: { phase2: 'pap' } });
    assert.equal(pap.verdict, 'pass', described(pap));
    assert.deepEqual(pap.findings, [], described(pap));
  });
});
