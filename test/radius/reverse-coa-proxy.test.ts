import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { createServer, Server, TLSSocket } from 'node:tls';
import { RadiusAttributeType as T, RadiusClient, RadiusServer, RadSecClient } from '../../lib/radius';
import type { DasRequest, DasVerdict, RadiusHomeServer } from '../../lib/radius';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { RadSecRig } from '../support/radsec-rig';
import { runMain, scratchUser } from '../support/cli-run';
import { assertRequestSigned, assertSigned, attributesOf, signedReply, signedRequest } from '../support/das-packets';
import type { Attribute } from '../support/das-packets';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { PacketReader } from '../support/radsec-peers';

const DISCONNECT_REQUEST = 40;
const OPERATOR_NAME = 126;
const text = (type: number, value: string): Attribute => ({ type, value: Buffer.from(value) });
const stamp = (): Attribute => {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(Math.floor(Date.now() / 1000));
  return { type: T.EventTimestamp, value };
};
const until = async (done: () => boolean): Promise<void> => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
};

/**
 * Reverse CoA through the proxy (draft-ietf-radext-reverse-coa), experimental: a home server sends
 * a Disconnect-Request or CoA-Request down the RadSec connection our proxy (RadiusServer with
 * `proxy` and `proxyReverseCoa`) opened to it; the proxy carries it to the NAS of the session it
 * proxied there, down that NAS's own RadSec connection, and the NAS's ACK or NAK back up, signed
 * for the home's hop. The homes: another RadiusServer (its disconnect({ reverse: true }) sends down
 * the connection the proxy's Access-Request came on, and verifies the answer), and a stand-in on
 * Node's TLS whose every packet is built and checked here with node:crypto.
 */
describe('Reverse CoA through the proxy (experimental): a RadSec home\'s request reaches the NAS', function () {
  this.timeout(30_000);
  const USER = { identity: 'grace@example.net', password: 'pr0xied' };
  const rig = new RadSecRig(USER);

  /** The proxy: RadSec toward its NASes, the realm example.net forwarded to the RadSec home at `homePort`. */
  async function proxy(homePort: number, transport: 'tls' | 'dtls' = 'tls'): Promise<{ server: RadiusServer; port: number }> {
    const { pki, authenticator } = rig;
    const home: RadiusHomeServer = { host: '127.0.0.1', port: homePort, transport,
      radsec: { cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca, serverName: SERVER_NAME } };
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, sessions: true, proxyReverseCoa: true,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca }, proxy: [{ realm: 'example.net', home }] });
    rig.servers.push(server);
    return { server, port: (await server.listen()).port };
  }

  /** The home: a RadiusServer over RadSec (and RADIUS/DTLS with `dtls`) answering USER, remembering its sessions. */
  const home = async (dtls = false): Promise<{ server: RadiusServer; port: number }> => rig.serveSessions(dtls);

  /** A NAS whose reverseCoa handler gives `verdict`, authenticated by PAP through the proxy at `port`. */
  async function nas(port: number, taken: DasRequest[], verdict: DasVerdict, extra: Attribute[] = []): Promise<RadSecClient> {
    const { pki } = rig;
    const client = new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 10_000, reverseCoa: { nasIdentifier: 'nas-9', handle: (request: DasRequest) => {
        taken.push(request);
        return verdict;
      } } });
    const { reply } = await client.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET },
      [text(T.UserName, USER.identity), text(T.CallingStationId, '02-00-00-00-00-0b'), text(T.NasIdentifier, 'nas-9'), ...extra],
      { userPassword: Buffer.from(USER.password) });
    assert.equal(reply.code, 2);
    return client;
  }

  it('`eaphost auth --radsec --reverse-coa ack` through the proxy: the home\'s reverse Disconnect-Request reaches it, its ACK comes back', async () => {
    const upstream = await home();
    const { server, port } = await proxy(upstream.port);
    const { files } = rig.pki;
    const run = runMain(['auth', '--radius', `127.0.0.1:${port}`, '--radsec', '--radsec-cert', files.clientCert, '--radsec-key', files.clientKey,
      '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-ca', files.ca, '--radsec-server-name', SERVER_NAME, '--identity', USER.identity,
      '--password', USER.password, '--nas-identifier', 'nas-7', '--reverse-coa', 'ack', '--reverse-coa-wait', '60']);
    await until(() => server.sessions().length > 0 && upstream.server.sessions().length > 0);
    assert.match(server.sessions()[0].home ?? '', /^radsec:\/\/127\.0\.0\.1:\d+$/);
    // The home's session came over the proxy's connection: down it the request goes.
    const reply = await upstream.server.disconnect({ userName: USER.identity }, { reverse: true });
    assert.equal(reply.codeName, 'Disconnect-ACK');
    const { code, stdout, stderr } = await run;
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /^reverse CoA: Disconnect-Request from 127\.0\.0\.1 for "grace@example\.net": Disconnect-ACK$/m);
    // The NAS ended the session the proxy remembered.
    assert.deepEqual(server.sessions(), []);
  });

  it('a CoA-NAK from the NAS goes back up with its Error-Cause; once the NAS\'s connection is gone: NAK 502 Request Not Routable', async () => {
    const upstream = await home();
    const { server, port } = await proxy(upstream.port);
    const taken: DasRequest[] = [];
    const client = await nas(port, taken, { done: false, errorCause: 503 });
    try {
      await until(() => server.sessions().length > 0 && upstream.server.sessions().length > 0);
      const coa = await upstream.server.changeAuthorization({ userName: USER.identity }, { sessionTimeout: 90 }, { reverse: true });
      assert.equal(coa.codeName, 'CoA-NAK');
      assert.deepEqual(coa.errorCauses.map((cause) => cause.value), [503]);
      assert.equal(taken.length, 1);
      assert.equal(taken[0].kind, 'coa');
      assert.equal(taken[0].sessionTimeout, 90);
      assert.equal(taken[0].session.callingStationId, '02-00-00-00-00-0b');
    } finally {
      await client.close();
    }
    await until(() => server.radsecConnections.open === 0);
    const nak = await upstream.server.disconnect({ userName: USER.identity }, { reverse: true });
    assert.equal(nak.codeName, 'Disconnect-NAK');
    assert.deepEqual(nak.errorCauses.map((cause) => cause.value), [502]);
    assert.equal(taken.length, 1);
    assert.equal(upstream.server.sessions().length, 1);
  });

  it('a home over RADIUS/DTLS: its Disconnect-Request down the proxy\'s association reaches the NAS, the ACK back up', async () => {
    const upstream = await home(true);
    const { server, port } = await proxy(upstream.port, 'dtls');
    const taken: DasRequest[] = [];
    const client = await nas(port, taken, { done: true });
    try {
      await until(() => server.sessions().length > 0 && upstream.server.sessions().length > 0);
      assert.match(server.sessions()[0].home ?? '', /^dtls:\/\/127\.0\.0\.1:\d+$/);
      const ack = await upstream.server.disconnect({ userName: USER.identity }, { reverse: true });
      assert.equal(ack.codeName, 'Disconnect-ACK');
      assert.equal(taken.length, 1);
      assert.equal(taken[0].session.userName, USER.identity);
      assert.deepEqual(server.sessions(), []);
    } finally {
      await client.close();
    }
  });

  it('`serve --proxy-reverse-coa` without a RadSec home, or without --radsec toward the NASes: a usage error saying so', async () => {
    const { users } = scratchUser('reverse-coa-proxy-');
    const base = ['serve', '--port', '0', '--secret', 'udp-secret', '--users', users, '--proxy-reverse-coa'];
    const alone = await runMain(base);
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /--proxy-reverse-coa applies with a radsec:\/\/ or dtls:\/\/ --proxy-realm only/);
    const { files } = rig.pki;
    const overUdp = await runMain([...base, '--proxy-realm', 'example.net=radsec://127.0.0.1:2083', '--proxy-radsec-cert', files.clientCert,
      '--proxy-radsec-key', files.clientKey, '--proxy-radsec-ca', files.ca]);
    assert.equal(overUdp.code, 2, overUdp.stderr);
    assert.match(overUdp.stderr, /--proxy-reverse-coa needs --radsec/);
  });

  describe('a stand-in home (Node\'s TLS, packets made and checked with node:crypto)', () => {
    let standIn: Server;
    let standInPort: number;
    let toProxy: TLSSocket | undefined;
    let onReply: ((reply: Buffer) => void) | undefined;

    before(async () => {
      const { pki } = rig;
      standIn = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (socket) => {
        const reader = new PacketReader();
        toProxy = socket;
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          for (const packet of reader.push(chunk)) {
            if (packet[0] === 1) socket.write(accessAccept(packet));
            else onReply?.(packet);
          }
        });
      });
      await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
      standInPort = (standIn.address() as { port: number }).port;
    });
    after(async () => {
      await new Promise((resolve) => standIn?.close(resolve));
    });

    /** `request` down the proxy's connection; the reply the stand-in read. */
    async function send(request: Buffer): Promise<Buffer> {
      const replied = new Promise<Buffer>((resolve) => { onReply = resolve; });
      toProxy!.write(request);
      return replied;
    }

    it('routed by Operator-Name to the NAS that sent it, whatever the User-Name; an unknown Operator-Name and no session: NAK 502', async () => {
      const { server, port } = await proxy(standInPort);
      const taken: DasRequest[] = [];
      const client = await nas(port, taken, { done: true }, [text(OPERATOR_NAME, '1example.net')]);
      try {
        await until(() => server.sessions().length > 0);
        assert.equal(server.sessions()[0].operatorName, '1example.net');
        const byOperator = signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'someone-else'), text(OPERATOR_NAME, '1example.net'),
          stamp()], { secret: RADSEC_SECRET });
        const ack = await send(byOperator);
        assert.equal(ack[0], 41);
        assert.equal(ack[1], byOperator[1]);
        assertSigned(ack, byOperator, RADSEC_SECRET);
        assert.equal(taken.length, 1);
        assert.equal(taken[0].session.userName, 'someone-else');
        assert.deepEqual(taken[0].attributes.find(({ type }) => type === OPERATOR_NAME)?.value, Buffer.from('1example.net'));

        const nowhere = signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'someone-else'), text(OPERATOR_NAME, '1elsewhere.org'),
          stamp()], { secret: RADSEC_SECRET });
        const nak = await send(nowhere);
        assert.equal(nak[0], 42);
        assertSigned(nak, nowhere, RADSEC_SECRET);
        assert.deepEqual(attributesOf(nak).find(({ type }) => type === T.ErrorCause)?.value, Buffer.from([0, 0, 1, 246]));
        assert.equal(taken.length, 1);
      } finally {
        await client.close();
      }
    });

    it('a NAS that came over UDP: on to its Dynamic Authorization Server (a stand-in checking with node:crypto), its ACK back up', async () => {
      const nasSecret = 'nas-das-secret';
      const das = createSocket('udp4');
      const heard: Buffer[] = [];
      das.on('message', (request, from) => {
        heard.push(request);
        das.send(signedReply(request, request[0] + 1, nasSecret), from.port, from.address);
      });
      await new Promise<void>((resolve) => das.bind(0, '127.0.0.1', resolve));
      const { pki, authenticator } = rig;
      const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, sessions: true, secret: 'udp-nas-secret',
        proxyReverseCoa: { nasDas: { port: das.address().port, secret: nasSecret } },
        proxy: [{ realm: 'example.net', home: { host: '127.0.0.1', port: standInPort, transport: 'tls', radsec: { cert: pki.clientCert,
          key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca, serverName: SERVER_NAME } } }] });
      rig.servers.push(server);
      const client = new RadiusClient();
      try {
        const { port } = await server.listen();
        const { reply } = await client.accessRequest({ host: '127.0.0.1', port, secret: 'udp-nas-secret' },
          [text(T.UserName, USER.identity), text(T.NasIdentifier, 'nas-u')], { userPassword: Buffer.from(USER.password) });
        assert.equal(reply.code, 2);
        await until(() => server.sessions().length > 0);
        const request = signedRequest(DISCONNECT_REQUEST, [text(T.UserName, USER.identity), text(T.NasIdentifier, 'nas-u'), stamp()],
          { secret: RADSEC_SECRET });
        const ack = await send(request);
        assert.equal(ack[0], 41);
        assertSigned(ack, request, RADSEC_SECRET);
        // What the NAS got: signed for its own hop, the NAS-Identifier carried on.
        assert.equal(heard.length, 1);
        assertRequestSigned(heard[0], nasSecret);
        assert.deepEqual(attributesOf(heard[0]).find(({ type }) => type === T.NasIdentifier)?.value, Buffer.from('nas-u'));
        assert.deepEqual(server.sessions(), []);
      } finally {
        await client.close();
        das.close();
      }
    });
  });
});

/** An Access-Accept to `request` under RadSec's secret. */
function accessAccept(request: Buffer): Buffer {
  return signedReply(request, 2, RADSEC_SECRET);
}
