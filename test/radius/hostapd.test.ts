import { strict as assert } from 'node:assert';
import { RadiusTimeoutError } from '../../lib/radius';
import { freeUdpPort } from '../support/programs';
import { startHostapd } from '../support/hostapd';
import { authenticateCountingSent, authenticateOverRadius } from './peer';
import { assertAccessReject } from '../support/radius-verdict';
import { realServer } from '../support/interop-server';

/** The real peer through our RADIUS client to hostapd's integrated RADIUS/EAP server. */
const SECRET = 'hostapd-interop-secret';
const LONG_IDENTITY = `long-${'h'.repeat(248)}`;

describe('EAP over RADIUS against hostapd', function () {
  this.timeout(60_000);
  const fixture = realServer(() => startHostapd({
    secret: SECRET,
    users: [{ identity: 'bob', password: 'hunter2' }, { identity: LONG_IDENTITY, password: 'long-pw' }],
  }));
  const endpoint = (secret = SECRET) => ({ host: fixture.server.host, port: fixture.server.port, secret });

  it('MD5 with the right password ends in Access-Accept and EAP-Success', async () => {
    const result = await authenticateOverRadius(endpoint(), 'bob', 'hunter2');
    assert.equal(result.success, true, `${result.reason}\n${fixture.server.log().slice(-2000)}`);
    assert.equal(result.method, 4);
  });

  it('MD5 with a wrong password ends in Access-Reject', async () => {
    const result = await authenticateOverRadius(endpoint(), 'bob', 'hunter3');
    assertAccessReject(result, fixture.server.log().slice(-2000));
  });

  it('an identity of 253 bytes is split over two EAP-Message attributes and accepted', async () => {
    const { result, sent: sizes } = await authenticateCountingSent(endpoint(), LONG_IDENTITY, 'long-pw');
    assert.equal(result.success, true, `${result.reason}\n${fixture.server.log().slice(-2000)}`);
    assert.ok(sizes[0] > 253);
  });

  it('a wrong shared secret: hostapd drops every unauthenticated request, so it can only show as no answer', async () => {
    // Alive first: the same server answers the right secret, so the silence below is its verdict.
    const alive = await authenticateOverRadius(endpoint(), 'bob', 'hunter2');
    assert.equal(alive.success, true, `${alive.reason}\n${fixture.server.log().slice(-2000)}`);
    const logged = fixture.server.log().length;
    // hostapd answers nothing without a valid Message-Authenticator, not even the secret probe:
    // there is no reply whose authenticator could reveal the mismatch.
    await assert.rejects(authenticateOverRadius(endpoint('not-the-secret'), 'bob', 'hunter2', { timeoutMs: 1200 }),
      RadiusTimeoutError);
    // hostapd says why it dropped the requests.
    await fixture.server.logUntil(logged, /Message-Authenticator/);
  });

  it('a server that is down gives RadiusTimeoutError within the bound', async () => {
    const started = Date.now();
    await assert.rejects(authenticateOverRadius({ host: '127.0.0.1', port: await freeUdpPort(), secret: SECRET }, 'bob', 'x',
      { timeoutMs: 1200 }), RadiusTimeoutError);
    assert.ok(Date.now() - started < 2500);
  });
});
