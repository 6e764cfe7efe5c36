import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, Server, TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createAuthenticator } from '../../lib';
import { RadiusClient, RadiusServer, RadSecClient } from '../../lib/radius';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { startFreeRadius } from '../support/freeradius';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, makeInteropPki, plainClientKeyFile, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { makeTempDir } from '../support/programs';
import { runMain, runRadclient } from '../support/cli-run';

/**
 * `eaphost serve --proxy-realm` to RadSec home servers: the NAS's hop is RADIUS/UDP, the home's
 * RadSec over TLS (FreeRADIUS 3.2's TLS listener, by certificate and by TLS-PSK) or over DTLS
 * (another serve's). Each hop has its own secret ("radsec", "radius/dtls" toward the homes), so
 * eapol_test's "MPPE keys OK" proves the keys were revealed with the RadSec secret and hidden
 * again with the NAS's.
 */
const NAS_SECRET = 'nas-side secret';
const USER = { identity: 'rita@radsec.test', password: 'r1ta pass' };
/** FreeRADIUS hides a Tunnel-Password (RFC 2868 §3.5) with the RadSec secret; radclient reveals it with the NAS's. */
const TUNNEL_USER = { identity: 'tina@radsec.test', password: 'tina pass', reply: ['Tunnel-Password = "tunnel pa55 of 20+ bytes"'] };
/** serve drops an Access-Request without one (BlastRADIUS): radclient computes it. */
const SIGNED = 'Message-Authenticator = 0x00\n';


async function peapThrough(serve: ServeProcess, user: { identity: string; password: string }, ca: string, log: () => string): Promise<void> {
  const run = await runEapolTest({ host: '127.0.0.1', port: serve.port, secret: NAS_SECRET, method: 'PEAP', ...user,
    phase2: 'auth=MSCHAPV2', caCert: ca, serverName: SERVER_NAME, timeoutSeconds: 20 });
  assert.equal(run.success, true, `${run.stdout.slice(-3000)}\n${serve.output()}\n${log().slice(-3000)}`);
  assert.equal(run.mppeKeysOk, 1, run.stdout.slice(-2000));
  assert.equal(run.mppeKeysMismatch, 0);
}

describe('serve --proxy-realm radsec://: eapol_test → serve (UDP) → FreeRADIUS 3.2 (RadSec over TLS, certificates)', function () {
  this.timeout(90_000);
  const home = interopServer((certificates) => startFreeRadius({ secret: 'udp-secret', users: [USER, TUNNEL_USER], tlsMaxVersion: '1.2',
    certificates, radsec: certificates }));
  const dir = makeTempDir('serve-proxy-radsec');
  let serve: ServeProcess | undefined;

  before(async () => {
    // Every realm routed, none local: no --users.
    serve = await startEaphostServe(0, ['--secret', NAS_SECRET, '--log', '--proxy-realm', `*=radsec://127.0.0.1:${home.server.radsecPort}`,
      '--proxy-radsec-cert', home.pki.files.clientCert, '--proxy-radsec-key', plainClientKeyFile(home.pki, dir.path),
      '--proxy-radsec-ca', home.pki.files.ca, '--proxy-radsec-server-name', SERVER_NAME]);
  });
  after(async () => {
    if (serve) assert.equal(await serve.stop(), 0, serve.output());
    dir.remove();
  });

  it('PEAP-MSCHAPv2: Accept, the MPPE keys equal eapol_test\'s MSK, and --log names the home that answered', async () => {
    await peapThrough(serve!, USER, home.pki.files.ca, () => home.server.log());
    await serve!.logged(new RegExp(`identity="rita@radsec\\.test" method=peap outcome=accept .*home=radsec://127\\.0\\.0\\.1:${home.server.radsecPort}`));
  });

  it('PAP: FreeRADIUS\'s Accept without Message-Authenticator is taken over TLS; a wrong password: Reject', async () => {
    const accept = await runRadclient(serve!.port, NAS_SECRET, 'auth',
      `User-Name = "${USER.identity}"\nUser-Password = "${USER.password}"\nProxy-State = 0x6e6173\n${SIGNED}`, 10);
    assert.match(accept.output, /Received Access-Accept/, `${accept.output}\n${serve!.output()}`);
    assert.match(accept.output, /Proxy-State = 0x6e6173\n/, accept.output);
    const reject = await runRadclient(serve!.port, NAS_SECRET, 'auth', `User-Name = "${USER.identity}"\nUser-Password = "wrong"\n${SIGNED}`, 10);
    assert.match(reject.output, /Received Access-Reject/, reject.output);
  });

  it('Tunnel-Password: revealed with "radsec", hidden again with the NAS\'s secret, and radclient reads it as FreeRADIUS sent it', async () => {
    const accept = await runRadclient(serve!.port, NAS_SECRET, 'auth',
      `User-Name = "${TUNNEL_USER.identity}"\nUser-Password = "${TUNNEL_USER.password}"\n${SIGNED}`, 10);
    assert.match(accept.output, /Received Access-Accept/, `${accept.output}\n${serve!.output()}`);
    assert.match(accept.output, /Tunnel-Password(?::\d+)? = "tunnel pa55 of 20\+ bytes"/, accept.output);
  });
});

describe('serve --proxy-radsec-psk-file: eapol_test → serve → FreeRADIUS 3.2\'s TLS-PSK listener', function () {
  this.timeout(90_000);
  const IDENTITY = 'proxy-psk';
  const key = randomBytes(32);
  const home = interopServer((certificates) => startFreeRadius({ secret: 'udp-secret', users: [USER], tlsMaxVersion: '1.2', certificates,
    radsec: { psk: { identity: IDENTITY, hex: key.toString('hex') } } }));
  const dir = makeTempDir('serve-proxy-radsec-psk');
  after(() => dir.remove());

  it('PEAP-MSCHAPv2 by PSK alone: Accept, MPPE keys OK; a PSK file others may read is a usage error', async () => {
    const psks = join(dir.path, 'psks');
    writeFileSync(psks, `# home servers' PSKs\n127.0.0.1:${home.server.radsecPort} ${IDENTITY} ${key.toString('hex')}\n`, { mode: 0o600 });
    const realm = `*=radsec://127.0.0.1:${home.server.radsecPort}`;
    const serve = await startEaphostServe(0, ['--secret', NAS_SECRET, '--proxy-realm', realm, '--proxy-radsec-psk-file', psks]);
    try {
      await peapThrough(serve, USER, home.pki.files.ca, () => home.server.log());
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
    }
    chmodSync(psks, 0o644);
    const open = await runMain(['serve', '--port', '0', '--secret', NAS_SECRET, '--proxy-realm', realm, '--proxy-radsec-psk-file', psks]);
    assert.equal(open.code, 2, open.stderr);
    assert.match(open.stderr, /--proxy-radsec-psk-file \S+: other users may read or change it \(mode 0644\)/);
  });
});

describe('serve --proxy-realm dtls:// and radsec:// to another serve (RadSec over DTLS and TLS)', function () {
  this.timeout(90_000);
  const dir = makeTempDir('serve-proxy-dtls');
  let pki: InteropPki;
  let home: ServeProcess | undefined;
  let proxy: ServeProcess | undefined;
  const DTLS_USER = { identity: 'dora@dtls.test', password: 'd0ra pass' };
  const TLS_USER = { identity: 'tom@tls.test', password: 't0m pass' };

  before(async () => {
    pki = await makeInteropPki();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [DTLS_USER.identity]: { password: DTLS_USER.password }, [TLS_USER.identity]: { password: TLS_USER.password } }),
      { mode: 0o600 });
    home = await startEaphostServe(0, ['--users', users, '--methods', 'peap', '--pap', '--cert', pki.files.serverCert, '--key', pki.files.serverKey,
      '--radsec', '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca, '--log']);
    proxy = await startEaphostServe(0, ['--secret', NAS_SECRET, '--log', '--users', users,
      '--proxy-realm', `dtls.test=dtls://127.0.0.1:${home.port}`, '--proxy-realm', `tls.test=radsec://127.0.0.1:${home.port}`,
      '--proxy-radsec-cert', pki.files.clientCert, '--proxy-radsec-key', plainClientKeyFile(pki, dir.path), '--proxy-radsec-ca', pki.files.ca,
      '--proxy-radsec-server-name', SERVER_NAME]);
  });
  after(async () => {
    if (proxy) assert.equal(await proxy.stop(), 0, proxy.output());
    if (home) assert.equal(await home.stop(), 0, home.output());
    dir.remove();
  });

  it('PEAP-MSCHAPv2 over DTLS: Accept, MPPE keys OK (hidden with "radius/dtls", then the NAS\'s secret)', async () => {
    await peapThrough(proxy!, DTLS_USER, pki.files.ca, () => home!.output());
    await proxy!.logged(new RegExp(`identity="dora@dtls\\.test" method=peap outcome=accept .*home=dtls://127\\.0\\.0\\.1:${home!.port}`));
  });

  // Both ends offer RADIUS/1.1 over TLS 1.3 ('auto'): the home's MPPE keys come as plain strings on that hop.
  it('PEAP-MSCHAPv2 over TLS: Accept, MPPE keys OK', async () => {
    await peapThrough(proxy!, TLS_USER, pki.files.ca, () => home!.output());
    await proxy!.logged(new RegExp(`identity="tom@tls\\.test" method=peap outcome=accept .*home=radsec://127\\.0\\.0\\.1:${home!.port}`));
  });

  it('PAP over TLS: Accept, a wrong password Reject, each named by the home that answered', async () => {
    const accept = await runRadclient(proxy!.port, NAS_SECRET, 'auth',
      `User-Name = "${TLS_USER.identity}"\nUser-Password = "${TLS_USER.password}"\n${SIGNED}`, 10);
    assert.match(accept.output, /Received Access-Accept/, `${accept.output}\n${proxy!.output()}\n${home!.output()}`);
    const reject = await runRadclient(proxy!.port, NAS_SECRET, 'auth', `User-Name = "${TLS_USER.identity}"\nUser-Password = "wrong"\n${SIGNED}`, 10);
    assert.match(reject.output, /Received Access-Reject/, reject.output);
    await proxy!.logged(new RegExp(`identity="tom@tls\\.test" method=pap outcome=reject .*home=radsec://127\\.0\\.0\\.1:${home!.port}`));
  });
});

/** A reply's Response Authenticator (RFC 2865 §3) and Message-Authenticator (RFC 3579 §3.2), over `attributes`. */
function signedReply(code: number, request: Buffer, attributes: Buffer, secret: string): Buffer {
  const withMac = Buffer.concat([Buffer.from([80, 18]), Buffer.alloc(16), attributes]);
  const packet = Buffer.concat([Buffer.from([code, request[1], 0, 0]), request.subarray(4, 20), withMac]);
  packet.writeUInt16BE(packet.length, 2);
  createHmac('md5', secret).update(packet).digest().copy(packet, 22);
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

describe('a RadSec home whose reply does not verify: dropped and counted, the connection goes on', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let hostile: Server | undefined;
  let server: RadiusServer | undefined;
  let authenticator: Awaited<ReturnType<typeof createAuthenticator>> | undefined;
  const connections: TLSSocket[] = [];

  before(async () => {
    pki = await makeInteropPki();
    // Answers every Access-Request with an Access-Accept signed with "radsec", but its first with
    // a Response Authenticator one bit off.
    let answered = 0;
    hostile = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (socket) => {
      connections.push(socket);
      let held = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        held = Buffer.concat([held, chunk]);
        while (held.length >= 20 && held.length >= held.readUInt16BE(2)) {
          const request = held.subarray(0, held.readUInt16BE(2));
          held = held.subarray(request.length);
          if (request[0] !== 1) continue;
          const reply = signedReply(2, request, Buffer.alloc(0), 'radsec');
          if (answered++ === 0) reply[4] ^= 1;
          socket.write(reply);
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => hostile!.listen(0, '127.0.0.1', resolve));
    authenticator = await createAuthenticator({ users: {}, methods: ['md5'] });
    server = new RadiusServer({ host: '127.0.0.1', port: 0, secret: NAS_SECRET, authenticator, proxy: [{ realm: 'hostile.test', home: {
      host: '127.0.0.1', port: (hostile.address() as AddressInfo).port, transport: 'tls',
      radsec: { cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca, serverName: SERVER_NAME },
    } }] });
    await server.listen();
  });
  after(async () => {
    await server?.close();
    await authenticator?.close();
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => (hostile ? hostile.close(resolve) : resolve(undefined)));
  });

  it('the first request\'s forged reply is dropped (its NAS gets a Reject that says so); the next ones, on the same connection, are accepted', async () => {
    const client = new RadiusClient({ timeoutMs: 8000, tries: 1 });
    const endpoint = { host: '127.0.0.1', port: server!.address().port, secret: NAS_SECRET };
    const ask = (n: number) => client.accessRequest(endpoint, [{ type: 1, value: Buffer.from(`u${n}@hostile.test`) }],
      { userPassword: Buffer.from('pw'), requireMessageAuthenticator: true });
    const first = await ask(0);
    assert.equal(first.reply.code, 3);
    const message = first.reply.attributes.find((attribute) => attribute.type === 18)?.value.toString('utf8') ?? '';
    assert.match(message, /^eaphost proxy: home server radsec:\/\/127\.0\.0\.1:\d+'s replies do not verify with the secret for it/);
    const rest = await Promise.all([1, 2, 3].map(ask));
    assert.deepEqual(rest.map((exchange) => exchange.reply.code), [2, 2, 2]);
    assert.equal(connections.length, 1, 'one TLS connection carried them all');
    assert.equal(server!.stats.proxyRepliesUnverified, 1);
  });

  it('a connection the home closes: what was on it is refused, and the next request opens another', async () => {
    const client = new RadiusClient({ timeoutMs: 8000, tries: 1 });
    const endpoint = { host: '127.0.0.1', port: server!.address().port, secret: NAS_SECRET };
    const ask = () => client.accessRequest(endpoint, [{ type: 1, value: Buffer.from('again@hostile.test') }],
      { userPassword: Buffer.from('pw'), requireMessageAuthenticator: true });
    const before = connections.length;
    await new Promise<void>((resolve) => {
      connections[before - 1].once('close', () => resolve());
      connections[before - 1].destroy();
    });
    // The first request may still meet the old connection (refused, naming it); the next cannot.
    let reply = await ask();
    const message = reply.reply.attributes.find((attribute) => attribute.type === 18)?.value.toString('utf8') ?? '';
    if (reply.reply.code === 3) {
      assert.match(message, /^eaphost proxy: home server radsec:\/\/127\.0\.0\.1:\d+ is not connected: /);
      reply = await ask();
    }
    assert.equal(reply.reply.code, 2);
    assert.equal(connections.length, before + 1);
  });
});

describe('RadiusServer proxy API: a RadSec NAS (TLS in) to a home over DTLS by PSK', function () {
  this.timeout(60_000);
  const homeKey = randomBytes(32);
  const nasKey = randomBytes(32);
  const servers: RadiusServer[] = [];
  let authenticator: Awaited<ReturnType<typeof createAuthenticator>>;

  before(async () => {
    authenticator = await createAuthenticator({ users: { 'pia@api.test': { password: 'p1a pass' } }, methods: ['md5'] });
  });
  after(async () => {
    for (const server of servers) await server.close();
    await authenticator.close();
  });

  it('PAP: Accept with the home\'s password, Reject with a wrong one; the record names the home', async () => {
    const home = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
      radsec: { dtls: true, psk: [{ identity: 'the-proxy', key: homeKey, networks: ['127.0.0.1'] }] } });
    servers.push(home);
    const homePort = (await home.listen()).port;
    assert.equal(home.servesDtls, true, home.dtlsUnavailable);
    const records: { home?: string; outcome: string }[] = [];
    const proxy = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, onConversationEnd: (record) => records.push(record),
      radsec: { psk: [{ identity: 'the-nas', key: nasKey, networks: ['127.0.0.1'] }] },
      proxy: [{ realm: 'api.test', home: { host: '127.0.0.1', port: homePort, transport: 'dtls', radsec: { psk: { identity: 'the-proxy', key: homeKey } } } }] });
    servers.push(proxy);
    const proxyPort = (await proxy.listen()).port;
    const nas = new RadSecClient({ psk: { identity: 'the-nas', key: nasKey }, timeoutMs: 8000 });
    try {
      const ask = (password: string) => nas.accessRequest({ host: '127.0.0.1', port: proxyPort, secret: RADSEC_SECRET },
        [{ type: 1, value: Buffer.from('pia@api.test') }], { userPassword: Buffer.from(password) });
      assert.equal((await ask('p1a pass')).reply.code, 2);
      assert.equal((await ask('wrong')).reply.code, 3);
    } finally {
      await nas.close();
    }
    assert.deepEqual(records.map(({ home: named, outcome }) => [named, outcome]),
      [[`dtls://127.0.0.1:${homePort}`, 'accept'], [`dtls://127.0.0.1:${homePort}`, 'reject']]);
  });

  it('RADIUS/1.1 where the home offers it: a home that speaks only RADIUS/1.1 (TLS 1.3, ALPN) accepts the proxy\'s PAP', async () => {
    const home = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
      radsec: { psk: [{ identity: 'the-proxy', key: homeKey, networks: ['127.0.0.1'] }], radiusVersion: '1.1' } });
    servers.push(home);
    const homePort = (await home.listen()).port;
    const proxy = new RadiusServer({ host: '127.0.0.1', port: 0, secret: NAS_SECRET, authenticator,
      proxy: [{ realm: 'api.test', home: { host: '127.0.0.1', port: homePort, transport: 'tls', radsec: { psk: { identity: 'the-proxy', key: homeKey } } } }] });
    servers.push(proxy);
    const endpoint = { host: '127.0.0.1', port: (await proxy.listen()).port, secret: NAS_SECRET };
    const client = new RadiusClient({ timeoutMs: 8000, tries: 1 });
    const ask = (password: string) => client.accessRequest(endpoint, [{ type: 1, value: Buffer.from('pia@api.test') }],
      { userPassword: Buffer.from(password), requireMessageAuthenticator: true });
    assert.equal((await ask('p1a pass')).reply.code, 2);
    assert.equal((await ask('wrong')).reply.code, 3);
  });

  it('RadiusHomeServer\'s bad shapes are refused', () => {
    assert.throws(() => new RadiusServer({ port: 0, secret: 's', authenticator, proxy: [{ realm: 'a', home: { host: '127.0.0.1', port: 2083,
      transport: 'tls' } }] }), /proxy\[0\]\.home\.radsec must give a client cert, its key and a CA, or a psk/);
    assert.throws(() => new RadiusServer({ port: 0, secret: 's', authenticator, proxy: [{ realm: 'a', home: { host: '127.0.0.1', port: 2083,
      transport: 'tls', radsec: { psk: { identity: 'x', key: randomBytes(8) } } } }] }), /proxy\[0\]\.home\.radsec: psk\.key is 8 bytes/);
    assert.throws(() => new RadiusServer({ port: 0, secret: 's', authenticator, proxy: [{ realm: 'a', home: { host: '127.0.0.1', port: 1812 } }] }),
      /proxy\[0\]\.home\.secret is required over UDP/);
  });
});
