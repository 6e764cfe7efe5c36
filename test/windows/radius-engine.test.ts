/**
 * The RADIUS engine on Windows (Winsock under native/radius/): RadiusServer on UDP 127.0.0.1 in
 * this node.exe, authenticating EAP-MD5 and EAP-MSCHAPv2 from the project's RADIUS client with
 * peer sessions of the System32 EAPHost (under Wine, the stand-in), and from a peer computed with
 * node:crypto. Verdicts are the server's Access-Accept / Access-Reject; MPPE keys are held to the
 * MSK RFC 3079 derives from the known password (RFC 2759's example, whose NT hash is given).
 */
import * as assert from 'node:assert/strict';
import { authenticate, createAuthenticator } from '../../lib/index';
import type { Authenticator, EapHost } from '../../lib/index';
import { RadiusEapTransport, RadiusServer } from '../../lib/radius';
import { RFC2759, eapMsChapV2Msk, parseMsChapV2ValuePacket } from '../support/mschapv2-oracle';
import { oracleAuthentication } from '../support/oracle-radius-peer';
import { randomCredentials, windowsHostHooks } from './support';

const SECRET = Buffer.from('wine-radius-secret');

describe('windows: the RADIUS engine over Winsock (UDP on 127.0.0.1)', function () {
  let host: EapHost;
  let authenticator: Authenticator;
  let server: RadiusServer;
  let port: number;
  const md5User = randomCredentials();

  windowsHostHooks((opened) => { host = opened; });
  before(async function () {
    authenticator = await createAuthenticator({ methods: ['md5', 'mschapv2'],
      users: { [md5User.identity]: { password: md5User.password }, User: { password: RFC2759.password } } });
    server = new RadiusServer({ host: '127.0.0.1', port: 0, secret: SECRET, authenticator });
    ({ port } = await server.listen());
  });
  after(async function () {
    await server?.close();
    await authenticator?.close();
  });

  /** One authentication of an EAPHost peer session through the project's RADIUS client; the MSK
   *  copied before the session ends (which wipes its own). */
  async function throughRadius(method: 'md5' | 'mschapv2', identity: string, password: string, sent: Buffer[] = []) {
    const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, timeoutMs: 5000 });
    const session = await host.beginSession({ method, identity, password });
    try {
      const result = await authenticate({ session, transport,
        onPacket: (direction, packet) => { if (direction === 'out') sent.push(Buffer.from(packet)); } });
      return { ...result, msk: result.msk && Buffer.from(result.msk) };
    } finally {
      await session.endSession();
      await transport.close();
    }
  }

  it('EAP-MD5: Access-Accept for the password, Access-Reject for another', async function () {
    const accepts = server.stats.accepts;
    const good = await throughRadius('md5', md5User.identity, md5User.password);
    assert.equal(good.success, true, good.reason);
    assert.equal(server.stats.accepts, accepts + 1);
    const rejects = server.stats.rejects;
    const bad = await throughRadius('md5', md5User.identity, `${md5User.password}x`);
    assert.equal(bad.success, false);
    assert.equal(server.stats.rejects, rejects + 1);
    const oracle = await oracleAuthentication(port, SECRET, md5User.identity, { md5: md5User.password });
    assert.equal(oracle.code, 2, 'Access-Accept for node:crypto\'s MD5 response');
  });

  it('EAP-MSCHAPv2 (after a Nak): the MS-MPPE keys the client unhides are the MSK RFC 3079 derives', async function () {
    const sent: Buffer[] = [];
    const good = await throughRadius('mschapv2', 'User', RFC2759.password, sent);
    assert.equal(good.success, true, good.reason);
    assert.equal(good.method, 26);
    const response = sent.filter((packet) => packet[4] === 26 && packet[5] === 2).map(parseMsChapV2ValuePacket)[0];
    assert.ok(response, 'an MSCHAPv2 Response went out');
    assert.deepEqual(good.msk, eapMsChapV2Msk(RFC2759.passwordHashHash, response.value.subarray(24, 48)));
    assert.equal(good.mppeKeysMatch, true, 'the Access-Accept carried the same keys');
    const bad = await throughRadius('mschapv2', 'User', `${RFC2759.password}x`);
    assert.equal(bad.success, false);
    // The same from node:crypto's peer, the keys unhidden by RFC 2548's formula in the test.
    const oracle = await oracleAuthentication(port, SECRET, 'User',
      { mschapv2: { passwordHash: RFC2759.passwordHash, passwordHashHash: RFC2759.passwordHashHash } });
    assert.equal(oracle.code, 2);
    assert.deepEqual(oracle.mppeKeys, oracle.expectedMsk);
  });

  it('a user store that is a JS function is asked from the engine\'s thread', async function () {
    const asked: string[] = [];
    const functional = await createAuthenticator({ methods: ['md5'],
      users: { lookup: async (identity: string) => { asked.push(identity); return identity === md5User.identity ? md5User : undefined; } } });
    const other = new RadiusServer({ host: '127.0.0.1', port: 0, secret: SECRET, authenticator: functional });
    try {
      const otherPort = (await other.listen()).port;
      assert.equal((await oracleAuthentication(otherPort, SECRET, md5User.identity, { md5: md5User.password })).code, 2);
      assert.equal((await oracleAuthentication(otherPort, SECRET, md5User.identity, { md5: 'wrong' })).code, 3);
      assert.deepEqual(asked, [md5User.identity, md5User.identity]);
    } finally {
      await other.close();
      await functional.close();
    }
  });
});
