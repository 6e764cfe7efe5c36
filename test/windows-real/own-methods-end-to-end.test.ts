/**
 * Windows' own PEAP-MSCHAPv2, EAP-TLS and TEAP, whole authentications on a real Windows
 * (windows-latest, the EapHost service started): each against the embedded authenticator in
 * this process and against `eaphost serve` on 127.0.0.1 reached over RADIUS, the method as
 * EAPHost reports it (WINDOWS_METHOD_TYPES, author 0 or 311), the MSK Windows derived equal to
 * the MS-MPPE keys the authenticator released; and a refusal each. Not for Wine: only the real
 * EAPHost has Windows' own methods.
 *
 * Trust: this process's ephemeral CA goes into LocalMachine\Root (the elevated runner adds it
 * without CurrentUser\Root's dialog) for the run and out afterwards. EAP-TLS: the CA issues a
 * client certificate whose PKCS#12 goes into CurrentUser\My for the run; the credentials name it
 * by thumbprint. TEAP: Windows takes no credentials document, so identity and password answer
 * its InvokeUI (lib/profile/interactive-ui.ts); its inner EAP-TLS picks the certificate itself
 * (SimpleCertSelection). What rests on documentation is docs/WINDOWS-CONTRACT.md's first-run
 * list, items 21 to 23.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate, createAuthenticator, EapError, openEapHost } from '../../lib/index';
import type {
  AuthenticationResult, BeginSessionOptions, CreateAuthenticatorOptions, EapHost, EapHostSession,
} from '../../lib/index';
import type { TransportAttribute } from '../../lib/core/transport';
import { RadiusCode } from '../../lib/radius';
import { createEphemeralCa, processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { sameMethodType } from '../../lib/core/errors';
import { WINDOWS_METHOD_TYPES } from '../../lib/profile/microsoft-config';
import { installWindowsRootCertificate, removeWindowsRootCertificate } from '../../lib/profile';
import { findUserCertificate, importUserPkcs12 } from '../../lib/profile/install-windows';
import { cliScript, randomCredentials, requireRunningService, requireWindows } from '../windows/support';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { pkcs12Of } from '../support/pkcs12';
import { makeTempDir } from '../support/programs';
import { serverMppeKeys } from '../support/tls-keys';
import { authenticateSessionOverRadius } from '../radius/peer';

type OwnMethod = 'peap' | 'tls' | 'teap';
const SECRET = `end-to-end-${randomCredentials().password}`;
const NAMES: Record<OwnMethod, string> = { peap: 'PEAP', tls: 'EAP-TLS', teap: 'TEAP' };

/** Success by Windows' own `name`, and its MSK equal to the authenticator's Recv-Key ‖ Send-Key. */
function assertOwnSuccess(session: EapHostSession, result: AuthenticationResult, verdict: TransportAttribute[],
  name: OwnMethod, log: () => string): void {
  assert.equal(result.success, true, `${result.reason ?? ''} ${result.error?.message ?? ''}\n${log().slice(-3000)}`);
  assert.deepEqual(session.methodType, WINDOWS_METHOD_TYPES[name], `Windows' own ${NAMES[name]}, not the shipped one`);
  assert.equal(result.method, WINDOWS_METHOD_TYPES[name].type);
  const released = serverMppeKeys({ ...result, verdictAttributes: verdict });
  assert.ok(released.recv && released.send, 'the authenticator released MS-MPPE-Recv-Key and MS-MPPE-Send-Key');
  assert.ok(Buffer.isBuffer(result.msk), `Windows' own ${NAMES[name]} released its MSK`);
  assert.equal(result.msk.toString('hex'), Buffer.concat([released.recv, released.send]).toString('hex'),
    'MSK = the Recv-Key ‖ the Send-Key the authenticator released');
  assert.equal(result.mppeKeysMatch, true);
}

describe("Windows' own methods end to end, against the embedded authenticator and eaphost serve", function () {
  this.timeout(120000);
  const user = randomCredentials();
  let host: EapHost;
  let dir: ReturnType<typeof makeTempDir> | undefined;
  const files = { secret: '', users: '', ca: '', serverCert: '', serverKey: '', password: '' };
  let client: { thumbprint: string; certificate: string } | undefined;
  const serves: Partial<Record<OwnMethod, ServeProcess>> = {};
  let rootInstalled = false;
  // Windows orders an inner EAP-MSCHAPv2's keys its own way in TEAP (docs/teap.md); a Windows
  // TEAP peer set up for inner EAP-TLS Naks EAP-MSCHAPv2, so both are offered. `--ca` (CA: this
  // run's CA file) is the client certificates' CA, for EAP-TLS and TEAP's inner EAP-TLS only.
  const authenticatorOptions: Record<OwnMethod, Omit<CreateAuthenticatorOptions, 'users'>> = {
    peap: { methods: ['peap'] },
    tls: { methods: ['tls'] },
    teap: { methods: ['teap'], innerMethod: ['mschapv2', 'tls'], teapMsChapV2KeyOrder: 'windows' },
  };
  const serveFlags: Record<OwnMethod, string[]> = {
    peap: ['--methods', 'peap'],
    tls: ['--methods', 'tls', '--ca', 'CA'],
    teap: ['--methods', 'teap', '--inner-method', 'mschapv2,tls', '--teap-mschapv2-key-order', 'windows', '--ca', 'CA'],
  };

  before(async function () {
    requireWindows();
    requireRunningService('Eaphost', 'EapHost service', "Windows' own methods run inside it");
    host = await openEapHost({ backend: 'windows' });
    const listed = await host.getMethods();
    for (const name of ['peap', 'tls', 'teap'] as const) {
      const { type, authorId } = WINDOWS_METHOD_TYPES[name];
      assert.ok(listed.some((method) => sameMethodType(method, WINDOWS_METHOD_TYPES[name])),
        `GetMethods lists no Windows' own ${NAMES[name]} (type ${type}, author ${authorId}): ${JSON.stringify(listed)}`);
    }
    const { ca, server } = processEphemeralCa();
    await installWindowsRootCertificate(ca, 'LocalMachine');
    rootInstalled = true;
    // EAP-TLS: a client certificate from the same CA, in CurrentUser\My for the run.
    const issued = processEphemeralCa().issueClient(`tls-${user.identity}`);
    const packed = pkcs12Of(issued.cert, issued.key);
    const imported = await importUserPkcs12(packed.pkcs12, packed.password);
    client = { thumbprint: packed.thumbprint, certificate: packed.certificate };
    assert.ok(imported.map((t) => t.toUpperCase()).includes(packed.thumbprint), `imported ${imported.join(', ')}`);
    assert.deepEqual(await findUserCertificate(packed.thumbprint), { hasKey: true });

    dir = makeTempDir('own-methods-end-to-end');
    const write = (name: string, text: string): string => {
      const file = join(dir!.path, name);
      writeFileSync(file, text, { mode: 0o600 });
      return file;
    };
    Object.assign(files, {
      secret: write('secret', `${SECRET}\n`), users: write('users.json', JSON.stringify({ [user.identity]: { password: user.password } })),
      ca: write('ca.pem', ca), serverCert: write('server.pem', server.cert), serverKey: write('server.key', server.key),
      password: write('password', `${user.password}\n`),
    });
    for (const name of ['peap', 'tls', 'teap'] as const) {
      serves[name] = await startEaphostServe(0, ['--secret-file', files.secret, '--users', files.users,
        '--cert', files.serverCert, '--key', files.serverKey, ...serveFlags[name].map((flag) => flag === 'CA' ? files.ca : flag)]);
    }
  });

  // Every step runs whatever the one before did; the first failure is the hook's.
  after(async function () {
    const failures: unknown[] = [];
    const step = async (body: () => unknown): Promise<void> => {
      try { await body(); } catch (error) { failures.push(error); }
    };
    for (const serve of Object.values(serves)) await step(() => serve?.stop());
    await step(() => host?.close());
    await step(() => dir?.remove());
    if (client) {
      const { thumbprint } = client;
      await step(async () => {
        execFileSync('powershell.exe', ['-NoProfile', '-Command',
          `Remove-Item -Path Cert:\\CurrentUser\\My\\${thumbprint} -DeleteKey`], { stdio: 'pipe' });
        assert.equal(await findUserCertificate(thumbprint), null, 'the client certificate left CurrentUser\\My');
      });
    }
    if (rootInstalled) {
      await step(async () => {
        const removed = await removeWindowsRootCertificate(processEphemeralCa().ca, 'LocalMachine');
        assert.equal(removed.length, 1, 'the CA left LocalMachine\\Root');
      });
    }
    if (failures.length > 0) throw failures[0];
  });

  /** beginSession's options for Windows' own `name` with the ephemeral CA trusted. */
  function own(name: OwnMethod, password = user.password, innerMethod?: 'mschapv2' | 'tls'): BeginSessionOptions {
    const { ca, serverName } = processEphemeralCa();
    if (name === 'tls') return { method: 'tls', identity: `tls-${user.identity}`, cert: client!.certificate, ca, serverName };
    if (innerMethod === 'tls') return { method: 'teap', innerMethod, identity: `tls-${user.identity}`, ca, serverName };
    return { method: name, identity: user.identity, password, ca, serverName };
  }

  async function embedded(name: OwnMethod, begin: BeginSessionOptions,
    check: (session: EapHostSession, result: AuthenticationResult, verdict: TransportAttribute[]) => void,
    extra: Partial<CreateAuthenticatorOptions> = {}): Promise<void> {
    const authenticator = await createAuthenticator({ ...authenticatorOptions[name], ...extra,
      users: { [user.identity]: { password: user.password } } });
    try {
      const session = await host.beginSession(begin);
      try {
        const result = await authenticate({ session, transport: authenticator.createConversation() });
        // The result's attributes are the peer method's, then the authenticator's verdict's.
        check(session, result, result.attributes.slice(result.peerResult?.attributes.length ?? 0));
      } finally {
        await session.endSession();
      }
    } finally {
      await authenticator.close();
    }
  }

  async function overRadius(name: OwnMethod, begin: BeginSessionOptions,
    check: (session: EapHostSession, result: Awaited<ReturnType<typeof authenticateSessionOverRadius>>) => void): Promise<void> {
    const session = await host.beginSession(begin);
    try {
      check(session, await authenticateSessionOverRadius(session, { host: '127.0.0.1', port: serves[name]!.port, secret: SECRET },
        { timeoutMs: 10000 }));
    } finally {
      await session.endSession();
    }
  }

  const cases: Array<{ name: OwnMethod; title: string; inner?: 'mschapv2' | 'tls' }> = [
    { name: 'peap', title: "Windows' own PEAP-MSCHAPv2 (25, author 0)" },
    { name: 'tls', title: "Windows' own EAP-TLS (13, author 0) with its client certificate from CurrentUser\\My" },
    { name: 'teap', title: "Windows' own TEAP (55, author 311), inner EAP-MSCHAPv2 answered through InvokeUI", inner: 'mschapv2' },
    { name: 'teap', title: "Windows' own TEAP (55, author 311), inner EAP-TLS", inner: 'tls' },
  ];

  for (const { name, title, inner } of cases) {
    it(`${title} authenticates against the embedded authenticator; the MSK is the keys it released`, async function () {
      await embedded(name, own(name, user.password, inner), (session, result, verdict) =>
        assertOwnSuccess(session, result, verdict, name, () => ''));
    });

    it(`${title} authenticates against eaphost serve over RADIUS; the MSK is the Access-Accept's MS-MPPE keys`, async function () {
      await overRadius(name, own(name, user.password, inner), (session, result) => {
        assertOwnSuccess(session, result, result.verdictAttributes, name, () => serves[name]!.output());
        assert.equal(result.radiusCodes.at(-1), RadiusCode.AccessAccept);
      });
    });
  }

  for (const name of ['peap', 'teap'] as const) {
    it(`Windows' own ${NAMES[name]} with a wrong password: refused by the embedded authenticator and by eaphost serve, no keys`, async function () {
      const wrong = `not-${user.password}`;
      await embedded(name, own(name, wrong), (session, result) => {
        assert.deepEqual(session.methodType, WINDOWS_METHOD_TYPES[name]);
        assert.equal(result.success, false);
        assert.equal(result.msk, undefined);
        assert.equal(result.mppeKeysMatch, undefined);
      });
      await overRadius(name, own(name, wrong), (_session, result) => {
        assert.equal(result.success, false);
        assert.equal(result.msk, undefined);
        assert.equal(result.radiusCodes.at(-1), RadiusCode.AccessReject, serves[name]!.output().slice(-3000));
      });
    });
  }

  it("Windows' own EAP-TLS with a certificate from a CA the authenticator does not trust: refused, no keys", async function () {
    // The same client certificate; the authenticator accepts client certificates of another CA only.
    await embedded('tls', own('tls'), (session, result) => {
      assert.deepEqual(session.methodType, WINDOWS_METHOD_TYPES.tls);
      assert.equal(result.success, false);
      assert.equal(result.msk, undefined);
    }, { ca: createEphemeralCa().ca });
  });

  for (const name of ['peap', 'tls', 'teap'] as const) {
    it(`Windows' own ${NAMES[name]} with a CA in no Root store: refused before EAPHost is called, naming the CA`, async function () {
      const untrusted = createEphemeralCa();
      const begin = { ...own(name), ca: untrusted.ca, serverName: untrusted.serverName };
      await assert.rejects(host.beginSession(begin), (error: unknown) => {
        assert.ok(error instanceof EapError, String(error));
        assert.equal(error.state, 'UntrustedRoot');
        assert.equal(error.call, 'CertFindCertificateInStore', 'the Root store look-up refused it, not EAPHost');
        assert.match(error.rootCause, /in neither LocalMachine\\Root nor CurrentUser\\Root/);
        return true;
      });
    });
  }

  it("`eaphost auth --radius` on the windows backend: Windows' own PEAP against eaphost serve, MPPE keys match", function () {
    const { serverName } = processEphemeralCa();
    const child = spawnSync(process.execPath, [cliScript, 'auth', '--backend', 'windows', '--radius', `127.0.0.1:${serves.peap!.port}`,
      '--secret-file', files.secret, '--method', 'peap', '--identity', user.identity, '--password-file', files.password,
      '--ca', files.ca, '--server-name', serverName, '--json'], { encoding: 'utf8' });
    assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}\n${serves.peap!.output().slice(-3000)}`);
    const report = JSON.parse(child.stdout);
    assert.equal(report.success, true);
    assert.equal(report.mode, 'radius');
    assert.equal(report.mppeKeysMatch, true);
  });
});
