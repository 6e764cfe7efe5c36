import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { createServer, Server } from 'node:tls';
import { RadiusAttributeType, RadiusCode, RadiusServer, RadSecClient } from '../../lib/radius';
import { RadiusProtocolErrorReply } from '../../lib/radius/errors';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import {
  answersStatusServer, nasConnection, PacketReader, RADSEC_TEST_SECRET, statusServerPacket,
} from '../support/radsec-peers';
import { RadSecRig } from '../support/radsec-rig';

/**
 * Protocol-Error (RFC 7930 §4, the RadSec revision §3.7) on both sides. Every packet the test
 * sends or checks is built and verified here with node:crypto (RFC 2865 §3, RFC 2866 §3,
 * RFC 3579 §3.2), independently of the library's codec.
 */
const USER = { identity: 'perry', password: 'pr0tocol' };
const PROTOCOL_ERROR = 52;
const ERROR_CAUSE = 101;
const EXTENDED_TYPE_1 = 241;
const ORIGINAL_PACKET_CODE = 4;
const MESSAGE_AUTHENTICATOR = 80;

/** A request whose Request Authenticator is computed over it (Accounting-Request, CoA-Request:
 *  RFC 2866 §3, RFC 5176 §2.3), carrying one User-Name. */
function hashedRequest(code: number, identifier: number): Buffer {
  const name = Buffer.from(USER.identity);
  const packet = Buffer.concat([Buffer.from([code, identifier, 0, 0]), Buffer.alloc(16), Buffer.from([1, name.length + 2]), name]);
  packet.writeUInt16BE(packet.length, 2);
  createHash('md5').update(packet).update(RADSEC_TEST_SECRET).digest().copy(packet, 4);
  return packet;
}

/** The attributes of a packet, type and value, read by their lengths. */
function attributesOf(packet: Buffer): { type: number; value: Buffer }[] {
  const found: { type: number; value: Buffer }[] = [];
  for (let at = 20; at + 2 <= packet.length; at += packet[at + 1]) {
    assert.ok(packet[at + 1] >= 2 && at + packet[at + 1] <= packet.length, 'an attribute runs past the packet');
    found.push({ type: packet[at], value: packet.subarray(at + 2, at + packet[at + 1]) });
  }
  return found;
}

/** Checks `reply` is a Protocol-Error for `request`, signed with the secret (Response Authenticator
 *  and Message-Authenticator), carrying Error-Cause `cause` and the request's code as Original-Packet-Code. */
function assertProtocolError(reply: Buffer, request: Buffer, cause: number): void {
  assert.equal(reply[0], PROTOCOL_ERROR, `code ${reply[0]}`);
  assert.equal(reply[1], request[1], 'the request\'s Identifier');
  const requestAuthenticator = request.subarray(4, 20);
  const response = createHash('md5').update(reply.subarray(0, 4)).update(requestAuthenticator).update(reply.subarray(20))
    .update(RADSEC_TEST_SECRET).digest();
  assert.ok(response.equals(reply.subarray(4, 20)), 'Response Authenticator');
  const attributes = attributesOf(reply);
  const signed = attributes.find((attribute) => attribute.type === MESSAGE_AUTHENTICATOR);
  assert.ok(signed !== undefined && signed.value.length === 16, 'a Message-Authenticator');
  const zeroed = Buffer.from(reply);
  requestAuthenticator.copy(zeroed, 4);
  zeroed.fill(0, signed.value.byteOffset - reply.byteOffset, signed.value.byteOffset - reply.byteOffset + 16);
  assert.ok(createHmac('md5', RADSEC_TEST_SECRET).update(zeroed).digest().equals(signed.value), 'Message-Authenticator');
  assert.deepEqual(attributes.filter((attribute) => attribute.type === ERROR_CAUSE).map(({ value }) => value.readUInt32BE(0)), [cause]);
  const original = attributes.filter((attribute) => attribute.type === EXTENDED_TYPE_1 && attribute.value[0] === ORIGINAL_PACKET_CODE);
  assert.deepEqual(original.map(({ value }) => [value.length, value.readUInt32BE(1)]), [[5, request[0]]]);
}

describe('RadSec Protocol-Error (RFC 7930)', function () {
  this.timeout(60_000);
  const rig = new RadSecRig(USER);

  it('serve answers an Accounting-Request and a CoA-Request on its RadSec listener with a signed Protocol-Error 406; ' +
    'a stray reply gets nothing', async () => {
    const { pki } = rig;
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator: rig.authenticator,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca } });
    rig.servers.push(server);
    const { port } = await server.listen();
    const nas = await nasConnection(pki, '127.0.0.1', port);
    try {
      const accounting = hashedRequest(4, 1);
      const coa = hashedRequest(RadiusCode.CoaRequest, 2);
      const strayAccept = hashedRequest(RadiusCode.AccessAccept, 3);
      // Replies come back in the order of their requests; a stray reply, were it answered, would
      // show before the Status-Server's Accept.
      const replies = await new Promise<Buffer[]>((resolve, reject) => {
        const reader = new PacketReader();
        const read: Buffer[] = [];
        nas.socket.on('data', (chunk: Buffer) => {
          read.push(...reader.push(chunk));
          if (read.length >= 3) resolve(read);
        });
        nas.closed.then(() => reject(new Error(`the connection closed after ${read.length} replies`)));
        nas.socket.write(Buffer.concat([accounting, coa, strayAccept, statusServerPacket(9)]));
      });
      assertProtocolError(replies[0], accounting, 406);
      assertProtocolError(replies[1], coa, 406);
      assert.ok(answersStatusServer(replies[2], 9), `the third reply answers the Status-Server, code ${replies[2][0]}`);
    } finally {
      nas.socket.destroy();
    }
  });

  /**
   * A stand-in RadSec server (Node's TLS, packets built here with node:crypto) that answers every
   * request with a Protocol-Error carrying the next of `causes` (undefined: no Error-Cause), and
   * every Status-Server with one carrying 406: no server on this machine sends one to an
   * Access-Request (FreeRADIUS 3.2.1 has no Protocol-Error). `connections()`: TLS connections so far.
   */
  async function protocolErrorServer(causes: (number | undefined)[]): Promise<{ server: Server; port: number; connections(): number }> {
    let connections = 0;
    const { pki } = rig;
    const server = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
      (socket) => {
        connections++;
        const reader = new PacketReader();
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          for (const request of reader.push(chunk)) socket.write(protocolErrorFor(request, request[0] === 12 ? 406 : causes.shift()));
        });
      });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as { port: number }).port, connections: () => connections };
  }

  function protocolErrorFor(request: Buffer, cause: number | undefined): Buffer {
    const causeAttribute = cause === undefined ? Buffer.alloc(0) : Buffer.from([ERROR_CAUSE, 6, 0, 0, cause >> 8, cause & 0xff]);
    const reply = Buffer.concat([Buffer.from([PROTOCOL_ERROR, request[1], 0, 0]), request.subarray(4, 20),
      Buffer.from([MESSAGE_AUTHENTICATOR, 18]), Buffer.alloc(16), causeAttribute]);
    reply.writeUInt16BE(reply.length, 2);
    createHmac('md5', RADSEC_TEST_SECRET).update(reply).digest().copy(reply, 22);
    createHash('md5').update(reply).update(RADSEC_TEST_SECRET).digest().copy(reply, 4);
    return reply;
  }

  it('the client takes a Protocol-Error as the final answer: a typed error with its Error-Cause, or none', async () => {
    const { server, port } = await protocolErrorServer([502, undefined]);
    const { pki } = rig;
    const radsec = new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 20_000 });
    const ask = () => radsec.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_TEST_SECRET },
      [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }], { userPassword: Buffer.from(USER.password) });
    try {
      await assert.rejects(ask(), (error: unknown) => error instanceof RadiusProtocolErrorReply &&
        error.code === 'ERR_RADIUS_PROTOCOL_ERROR' && error.server === `127.0.0.1:${port}` && error.errorCauses.length === 1 &&
        error.errorCauses[0] === 502 && /Protocol-Error \(RFC 7930\), its final answer: Error-Cause 502 \(Request Not Routable/.test(error.message));
      await assert.rejects(ask(), (error: unknown) => error instanceof RadiusProtocolErrorReply && error.errorCauses.length === 0 &&
        /it carried no Error-Cause/.test(error.message));
    } finally {
      await radsec.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
  it('a Status-Server answered with a Protocol-Error: statusServer() says so, and the liveness check takes it as alive', async () => {
    const { server, port, connections } = await protocolErrorServer([]);
    const { pki } = rig;
    const outcomes: unknown[] = [];
    let heard: () => void = () => undefined;
    const twoChecks = new Promise<void>((done) => { heard = done; });
    const radsec = new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 20_000, statusServerAfterMs: 100, statusServerTimeoutMs: 20_000,
      onStatusServer: (_server, outcome) => {
        outcomes.push(outcome);
        if (outcomes.length === 2) heard();
      } });
    const endpoint = { host: '127.0.0.1', port, secret: RADSEC_TEST_SECRET };
    try {
      await assert.rejects(radsec.statusServer(endpoint), (error: unknown) => error instanceof RadiusProtocolErrorReply &&
        error.errorCauses.length === 1 && error.errorCauses[0] === 406 && /Error-Cause 406 \(Unsupported Extension\)/.test(error.message));
      await twoChecks;
      assert.ok(outcomes.every((outcome) => outcome instanceof RadiusProtocolErrorReply), String(outcomes));
      // Still the one connection: a Protocol-Error proves the server alive.
      await assert.rejects(radsec.statusServer(endpoint), RadiusProtocolErrorReply);
      assert.equal(connections(), 1);
    } finally {
      await radsec.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
