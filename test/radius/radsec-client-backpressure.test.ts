import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { RadSecClient } from '../../lib/radius';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { RadiusTimeoutError } from '../../lib/radius/errors';
import { CLIENT_KEY_PASSWORD, InteropPki, makeInteropPki, SERVER_NAME } from '../support/interop-pki';

/**
 * The RadSec client reads a connection no faster than its engine frames and checks what came:
 * past a bound of unread bytes the TLS socket is paused until the engine has taken them, as the
 * server side does. Before, a server streaming junk made `auth --radsec --timeout 6000` hold 5 GB
 * and answer after 70.8 s. The server here is Node's TLS in a child process, writing 4 KB
 * RADIUS packets under random Identifiers (well framed, none signed) as fast as TLS takes them.
 */
const JUNK_SERVER = `
const tls = require('node:tls');
const { randomBytes } = require('node:crypto');
const server = tls.createServer({ cert: process.env.CERT, key: process.env.KEY }, (socket) => {
  socket.on('error', () => {});
  const pump = () => {
    for (;;) {
      const packet = randomBytes(4096);
      packet[0] = 2;
      packet.writeUInt16BE(4096, 2);
      for (let at = 20; at < 4096; at += 238) { packet[at] = 26; packet[at + 1] = Math.min(238, 4096 - at); }
      if (socket.destroyed || !socket.write(packet)) break;
    }
    if (!socket.destroyed) socket.once('drain', pump);
  };
  pump();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

describe('RadSec client: a server streaming junk', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  before(async () => { pki = await makeInteropPki(); });
  after(() => pki?.remove());

  it('costs a bounded amount of memory, and the request ends at its deadline', async () => {
    const child = spawn(process.execPath, ['-e', JUNK_SERVER], {
      env: { ...process.env, CERT: pki.serverCert, KEY: pki.serverKey }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const client = new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 6000 });
    let sampler: NodeJS.Timeout | undefined;
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.once('data', (line: Buffer) => resolve(Number(line.toString().trim())));
        child.once('exit', (code) => reject(new Error(`the junk server exited (${code})`)));
      });
      const before = process.memoryUsage().rss;
      let peak = before;
      sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
      const started = performance.now();
      const error = await client.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET },
        [{ type: 1, value: Buffer.from('junk-reader') }]).then(() => undefined, (thrown: unknown) => thrown);
      const elapsed = performance.now() - started;
      peak = Math.max(peak, process.memoryUsage().rss);
      assert.ok(error instanceof RadiusTimeoutError, String(error));
      assert.ok(error.strayReplies + error.unverifiedReplies > 0, error.message);
      assert.ok(elapsed < 6000 + 2000, `ended after ${Math.round(elapsed)} ms, its timeout 6000 ms`);
      const grewMb = (peak - before) / 2 ** 20;
      assert.ok(grewMb < 100, `RSS grew by ${grewMb.toFixed(0)} MB while the junk streamed`);
    } finally {
      clearInterval(sampler);
      await client.close();
      child.kill('SIGKILL');
    }
  });
});
