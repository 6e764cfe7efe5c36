import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { connect, createServer } from 'node:tls';
import { Authenticator, createAuthenticator } from '../../lib';
import { main } from '../../lib/cli/main';
import { RadiusServer, RadSecClient } from '../../lib/radius';
import { RadiusAttributeType, RadiusCode } from '../../lib/radius/constants';
import { RadSecVersionError } from '../../lib/radius/errors';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import type { RadiusVersionSetting } from '../../lib/radius/radsec/alpn';
import { startFreeRadius } from '../support/freeradius';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { InteropPki, makeInteropPki } from '../support/interop-pki';
import { secretFlag } from '../support/cli-run';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { findProgram, freeTcpPort, makeTempDir } from '../support/programs';
import { answersStatusServer, opensslPskClient, PacketReader, programOutput, statusServerPacket } from '../support/radsec-peers';

/**
 * RADIUS/1.1 (RFC 9765) over RadSec TLS 1.3, negotiated by ALPN: eaphost's client against
 * eaphost's listener for every pair of Version settings (the RFC's outcome table, §3.4), OpenSSL's
 * s_client and s_server for the rows our client cannot play (no ALPN; a server without ALPN), what
 * RADIUS/1.1 puts on the wire (Reserved-1 and Reserved-2 zero, the Token) and that it computes no
 * MD5 (the engine's own count, test-only probe), and the bad input RFC 9765 names.
 */
const IDENTITY = 'nas1';
const SETTINGS: RadiusVersionSetting[] = ['1.0', 'auto', '1.1'];

/** RFC 9765 §3.4's table, our client's rows (it always offers ALPN) × the listener's settings. */
const TABLE: Record<RadiusVersionSetting, Record<RadiusVersionSetting, '1.0' | '1.1' | 'alert'>> = {
  '1.0': { '1.0': '1.0', auto: '1.0', '1.1': 'alert' },
  auto: { '1.0': '1.0', auto: '1.1', '1.1': '1.1' },
  '1.1': { '1.0': 'alert', auto: '1.1', '1.1': '1.1' },
};

describe('RADIUS/1.1 (RFC 9765): ALPN and the Token over RadSec TLS 1.3', function () {
  this.timeout(60_000);
  let authenticator: Authenticator;
  const servers = new Map<RadiusVersionSetting, { server: RadiusServer; port: number }>();
  const key = randomBytes(32);
  const hex = key.toString('hex');
  const user = { type: RadiusAttributeType.UserName, value: Buffer.from('u') };

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { u: { password: 'p' } } });
    for (const radiusVersion of SETTINGS) {
      const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
        radsec: { psk: [{ identity: IDENTITY, key, networks: ['127.0.0.1'] }], radiusVersion } });
      servers.set(radiusVersion, { server, port: (await server.listen()).port });
    }
  });
  after(async () => {
    for (const { server } of servers.values()) await server.close();
    await authenticator?.close();
  });

  /** What one PAP Access-Request from a client of `client` to the listener of `listener` came to. */
  async function outcome(client: RadiusVersionSetting, listener: RadiusVersionSetting): Promise<string> {
    const radsec = new RadSecClient({ psk: { identity: IDENTITY, key }, radiusVersion: client, timeoutMs: 5000 });
    try {
      const { reply } = await radsec.accessRequest({ host: '127.0.0.1', port: servers.get(listener)!.port, secret: RADSEC_SECRET }, [user],
        { userPassword: Buffer.from('p') });
      assert.equal(reply.code, RadiusCode.AccessAccept);
      // RADIUS/1.1: Reserved-1 zero and Reserved-2 (octets 8-19) zero; RADIUS/1.0: an MD5 Response Authenticator.
      const reserved = reply.identifier === 0 && reply.authenticator.subarray(4).equals(Buffer.alloc(12));
      return reserved ? '1.1' : '1.0';
    } catch (error) {
      assert.ok(error instanceof RadSecVersionError, String(error));
      assert.equal(error.code, 'ERR_RADSEC_VERSION');
      assert.match(error.message, /no_application_protocol/);
      return 'alert';
    } finally {
      await radsec.close();
    }
  }

  it('the outcome table, eaphost client × eaphost serve, each pair of settings (1.0, auto, 1.1)', async () => {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const client of SETTINGS) {
      for (const listener of SETTINGS) {
        seen.push(`${client}→${listener}: ${await outcome(client, listener)}`);
        expected.push(`${client}→${listener}: ${TABLE[client][listener]}`);
      }
    }
    assert.deepEqual(seen, expected);
  });

  it('a client that offers no ALPN (RFC 6614): RadSec with a 1.0 or auto listener, closed by a 1.1 one (Close-S)', async () => {
    for (const listener of SETTINGS) {
      const socket = connect({ host: '127.0.0.1', port: servers.get(listener)!.port, minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256',
        pskCallback: () => ({ identity: IDENTITY, psk: key }), checkServerIdentity: () => undefined });
      const result = await new Promise<string>((resolve) => {
        let answered = '';
        socket.once('secureConnect', () => socket.write(statusServerPacket(1)));
        socket.on('data', (chunk: Buffer) => {
          answered = answersStatusServer(chunk, 1) ? 'RadSec' : 'garbage';
          socket.destroy();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(answered || 'closed'));
      });
      assert.equal(result, listener === '1.1' ? 'closed' : 'RadSec', listener);
    }
  });

  for (const version of ['-tls1_3']) {
    it(`s_client ${version} -alpn: an auto listener echoes radius/1.1 when offered, radius/1.0 otherwise; a 1.1 one refuses radius/1.0`, async () => {
      const sClient = (port: number, args: string[]) => opensslPskClient(port, IDENTITY, hex, [version, ...args]);
      const auto = servers.get('auto')!.port;
      assert.match(await sClient(auto, ['-alpn', 'radius/1.0,radius/1.1']), /ALPN protocol: radius\/1\.1/);
      assert.match(await sClient(auto, ['-alpn', 'radius/1.1']), /ALPN protocol: radius\/1\.1/);
      assert.match(await sClient(auto, ['-alpn', 'radius/1.0']), /ALPN protocol: radius\/1\.0/);
      const onlyNew = servers.get('1.1')!.port;
      assert.match(await sClient(onlyNew, ['-alpn', 'radius/1.1,radius/1.0']), /ALPN protocol: radius\/1\.1/);
      const refused = await sClient(onlyNew, ['-alpn', 'radius/1.0']);
      assert.match(refused, /no application protocol/i, refused);
    });
  }

  it('gnutls-cli --alpn: an auto listener echoes radius/1.1, else radius/1.0; an offer of neither gets alert 120', async () => {
    const gnutls = findProgram(['gnutls-cli'], 'gnutls-bin');
    const cli = (port: number, alpn: string[]) => programOutput(gnutls, ['--pskusername', IDENTITY, '--pskkey', hex, '--priority',
      'NORMAL:-VERS-ALL:+VERS-TLS1.3:+ECDHE-PSK:+DHE-PSK:+PSK', ...alpn.flatMap((name) => ['--alpn', name]), '-p', String(port), '127.0.0.1']);
    const auto = servers.get('auto')!.port;
    assert.match(await cli(auto, ['radius/1.1', 'radius/1.0']), /Application protocol: radius\/1\.1/);
    assert.match(await cli(auto, ['radius/1.0']), /Application protocol: radius\/1\.0/);
    assert.match(await cli(servers.get('1.0')!.port, ['radius/1.1', 'radius/1.0']), /Application protocol: radius\/1\.0/);
    const refused = await cli(servers.get('1.0')!.port, ['radius/1.1']);
    assert.match(refused, /alert \[120\]/i, refused);
  });

  it('a 1.1 client against a server that answers no ALPN (s_server): RadSecVersionError, the client closes (Close-C)', async () => {
    const serverPort = await freeTcpPort();
    const child = spawn('stdbuf', ['-o0', '-e0', findProgram(['openssl'], 'openssl'), 's_server', '-accept', `127.0.0.1:${serverPort}`, '-nocert',
      '-psk', hex, '-psk_identity', IDENTITY, '-tls1_3'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const listening = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('ACCEPT')) resolve();
      });
    });
    const radsec = new RadSecClient({ psk: { identity: IDENTITY, key }, radiusVersion: '1.1', timeoutMs: 5000 });
    try {
      await listening;
      await assert.rejects(radsec.accessRequest({ host: '127.0.0.1', port: serverPort, secret: RADSEC_SECRET }, [user]),
        (error: unknown) => error instanceof RadSecVersionError && error.wanted === '1.1' && /no ALPN was agreed/.test(error.got) &&
          error.server === `127.0.0.1:${serverPort}`);
    } finally {
      await radsec.close();
      child.kill();
    }
  });

  /** A RADIUS/1.1 packet written by hand (RFC 9765 §4.1): Reserved-1 zero, the Token, Reserved-2 zero. */
  function packet11(code: number, token: number, attributes: Array<[number, Buffer]>): Buffer {
    const body = Buffer.concat(attributes.map(([type, value]) => Buffer.concat([Buffer.from([type, value.length + 2]), value])));
    const header = Buffer.alloc(20);
    header[0] = code;
    header.writeUInt16BE(20 + body.length, 2);
    header.writeUInt32BE(token, 4);
    return Buffer.concat([header, body]);
  }

  it('serve takes a RADIUS/1.1 request with any new Token and a Message-Authenticator in it (ignored, RFC 9765 §5.2)', async () => {
    const socket = connect({ host: '127.0.0.1', port: servers.get('auto')!.port, minVersion: 'TLSv1.3', ALPNProtocols: ['radius/1.1'],
      ciphers: 'TLS_AES_128_GCM_SHA256', pskCallback: () => ({ identity: IDENTITY, psk: key }), checkServerIdentity: () => undefined });
    const token = 0xdeadbeef;
    const replies = await new Promise<Buffer[]>((resolve, reject) => {
      const reader = new PacketReader();
      const got: Buffer[] = [];
      socket.once('secureConnect', () => {
        assert.equal(socket.alpnProtocol, 'radius/1.1');
        // PAP in clear (§5.1.1), and a Message-Authenticator of junk that RADIUS/1.0 would drop the packet for.
        socket.write(packet11(RadiusCode.AccessRequest, token, [[1, Buffer.from('u')], [2, Buffer.from('p')], [80, randomBytes(16)]]));
        socket.write(packet11(RadiusCode.AccessRequest, 7, [[1, Buffer.from('u')], [2, Buffer.from('wrong')]]));
        // A kind this listener does not serve: a Protocol-Error under its Token (the RadSec revision §3.7).
        socket.write(packet11(4 /* Accounting-Request */, 0x01020304, [[40, Buffer.from([0, 0, 0, 1])]]));
      });
      socket.on('data', (chunk: Buffer) => {
        got.push(...reader.push(chunk));
        if (got.length === 3) resolve(got);
      });
      socket.on('error', reject);
    });
    socket.destroy();
    // Each by its Token: the order replies come in is the server's business.
    const [first, second, third] = [token, 7, 0x01020304].map((wanted) => replies.find((reply) => reply.readUInt32BE(4) === wanted)!);
    assert.deepEqual([first[0], first[1], first.readUInt32BE(4), first.subarray(8, 20).equals(Buffer.alloc(12))],
      [RadiusCode.AccessAccept, 0, token, true]);
    assert.deepEqual([second[0], second.readUInt32BE(4)], [RadiusCode.AccessReject, 7]);
    // Error-Cause 406 and no Original-Packet-Code (RFC 9765 §5.5: the Token names the request).
    assert.deepEqual([...third], [...packet11(RadiusCode.ProtocolError, 0x01020304, [[101, Buffer.from([0, 0, 1, 0x96])]])]);
    // No Message-Authenticator goes back (§5.2).
    for (let at = 20; at < first.length; at += first[at + 1]) assert.notEqual(first[at], 80);
  });

  /** A RADIUS/1.1 connection to the '1.1' listener: its replies in the order they come. */
  async function connection11(): Promise<{ socket: ReturnType<typeof connect>; next: () => Promise<Buffer> }> {
    const socket = connect({ host: '127.0.0.1', port: servers.get('1.1')!.port, minVersion: 'TLSv1.3', ALPNProtocols: ['radius/1.1'],
      ciphers: 'TLS_AES_128_GCM_SHA256', pskCallback: () => ({ identity: IDENTITY, psk: key }), checkServerIdentity: () => undefined });
    const reader = new PacketReader();
    const waiting: Buffer[] = [];
    let wake: (() => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      waiting.push(...reader.push(chunk));
      wake?.();
    });
    const next = async (): Promise<Buffer> => {
      while (waiting.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
      return waiting.shift()!;
    };
    try {
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return { socket, next };
  }
  const pap = (token: number, password: string) => packet11(RadiusCode.AccessRequest, token, [[1, Buffer.from('u')], [2, Buffer.from(password)]]);

  it('a request whose Token repeats one answered on its connection gets that answer again, and is not processed again', async () => {
    const { server } = servers.get('1.1')!;
    const { socket, next } = await connection11();
    try {
      const before = { requests: server.stats.requests, duplicates: server.stats.duplicates };
      socket.write(pap(0x5151, 'p'));
      const first = await next();
      // The Token again, with another password: were it processed, a one-time password would be spent twice.
      socket.write(pap(0x5151, 'wrong'));
      const again = await next();
      socket.write(pap(0x5152, 'wrong'));
      const other = await next();
      assert.deepEqual([first[0], first.readUInt32BE(4)], [RadiusCode.AccessAccept, 0x5151]);
      assert.ok(again.equals(first), 'the first answer, byte for byte');
      assert.deepEqual([other[0], other.readUInt32BE(4)], [RadiusCode.AccessReject, 0x5152]);
      assert.deepEqual({ requests: server.stats.requests - before.requests, duplicates: server.stats.duplicates - before.duplicates },
        { requests: 2, duplicates: 1 });
    } finally {
      socket.destroy();
    }
  });

  it('a connection\'s Tokens are kept for its last 1,024 requests: one repeated further back is processed again', async () => {
    // RADIUS/1.0's Identifier bounds a source to 256 kept replies; a Token, counted in 32 bits,
    // does not, so the cache keeps a connection's last 1,024 (radius_reply_cache.h), and its
    // memory stays flat however many requests the connection sends.
    const { server } = servers.get('1.1')!;
    const { socket, next } = await connection11();
    try {
      const before = { requests: server.stats.requests, duplicates: server.stats.duplicates };
      const first = 0x10000;
      for (let token = first; token <= first + 1024; token++) socket.write(pap(token, 'p'));
      const answered = new Set<number>();
      for (let i = 0; i <= 1024; i++) {
        const reply = await next();
        assert.equal(reply[0], RadiusCode.AccessAccept);
        answered.add(reply.readUInt32BE(4));
      }
      assert.equal(answered.size, 1025);
      // 1,025 requests: the first Token's reply is gone, the last 1,024's are kept.
      socket.write(pap(first, 'wrong'));
      const processed = await next();
      socket.write(pap(first + 1024, 'wrong'));
      const replayed = await next();
      assert.deepEqual([processed[0], processed.readUInt32BE(4)], [RadiusCode.AccessReject, first], 'processed again, with its new password');
      assert.deepEqual([replayed[0], replayed.readUInt32BE(4)], [RadiusCode.AccessAccept, first + 1024], 'answered from the cache');
      assert.deepEqual({ requests: server.stats.requests - before.requests, duplicates: server.stats.duplicates - before.duplicates },
        { requests: 1026, duplicates: 1 });
    } finally {
      socket.destroy();
    }
  });

  it('an empty User-Password over RADIUS/1.1 is a RangeError before anything is sent (RFC 9765 §5.1.1: 1 to 128 octets)', async () => {
    const radsec = new RadSecClient({ psk: { identity: IDENTITY, key }, radiusVersion: '1.1', timeoutMs: 5000 });
    try {
      const endpoint = { host: '127.0.0.1', port: servers.get('1.1')!.port, secret: RADSEC_SECRET };
      await assert.rejects(radsec.accessRequest(endpoint, [user], { userPassword: Buffer.alloc(0) }), RangeError);
      // The connection is still good.
      assert.equal((await radsec.accessRequest(endpoint, [user], { userPassword: Buffer.from('p') })).reply.code, RadiusCode.AccessAccept);
    } finally {
      await radsec.close();
    }
  });

  it('our 1.1 client passes over a reply whose Token matches nothing and takes the one that does', async () => {
    const fake = createServer({ minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256', pskCallback: () => key,
      ALPNCallback: () => 'radius/1.1' }, (socket) => {
      socket.on('data', (request: Buffer) => {
        const token = request.readUInt32BE(4);
        socket.write(packet11(RadiusCode.AccessReject, (token ^ 0x100) >>> 0, []));
        socket.write(packet11(RadiusCode.AccessAccept, token, [[18, Buffer.from('ok')]]));
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const radsec = new RadSecClient({ psk: { identity: IDENTITY, key }, radiusVersion: '1.1', timeoutMs: 5000 });
    try {
      const port = (fake.address() as { port: number }).port;
      const { reply } = await radsec.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET }, [user], { requireMessageAuthenticator: true });
      assert.equal(reply.code, RadiusCode.AccessAccept);
      assert.equal(reply.attributes.find((attribute) => attribute.type === 18)?.value.toString(), 'ok');
    } finally {
      await radsec.close();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });

  it('RADIUS/1.1 computes no MD5 (PAP, EAP-MSCHAPv2 with MPPE keys = the MSK), where RADIUS/1.0 computes some', () => {
    const script = path.join(__dirname, '..', 'support', 'radius11-run.js');
    const run = (version: string) => {
      const child = spawnSync(process.execPath, [script, version], {
        env: { ...process.env, EAPHOST_CONTRACT_PROBE: '1' }, encoding: 'utf8', timeout: 50_000, stdio: ['ignore', 'pipe', 'pipe'],
      });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout) as { md5: number; pap: boolean; wrong: boolean; eap: boolean; mppeKeysMatch: boolean;
        identifier: number; reserved2: string };
    };
    const v11 = run('1.1');
    assert.deepEqual({ ...v11, md5: v11.md5 }, { md5: 0, pap: true, wrong: true, eap: true, mppeKeysMatch: true, identifier: 0,
      reserved2: '00'.repeat(12) });
    const v10 = run('1.0');
    assert.equal(v10.pap && v10.wrong && v10.eap && v10.mppeKeysMatch, true);
    // The count counts: RADIUS/1.0 hides the password and signs every packet both ways.
    assert.ok(v10.md5 >= 8, `RADIUS/1.0 computed ${v10.md5} MD5s`);
  });
});

describe('RADIUS/1.1 against a RADIUS/1.0-only server: FreeRADIUS 3.2.1\'s RadSec listener over TLS 1.3 (no ALPN)', function () {
  this.timeout(60_000);
  const USER = { identity: 'rita', password: 'r1ta pass' };
  const fixture = interopServer((certificates) => startFreeRadius({ secret: 'udp-secret', users: [USER], certificates, radsec: certificates,
    radsecTlsMaxVersion: '1.3' }));
  const client = (radiusVersion: RadiusVersionSetting) => new RadSecClient({ cert: fixture.pki.clientCert, key: fixture.pki.clientKey,
    passphrase: CLIENT_KEY_PASSWORD, ca: fixture.pki.ca, serverName: SERVER_NAME, timeoutMs: 5000, radiusVersion });

  it('a 1.1 client closes with RadSecVersionError (RFC 9765 Close-C); an auto one speaks RADIUS/1.0 and FreeRADIUS answers', async () => {
    const endpoint = { host: '127.0.0.1', port: fixture.server.radsecPort!, secret: RADSEC_SECRET };
    const user = [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }];
    const required = client('1.1');
    try {
      await assert.rejects(required.accessRequest(endpoint, user, { userPassword: Buffer.from(USER.password) }),
        (error: unknown) => error instanceof RadSecVersionError && error.code === 'ERR_RADSEC_VERSION' && error.wanted === '1.1' &&
          /no ALPN was agreed/.test(error.got) && error.server === `127.0.0.1:${fixture.server.radsecPort}`);
    } finally {
      await required.close();
    }
    const either = client('auto');
    try {
      // FreeRADIUS's verdict on a PAP request it could read only as RADIUS/1.0 (the password hidden with "radsec").
      // 3.2.1 signs a PAP reply with no Message-Authenticator (BlastRADIUS's fix came in 3.2.5): RADIUS/1.0 as it was.
      const { reply } = await either.accessRequest(endpoint, user, { userPassword: Buffer.from(USER.password), requireMessageAuthenticator: false });
      assert.equal(reply.code, RadiusCode.AccessAccept, fixture.server.log().slice(-3000));
      assert.notDeepEqual(reply.authenticator.subarray(4), Buffer.alloc(12));
    } finally {
      await either.close();
    }
  });
});

describe('RADIUS/1.1 and TLS session resumption: a session agreed as radius/1.1 is never resumed as radius/1.0 (RFC 9765 §3.6)', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let authenticator: Authenticator;
  const servers: RadiusServer[] = [];

  before(async () => {
    pki = await makeInteropPki();
    authenticator = await createAuthenticator({ methods: ['md5'], users: { u: { password: 'p' } } });
  });
  after(async () => {
    for (const server of servers) await server.close();
    await authenticator?.close();
    pki?.remove();
  });

  /** One handshake with certificates (a PSK handshake counts as resumed in OpenSSL's eyes), offering `alpn`, resuming `session`. */
  function handshake(port: number, alpn: string[], session?: Buffer): Promise<{ alpn?: string; reused?: boolean; session?: Buffer; alert?: boolean }> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, servername: SERVER_NAME, ca: pki.ca, cert: pki.clientCert, key: pki.clientKey,
        passphrase: CLIENT_KEY_PASSWORD, minVersion: 'TLSv1.3', ALPNProtocols: alpn, ...(session ? { session } : {}) });
      // The first handshake waits for its ticket; the others end at their handshake.
      const done = (ticket?: Buffer): void => {
        resolve({ alpn: socket.alpnProtocol || undefined, reused: socket.isSessionReused(), ...(ticket ? { session: ticket } : {}) });
        socket.destroy();
      };
      if (session === undefined) socket.once('session', done);
      else socket.once('secureConnect', () => done());
      socket.once('error', (error: NodeJS.ErrnoException) => resolve({ alert: error.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' }));
    });
  }

  for (const radiusVersion of ['auto', '1.1'] as const) {
    it(`a ${radiusVersion} listener: a radius/1.1 session offered back with radius/1.0 alone is ${radiusVersion === 'auto' ? 'not resumed' : 'refused'}`, async () => {
      const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator,
        radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, radiusVersion } });
      servers.push(server);
      const { port } = await server.listen();
      const first = await handshake(port, ['radius/1.1']);
      assert.deepEqual([first.alpn, first.reused], ['radius/1.1', false]);
      const again = await handshake(port, ['radius/1.1'], first.session);
      // A "1.1" listener resumes (every session it has is RADIUS/1.1); an "auto" one resumes none.
      assert.deepEqual([again.alpn, again.reused], ['radius/1.1', radiusVersion === '1.1']);
      const down = await handshake(port, ['radius/1.0'], first.session);
      assert.deepEqual(down, radiusVersion === '1.1' ? { alert: true } : { alpn: 'radius/1.0', reused: false });
    });
  }
});

describe('`--radius-version` on the command line: `eaphost auth` against `eaphost serve`', function () {
  this.timeout(60_000);

  it('serve --radius-version 1.1 takes auth --radius-version 1.1 (EAP-MSCHAPv2, MPPE keys = the MSK) and refuses 1.0 with the alert', async () => {
    const dir = makeTempDir('radius11-cli');
    const key = randomBytes(32);
    const users = path.join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ gina: { password: 'g1na pass' } }));
    const clients = path.join(dir.path, 'clients');
    writeFileSync(clients, `psk ${IDENTITY} ${key.toString('hex')} 127.0.0.1\n`, { mode: 0o600 });
    const pskFile = path.join(dir.path, 'psk');
    writeFileSync(pskFile, key.toString('hex'), { mode: 0o600 });
    let served: ServeProcess | undefined;
    try {
      served = await startEaphostServe(0, ['--users', users, '--methods', 'mschapv2', '--radsec', '--clients', clients, '--radius-version', '1.1']);
      const auth = async (version: string) => {
        const out: string[] = [];
        const code = await main(['auth', '--radius', `127.0.0.1:${served!.port}`, '--radsec', '--radsec-psk-identity', IDENTITY,
          '--radsec-psk-file', pskFile, '--radius-version', version, '--method', 'mschapv2', '--identity', 'gina',
          ...secretFlag('password', 'g1na pass'), '--timeout', '3000', '--json'], (line) => out.push(line), (line) => out.push(line));
        return { code, out: out.join('\n') };
      };
      const accepted = await auth('1.1');
      assert.equal(accepted.code, 0, `${accepted.out}\n${served.output()}`);
      assert.equal(JSON.parse(accepted.out).mppeKeysMatch, true);
      const refused = await auth('1.0');
      assert.notEqual(refused.code, 0);
      assert.match(refused.out, /did not agree to RADIUS\/1\.0: it answered with the no_application_protocol alert/, refused.out);
      const wrong = await auth('2.0');
      assert.equal(wrong.code, 2);
      assert.match(wrong.out, /--radius-version is 1\.0, 1\.1, auto, not 2\.0/);
    } finally {
      await served?.stop();
      dir.remove();
    }
  });
});
