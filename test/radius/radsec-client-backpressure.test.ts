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
let written = 0;
setInterval(() => process.stdout.write('written ' + written + '\\n'), 250).unref();
const server = tls.createServer({ cert: process.env.CERT, key: process.env.KEY }, (socket) => {
  socket.on('error', () => {});
  const pump = () => {
    for (;;) {
      const packet = randomBytes(4096);
      packet[0] = 2;
      packet.writeUInt16BE(4096, 2);
      for (let at = 20; at < 4096; at += 238) { packet[at] = 26; packet[at + 1] = Math.min(238, 4096 - at); }
      if (socket.destroyed) break;
      written += packet.length;
      if (!socket.write(packet)) break;
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
      // The child's lines: its port, then every 250 ms the bytes it has written.
      let written = 0;
      const port = await new Promise<number>((resolve, reject) => {
        let pending = '';
        child.stdout.on('data', (chunk: Buffer) => {
          pending += chunk.toString();
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            if (/^\d+$/.test(line)) resolve(Number(line));
            const count = /^written (\d+)$/.exec(line);
            if (count) written = Number(count[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`the junk server exited (${code})`)));
      });
      // RSS a sample every 50 ms. A client holding what it read grows with the stream (5 GB in
      // 70 s before the bound, about 70 MB a second); a bounded one levels off within a second at
      // whatever its runtime keeps: the buffers it read awaiting a collection (V8 collects on 64 MB
      // of them), its young generation, the allocator's free lists. That level is node's, not the
      // client's (about 40 MB on node 20, 70 on node 24, more in a process that ran hundreds of
      // tests before): what is asserted is that it stays level.
      const before = process.memoryUsage().rss;
      const samples: { ms: number; rss: number }[] = [];
      const started = performance.now();
      sampler = setInterval(() => samples.push({ ms: performance.now() - started, rss: process.memoryUsage().rss }), 50);
      const error = await client.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET },
        [{ type: 1, value: Buffer.from('junk-reader') }]).then(() => undefined, (thrown: unknown) => thrown);
      const elapsed = performance.now() - started;
      samples.push({ ms: elapsed, rss: process.memoryUsage().rss });
      clearInterval(sampler);
      assert.ok(error instanceof RadiusTimeoutError, String(error));
      assert.ok(error.strayReplies + error.unverifiedReplies > 0, error.message);
      assert.ok(elapsed < 6000 + 2000, `ended after ${Math.round(elapsed)} ms, its timeout 6000 ms`);
      const mb = (bytes: number) => bytes / 2 ** 20;
      const peak = (from: number, to: number) => Math.max(before, ...samples.filter((s) => s.ms >= from && s.ms < to).map((s) => s.rss));
      const firstTwoSeconds = mb(peak(0, 2000) - before);
      const rest = mb(peak(2000, Infinity) - before);
      const detail = `RSS up ${firstTwoSeconds.toFixed(0)} MB in the first 2 s, ${rest.toFixed(0)} MB at most after, ` +
        `${mb(written).toFixed(0)} MB of junk written`;
      // The junk went on: at least four times what a leak could hide under the bound below.
      assert.ok(mb(written) > 4 * 32, detail);
      assert.ok(rest - firstTwoSeconds < 32, detail);
    } finally {
      clearInterval(sampler);
      await client.close();
      child.kill('SIGKILL');
    }
  });
});
