/**
 * EAP-TLS with the client certificate from the Windows certificate store (`certStore`): a PKCS#12
 * made for this run goes into CurrentUser\My through PFXImportCertStore (importUserPkcs12), and
 * the shipped EAP-TLS peer (eap_methods.dll) finds it there by thumbprint or subject and signs
 * with the key the store holds, against the embedded authenticator, which trusts that one
 * self-signed certificate and nothing else: its acceptance is the proof that the peer presented
 * the store's certificate and signed its CertificateVerify with the store's key.
 *
 * Under Wine the key is a legacy CryptoAPI one (Wine's CryptAcquireCertificatePrivateKey hands
 * out rsaenh providers only, and its ncrypt opens no stored key), which cannot sign RSA-PSS: the
 * peer offers TLS 1.2 at most, and a configuration allowing only TLS 1.3 is refused, typed. On
 * Windows the same key opens through CNG and TLS 1.3 succeeds (docs/WINDOWS-CONTRACT.md,
 * "Certificates from the store").
 *
 * The backend: under Wine the windows one (the stand-in in System32, in this process); on
 * Windows the portable one, so the module runs in this process as the user who imported the key
 * (Windows' EapHost service runs methods in its own process: the contract's first-run check).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { authenticate, builtinMethods, createAuthenticator, EapError, openEapHost } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import { peerConnectionData } from '../../lib/core/connection-data';
import type { StoreCertificateOptions } from '../../lib/core/store-certificate';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { installWindowsRootCertificate } from '../../lib/profile';
import type { WindowsRootStore } from '../../lib/profile/root-store';
import { importUserPkcs12 } from '../../lib/profile/install-windows';
import { makeTestPkcs12 } from '../support/pkcs12';
import { queryRegistry, randomCredentials, requireWindows } from './support';

const underWine = process.env.EAPHOST_WINE === '1';
const USER_MY = 'HKCU\\Software\\Microsoft\\SystemCertificates\\My\\Certificates';
// Where a CA goes without a dialog: CurrentUser\Root asks the user on Windows (test/windows/root-store.test.ts).
const ROOT_STORE: WindowsRootStore = underWine ? 'CurrentUser' : 'LocalMachine';
const ROOT_KEY = `${ROOT_STORE === 'CurrentUser' ? 'HKCU' : 'HKLM'}\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates`;
const CRYPT_E_NOT_FOUND = 0x80092004;
const CRYPT_E_NO_KEY_PROPERTY = 0x8009200b;
const SEC_E_UNSUPPORTED_FUNCTION = 0x80090302;
const EAP_E_USER_CERT_NOT_FOUND = 0x80420100;

function removeKey(key: string): void {
  if (queryRegistry(key)) execFileSync('reg.exe', ['delete', key, '/f'], { stdio: 'pipe' });
}

describe('EAP-TLS with the client certificate from the Windows certificate store', function () {
  this.timeout(60000);
  let host: EapHost;
  // Made for this run: no store can already hold it.
  const client = makeTestPkcs12();
  const stranger = createEphemeralCa().ca;
  const strangerThumbprint = new X509Certificate(stranger).fingerprint.split(':').join('');

  before(async function () {
    requireWindows();
    delete process.env.EAPHOST_METHODS_MANIFEST;
    host = await openEapHost({ backend: underWine ? 'windows' : 'portable' });
    assert.deepEqual(await importUserPkcs12(client.pkcs12, client.password), [client.thumbprint]);
  });
  after(async function () {
    await host?.close();
    removeKey(`${USER_MY}\\${client.thumbprint}`);
    removeKey(`${ROOT_KEY}\\${strangerThumbprint}`);
  });

  async function run(certStore: StoreCertificateOptions, tls?: { min?: '1.2' | '1.3'; max?: '1.2' | '1.3' }) {
    const { identity, password } = randomCredentials();
    await using authenticator = await createAuthenticator({ methods: ['tls'], users: { [identity]: { password } }, ca: client.certificate });
    const trust = authenticator.trust!;
    const connectionData = peerConnectionData('tls', { ca: trust.ca, serverName: trust.serverName, certStore, ...(tls ? { tls } : {}) });
    await using session = await host.beginSession({ method: builtinMethods.tls.methodType, identity, password: '', connectionData });
    return await authenticate({ session, transport: authenticator.createConversation() });
  }

  function refusal(winError: number, pattern: RegExp) {
    return (error: unknown) => {
      assert.ok(error instanceof EapError, String(error));
      assert.equal(error.win32Error >>> 0, winError, error.rootCause);
      assert.match(error.rootCause, pattern);
      return true;
    };
  }

  it('by thumbprint in CurrentUser\\My: the authenticator accepts the store\'s certificate, the MSK is its MPPE keys', async function () {
    const result = await run({ thumbprint: client.thumbprint });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.mppeKeysMatch, true);
  });

  it('by subject, the store named in full, TLS 1.2', async function () {
    const result = await run({ store: 'CurrentUser\\My', subject: client.subject.toUpperCase() }, { max: '1.2' });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.mppeKeysMatch, true);
  });

  if (underWine) {
    it('TLS 1.3 only, with a key only CryptoAPI holds (Wine): refused, SEC_E_UNSUPPORTED_FUNCTION naming the store and thumbprint', async function () {
      await assert.rejects(run({ thumbprint: client.thumbprint }, { min: '1.3' }),
        refusal(SEC_E_UNSUPPORTED_FUNCTION, new RegExp(`CurrentUser\\\\My, thumbprint ${client.thumbprint}\\).*RSA-PSS.*TLS 1\\.3`)));
    });
  } else {
    it('TLS 1.3 only: the key opens through CNG and signs RSA-PSS', async function () {
      const result = await run({ thumbprint: client.thumbprint }, { min: '1.3' });
      assert.equal(result.success, true, result.reason);
      assert.equal(result.mppeKeysMatch, true);
    });
  }

  it('a thumbprint the store does not hold: CRYPT_E_NOT_FOUND naming the store and the thumbprint', async function () {
    const absent = createEphemeralCa().ca;
    const thumbprint = new X509Certificate(absent).fingerprint.split(':').join('');
    await assert.rejects(run({ thumbprint }), (error: unknown) => {
      refusal(CRYPT_E_NOT_FOUND, new RegExp(`\\(CurrentUser\\\\My, thumbprint ${thumbprint}\\) is not there`))(error);
      assert.equal((error as EapError).reasonCode >>> 0, EAP_E_USER_CERT_NOT_FOUND);
      return true;
    });
  });

  it(`a certificate without a private key (a CA in ${ROOT_STORE}\\Root): CRYPT_E_NO_KEY_PROPERTY naming the store and the thumbprint`, async function () {
    await installWindowsRootCertificate(stranger, ROOT_STORE);
    await assert.rejects(run({ store: `${ROOT_STORE}\\Root`, thumbprint: strangerThumbprint }),
      refusal(CRYPT_E_NO_KEY_PROPERTY, new RegExp(`\\(${ROOT_STORE}\\\\Root, thumbprint ${strangerThumbprint}\\) has no private key`)));
  });

  it('a subject no certificate carries: CRYPT_E_NOT_FOUND naming the text', async function () {
    const subject = `nobody ${randomCredentials().identity}`;
    await assert.rejects(run({ subject }), refusal(CRYPT_E_NOT_FOUND, new RegExp(`subject containing "${subject}"\\) is not there`)));
  });
});
