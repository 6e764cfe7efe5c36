import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, Socket } from 'node:dgram';
import { RadiusClient } from '../../lib/radius';
import {
  RadiusAuthenticatorMismatchError, RadiusMessageAuthenticatorInvalidError,
  RadiusMessageAuthenticatorMissingError, RadiusTimeoutError,
} from '../../lib/radius/errors';

/**
 * A reply that fails verification is reported for what it is. A server on loopback builds its
 * replies by hand with node:crypto (RFC 2865 §3 Response Authenticator, RFC 3579 §3.2
 * Message-Authenticator), so the client's verdict is checked against an independent signer.
 */
const SECRET = Buffer.from('reply-authentication-secret');
const EAP_SUCCESS = Buffer.from([3, 1, 0, 4]);

type Forgery = 'forged-message-authenticator' | 'no-message-authenticator' | 'other-secret';

/** An Access-Accept carrying EAP-Success, signed with `secret`, with its Message-Authenticator as `forgery` says. */
function reply(request: Buffer, forgery: Forgery): Buffer {
  const secret = forgery === 'other-secret' ? Buffer.from('not-the-secret') : SECRET;
  const eap = Buffer.concat([Buffer.from([79, 2 + EAP_SUCCESS.length]), EAP_SUCCESS]);
  const ma = forgery === 'no-message-authenticator' ? Buffer.alloc(0) : Buffer.concat([Buffer.from([80, 18]), Buffer.alloc(16)]);
  const packet = Buffer.concat([Buffer.alloc(20), ma, eap]);
  packet[0] = 2;
  packet[1] = request[1];
  packet.writeUInt16BE(packet.length, 2);
  request.copy(packet, 4, 4, 20);  // the Request Authenticator, for both HMAC and MD5
  if (ma.length > 0) {
    const hmac = forgery === 'forged-message-authenticator' ? randomBytes(16) : createHmac('md5', secret).update(packet).digest();
    hmac.copy(packet, 22);
  }
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

describe('RadiusClient: what is wrong with a reply, in words', function () {
  this.timeout(20_000);
  let server: Socket;
  let port: number;
  let forgery: Forgery;

  before(async () => {
    server = createSocket('udp4');
    server.on('message', (message, remote) => server.send(reply(message, forgery), remote.port, remote.address));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => resolve()));
    port = server.address().port;
  });
  after(() => server?.close());

  async function attempt(requireMessageAuthenticator: boolean, secretProbe = false): Promise<unknown> {
    const client = new RadiusClient({ timeoutMs: 600, tries: 2, secretProbe, requireMessageAuthenticator });
    try {
      await client.accessRequest({ host: '127.0.0.1', port, secret: SECRET },
        [{ type: 1, value: Buffer.from('gina') }, { type: 79, value: Buffer.from([2, 1, 0, 9, 1, 0x67, 0x69, 0x6e, 0x61]) }]);
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await client.close();
    }
  }

  it('a forged Message-Authenticator beside a correct Response Authenticator is not "check the shared secret"', async () => {
    forgery = 'forged-message-authenticator';
    for (const require of [true, false]) {
      const error = await attempt(require);
      assert.ok(error instanceof RadiusMessageAuthenticatorInvalidError, `require=${require}: ${String(error)}`);
      assert.equal(error.code, 'ERR_RADIUS_MESSAGE_AUTHENTICATOR_INVALID');
      assert.match(error.message, /shared secret matches/);
      assert.match(error.message, /forged or altered/);
      assert.doesNotMatch(error.message, /check the shared secret/);
    }
  });

  it('a missing Message-Authenticator in a reply carrying EAP is reported as missing, required or not', async () => {
    forgery = 'no-message-authenticator';
    for (const require of [true, false]) {
      const error = await attempt(require);
      assert.ok(error instanceof RadiusMessageAuthenticatorMissingError, `require=${require}: ${String(error)}`);
      assert.doesNotMatch((error as Error).message, /check the shared secret/);
    }
  });

  it('a wrong Response Authenticator (another secret) is the shared secret once the secret probe proves it', async () => {
    forgery = 'other-secret';
    const error = await attempt(true, true);
    assert.ok(error instanceof RadiusAuthenticatorMismatchError, String(error));
    assert.match(error.message, /check the shared secret/);
  });

  it('without the secret probe, replies that do not verify are counted and said so, never blamed on the secret', async () => {
    forgery = 'other-secret';
    const error = await attempt(true, false);
    assert.ok(error instanceof RadiusTimeoutError, String(error));
    assert.equal(error.unverifiedReplies, 2, error.message);
    assert.match(error.message, /2 replies under the request's Identifier did not verify/);
    assert.doesNotMatch(error.message, /check the shared secret/);
  });
});
