/**
 * Verdicts a misbehaving server must not turn into success: an Access-Accept carrying an
 * EAP-Failure (the RADIUS and EAP verdicts disagree), and MPPE keys that do not match the MSK
 * (the NAS would derive other keys than the client). The server is our RadiusServer in front of
 * the real embedded authenticator, behind a proxy that alters its final reply the way a broken
 * server sends it and signs it again (RFC 2865 §3, RFC 3579 §3.2, RFC 2548 §2.4.2, node:crypto).
 */
import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { createSocket, RemoteInfo } from 'node:dgram';
import { createAuthenticator, Authenticator } from '../lib';
import { main } from '../lib/cli/main';
import { RadiusServer } from '../lib/radius';
import { randomCredentials } from './helpers';
import { CliRun, runCli, eaphostCommand } from './support/cli-run';

const runRadiusAuth = eaphostCommand('auth');

const SECRET = 'verdict-secret';
type Misbehaviour = 'none' | 'failure-in-accept' | 'wrong-mppe-keys';

/** RFC 2548 §2.4.2's keystream over an MPPE key value's hidden part, in place (hide or unhide). */
function mppeKeystream(value: Buffer, requestAuthenticator: Buffer, hide: boolean): void {
  let previous: Buffer = Buffer.concat([requestAuthenticator, value.subarray(6, 8)]);
  for (let i = 8; i < value.length; i += 16) {
    const b = createHash('md5').update(SECRET).update(previous).digest();
    const hidden = hide ? undefined : Buffer.from(value.subarray(i, i + 16));
    for (let j = 0; j < 16; j++) value[i + j] ^= b[j];
    previous = hidden ?? value.subarray(i, i + 16);
  }
}

/** The server's final reply altered as `misbehaviour` says, then signed again. */
function alter(reply: Buffer, requestAuthenticator: Buffer, misbehaviour: Misbehaviour): Buffer {
  if (reply[0] === 11 || misbehaviour === 'none') return reply;
  const out = Buffer.from(reply);
  // The method failed (wrong password) and said EAP-Failure; the server still sends Access-Accept.
  if (misbehaviour === 'failure-in-accept') out[0] = 2;
  for (let at = 20; misbehaviour === 'wrong-mppe-keys' && at < out.length; at += out[at + 1]) {
    if (out[at] !== 26 || out.readUInt32BE(at + 2) !== 311 || (out[at + 6] !== 16 && out[at + 6] !== 17)) continue;
    const value = out.subarray(at + 2, at + out[at + 1]);
    mppeKeystream(value, requestAuthenticator, false);
    value[9] ^= 0xff;  // the key's first byte
    mppeKeystream(value, requestAuthenticator, true);
  }
  requestAuthenticator.copy(out, 4);
  out.fill(0, 22, 38);  // the Message-Authenticator, first of our server's attributes
  createHmac('md5', SECRET).update(out).digest().copy(out, 22);
  createHash('md5').update(out).update(SECRET).digest().copy(out, 4);
  return out;
}

/** A UDP proxy on loopback in front of `serverPort` that alters the server's final replies. */
async function misbehavingProxy(serverPort: number, misbehaviour: Misbehaviour): Promise<{ port: number; close(): void }> {
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  const requests = new Map<number, { authenticator: Buffer; client: RemoteInfo }>();
  front.on('message', (request, client) => {
    requests.set(request[1], { authenticator: Buffer.from(request.subarray(4, 20)), client });
    back.send(request, serverPort, '127.0.0.1');
  });
  back.on('message', (reply) => {
    const request = requests.get(reply[1]);
    if (request) front.send(alter(reply, request.authenticator, misbehaviour), request.client.port, request.client.address);
  });
  await Promise.all([front, back].map((socket) => new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))));
  return { port: front.address().port, close: () => { front.close(); back.close(); } };
}

describe('eaphost auth --radius: inconsistent verdicts are failures', function () {
  this.timeout(60_000);
  const user = randomCredentials();
  let authenticator: Authenticator;
  let server: RadiusServer;
  const proxies: { close(): void }[] = [];

  async function serve(misbehaviour: Misbehaviour): Promise<string[]> {
    const proxy = await misbehavingProxy(server.address().port, misbehaviour);
    proxies.push(proxy);
    return ['--radius', `127.0.0.1:${proxy.port}`, '--secret', SECRET, '--identity', user.identity];
  }

  const run = (argv: string[]): Promise<CliRun> => runCli(runRadiusAuth, argv);

  async function nagios(argv: string[]): Promise<{ code: number; line: string }> {
    const out: string[] = [];
    const code = await main(['auth', ...argv, '--nagios'], (line) => out.push(line), () => undefined);
    assert.equal(out.length, 1, out.join('\n'));
    return { code, line: out[0] };
  }

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['mschapv2', 'md5'], users: { [user.identity]: { password: user.password } } });
    server = new RadiusServer({ port: 0, secret: SECRET, authenticator });
    await server.listen();
  });
  after(async () => {
    for (const proxy of proxies) proxy.close();
    await server?.close();
    await authenticator?.close();
  });

  it('the honest server: exit 0, mppeKeysMatch true, Nagios OK (the control case)', async () => {
    const radius = await serve('none');
    const { code, out } = await run([...radius, '--method', 'mschapv2', '--password', user.password, '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(out[0]);
    assert.equal(report.success, true);
    assert.equal(report.mppeKeysMatch, true);
    assert.equal((await nagios([...radius, '--method', 'mschapv2', '--password', user.password])).code, 0);
  });

  it('an Access-Accept carrying an EAP-Failure: exit 1, result "inconsistent", Nagios CRITICAL', async () => {
    const radius = await serve('failure-in-accept');
    for (const method of ['md5', 'mschapv2']) {
      const { code, out } = await run([...radius, '--method', method, '--password', `not-${user.password}`, '--json']);
      assert.equal(code, 1, out.join('\n'));
      const report = JSON.parse(out[0]);
      assert.equal(report.success, false);
      assert.equal(report.result, 'inconsistent');
      assert.match(report.reason, /Access-Accept carrying an EAP-Failure/);
      assert.equal(report.reply.code, 'Access-Accept', 'the server did say Access-Accept');
    }
    const graded = await nagios([...radius, '--method', 'md5', '--password', `not-${user.password}`]);
    assert.equal(graded.code, 2, graded.line);
    assert.match(graded.line, /^EAPHOST CRITICAL - .*EAP-Failure/);
  });

  it('MPPE keys that do not match the MSK: Nagios CRITICAL, --json mppeKeysMatch false', async () => {
    const radius = await serve('wrong-mppe-keys');
    const { out } = await run([...radius, '--method', 'mschapv2', '--password', user.password, '--json']);
    assert.equal(JSON.parse(out[0]).mppeKeysMatch, false);
    const graded = await nagios([...radius, '--method', 'mschapv2', '--password', user.password]);
    assert.equal(graded.code, 2, graded.line);
    assert.match(graded.line, /^EAPHOST CRITICAL - .*MPPE keys .* do not match the MSK/);
  });
});
