import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate, createAuthenticator, EapError } from '../../lib/index';
import { encodeConnectionData, peerConnectionData } from '../../lib/core/connection-data';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { openSuiteHost, randomCredentials } from '../helpers';
import { runCliProcess } from '../support/cli-run';
import { makeTempDir } from '../support/programs';

/**
 * The client certificate from the Windows certificate store (`certStore`, connection data field
 * 19). The expected bytes are written out by hand from the format's table; off Windows the shipped
 * EAP-TLS peer must refuse the option with ERROR_NOT_SUPPORTED naming it, never authenticate
 * without the certificate it was given. The store itself is exercised under Wine
 * (test/windows/cert-store-windows.test.ts).
 */
const HEADER = Buffer.from([0x65, 0x43, 0x46, 0x47, 0x01]); // "eCFG", version 1
const ERROR_NOT_SUPPORTED = 50;
const THUMBPRINT = '0123456789abcdef0123456789ABCDEF01234567';

function tlv(type: number, value: Buffer): Buffer {
  const n = value.length;
  return Buffer.concat([Buffer.from([type, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]), value]);
}

describe('certStore: the client certificate from the Windows certificate store', function () {
  this.timeout(30_000);

  it('encodes location | name length | name | selector | thumbprint (type 19)', () => {
    const blob = encodeConnectionData({ certStore: { thumbprint: THUMBPRINT } });
    const value = Buffer.concat([Buffer.from([1, 2]), Buffer.from('My'), Buffer.from([1]), Buffer.from(THUMBPRINT, 'hex')]);
    assert.deepEqual(blob, Buffer.concat([HEADER, tlv(19, value)]));
    // Microsoft's own way of writing one (spaced pairs) gives the same bytes.
    const spaced = THUMBPRINT.match(/../g)!.join(' ');
    assert.deepEqual(encodeConnectionData({ certStore: { store: 'currentuser\\My', thumbprint: spaced } }), blob);
  });

  it('encodes LocalMachine and a subject (selector 2, UTF-8)', () => {
    const blob = encodeConnectionData({ certStore: { store: 'LocalMachine\\Ünïcode', subject: 'CN=Ålice' } });
    const name = Buffer.from('Ünïcode', 'utf8');
    const value = Buffer.concat([Buffer.from([2, name.length]), name, Buffer.from([2]), Buffer.from('CN=Ålice', 'utf8')]);
    assert.deepEqual(blob, Buffer.concat([HEADER, tlv(19, value)]));
  });

  it('refuses malformed store names, thumbprints and mixes with a certificate, as TypeErrors', () => {
    const cases: [unknown, RegExp][] = [
      [{ store: 'My', thumbprint: THUMBPRINT }, /CurrentUser\\NAME or LocalMachine\\NAME/],
      [{ store: 'Elsewhere\\My', thumbprint: THUMBPRINT }, /CurrentUser\\NAME/],
      [{ store: `CurrentUser\\${'x'.repeat(65)}`, thumbprint: THUMBPRINT }, /1\.\.64 bytes/],
      [{ thumbprint: THUMBPRINT.slice(2) }, /40 hex digits/],
      [{ thumbprint: `${THUMBPRINT.slice(2)}zz` }, /40 hex digits/],
      [{}, /thumbprint or subject/],
      [{ thumbprint: THUMBPRINT, subject: 'alice' }, /thumbprint or subject/],
      [{ subject: '' }, /1\.\.253 bytes/],
      [{ subject: 'a\0b' }, /without NUL/],
      [{ thumbprint: THUMBPRINT, pin: '1234' }, /certStore\.pin is not an option/],
      ['CurrentUser\\My', /certStore must be/],
    ];
    for (const [certStore, message] of cases) {
      assert.throws(() => encodeConnectionData({ certStore } as never), (error: unknown) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(error.message, message);
        return true;
      }, JSON.stringify(certStore));
    }
    const { cert, key } = processEphemeralCa().issueClient('alice');
    assert.throws(() => encodeConnectionData({ cert, key, certStore: { thumbprint: THUMBPRINT } }), /not both/);
    assert.throws(() => peerConnectionData('peap', { insecure: true, certStore: { thumbprint: THUMBPRINT } }),
      /certStore does not apply to the peap peer/);
  });

  it('counts as the EAP-TLS peer\'s client certificate (no cert or pkcs12 needed)', () => {
    const blob = peerConnectionData('tls', { insecure: true, certStore: { subject: 'alice' } });
    assert.ok(blob.includes(tlv(19, Buffer.concat([Buffer.from([1, 2]), Buffer.from('My'), Buffer.from([2]), Buffer.from('alice')]))));
    assert.throws(() => peerConnectionData('tls', { insecure: true }), /give cert and key \(or pkcs12, or certStore\)/);
  });

  it('off Windows the EAP-TLS peer refuses it: ERROR_NOT_SUPPORTED naming certStore, the store and the thumbprint', async function () {
    if (process.platform === 'win32') throw new Error('this file runs in the Linux lane: the store is tested under Wine');
    const { identity, password } = randomCredentials();
    const ephemeral = processEphemeralCa();
    await using authenticator = await createAuthenticator({ methods: ['tls'], users: { [identity]: { password } }, ca: ephemeral.ca });
    const trust = authenticator.trust!;
    await using host = await openSuiteHost();
    const attempt = async () => {
      await using session = await host.beginSession({ method: 'tls', identity, ca: trust.ca, serverName: trust.serverName,
        certStore: { store: 'LocalMachine\\My', thumbprint: THUMBPRINT } });
      return authenticate({ session, transport: authenticator.createConversation() });
    };
    await assert.rejects(attempt(), (error: unknown) => {
      assert.ok(error instanceof EapError, String(error));
      assert.equal(error.win32Error, ERROR_NOT_SUPPORTED, error.rootCause);
      assert.match(error.rootCause, /certStore \(LocalMachine\\My, thumbprint 0123456789ABCDEF0123456789ABCDEF01234567\)/);
      assert.match(error.rootCause, /Windows only/);
      return true;
    });
  });

  describe('eaphost auth --cert-thumbprint / --cert-subject / --cert-store', function () {
    const dir = makeTempDir('cert-store-cli');
    const users = join(dir.path, 'users.json');
    before(() => writeFileSync(users, JSON.stringify({ erin: { password: 'x' } })));
    after(() => dir.remove());
    const auth = (...flags: string[]) => runCliProcess(['auth', '--method', 'tls', '--identity', 'erin', '--users', users, ...flags]);

    it('usage errors exit 2, naming the flag', () => {
      const cases: [string[], RegExp][] = [
        [['--cert-store', 'CurrentUser\\My'], /--cert-store needs --cert-thumbprint HEX or --cert-subject TEXT/],
        [['--cert-thumbprint', THUMBPRINT, '--cert-subject', 'erin'], /--cert-thumbprint or --cert-subject, not both/],
        [['--cert-thumbprint', 'abc'], /--cert-thumbprint must be a SHA-1 thumbprint, 40 hex digits/],
        [['--cert-subject', 'erin', '--cert-store', 'Machine\\My'], /--cert-store must be CurrentUser\\NAME or LocalMachine\\NAME/],
      ];
      for (const [flags, message] of cases) {
        const r = auth(...flags);
        assert.equal(r.status, 2, `${flags.join(' ')}\n${r.stdout}${r.stderr}`);
        assert.match(r.stderr, message, flags.join(' '));
      }
      const peap = runCliProcess(['auth', '--method', 'peap', '--identity', 'erin', '--password', 'x', '--users', users,
        '--cert-thumbprint', THUMBPRINT]);
      assert.equal(peap.status, 2, peap.stderr);
      assert.match(peap.stderr, /--cert-thumbprint and --cert-subject apply to --method tls/);
    });

    it('off Windows the embedded EAP-TLS run cannot begin: exit 2, Win32 error 50 naming certStore', () => {
      const r = auth('--cert-thumbprint', THUMBPRINT);
      assert.equal(r.status, 2, r.stderr + r.stdout);
      assert.match(r.stderr, /certStore \(CurrentUser\\My, thumbprint 0123456789ABCDEF0123456789ABCDEF01234567\) names the Windows certificate store, which exists on Windows only \(Win32 error 50\)/);
    });
  });
});
