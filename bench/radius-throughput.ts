/**
 * Authentications per second of our RADIUS client (real EAPHost peer sessions, EAP-MD5, 32 in
 * flight over one RadiusClient) against FreeRADIUS, beside serial eapol_test runs against the same
 * server in the same run. Target: at least 10x eapol_test.
 *
 *   node dist/bench/radius-throughput.js [--seconds 5] [--in-flight 32] [--eapol-runs 20]
 */
import { parseArgs } from 'node:util';
import { authenticate, openEapHost } from '../lib';
import { RadiusClient, RadiusEapTransport } from '../lib/radius';
import { runEapolTestMd5 } from '../test/support/eapol-test';
import { startFreeRadius } from '../test/support/freeradius';

const SECRET = 'bench-secret';
const USERS = Array.from({ length: 64 }, (_, i) => ({ identity: `bench${i}`, password: `pw${i}` }));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    seconds: { type: 'string', default: '5' }, 'in-flight': { type: 'string', default: '32' },
    'eapol-runs': { type: 'string', default: '20' },
  } });
  const seconds = Number(values.seconds);
  const inFlight = Number(values['in-flight']);
  const eapolRuns = Number(values['eapol-runs']);

  const server = await startFreeRadius({ secret: SECRET, users: USERS });
  try {
    const endpoint = { host: server.host, port: server.port, secret: SECRET };
    const host = await openEapHost();
    const client = new RadiusClient({ timeoutMs: 6000, tries: 3 });
    let completed = 0;
    let failed = 0;
    const deadline = Date.now() + seconds * 1000;
    const started = Date.now();
    const worker = async (index: number): Promise<void> => {
      for (let n = index; Date.now() < deadline; n += inFlight) {
        const user = USERS[n % USERS.length];
        const session = await host.beginSession({ method: 'md5', identity: user.identity, password: user.password });
        const result = await authenticate({ session, transport: new RadiusEapTransport({ server: endpoint, client }) });
        if (result.success) completed++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, (_, i) => worker(i)));
    const elapsed = (Date.now() - started) / 1000;
    const ours = completed / elapsed;
    await client.close();

    const eapolStarted = Date.now();
    let eapolOk = 0;
    for (let i = 0; i < eapolRuns; i++) {
      const user = USERS[i % USERS.length];
      const result = await runEapolTestMd5({ ...endpoint, identity: user.identity, password: user.password });
      if (result.success) eapolOk++;
    }
    const eapol = eapolOk / ((Date.now() - eapolStarted) / 1000);

    console.log(`eaphost RADIUS client: ${completed} MD5 authentications in ${elapsed.toFixed(2)} s, ` +
      `${inFlight} in flight: ${ours.toFixed(0)} auth/s (failed ${failed}, retransmissions ${client.stats.retransmissions})`);
    console.log(`eapol_test (serial):   ${eapolOk}/${eapolRuns} runs: ${eapol.toFixed(1)} auth/s`);
    console.log(`ratio: ${(ours / eapol).toFixed(1)}x (target >= 10x)`);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
