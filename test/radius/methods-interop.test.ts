import { strict as assert } from 'node:assert';
import { startFreeRadius } from '../support/freeradius';
import { startHostapd } from '../support/hostapd';
import { RadiusOutcome, serverMppeKeys } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';
import { realServer } from '../support/interop-server';

/**
 * The peer's EAP-MSCHAPv2 and EAP-GTC through our RADIUS client to FreeRADIUS 3.2 and to
 * hostapd's RADIUS server. The truth is theirs: the verdict, and the MS-MPPE keys they put in
 * the Access-Accept (decrypted here with the shared secret), which must equal our MSK.
 */

function assertKeysFromServer(result: RadiusOutcome, log: () => string): void {
  assert.equal(result.success, true, `${result.reason}\n${log().slice(-3000)}`);
  assert.equal(result.method, 26);
  const server = serverMppeKeys(result);
  assert.ok(server.recv && server.send, 'the Access-Accept carries MS-MPPE-Recv-Key and MS-MPPE-Send-Key');
  assert.equal(server.recv.length, 16);
  assert.equal(server.send.length, 16);
  assert.equal(result.msk?.length, 32);
  assert.deepEqual(result.msk, Buffer.concat([server.recv, server.send]), 'MSK = Recv-Key ‖ Send-Key of the server');
  assert.equal(result.mppeKeysMatch, true);
}

describe('EAP-MSCHAPv2 and EAP-GTC against FreeRADIUS', function () {
  this.timeout(60_000);
  const SECRET = 'freeradius-methods-secret';
  const fixture = realServer(() => startFreeRadius({
    secret: SECRET, mschapv2SendError: true,
    users: [{ identity: 'frank', password: 'frank s3cret' }, { identity: 'grace', password: 'ürgent pässword' }],
  }));
  const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });

  it('MSCHAPv2: Access-Accept, and our MSK equals the MPPE keys FreeRADIUS sends', async () => {
    const session = await authenticateOverRadius(endpoint(), 'frank', 'frank s3cret', { method: 'mschapv2' });
    assertKeysFromServer(session, fixture.server.log);
  });

  it('MSCHAPv2 with a non-ASCII password (UTF-16LE in the NT hash)', async () => {
    assertKeysFromServer(await authenticateOverRadius(endpoint(), 'grace', 'ürgent pässword', { method: 'mschapv2' }),
      fixture.server.log);
  });

  it('MSCHAPv2 with a wrong password: Access-Reject, and FreeRADIUS\'s E=691 as result.error', async () => {
    const result = await authenticateOverRadius(endpoint(), 'frank', 'frank s3cret!', { method: 'mschapv2' });
    assert.equal(result.success, false);
    assert.match(result.reason ?? '', /Access-Reject/);
    assert.equal(result.error?.win32Error, 691, `${result.reason}\n${fixture.server.log().slice(-2000)}`);
    assert.equal(result.msk, undefined);
  });

  it('GTC: Access-Accept with the right password, Access-Reject with a wrong one', async () => {
    const good = await authenticateOverRadius(endpoint(), 'frank', 'frank s3cret', { method: 'gtc' });
    assert.equal(good.success, true, `${good.reason}\n${fixture.server.log().slice(-2000)}`);
    assert.equal(good.method, 6);
    assert.equal(good.mppeKeysMatch, undefined, 'GTC derives no MSK');
    const bad = await authenticateOverRadius(endpoint(), 'frank', 'frank s3cret?', { method: 'gtc' });
    assert.equal(bad.success, false);
    assert.match(bad.reason ?? '', /Access-Reject/);
  });
});

describe('EAP-MSCHAPv2 against hostapd\'s RADIUS server', function () {
  this.timeout(60_000);
  const SECRET = 'hostapd-methods-secret';
  const fixture = realServer(() => startHostapd({
    secret: SECRET,
    users: [
      { identity: 'heidi', password: 'heidi pa55', methods: ['MSCHAPV2'] },
      { identity: 'ivan', password: 'ivan pa55', methods: ['MD5', 'MSCHAPV2'] },
    ],
  }));
  const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });

  it('Access-Accept, and our MSK equals the MPPE keys hostapd sends', async () => {
    assertKeysFromServer(await authenticateOverRadius(endpoint(), 'heidi', 'heidi pa55', { method: 'mschapv2' }), fixture.server.log);
  });

  it('hostapd proposes MD5 first; our Nak takes it to MSCHAPv2', async () => {
    const proposed: number[] = [];
    const result = await authenticateOverRadius(endpoint(), 'ivan', 'ivan pa55', {
      method: 'mschapv2', onPacket: (direction, packet) => { if (direction === 'in' && packet[0] === 1) proposed.push(packet[4]); },
    });
    assertKeysFromServer(result, fixture.server.log);
    assert.ok(proposed.includes(4) && proposed.includes(26), `requests: ${proposed.join(',')}`);
  });

  it('a wrong password ends in Access-Reject', async () => {
    const result = await authenticateOverRadius(endpoint(), 'heidi', 'heidi pa56', { method: 'mschapv2' });
    assert.equal(result.success, false);
    assert.match(result.reason ?? '', /Access-Reject/);
  });
});
