import { strict as assert } from 'node:assert';
import { RadiusServer } from '../../lib/radius';
import { md5RadiusServerHooks } from '../support/eaphost-serve';
import { runRadclient } from '../support/cli-run';

/**
 * FreeRADIUS's radclient as an independent RADIUS codec: it computes the Message-Authenticator
 * our server verifies, and checks the Response Authenticator and Message-Authenticator of our reply.
 */
const SECRET = 'radclient-secret';

const radclient = (port: number, secret: string, attributes: string) => runRadclient(port, secret, 'auth', attributes, 2);

describe('radclient against RadiusServer', function () {
  this.timeout(30_000);
  let server: RadiusServer;
  let port: number;
  md5RadiusServerHooks(SECRET, (started, listening) => { server = started; port = listening; });

  it('accepts radclient\'s Message-Authenticator and answers with a Challenge radclient verifies', async () => {
    // EAP-Response/Identity "frank", id 1.
    const { code, output } = await radclient(port, SECRET,
      'User-Name = "frank"\nEAP-Message = 0x0201000a016672616e6b\nMessage-Authenticator = 0x00\n' +
      'Response-Packet-Type = Access-Challenge\n');
    // radclient exits 0 only if the reply passed its authenticator checks and had the expected code.
    assert.equal(code, 0, output);
    assert.match(output, /Received Access-Challenge/);
    assert.match(output, /EAP-Message = 0x01/);
    assert.match(output, /State = 0x[0-9a-f]{32}/);
    assert.equal(server.stats.challenges, 1);
  });

  it('drops radclient\'s request made with another secret', async () => {
    const before = server.stats.droppedUnauthenticated;
    const { code } = await radclient(port, 'other-secret',
      'User-Name = "frank"\nEAP-Message = 0x0201000a016672616e6b\nMessage-Authenticator = 0x00\n');
    assert.notEqual(code, 0);
    assert.equal(server.stats.droppedUnauthenticated, before + 1);
  });
});
