/**
 * Windows' own methods through this package, on a real Windows (windows-latest, with the
 * EapHost service started): EAP-MSCHAPv2 (26, author 0) begun from the same options the
 * portable backend takes — Microsoft's XML made by lib/profile, blobs made by the real
 * eappcfg.dll — authenticates against our embedded authenticator, and the keys both sides
 * derive agree; Microsoft's PEAP and TEAP EapHostConfig survive ConfigXml2Blob / ConfigBlob2Xml.
 * Not for Wine: only the real EAPHost has Windows' own methods.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createHash, X509Certificate } from 'node:crypto';
import { authenticate, createAuthenticator, EapError, openEapHost } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { WINDOWS_METHOD_TYPES, microsoftConfigXml } from '../../lib/profile/microsoft-config';
import { installWindowsRootCertificate } from '../../lib/profile';
import { cliScript, randomCredentials, repoRoot, requireWindows } from '../windows/support';
import { readmeWindowsCommand } from '../support/readme-blocks';
import { RFC2759, eapMsChapV2Msk, parseMsChapV2ValuePacket } from '../support/mschapv2-oracle';

/** SHA-1 (or SHA-256) of the certificate's DER, from the PEM's base64 (not through X509Certificate). */
function hashOfPem(pem: string, hash: 'sha1' | 'sha256'): string {
  const base64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return createHash(hash).update(Buffer.from(base64, 'base64')).digest('hex');
}
const sha1OfPem = (pem: string): string => hashOfPem(pem, 'sha1');
const sha256OfPem = (pem: string): string => hashOfPem(pem, 'sha256');

describe("Windows' own methods through the real eappcfg.dll / eappprxy.dll", function () {
  this.timeout(60000);
  let host: EapHost;

  // PEAP and TEAP begin only with a `ca` Windows trusts (lib/profile/root-store.ts refuses one in
  // neither Root store before EAPHost is called): this process's CA goes into LocalMachine\Root,
  // which the elevated runner writes without the dialog CurrentUser\Root raises, and leaves with
  // the run.
  const caKey = (): string => 'HKLM\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates\\' +
    new X509Certificate(processEphemeralCa().ca).fingerprint.split(':').join('');

  before(async function () {
    requireWindows();
    host = await openEapHost({ backend: 'windows' });
    await installWindowsRootCertificate(processEphemeralCa().ca, 'LocalMachine');
  });

  after(async function () {
    await host?.close();
    if (process.platform === 'win32') execFileSync('reg.exe', ['delete', caKey(), '/f'], { stdio: 'pipe' });
  });

  it("Windows' own EAP-MSCHAPv2 (26, author 0) authenticates against the embedded authenticator; its MSK is the RFC 3079 MSK of its NT-Response", async function () {
    const { identity } = randomCredentials();
    const password = RFC2759.password;
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({ method: { ...WINDOWS_METHOD_TYPES.mschapv2 }, identity, password });
      const sent: Buffer[] = [];
      try {
        assert.deepEqual(session.methodType, WINDOWS_METHOD_TYPES.mschapv2);
        const result = await authenticate({
          session, transport: authenticator.createConversation(),
          onPacket: (direction, packet) => { if (direction === 'out' && packet[4] === 26) sent.push(Buffer.from(packet)); },
        });
        assert.equal(result.success, true, result.reason);
        assert.equal(result.method, 26);
        const response = sent.filter((packet) => packet[5] === 2).map(parseMsChapV2ValuePacket)[0];
        assert.ok(response, 'Windows sent an MSCHAPv2 Response');
        // node:crypto's RFC 2759 / 3079 computation over the NT-Response Windows sent.
        const expected = eapMsChapV2Msk(RFC2759.passwordHashHash, response.value.subarray(24, 48));
        assert.ok(Buffer.isBuffer(result.msk), "Windows' method released MPPE keys");
        assert.equal(result.msk.toString('hex'), expected.toString('hex'), 'MSK = the send key ‖ the receive key of RFC 3079');
        assert.equal(result.mppeKeysMatch, true, "Windows' MSK equals the keys our authenticator released");
      } finally {
        await session.endSession();
      }
    } finally {
      await authenticator.close();
    }
  });

  it("Windows' own EAP-MSCHAPv2 with a wrong password: EAP-Failure, no keys, the peer's error 691", async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({ method: { ...WINDOWS_METHOD_TYPES.mschapv2 }, identity, password: `not-${password}` });
      try {
        const result = await authenticate({ session, transport: authenticator.createConversation() });
        assert.equal(result.success, false);
        assert.equal(result.msk, undefined);
        assert.equal(result.emsk, undefined);
        assert.ok(result.error instanceof EapError, `the peer's typed failure: ${JSON.stringify(result)}`);
        assert.equal(result.error.win32Error, 691, `ERROR_AUTHENTICATION_FAILURE: ${result.error.message}`);
      } finally {
        await session.endSession();
      }
    } finally {
      await authenticator.close();
    }
  });

  it('a method that asks for credentials through InvokeUI, with none given, fails with a typed "credentials missing"', async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({ method: { ...WINDOWS_METHOD_TYPES.mschapv2 } });
      try {
        await assert.rejects(authenticate({ session, transport: authenticator.createConversation() }), (error: unknown) => {
          assert.ok(error instanceof EapError, String(error));
          assert.match(error.rootCause, /without credentials/);
          return true;
        });
      } finally {
        await session.endSession();
      }
    } finally {
      await authenticator.close();
    }
  });

  // The README's Windows way, with LocalMachine for CurrentUser (whose dialogs nobody answers on
  // a hosted runner): Windows' own PEAP, this run's CA in LocalMachine\Root only while it runs.
  it("the README's Windows way: Windows' own PEAP authenticates, MPPE keys match, the CA leaves the Root store", function () {
    const { env, args } = readmeWindowsCommand();
    const local = args.map((arg) => arg === 'CurrentUser' ? 'LocalMachine'
      : arg.startsWith('node_modules/eaphost/') ? path.join(repoRoot, arg.slice('node_modules/eaphost/'.length)) : arg);
    const child = spawnSync(process.execPath, [cliScript, ...local, '--json', '--verbose'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    const report = JSON.parse(child.stdout);
    assert.equal(report.success, true);
    assert.equal(report.mppeKeysMatch, true);
    assert.doesNotMatch(child.stderr, /not needed, nothing installed/, "Windows' own PEAP ran, not the shipped one");
    assert.doesNotMatch(child.stderr, /could not be removed/);
  });

  it("'peap' by name with ca and serverName begins a session of Windows' own PEAP (25, author 0)", async function () {
    const { ca, serverName } = processEphemeralCa();
    const { identity, password } = randomCredentials();
    const session = await host.beginSession({ method: 'peap', identity, password, ca, serverName });
    try {
      assert.deepEqual(session.methodType, WINDOWS_METHOD_TYPES.peap);
    } finally {
      await session.endSession();
    }
  });

  it("round-trips Microsoft's PEAP EapHostConfig through configXml2Blob / configBlob2Xml", async function () {
    const { ca, serverName } = processEphemeralCa();
    const xml = microsoftConfigXml('peap', { ca, serverName });
    const first = await host.configXml2Blob(xml);
    assert.deepEqual(first.methodType, WINDOWS_METHOD_TYPES.peap);
    assert.ok(first.config.length > 0, 'PEAP has connection data');
    const written = await host.configBlob2Xml(first.methodType, first.config);
    // What Windows writes back names the same root (by thumbprint) and the same server.
    assert.ok(written.replace(/\s+/g, '').toLowerCase().includes(sha1OfPem(ca)), written);
    assert.ok(written.includes(serverName), written);
    const second = await host.configXml2Blob(written);
    assert.deepEqual(second.methodType, first.methodType);
    assert.deepEqual(second.config, first.config, 'XML -> blob -> XML -> blob is a fixed point');
  });

  // Windows' own TEAP rests on documentation only until this runs: the author id (311), the
  // EapTeap element, a whole EapHostConfig per InnerMethodConfig and SHA-256 TrustedRootCAHash
  // (docs/WINDOWS-CONTRACT.md, "What the first windows-latest run must check").
  it("round-trips Microsoft's TEAP EapHostConfig (inner EAP-TLS, then EAP-MSCHAPv2) through configXml2Blob / configBlob2Xml", async function () {
    const { ca, serverName } = processEphemeralCa();
    const xml = microsoftConfigXml('teap', { ca, serverName, innerMethod: 'tls', teapSecondaryInnerMethod: 'mschapv2' });
    const first = await host.configXml2Blob(xml);
    assert.deepEqual(first.methodType, WINDOWS_METHOD_TYPES.teap);
    const written = await host.configBlob2Xml(first.methodType, first.config);
    assert.ok(written.replace(/\s+/g, '').toLowerCase().includes(sha256OfPem(ca)), written);
    assert.ok(written.includes(serverName), written);
    assert.equal(written.match(/<InnerMethodConfig>/g)?.length, 2, written);
    const second = await host.configXml2Blob(written);
    assert.deepEqual(second.config, first.config, 'XML -> blob -> XML -> blob is a fixed point');
  });

  it("'teap' by name with ca and serverName begins a session of Windows' own TEAP (55, author 311)", async function () {
    const { ca, serverName } = processEphemeralCa();
    const { identity, password } = randomCredentials();
    const session = await host.beginSession({ method: 'teap', identity, password, ca, serverName });
    try {
      assert.deepEqual(session.methodType, WINDOWS_METHOD_TYPES.teap);
    } finally {
      await session.endSession();
    }
  });

  it('refuses a PEAP profile whose elements are out of Microsoft\'s order with an EapError', async function () {
    const { ca } = processEphemeralCa();
    const xml = microsoftConfigXml('peap', { ca });
    // FastReconnect moved before ServerValidation: the schema's sequence forbids it.
    const swapped = xml.replace(/(\s*<ServerValidation>[\s\S]*?<\/ServerValidation>)(\s*<FastReconnect>[^<]*<\/FastReconnect>)/, '$2$1');
    assert.notEqual(swapped, xml);
    await assert.rejects(host.configXml2Blob(swapped), EapError);
  });
});
