import { strict as assert } from 'node:assert';
import { createSocket, Socket } from 'node:dgram';
import {
  authenticate, Authenticator, createAuthenticator, EapHost, EapTransport, openEapHost, TransportReply,
} from '../../lib';
import { RadiusEapTransport, RadiusServer } from '../../lib/radius';
import { decodeRadiusPacket, eapMessageAttributes, reassembleEapMessage, signAccessRequest } from '../support/radius-oracle';
import { identityResponse } from './md5-oracle';

/**
 * maxTlsConversations: the conversations that hold a TLS session (from the peer's ClientHello
 * on) are capped apart from the rest, with the same fair shares. One NAS client floods half-open
 * PEAP handshakes (a real ClientHello each, never followed up); the table never holds more TLS
 * conversations than the cap, and another client's PEAP-MSCHAPv2 authentications, driven by our
 * own peer through RADIUS and decided by the server's Access-Accept, all succeed meanwhile.
 */
const SECRET = Buffer.from('tls-cap-secret');
// Fair shares never fall below 32 conversations (native/radius/server/radius_conversation_table.h): two clients need a cap
// of 64 for the share to bind.
const TLS_CAP = 64;
const FLOOD_PER_STEP = 16;
const USER = 'hana';
const PASSWORD = 'tls cap pw';

describe('RadiusServer cap on TLS conversations (maxTlsConversations)', function () {
  this.timeout(120_000);
  let authenticator: Authenticator;
  let host: EapHost;
  let server: RadiusServer;
  let port: number;
  let flooder: Socket;
  let clientHello: Buffer;
  let floodIdentifier = 0;
  let mostTls = 0;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['peap'], users: { [USER]: { password: PASSWORD } } });
    host = await openEapHost();
    server = new RadiusServer({ port: 0, secret: SECRET, maxConversations: 1000, maxTlsConversations: TLS_CAP,
      authenticator });
    ({ port } = await server.listen());
    flooder = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      flooder.once('error', reject);
      // Another loopback source address is another NAS client.
      flooder.bind(0, '127.0.0.2', () => resolve());
    });
    clientHello = await recordClientHello();
  });
  after(async () => {
    flooder?.close();
    await server?.close();
    await host?.close();
    await authenticator?.close();
  });

  /** The EAP-Response carrying our peer's ClientHello, recorded once from an in-process run. */
  async function recordClientHello(): Promise<Buffer> {
    const inner = authenticator.createConversation();
    let hello: Buffer | undefined;
    const recording: EapTransport = {
      begin: (options) => inner.begin(options),
      respond: (packet, options): Promise<TransportReply> => {
        if (!hello && packet[4] === 25 && packet.includes(0x16)) hello = Buffer.from(packet);
        return inner.respond(packet, options);
      },
      close: () => inner.close(),
    };
    const session = await host.beginSession({ method: 'peap', identity: USER, password: PASSWORD, ...authenticator.trust });
    try {
      assert.equal((await authenticate({ session, transport: recording })).success, true);
    } finally {
      await session.endSession();
    }
    assert.ok(hello, 'a PEAP ClientHello was recorded');
    return hello;
  }

  async function flooderExchange(attributes: { type: number; value: Buffer }[]): Promise<ReturnType<typeof decodeRadiusPacket> | undefined> {
    const identifier = floodIdentifier++ & 0xff;
    const { datagram } = signAccessRequest(identifier, attributes, SECRET);
    const reply = new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => { flooder.removeListener('message', onMessage); resolve(undefined); }, 5000);
      const onMessage = (message: Buffer): void => {
        if (message[1] !== identifier) return;
        clearTimeout(timer);
        flooder.removeListener('message', onMessage);
        resolve(message);
      };
      flooder.on('message', onMessage);
    });
    flooder.send(datagram, port, '127.0.0.1');
    const message = await reply;
    return message ? decodeRadiusPacket(message) : undefined;
  }

  /** Half-open PEAP conversations: Identity, then a ClientHello, then nothing. */
  async function flood(count: number): Promise<number> {
    let handshakes = 0;
    for (let n = 0; n < count; n++) {
      const name = Buffer.from(`flood${floodIdentifier}`);
      const start = await flooderExchange([{ type: 1, value: name }, ...eapMessageAttributes(identityResponse(1, name.toString()))]);
      const state = start?.attributes.find((attribute) => attribute.type === 24)?.value;
      if (!start || !state) continue;
      const hello = Buffer.from(clientHello);
      hello[1] = reassembleEapMessage(start)![1];
      const flight = await flooderExchange([{ type: 1, value: name }, { type: 24, value: state }, ...eapMessageAttributes(hello)]);
      if (flight?.code === 11) handshakes++;
      mostTls = Math.max(mostTls, server.activeTlsConversations);
    }
    return handshakes;
  }

  it('half-open handshakes beyond the cap evict the flooder\'s own; every legitimate PEAP authentication succeeds', async () => {
    const opened = await flood(TLS_CAP + FLOOD_PER_STEP);
    assert.equal(opened, TLS_CAP + FLOOD_PER_STEP, 'each half-open handshake got the server\'s first flight');
    assert.equal(server.activeTlsConversations, TLS_CAP, 'alone, the flooder holds the whole TLS cap, evicting its own');

    const attempts = 3;
    let accepted = 0;
    for (let n = 0; n < attempts; n++) {
      const radius = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, timeoutMs: 5000, tries: 2 });
      // Between every two steps of the legitimate conversation, the flooder opens more.
      const transport: EapTransport = {
        begin: (options) => radius.begin(options),
        respond: async (packet, options) => {
          await flood(FLOOD_PER_STEP);
          return radius.respond(packet, options);
        },
        close: () => radius.close(),
      };
      const session = await host.beginSession({ method: 'peap', identity: USER, password: PASSWORD, ...authenticator.trust });
      try {
        const result = await authenticate({ session, transport });
        if (result.success) accepted++;
      } finally {
        await session.endSession();
        await transport.close();
      }
    }
    assert.equal(accepted, attempts, 'every legitimate PEAP authentication survived the flood');
    assert.ok(mostTls <= TLS_CAP, `at most ${TLS_CAP} TLS conversations at once, saw ${mostTls}`);
    assert.ok(server.activeTlsConversations <= TLS_CAP);
    assert.ok(server.stats.conversationsEvicted > FLOOD_PER_STEP,
      `${server.stats.conversationsEvicted} evicted: the flood made room at its own expense`);
  });

  it('conversations that have not reached TLS are not counted under the TLS cap', async () => {
    const before = server.activeTlsConversations;
    const start = await flooderExchange([{ type: 1, value: Buffer.from('only-identity') },
      ...eapMessageAttributes(identityResponse(1, 'only-identity'))]);
    assert.equal(start?.code, 11);
    assert.equal(server.activeTlsConversations, before);
    assert.ok(server.activeConversations > server.activeTlsConversations);
  });

  it('a maxTlsConversations that is not a positive integer is refused', () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      assert.throws(() => new RadiusServer({ port: 0, secret: SECRET, maxTlsConversations: bad,
        authenticator }), /maxTlsConversations must be a positive integer/);
    }
  });
});
