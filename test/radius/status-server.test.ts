import { strict as assert } from 'node:assert';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { RadiusServer } from '../../lib/radius';
import { md5RadiusServerHooks, startEaphostServe } from '../support/eaphost-serve';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';
import { makeTempDir } from '../support/programs';
import { CliRun, runCli, runRadclient, secretFlag, eaphostCommand } from '../support/cli-run';

const runPing = eaphostCommand('ping');

/**
 * Status-Server (RFC 5997): `eaphost ping` against FreeRADIUS's status listener (an independent
 * implementation that verifies our Message-Authenticator and signs its answer), and `eaphost
 * serve` answering radclient's Status-Server, the other independent side.
 */
const SECRET = 'status-secret';

const ping = (argv: string[]): Promise<CliRun> => runCli(runPing, argv);

const radclientStatus = (port: number, secret: string) => runRadclient(port, secret, 'status', 'Message-Authenticator = 0x00\n', 2);

/** A Status-Server built by hand, optionally without Message-Authenticator; the reply or undefined. */
async function rawStatusServer(port: number, withMessageAuthenticator: boolean): Promise<Buffer | undefined> {
  const authenticator = randomBytes(16);
  const attributes = withMessageAuthenticator ? Buffer.concat([Buffer.from([80, 18]), Buffer.alloc(16)]) : Buffer.alloc(0);
  const packet = Buffer.concat([Buffer.from([12, 7, 0, 0]), authenticator, attributes]);
  packet.writeUInt16BE(packet.length, 2);
  if (withMessageAuthenticator) createHmac('md5', SECRET).update(packet).digest().copy(packet, 22);
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 1000);
      socket.on('message', (message) => { clearTimeout(timer); resolve(message); });
      socket.send(packet, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

describe('Status-Server: eaphost ping and eaphost serve', function () {
  this.timeout(60_000);

  describe('against FreeRADIUS', () => {
    let freeradius: FreeRadiusInstance;
    before(async () => {
      freeradius = await startFreeRadius({ secret: SECRET, users: [], statusServer: true });
    });
    after(async () => {
      await freeradius?.stop();
    });

    it('FreeRADIUS\'s status listener answers `eaphost ping` with an Access-Accept and a latency', async () => {
      const { code, out, err } = await ping(['--radius', `127.0.0.1:${freeradius.statusPort}`, ...secretFlag('secret', SECRET), '--json']);
      assert.equal(code, 0, `${err.join('\n')}\n${freeradius.log()}`);
      const result = JSON.parse(out[0]);
      assert.equal(result.result, 'alive');
      assert.equal(result.code, 'Access-Accept');
      assert.equal(typeof result.latencyMs, 'number');
      assert.ok(result.latencyMs >= 0 && result.latencyMs < 3000);
      assert.doesNotMatch(out[0], new RegExp(SECRET));
    });

    it('`eaphost ping` as main() runs it prints one line', async () => {
      const out: string[] = [];
      const code = await main(['ping', '--radius', `127.0.0.1:${freeradius.statusPort}`, ...secretFlag('secret', SECRET)], (l) => out.push(l),
        () => undefined);
      assert.equal(code, 0);
      assert.match(out[0], /^Access-Accept to Status-Server from 127\.0\.0\.1:\d+ in [\d.]+ ms/);
    });

    it('a wrong secret: FreeRADIUS drops our Status-Server, ping exits 3 within --timeout', async () => {
      const started = Date.now();
      const { code, err } = await ping(['--radius', `127.0.0.1:${freeradius.statusPort}`, ...secretFlag('secret', 'not-it'),
        '--timeout', '1000']);
      assert.equal(code, 3);
      assert.match(err[0], /no reply from RADIUS server/);
      assert.ok(Date.now() - started < 2500);
    });
  });

  describe('against eaphost serve', () => {
    let server: RadiusServer;
    let port: number;
    md5RadiusServerHooks(SECRET, (started, listening) => { server = started; port = listening; });

    it('answers radclient\'s Status-Server with an Access-Accept radclient verifies', async () => {
      const { code, output } = await radclientStatus(port, SECRET);
      assert.equal(code, 0, output);
      assert.match(output, /Received Access-Accept/);
    });

    it('drops a Status-Server without Message-Authenticator, and one signed with another secret', async () => {
      // Alive first: the hand-built packet with a valid Message-Authenticator is answered (Access-Accept).
      assert.equal((await rawStatusServer(port, true))?.[0], 2);
      const before = server.stats.droppedUnauthenticated;
      const missing = server.stats.droppedNoMessageAuthenticator;
      assert.equal(await rawStatusServer(port, false), undefined);
      assert.equal(server.stats.droppedNoMessageAuthenticator, missing + 1);
      const wrongSecret = await radclientStatus(port, 'other-secret');
      assert.notEqual(wrongSecret.code, 0, wrongSecret.output);
      assert.match(wrongSecret.output, /No reply/i, 'radclient got no answer at all');
      assert.equal(server.stats.droppedUnauthenticated, before + 1);
      // And still alive after them.
      assert.equal((await rawStatusServer(port, true))?.[0], 2);
    });

    it('`eaphost serve` in its own process answers `eaphost ping`', async () => {
      const dir = makeTempDir('ping-serve');
      const usersFile = join(dir.path, 'users.json');
      writeFileSync(usersFile, JSON.stringify({ frank: { password: 'pw' } }));
      const serve = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', usersFile, '--methods', 'md5']);
      const servePort = serve.port;
      try {
        const { code, out } = await ping(['--radius', `127.0.0.1:${servePort}`, ...secretFlag('secret', SECRET), '--json']);
        assert.equal(code, 0, serve.output());
        assert.equal(JSON.parse(out[0]).messageAuthenticator, true);
        const wrong = await ping(['--radius', `127.0.0.1:${servePort}`, ...secretFlag('secret', 'not-it'), '--timeout', '600']);
        assert.equal(wrong.code, 3);
      } finally {
        await serve.stop();
        dir.remove();
      }
    });

    it('bad usage exits 2 with the usage line', async () => {
      const { code, err } = await ping(['--radius', '127.0.0.1:1812']);
      assert.equal(code, 2);
      assert.match(err.join('\n'), /eaphost ping --help for usage/);
      assert.equal((await ping(['--radius', 'x:notaport', ...secretFlag('secret', 's')])).code, 2);
    });
  });
});
