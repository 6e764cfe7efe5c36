import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { InteropPki, makeInteropPki } from '../support/interop-pki';
import { delayingProxy, nasConnection, statusServer } from '../support/radsec-peers';

/**
 * RadSec admission under a churn of connections that send nothing, from many addresses: a NAS
 * 100 ms away (a delaying proxy in front of it, 50 ms each way, its connection to the listener
 * made 50 ms after the NAS's) must still finish its handshakes. Before, the newcomer displaced the
 * oldest unfinished handshake, whatever it was: a NAS whose handshake takes longer than
 * slots / churn rate never finished (0 of 28 at 3,000/s from 1,000 addresses with 256 slots). The
 * listener has 32 slots here, so 600 connections a second (from 1,000 addresses of 127.1.0.0/16
 * and three more /16s) are that pressure and more.
 */
const SLOTS = 32;
const CHURN_PER_SECOND = 600;
const ONE_WAY_MS = 50;
const ATTEMPTS = 8;

/** Opens CHURN_PER_SECOND byte-less connections a second, each from the next of 1,000 loopback
 *  addresses, and lets the listener close them. */
const CHURN = `
const net = require('node:net');
const [port, rate] = process.argv.slice(1).map(Number);
const addresses = [];
for (let i = 0; i < 1000; i++) addresses.push('127.' + (1 + (i % 4)) + '.' + Math.floor(i / 4) % 250 + '.' + (1 + (i % 200)));
let n = 0;
const started = Date.now();
setInterval(() => {
  const due = Math.floor((Date.now() - started) * rate / 1000);
  for (; n < due; n++) {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: addresses[n % addresses.length] });
    socket.on('error', () => {});
  }
}, 5);
process.stdout.write('churning\\n');
`;

describe('RadSec admission: a NAS 100 ms away under a churn from 1,000 addresses', function () {
  this.timeout(120_000);
  let pki: InteropPki;
  before(async () => { pki = await makeInteropPki(); });
  after(() => pki?.remove());

  it(`finishes its handshakes: ${ATTEMPTS} of ${ATTEMPTS} Status-Servers answered`, async () => {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { u: { password: 'p' } } });
    const server = new RadiusServer({
      host: '127.0.0.1', port: 0, authenticator,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, maxConnections: SLOTS },
    });
    const { port } = await server.listen();
    const proxy = await delayingProxy(port, ONE_WAY_MS);
    const churn = spawn(process.execPath, ['-e', CHURN, String(port), String(CHURN_PER_SECOND)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const outcomes: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        churn.stdout.once('data', () => resolve());
        churn.once('exit', (code) => reject(new Error(`the churn ended (${code}) before it began`)));
      });
      // Let the churn fill every slot first.
      await new Promise((done) => setTimeout(done, 1000));
      const proxyPort = (proxy.address() as { port: number }).port;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const started = performance.now();
        try {
          const nas = await nasConnection(pki, '127.0.0.1', proxyPort);
          try {
            await Promise.race([statusServer(nas, attempt),
              new Promise((_, fail) => setTimeout(() => fail(new Error('no answer in 5 s')), 5000))]);
            outcomes.push(`ok ${Math.round(performance.now() - started)} ms`);
          } finally {
            nas.socket.destroy();
          }
        } catch (error) {
          outcomes.push(`failed: ${(error as Error).message}`);
        }
      }
    } finally {
      churn.kill('SIGKILL');
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await server.close();
      await authenticator.close();
    }
    assert.deepEqual(outcomes.filter((outcome) => !outcome.startsWith('ok')), [], outcomes.join('\n'));
  });
});
