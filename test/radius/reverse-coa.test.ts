import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createServer, Server } from 'node:tls';
import { RadiusAttributeType as T, RadiusServer, RadSecClient } from '../../lib/radius';
import { RadiusTimeoutError } from '../../lib/radius/errors';
import { SessionSelectionError } from '../../lib/radius/server-sessions';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { RadSecRig } from '../support/radsec-rig';
import { runMain } from '../support/cli-run';
import type { DasRequest, DasVerdict } from '../../lib/radius';
import { assertSigned, attributesOf, signedRequest } from '../support/das-packets';
import type { Attribute } from '../support/das-packets';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { PacketReader, RADSEC_TEST_SECRET } from '../support/radsec-peers';

const ACCOUNTING_REQUEST = 4;
const ACCOUNTING_RESPONSE = 5;
const DISCONNECT_REQUEST = 40;
const COA_REQUEST = 43;
/** Disconnect-ACK, Disconnect-NAK, CoA-ACK, CoA-NAK. */
const DAS_REPLIES = [41, 42, 44, 45];
const EVENT_TIMESTAMP = 55;

/** An Accounting-Response to `request`, its Response Authenticator computed here (RFC 2866 §3). */
function accountingResponse(request: Buffer): Buffer {
  const reply = Buffer.concat([Buffer.from([ACCOUNTING_RESPONSE, request[1], 0, 20]), request.subarray(4, 20)]);
  createHash('md5').update(reply).update(RADSEC_TEST_SECRET).digest().copy(reply, 4);
  return reply;
}

const text = (type: number, value: string): Attribute => ({ type, value: Buffer.from(value) });
const now = (): Attribute => ({ type: EVENT_TIMESTAMP, value: Buffer.from([0, 0, 0, 0].map((_, i) => (Math.floor(Date.now() / 1000) >>> (24 - 8 * i)) & 0xff)) });

/**
 * Reverse CoA (draft-ietf-radext-reverse-coa), experimental, the NAS's side: a stand-in RadSec
 * server (Node's TLS; every packet built and checked here with node:crypto, RFC 5176 §3, RFC 3579
 * §3.2) answers our client's Accounting-Request and, before the answer, sends a
 * Disconnect-Request or CoA-Request back down the connection our client opened. No RadSec server
 * on this machine does that: FreeRADIUS 3.2.1 has the code and crashes in it (docs/radsec.md).
 */
describe('Reverse CoA (experimental): a RadSecClient answers requests sent down its own connection', function () {
  this.timeout(30_000);
  let pki: InteropPki;
  let server: Server;
  let port: number;
  /** What the stand-in sends before its next Accounting-Response, and the DAS replies it read. */
  let next: Buffer | undefined;
  let replies: Buffer[] = [];
  let onReply: ((reply: Buffer) => void) | undefined;

  before(async () => {
    pki = await makeInteropPki();
    server = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
      (socket) => {
        const reader = new PacketReader();
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          for (const packet of reader.push(chunk)) {
            if (DAS_REPLIES.includes(packet[0])) {
              replies.push(packet);
              onReply?.(packet);
            } else if (packet[0] === ACCOUNTING_REQUEST) {
              if (next) socket.write(next);
              next = undefined;
              socket.write(accountingResponse(packet));
            }
          }
        });
      });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  beforeEach(() => {
    replies = [];
    onReply = undefined;
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    pki?.remove();
  });

  function client(verdict?: DasVerdict, taken: DasRequest[] = []): RadSecClient {
    return new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca, serverName: SERVER_NAME,
      timeoutMs: 10_000, ...(verdict ? { reverseCoa: { nasIdentifier: 'nas-7', handle: (request: DasRequest) => {
        taken.push(request);
        return verdict;
      } } } : {}) });
  }

  /** One Accounting-Request from `nas`, the stand-in sending `request` down the connection before its answer. */
  async function accountOnce(nas: RadSecClient, request?: Buffer): Promise<void> {
    next = request;
    const { reply } = await nas.accountingRequest({ host: '127.0.0.1', port, secret: RADSEC_TEST_SECRET },
      [text(T.UserName, 'erin'), { type: 40, value: Buffer.from([0, 0, 0, 3]) }, text(T.AcctSessionId, 'reverse-1')]);
    assert.equal(reply.code, ACCOUNTING_RESPONSE);
  }

  /** Sends `request` down the connection and resolves with the DAS reply the stand-in read. */
  async function exchange(nas: RadSecClient, request: Buffer): Promise<Buffer> {
    const replied = new Promise<Buffer>((resolve) => { onReply = resolve; });
    await accountOnce(nas, request);
    return replied;
  }

  it('a Disconnect-Request: the handler is asked, and a Disconnect-ACK signed with the connection\'s secret comes back on it', async () => {
    const taken: DasRequest[] = [];
    const nas = client({ done: true }, taken);
    try {
      const request = signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'erin'), text(T.CallingStationId, '02-00-00-00-00-09'),
        text(T.NasIdentifier, 'nas-7'), now()], { secret: RADSEC_TEST_SECRET });
      const reply = await exchange(nas, request);
      assert.equal(reply[0], 41);
      assert.equal(reply[1], request[1]);
      assertSigned(reply, request, RADSEC_TEST_SECRET);
      assert.equal(taken.length, 1);
      assert.equal(taken[0].kind, 'disconnect');
      assert.equal(taken[0].radsec, true);
      assert.equal(taken[0].client, '127.0.0.1');
      assert.deepEqual(taken[0].session.userName, 'erin');
      assert.deepEqual(taken[0].session.callingStationId, '02-00-00-00-00-09');
    } finally {
      await nas.close();
    }
  });

  it('a CoA-Request NAK\'d by the handler: a CoA-NAK with its Error-Cause; one naming another NAS: NAK 403, the handler not asked', async () => {
    const taken: DasRequest[] = [];
    const nas = client({ done: false, errorCause: 503 }, taken);
    try {
      const coa = signedRequest(COA_REQUEST, [text(T.UserName, 'erin'), { type: T.SessionTimeout, value: Buffer.from([0, 0, 2, 88]) },
        text(T.NasIdentifier, 'nas-7'), now()], { secret: RADSEC_TEST_SECRET });
      const nak = await exchange(nas, coa);
      assert.equal(nak[0], 45);
      assertSigned(nak, coa, RADSEC_TEST_SECRET);
      assert.deepEqual(attributesOf(nak).find((attribute) => attribute.type === T.ErrorCause)?.value, Buffer.from([0, 0, 1, 247]));
      assert.equal(taken.length, 1);
      assert.equal(taken[0].kind, 'coa');
      assert.equal(taken[0].sessionTimeout, 600);

      const elsewhere = signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'erin'), text(T.NasIdentifier, 'nas-8'), now()],
        { secret: RADSEC_TEST_SECRET });
      const mismatch = await exchange(nas, elsewhere);
      assert.equal(mismatch[0], 42);
      assertSigned(mismatch, elsewhere, RADSEC_TEST_SECRET);
      assert.deepEqual(attributesOf(mismatch).find((attribute) => attribute.type === T.ErrorCause)?.value, Buffer.from([0, 0, 1, 147]));
      assert.equal(taken.length, 1);
    } finally {
      await nas.close();
    }
  });

  it('a request signed with another secret is dropped, unanswered, as the Dynamic Authorization Server drops it', async () => {
    const taken: DasRequest[] = [];
    const nas = client({ done: true }, taken);
    try {
      await accountOnce(nas, signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'erin'), text(T.NasIdentifier, 'nas-7'), now()],
        { secret: 'not-radsec' }));
      // The next, rightly signed, is answered: the forged one before it on the same connection was not.
      const request = signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'erin'), text(T.NasIdentifier, 'nas-7'), now()],
        { secret: RADSEC_TEST_SECRET });
      const reply = await exchange(nas, request);
      assert.equal(reply[1], request[1]);
      assert.equal(replies.length, 1);
      assert.equal(taken.length, 1);
    } finally {
      await nas.close();
    }
  });

  it('70 requests in one write, past a turn\'s 64: each answered, none held back', async () => {
    const taken: DasRequest[] = [];
    const nas = client({ done: true }, taken);
    try {
      const requests = Array.from({ length: 70 }, (_, i) => signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'erin'),
        text(T.AcctSessionId, `burst-${i}`), text(T.NasIdentifier, 'nas-7'), now()], { secret: RADSEC_TEST_SECRET, identifier: i }));
      const all = new Promise<void>((resolve) => { onReply = () => { if (replies.length === requests.length) resolve(); }; });
      await accountOnce(nas, Buffer.concat(requests));
      await all;
      assert.deepEqual(replies.map((reply) => reply[1]).sort((a, b) => a - b), requests.map((request) => request[1]));
      for (const reply of replies) assertSigned(reply, requests[reply[1]], RADSEC_TEST_SECRET);
      assert.equal(taken.length, 70);
    } finally {
      await nas.close();
    }
  });

  it('a client that did not opt in answers nothing, and its own requests go on', async () => {
    const nas = client();
    try {
      await accountOnce(nas, signedRequest(DISCONNECT_REQUEST, [text(T.UserName, 'erin'), now()], { secret: RADSEC_TEST_SECRET }));
      await accountOnce(nas);
      await accountOnce(nas);
      assert.deepEqual(replies, []);
    } finally {
      await nas.close();
    }
  });
});

/**
 * The server's side: RadiusServer (what `eaphost serve --radsec` runs) remembers the RadSec
 * connection each accepted session's Access-Request came on, and disconnect() / changeAuthorization()
 * with `reverse` send down it; our RadSecClient is the NAS that opened it. A client that did not
 * opt in answers nothing, and the caller gets the typed timeout.
 */
describe('Reverse CoA (experimental): RadiusServer sends down the RadSec connection the session came on', function () {
  this.timeout(30_000);
  const USER = { identity: 'frank', password: 'rev3rse' };
  const rig = new RadSecRig(USER);

  const serve = async (dtls = false): Promise<{ server: RadiusServer; port: number }> => rig.serveSessions(dtls);

  /** A NAS (reverse CoA on with `verdict`, or off) that authenticates USER over RadSec to `port`. */
  async function nas(port: number, taken: DasRequest[], verdict?: DasVerdict): Promise<RadSecClient> {
    const { pki } = rig;
    const client = new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 10_000, ...(verdict ? { reverseCoa: { nasIdentifier: 'nas-7', handle: (request: DasRequest) => {
        taken.push(request);
        return verdict;
      } } } : {}) });
    const { reply } = await client.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET },
      [text(T.UserName, USER.identity), text(T.CallingStationId, '02-00-00-00-00-0a'), text(T.NasIdentifier, 'nas-7')],
      { userPassword: Buffer.from(USER.password) });
    assert.equal(reply.code, 2);
    return client;
  }

  it('disconnect({ reverse: true }): the NAS\'s handler is asked, its Disconnect-ACK verified, the session forgotten', async () => {
    const { server, port } = await serve();
    const taken: DasRequest[] = [];
    const client = await nas(port, taken, { done: true });
    try {
      assert.equal(server.sessions().length, 1);
      const reply = await server.disconnect({ userName: USER.identity }, { reverse: true });
      assert.equal(reply.acknowledged, true);
      assert.equal(reply.codeName, 'Disconnect-ACK');
      assert.equal(taken.length, 1);
      assert.equal(taken[0].kind, 'disconnect');
      assert.equal(taken[0].session.callingStationId, '02-00-00-00-00-0a');
      // Its NAS-Identifier the session's, which the NAS checked: another is NAK'd 403.
      assert.deepEqual(server.sessions(), []);
    } finally {
      await client.close();
    }
  });

  it('changeAuthorization({ reverse: true }): a CoA-NAK from the NAS, its Error-Cause read; the session stays', async () => {
    const { server, port } = await serve();
    const taken: DasRequest[] = [];
    const client = await nas(port, taken, { done: false, errorCause: 503 });
    try {
      const reply = await server.changeAuthorization({ userName: USER.identity }, { sessionTimeout: 60 }, { reverse: true });
      assert.equal(reply.acknowledged, false);
      assert.equal(reply.codeName, 'CoA-NAK');
      assert.deepEqual(reply.errorCauses.map((cause) => cause.value), [503]);
      assert.equal(taken[0].sessionTimeout, 60);
      assert.equal(server.sessions().length, 1);
    } finally {
      await client.close();
    }
  });

  /** `eaphost auth --radsec --reverse-coa ack --reverse-coa-wait 60` over `transport` to a serve() that
   *  then sends a reverse Disconnect-Request: the ACK it reads, and what the command printed. */
  async function disconnectedCli(transport: 'tls' | 'dtls'): Promise<void> {
    const { server, port } = await serve(transport === 'dtls');
    const { files } = rig.pki;
    const run = runMain(['auth', '--radius', `127.0.0.1:${port}`, '--radsec', '--radsec-transport', transport, '--radsec-cert', files.clientCert,
      '--radsec-key', files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-ca', files.ca, '--radsec-server-name', SERVER_NAME,
      '--identity', USER.identity, '--password', USER.password, '--nas-identifier', 'nas-7', '--reverse-coa', 'ack', '--reverse-coa-wait', '60']);
    // The session is remembered on the turn after its Access-Accept went out; the command is then holding its connection.
    while (server.sessions().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const reply = await server.disconnect({ userName: USER.identity }, { reverse: true });
    assert.equal(reply.codeName, 'Disconnect-ACK');
    const { code, stdout, stderr } = await run;
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /^Access-Accept from 127\.0\.0\.1:\d+: md5 authentication of "frank" succeeded/m);
    assert.match(stdout, /^reverse CoA: Disconnect-Request from 127\.0\.0\.1 for "frank": Disconnect-ACK$/m);
    assert.deepEqual(server.sessions(), []);
  }

  it('over a RADIUS/DTLS association (`auth --radsec-transport dtls --reverse-coa ack`): down it natively, the Disconnect-ACK verified', async () => {
    await disconnectedCli('dtls');
  });

  it('`eaphost auth --radsec --reverse-coa ack --reverse-coa-wait`: accepted, holds the connection, prints and ACKs the Disconnect-Request', async () => {
    await disconnectedCli('tls');
    const { port } = await serve();
    const alone = await runMain(['auth', '--radius', `127.0.0.1:${port}`, '--identity', USER.identity, '--password', USER.password,
      '--secret', 's', '--reverse-coa', 'ack']);
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /--reverse-coa applies with --radsec only/);
  });

  it('a NAS that did not opt in: the caller gets the typed timeout and the session stays; once its connection is gone, ERR_SESSION_NO_LINK', async () => {
    const { server, port } = await serve();
    const client = await nas(port, []);
    try {
      await assert.rejects(server.disconnect({ userName: USER.identity }, { reverse: true, timeoutMs: 1500 }),
        (error: unknown) => error instanceof RadiusTimeoutError && error.code === 'ERR_RADIUS_TIMEOUT');
      assert.equal(server.sessions().length, 1);
    } finally {
      await client.close();
    }
    while (server.radsecConnections.open > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await assert.rejects(server.disconnect({ userName: USER.identity }, { reverse: true }),
      (error: unknown) => error instanceof SessionSelectionError && error.code === 'ERR_SESSION_NO_LINK');
  });
});
