/**
 * `eaphost audit` and Active Directory's hardening, against FreeRADIUS 3.2 on loopback:
 *   - three EAP-TLS client certificates made by the openssl command, all accepted by FreeRADIUS
 *     (the same CA, clientAuth): one with the SID security extension (1.3.6.1.4.1.311.25.2, the
 *     OtherName AD CS writes), one with the subjectAltName URL tag:microsoft.com,2022-09-14:sid:…,
 *     one with neither; only the last gets client-cert-weak-mapping (NPS in enforcement mode
 *     refuses it with reason code 16), and openssl's own reading of each says which has what;
 *   - the same certificates as PKCS#12 (openssl pkcs12 -export), given as `pkcs12` or in a
 *     profile (audit --profile, eaphost profile), and a certificate of the Windows store: the check
 *     does not read them, and says so (client-cert-mapping-unchecked, a note), never silence;
 *   - PEAP with its inner EAP-MSCHAPv2 gets the mschapv2-needs-ntlm readiness notice; EAP-TTLS with
 *     PAP and EAP-TLS do not.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit, AuditAttempt, AuditReport, EapError } from '../../lib';
import { clientCertificateMapping } from '../../lib/audit/certificates';
import { cliOutputSchema, validate } from '../support/cli-output-schema';
import { eaphostCommand, runCli } from '../support/cli-run';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { makeTempDir, opensslIn, runProgram } from '../support/programs';

const SECRET = 'readiness-secret';
const USER = { identity: 'ada', password: 'ada pa55' };
const SERVER_NAME = 'radius.readiness.invalid';
const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const PASSPHRASE = 'p12 pa55phrase';
/** What the audit and `eaphost profile` say of a certificate they do not read (lib/profile/readiness.ts). */
const UNCHECKED = {
  pkcs12: 'cannot check mapping of a PKCS#12 certificate (only a PEM one is read): export it as PEM or check the SID extension 1.3.6.1.4.1.311.25.2 yourself',
  store: 'cannot check mapping of a store certificate: export it or check the SID extension 1.3.6.1.4.1.311.25.2 yourself',
};

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
      'client-cert-mapping-unchecked (a notice), never silence, nor a weak-mapping claim', async () => {
      // openssl's reading of the PKCS#12: the certificate inside is the PEM one, extension and all.
      const inside = (await runProgram('openssl', ['pkcs12', '-in', file(`${mapping}.p12`), '-passin', `pass:${PASSPHRASE}`, '-nokeys', '-clcerts']))
        .stdout;
      const pem = readFileSync(file(`${mapping}.pem`), 'utf8');
      assert.ok(inside.replace(/\s/g, '').includes(pem.replace(/\s/g, '')), inside);
      const report = await run({ method: 'tls', session: { pkcs12: readFileSync(file(`${mapping}.p12`)), keyPassword: PASSPHRASE } });
      // FreeRADIUS accepts it: the peer read the PKCS#12 and presented the certificate.
      assert.equal(report.attempts[0].outcome, 'accept', described(report));
      assert.equal(report.verdict, 'pass', described(report));
      assert.deepEqual(report.findings.map((entry) => [entry.id, entry.severity]), [['client-cert-mapping-unchecked', 'notice']], described(report));
      const [finding] = report.findings;
      assert.equal(finding.evidence, UNCHECKED.pkcs12);
      assert.match(finding.title, /reason code 16/);
      assert.match(finding.fix, /--cert/);
      assert.ok(!JSON.stringify(report).includes(PASSPHRASE), 'the passphrase is never in the report');
    });
  }

  it('through the CLI: audit --profile with a PKCS#12 and eaphost profile say the mapping was not checked', async () => {
    writeFileSync(file('secret'), `${SECRET}\n`);
    const profileFile = tlsProfile('neither');
    const audited = await runCli(eaphostCommand('audit'), ['--radius', `127.0.0.1:${server.port}`, '--secret-file', file('secret'),
      '--profile', profileFile, '--spacing', '0', '--max-authentications', '2', '--json']);
    assert.equal(audited.code, 0, audited.err.join('\n'));
    const output = JSON.parse(audited.out[0]);
    assert.deepEqual(validate(output, cliOutputSchema), []);
    assert.equal(output.attempts[0].outcome, 'accept', audited.out[0]);
    assert.deepEqual(output.findings.map((finding: { id: string }) => finding.id), ['client-cert-mapping-unchecked']);
    assert.ok(!audited.out.join('\n').includes(PASSPHRASE) && !audited.err.join('\n').includes(PASSPHRASE), 'the passphrase never printed');
    const converted = await runCli(eaphostCommand('profile'), ['--from', profileFile, '--to', 'json']);
    assert.equal(converted.code, 0, converted.err.join('\n'));
    assert.deepEqual(converted.err, [`note: ${profileFile}: eap[0].clientCertificate: ${UNCHECKED.pkcs12}: ` +
      'NPS in enforcement mode refuses a certificate without a strong mapping (reason code 16)']);
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
  });

  it('a certificate of the Windows store: a note that its mapping cannot be checked; off Windows a typed refusal', async () => {
    const certStore = { store: 'CurrentUser\\My', thumbprint: '00'.repeat(20) };
    assert.deepEqual(clientCertificateMapping('tls', { certStore }), { clientCertificateUnchecked: UNCHECKED.store });
    assert.deepEqual(clientCertificateMapping('teap', { innerMethod: 'tls', certStore }), { clientCertificateUnchecked: UNCHECKED.store });
    assert.deepEqual(clientCertificateMapping('peap', { certStore }), {});
    assert.deepEqual(clientCertificateMapping('tls', { pkcs12: readFileSync(file('sid-extension.p12')) }), { clientCertificateUnchecked: UNCHECKED.pkcs12 });
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
