import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { ConnectionFields, assertSameKeysOnBothSides, connectionData, inProcessTlsMethods } from '../support/tls-fixtures';
import { runMain } from '../support/cli-run';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { emskOf, mskOf, sessionIdOf } from '../../lib/core/keys';
import { makeTempDir } from '../support/programs';

/**
 * TEAP carrying EAP-TLS (RFC 9930; Windows' machine authentication), our peer against our
 * authenticator: both method modules, each with a TLS engine inside the tunnel's, and each side's
 * own keys. hostapd and eapol_test judge the same conversations in test/radius/teap-inner-tls.
 */
const EAP_TYPE_TLS = 13;
const EAP_TYPE_MSCHAPV2 = 26;
const EAP_TYPE_GTC = 6;
const SERVER_NAME = 'radius.example.test';

/** A client certificate and key from the PKI's second CA, which the authenticator does not trust. */
function untrustedClient(dir: string): { certificate: string; privateKey: string } {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'stranger.key', '-out', 'stranger.csr',
    '-subj', '/CN=stranger@example.test']);
  run(['x509', '-req', '-in', 'stranger.csr', '-CA', 'other.pem', '-CAkey', 'other.key', '-CAcreateserial', '-out', 'stranger.pem',
    '-days', '2', '-extfile', 'client.ext']);
  return { certificate: fs.readFileSync(path.join(dir, 'stranger.pem'), 'utf8'), privateKey: fs.readFileSync(path.join(dir, 'stranger.key'), 'utf8') };
}

describe('TEAP with inner EAP-TLS, in process', function () {
  const tls = inProcessTlsMethods();
  const serverData = () => tls.serverData({ innerMethod: EAP_TYPE_TLS });
  const peerData = (extra: Parameters<typeof tls.peerTunnel>[0] = {}) => tls.peerTunnel({
    innerMethod: EAP_TYPE_TLS, certificate: tls.pki.clientCert, privateKey: tls.pki.clientKey, ...extra,
  });

  for (const version of ['1.2', '1.3'] as const) {
    it(`TLS ${version} tunnel and inner handshake: both sides succeed with the same MSK and EMSK`, async () => {
      const result = await tls.run('teap', peerData({ tlsMax: version }), tls.serverData({ innerMethod: EAP_TYPE_TLS, tlsMax: version }),
        { identity: 'alice@example.test', password: '', storedPassword: undefined });
      assertSameKeysOnBothSides(result);
      // The inner EAP-TLS ran: its Start is the first EAP-Payload the server sends after the inner Identity.
      assert.ok(result.roundTrips >= 6, `a tunnel plus an inner handshake takes more than ${result.roundTrips} round trips`);
    });
  }

  it('a client certificate from a CA the authenticator does not trust: both sides fail, no keys', async () => {
    const stranger = untrustedClient(tls.pki.dir);
    const result = await tls.run('teap', peerData(stranger), serverData(),
      { identity: 'stranger@example.test', password: '', storedPassword: undefined });
    assert.equal(result.authenticator.success, false);
    assert.equal(result.peer.success, false);
    // No MSK, EMSK or Session-Id (the handshake's outcome, common/tls_outcome.h, may stand beside them).
    assert.deepEqual([mskOf, emskOf, sessionIdOf].map((of) => of(result.peer.attributes)), [undefined, undefined, undefined], 'no keys for the peer');
    assert.equal(result.authenticator.attributes.filter((a) => a.type === 26).length, 0, 'no MPPE keys released');
  });

  it('offered after EAP-MSCHAPv2: the peer Naks it asking for 13, the authenticator switches, same MSK and EMSK', async () => {
    const result = await tls.run('teap', peerData(), tls.serverData({ innerMethod: [EAP_TYPE_MSCHAPV2, EAP_TYPE_TLS] }),
      { identity: 'alice@example.test', password: '', storedPassword: undefined });
    assertSameKeysOnBothSides(result);
  });

  it('not offered: the peer\'s Nak for EAP-TLS is refused, both sides fail with no keys', async () => {
    const result = await tls.run('teap', peerData(), tls.serverData({ innerMethod: [EAP_TYPE_MSCHAPV2, EAP_TYPE_GTC] }),
      { identity: 'alice@example.test', password: '', storedPassword: undefined });
    assert.equal(result.authenticator.success, false);
    assert.equal(result.peer.success, false);
    // No MSK, EMSK or Session-Id (the handshake's outcome, common/tls_outcome.h, may stand beside them).
    assert.deepEqual([mskOf, emskOf, sessionIdOf].map((of) => of(result.peer.attributes)), [undefined, undefined, undefined], 'no keys for the peer');
  });

  it('EAP chaining as Windows sets it up: inner EAP-TLS for the machine, then EAP-MSCHAPv2 for the user', async () => {
    const result = await tls.run('teap', peerData({ teapSecondInner: EAP_TYPE_MSCHAPV2 }),
      tls.serverData({ innerMethod: EAP_TYPE_TLS, teapSecondInner: EAP_TYPE_MSCHAPV2 }),
      { identity: 'alice@example.test', password: 'alice pa55', storedPassword: 'alice pa55' });
    assertSameKeysOnBothSides(result);
    const wrong = await tls.run('teap', peerData({ teapSecondInner: EAP_TYPE_MSCHAPV2 }),
      tls.serverData({ innerMethod: EAP_TYPE_TLS, teapSecondInner: EAP_TYPE_MSCHAPV2 }),
      { identity: 'alice@example.test', password: 'alice pa56', storedPassword: 'alice pa55' });
    assert.equal(wrong.authenticator.success, false, 'the user\'s EAP-MSCHAPv2 ran after the machine\'s EAP-TLS');
    assert.equal(wrong.peer.success, false);
  });

  it('PEAP and EAP-TTLS refuse inner EAP-TLS, which TEAP alone carries, and a second inner method, which TEAP alone chains', async () => {
    const refusals: [ConnectionFields, RegExp][] = [
      [{ innerMethod: EAP_TYPE_TLS, certificate: tls.pki.clientCert, privateKey: tls.pki.clientKey }, /carries|inner EAP type 13/],
      [{ innerMethod: EAP_TYPE_MSCHAPV2, teapSecondInner: EAP_TYPE_GTC }, /only TEAP chains inner methods/],
    ];
    for (const method of ['peap', 'ttls'] as const) {
      for (const [fields, refusal] of refusals) {
        await using module = await loadPeerMethod(method);
        const data = connectionData({ ca: tls.pki.caPem, serverNames: [SERVER_NAME], phase2: method === 'ttls' ? 5 : undefined, ...fields });
        await assert.rejects(async () => {
          await using session = await module.beginSession({ connectionData: data, identity: 'alice', password: 'secret', maxSendPacketSize: 1400 });
          await session.processRequestPacket(Buffer.from([1, 1, 0, 6, method === 'peap' ? 25 : 21, 0x20]));
        }, refusal);
      }
    }
  });

  it('the connection data refuses an inner method named twice or more than four', async () => {
    await using module = await loadPeerMethod('teap');
    for (const [innerMethod, refusal] of [[[26, 26], /names inner EAP type 26 twice/], [[26, 6, 4, 13, 26], /must hold 1 to 4 EAP types/]] as const) {
      await assert.rejects(async () => {
        await using session = await module.beginSession({ connectionData: tls.peerTunnel({ innerMethod: [...innerMethod] }), identity: 'alice',
          password: 'secret', maxSendPacketSize: 1400 });
        await session.processRequestPacket(Buffer.from([1, 1, 0, 6, 55, 0x21]));
      }, refusal);
    }
  });
});

describe('eaphost auth --method teap --inner-method tls, embedded', function () {
  this.timeout(60_000);
  const dir = makeTempDir('teap-inner-tls-cli');
  const users = path.join(dir.path, 'users.json');
  fs.writeFileSync(users, JSON.stringify({ erin: { password: 'erin pa55' } }));
  after(() => dir.remove());
  const auth = (...args: string[]) => runMain(['auth', '--method', 'teap', '--identity', 'erin', '--users', users, '--json', ...args]);

  it('no --cert: the ephemeral CA issues the client certificate, the authenticator trusts it; the MSK is the same on both sides', async () => {
    const run = await auth('--inner-method', 'tls');
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const out = JSON.parse(run.stdout);
    assert.equal(out.result, 'accept');
    assert.equal(out.eapType, 55);
    assert.equal(out.mppeKeysMatch, true, "the authenticator's MS-MPPE keys are the peer's MSK");
  });

  it('the outer and inner server validation stay strict: another CA or another name fails', async () => {
    const other = path.join(dir.path, 'other-ca.pem');
    fs.writeFileSync(other, createEphemeralCa().ca);
    const untrusted = await auth('--inner-method', 'tls', '--ca', other);
    assert.equal(untrusted.code, 1, untrusted.stderr + untrusted.stdout);
    assert.match(JSON.parse(untrusted.stdout).reason, /unknown CA|not trusted|untrusted/i);
    const misnamed = await auth('--inner-method', 'tls', '--server-name', 'radius.example.com');
    assert.equal(misnamed.code, 1, misnamed.stderr + misnamed.stdout);
    assert.match(JSON.parse(misnamed.stdout).reason, /name mismatch: expected radius\.example\.com/);
  });

  it('--teap-secondary-inner-method mschapv2: the machine by EAP-TLS, then the user by EAP-MSCHAPv2; a wrong password fails', async () => {
    const run = await auth('--inner-method', 'tls', '--teap-secondary-inner-method', 'mschapv2', '--password', 'erin pa55');
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(JSON.parse(run.stdout).mppeKeysMatch, true);
    const wrong = await auth('--inner-method', 'tls', '--teap-secondary-inner-method', 'mschapv2', '--password', 'erin pa56');
    assert.equal(wrong.code, 1, wrong.stderr + wrong.stdout);
    assert.equal(JSON.parse(wrong.stdout).result, 'reject');
  });

  it('usage errors: the chaining flag for another method, a secondary method without its password', async () => {
    const peap = await runMain(['auth', '--method', 'peap', '--identity', 'erin', '--password', 'x', '--users', users,
      '--teap-secondary-inner-method', 'mschapv2']);
    assert.equal(peap.code, 2);
    assert.match(peap.stderr, /--teap-secondary-inner-method applies to --method teap only/);
    const noPassword = await auth('--inner-method', 'tls', '--teap-secondary-inner-method', 'mschapv2');
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.stderr, /--password is required/);
  });
});
