/**
 * Our Dynamic Authorization Server (RFC 5176, the NAS side) over RadSec (RFC 6614): the same native
 * engine as over UDP, fed by the RadSec TLS listener. Its peers: `eaphost coa --radsec` and
 * `eaphost disconnect --radsec` (their own verification of every reply), and a TLS connection made
 * here with node:tls whose requests are signed, and replies checked, with node:crypto under
 * RadSec's secret "radsec" (RFC 6614 §2.3), not by the codec under test. A client no entry holds,
 * and a request of another kind, get a Protocol-Error (RFC 7930 §4) with Error-Cause 406.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, TLSSocket } from 'node:tls';
import { DasRequest, DasVerdict, DynamicAuthorizationServer } from '../../lib/radius';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { runMain } from '../support/cli-run';
import { assertSigned as checkSigned, Attribute, attributesOf, signedRequest } from '../support/das-packets';

const SECRET = 'radsec';

const u32 = (value: number): Buffer => { const out = Buffer.alloc(4); out.writeUInt32BE(value >>> 0); return out; };
const signed = (code: number, attributes: Attribute[]): Buffer => signedRequest(code, attributes, { secret: SECRET });

function assertSigned(reply: Buffer, sent: Buffer): void {
  assert.equal(reply[1], sent[1], 'the request\'s Identifier');
  checkSigned(reply, sent, SECRET);
}

/** A RadSec connection made here: each packet written, each reply read by its Length. */
class Connection {
  private held = Buffer.alloc(0);
  private waiting: ((packet: Buffer) => void)[] = [];
  readonly closed: Promise<void>;

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.held = Buffer.concat([this.held, chunk]);
      while (this.held.length >= 4 && this.held.length >= this.held.readUInt16BE(2)) {
        const packet = this.held.subarray(0, this.held.readUInt16BE(2));
        this.held = this.held.subarray(packet.length);
        this.waiting.shift()?.(packet);
      }
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(pki: InteropPki, port: number): Promise<Connection> {
    const socket = connect({ host: '127.0.0.1', port, cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD,
      ca: pki.ca, servername: SERVER_NAME, minVersion: 'TLSv1.2' });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', () => resolve());
      socket.once('error', reject);
    });
    return new Connection(socket);
  }

  /** Writes `packet`; its reply. */
  ask(packet: Buffer): Promise<Buffer> {
    const reply = new Promise<Buffer>((resolve) => this.waiting.push(resolve));
    this.socket.write(packet);
    return reply;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('Dynamic Authorization Server over RadSec (RFC 5176 over RFC 6614)', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let server: DynamicAuthorizationServer;
  let port: number;
  let asked: DasRequest[];
  let verdict: DasVerdict;

  before(async () => {
    pki = await makeInteropPki();
  });
  after(() => pki?.remove());

  async function start(clients: { network: string }[], dtls = false): Promise<void> {
    asked = [];
    verdict = { done: true };
    server = new DynamicAuthorizationServer({ host: '127.0.0.1', port: 0, clients, nasIdentifier: 'nas-under-test',
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, dtls },
      handle: (request) => {
        asked.push(request);
        return verdict;
      } });
    ({ port } = await server.listen());
  }
  afterEach(async () => server?.close());

  const radsecFlags = (): string[] => ['--radsec', '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey,
    '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-ca', pki.files.ca, '--radsec-server-name', SERVER_NAME];

  it('`eaphost coa --radsec` and `eaphost disconnect --radsec`: carried out, ACK and NAK back on the connection they came on', async () => {
    await start([{ network: '127.0.0.1' }]);
    const coa = await runMain(['coa', '--nas', `127.0.0.1:${port}`, ...radsecFlags(), '--identity', 'carol', '--session-timeout', '600',
      '--nas-identifier', 'nas-under-test', '--timeout', '4000', '--json']);
    assert.equal(coa.code, 0, `${coa.stdout}\n${coa.stderr}`);
    assert.equal(JSON.parse(coa.stdout).code, 'CoA-ACK');
    assert.equal(asked.length, 1);
    assert.deepEqual([asked[0].kind, asked[0].client, asked[0].radsec, asked[0].session.userName, asked[0].sessionTimeout],
      ['coa', '127.0.0.1', true, 'carol', 600]);

    verdict = { done: false, errorCause: 503 };
    const disconnect = await runMain(['disconnect', '--nas', `127.0.0.1:${port}`, ...radsecFlags(), '--calling-station-id',
      '02-00-00-00-00-07', '--timeout', '4000', '--json']);
    assert.equal(disconnect.code, 1, `${disconnect.stdout}\n${disconnect.stderr}`);
    const report = JSON.parse(disconnect.stdout);
    assert.equal(report.code, 'Disconnect-NAK');
    assert.match(report.reason, /503/);
    assert.equal(asked[1].session.callingStationId, '02-00-00-00-00-07');
    const stats = server.stats;
    assert.deepEqual([stats.requests, stats.acks, stats.naks, stats.protocolErrors], [2, 1, 1, 0]);
  });

  it('signed under "radsec": a replay on another connection gets the first answer, not carried out twice; ' +
    'an Access-Request gets a Protocol-Error 406 naming its code; a broken Length closes the connection', async () => {
    await start([{ network: '127.0.0.1/8' }]);
    const first = await Connection.open(pki, port);
    const stamp = u32(Math.floor(Date.now() / 1000));
    const disconnect = signed(40, [{ type: 1, value: Buffer.from('dave') }, { type: 55, value: stamp },
      { type: 33, value: Buffer.from('proxy-state-1') }]);
    const ack = await first.ask(disconnect);
    assert.equal(ack[0], 41, 'Disconnect-ACK');
    assertSigned(ack, disconnect);
    assert.deepEqual(attributesOf(ack).filter(({ type }) => type === 33).map(({ value }) => value.toString()), ['proxy-state-1']);
    first.close();

    const second = await Connection.open(pki, port);
    const again = await second.ask(disconnect);
    assert.ok(again.equals(ack), 'the first answer, byte for byte');
    assert.equal(asked.length, 1, 'carried out once');

    const access = signed(1, [{ type: 1, value: Buffer.from('dave') }]);
    const refused = await second.ask(access);
    assert.equal(refused[0], 52, 'Protocol-Error');
    assertSigned(refused, access);
    const attributes = attributesOf(refused);
    assert.deepEqual(attributes.filter(({ type }) => type === 101).map(({ value }) => value.readUInt32BE(0)), [406]);
    assert.deepEqual(attributes.filter(({ type }) => type === 241).map(({ value }) => [...value]), [[4, 0, 0, 0, 1]], 'Original-Packet-Code 1');

    second.write(Buffer.from([40, 1, 0, 3]));
    await second.closed;
    const stats = server.stats;
    assert.deepEqual([stats.requests, stats.acks, stats.duplicates, stats.protocolErrors, stats.droppedMalformed], [1, 1, 1, 1, 0]);
  });

  it('a client whose address no entry holds: its certificate passes, its Disconnect-Request gets Protocol-Error 406, the owner is never asked', async () => {
    await start([{ network: '192.0.2.0/24' }]);
    const run = await runMain(['disconnect', '--nas', `127.0.0.1:${port}`, ...radsecFlags(), '--identity', 'carol', '--timeout', '4000']);
    assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /answered with a Protocol-Error \(RFC 7930\), its final answer: Error-Cause 406 \(Unsupported Extension\)/);
    assert.equal(asked.length, 0);
    const stats = server.stats;
    assert.deepEqual([stats.requests, stats.protocolErrors], [0, 1]);
  });

  it('RADIUS/DTLS on the same port number (radsec.dtls): Disconnect-ACK under "radius/dtls"; from a client no entry holds, ' +
    'a Protocol-Error 406 over DTLS', async () => {
    await start([{ network: '127.0.0.1' }], true);
    assert.equal(server.servesDtls, true, server.dtlsUnavailable);
    const dtls = (): Promise<{ code: number; stdout: string; stderr: string }> => runMain(['disconnect', '--nas', `127.0.0.1:${port}`,
      ...radsecFlags(), '--radsec-transport', 'dtls', '--identity', 'erin', '--timeout', '4000', '--json']);
    const run = await dtls();
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.deepEqual([JSON.parse(run.stdout).code, asked.length, asked[0]?.radsec, asked[0]?.session.userName], ['Disconnect-ACK', 1, true, 'erin']);
    await server.close();

    await start([{ network: '192.0.2.0/24' }], true);
    const refused = await dtls();
    assert.equal(refused.code, 3, `${refused.stdout}\n${refused.stderr}`);
    assert.match(JSON.parse(refused.stdout).reason, /Protocol-Error \(RFC 7930\), its final answer: Error-Cause 406 \(Unsupported Extension\)/);
    assert.deepEqual([asked.length, server.stats.protocolErrors], [0, 1]);
  });

  it('a TLS-PSK client (RFC 9813, no certificate): its Disconnect-Request carried out, ACK\'d', async () => {
    asked = [];
    verdict = { done: true };
    const key = randomBytes(32);
    const keyFile = join(pki.dir, 'das-psk');
    writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600 });
    server = new DynamicAuthorizationServer({ host: '127.0.0.1', port: 0, clients: [{ network: '127.0.0.1' }],
      radsec: { psk: [{ identity: 'das-client', key: Buffer.from(key), networks: ['127.0.0.1'] }] },
      handle: (request) => {
        asked.push(request);
        return verdict;
      } });
    ({ port } = await server.listen());
    const run = await runMain(['disconnect', '--nas', `127.0.0.1:${port}`, '--radsec', '--radsec-psk-identity', 'das-client',
      '--radsec-psk-file', keyFile, '--identity', 'frank', '--timeout', '4000', '--json']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.deepEqual([JSON.parse(run.stdout).code, asked.length, asked[0]?.session.userName], ['Disconnect-ACK', 1, 'frank']);
  });

  it('serve --interface --das-radsec: its flags checked before the port opens, each a usage error naming the way out', async () => {
    const users = join(pki.dir, 'das-radsec-users.json');
    writeFileSync(users, '{}');
    const serve = (args: string[]): ReturnType<typeof runMain> => runMain(['serve', '--interface', 'lo', '--users', users, ...args]);
    const certificates = ['--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca];
    const cases: [string[], RegExp][] = [
      [['--das-radsec', ...certificates], /--das-radsec need --das HOST\[:PORT\]/],
      [['--das', '127.0.0.1', '--das-radsec', '--radsec-cert', pki.files.serverCert], /--das-radsec needs --radsec-key FILE/],
      [['--das', '127.0.0.1', '--radsec-ca', pki.files.ca], /--radsec-ca applies with --das-radsec only/],
      [['--das', '127.0.0.1', '--das-radsec', ...certificates, '--das-client', '127.0.0.1=s3cret'], /over RadSec a client has no secret of its own/],
    ];
    for (const [args, message] of cases) {
      const run = await serve(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
  });

  it('a port in use: listen() rejects with Node\'s EADDRINUSE and holds nothing', async () => {
    await start([{ network: '127.0.0.1' }]);
    const second = new DynamicAuthorizationServer({ host: '127.0.0.1', port, clients: [{ network: '127.0.0.1' }],
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca }, handle: () => ({ done: true }) });
    await assert.rejects(second.listen(), (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE' && error.message.includes(`127.0.0.1:${port}`));
    assert.throws(() => second.address(), /not listening/);
    await second.close();
  });

  it('refuses options it cannot serve: RADIUS/1.1; over UDP a client without its secret', () => {
    const handle = (): DasVerdict => ({ done: true });
    const clients = [{ network: '127.0.0.1' }];
    assert.throws(() => new DynamicAuthorizationServer({ clients, handle, radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca,
      radiusVersion: '1.1' } }), TypeError);
    assert.throws(() => new DynamicAuthorizationServer({ clients, handle, radsec: null as never }), TypeError);
    // Over UDP a client needs its secret.
    assert.throws(() => new DynamicAuthorizationServer({ clients, handle }), TypeError);
  });
});
