import { strict as assert } from 'node:assert';
import { RadiusTimeoutError } from '../../lib/radius';
import { RadiusAuthenticatorMismatchError } from '../../lib/radius/errors';
import { freeUdpPort } from '../support/programs';
import { startFreeRadius } from '../support/freeradius';
import { authenticateCountingSent, authenticateOverRadius } from './peer';
import { realServer } from '../support/interop-server';

/** The real peer (EAPHost session + EAP-MD5 module) through our RADIUS client to FreeRADIUS 3.2. */
const SECRET = 'freeradius-interop-secret';
const LONG_IDENTITY = `long-${'i'.repeat(248)}`; // 253 bytes: the largest User-Name, an EAP packet of 258

describe('EAP over RADIUS against FreeRADIUS', function () {
  this.timeout(60_000);
  const fixture = realServer(() => startFreeRadius({
    secret: SECRET, ipv6: true,
    users: [{ identity: 'alice', password: 'correct horse' }, { identity: LONG_IDENTITY, password: 'long-pw' }],
  }));
  const endpoint = (secret = SECRET) => ({ host: fixture.server.host, port: fixture.server.port, secret });

  it('MD5 with the right password ends in Access-Accept and EAP-Success', async () => {
    const result = await authenticateOverRadius(endpoint(), 'alice', 'correct horse');
    assert.equal(result.success, true, `${result.reason}\n${fixture.server.log().slice(-2000)}`);
    assert.equal(result.method, 4);
    assert.equal(result.roundTrips, 2);
  });

  it('MD5 over IPv6 loopback', async () => {
    const result = await authenticateOverRadius({ host: '::1', port: fixture.server.port6!, secret: SECRET }, 'alice', 'correct horse');
    assert.equal(result.success, true, result.reason);
  });

  it('MD5 with a wrong password ends in Access-Reject', async () => {
    const result = await authenticateOverRadius(endpoint(), 'alice', 'wrong horse');
    assert.equal(result.success, false);
    assert.match(result.reason ?? '', /Access-Reject/);
  });

  it('an identity of 253 bytes makes a 258-byte EAP packet split over two EAP-Message attributes', async () => {
    const { result, sent: sizes } = await authenticateCountingSent(endpoint(), LONG_IDENTITY, 'long-pw');
    assert.equal(result.success, true, `${result.reason}\n${fixture.server.log().slice(-2000)}`);
    assert.ok(sizes[0] > 253, `identity response was ${sizes[0]} bytes`);
  });

  it('a wrong shared secret is reported as such, not as a timeout', async () => {
    const started = Date.now();
    await assert.rejects(authenticateOverRadius(endpoint('not-the-secret'), 'alice', 'correct horse', { timeoutMs: 3000 }),
      (error: Error) => error instanceof RadiusAuthenticatorMismatchError && /check the shared secret/.test(error.message));
    assert.ok(Date.now() - started < 3500, 'within the request timeout');
  });

  it('a server that is down gives RadiusTimeoutError within the bound', async () => {
    const deadPort = await freeUdpPort();
    const started = Date.now();
    await assert.rejects(authenticateOverRadius({ host: '127.0.0.1', port: deadPort, secret: SECRET }, 'alice', 'x',
      { timeoutMs: 1200 }), RadiusTimeoutError);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1100 && elapsed < 2500, `took ${elapsed} ms`);
  });
});
