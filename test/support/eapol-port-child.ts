/**
 * A child process for the EAPOL port tests (run inside a network namespace with `ip netns exec`):
 * an authenticator port on argv[2] over the embedded authenticator (MD5), bounded by argv[3]
 * stations and argv[4] half-open conversations. It prints "ready", and on a line on stdin prints
 * the port's and the authenticator's counters as JSON and exits.
 */
import { createAuthenticator } from '../../lib/index';
import { EapolAuthenticator, embeddedBackend } from '../../lib/eapol';

async function main(): Promise<void> {
  const [interfaceName, maxSupplicants, maxHalfOpen] = process.argv.slice(2);
  const authenticator = await createAuthenticator({ methods: ['md5'], users: { someone: { password: 'unused' } } });
  const port = new EapolAuthenticator({
    interfaceName, backend: embeddedBackend(authenticator), identityAtStart: false,
    maxSupplicants: Number(maxSupplicants), maxHalfOpen: Number(maxHalfOpen), retransmitMs: 60_000,
  });
  let peak = { supplicants: 0, halfOpen: 0 };
  const watch = setInterval(() => {
    const now = port.stats();
    peak = { supplicants: Math.max(peak.supplicants, now.supplicants), halfOpen: Math.max(peak.halfOpen, now.halfOpen) };
  }, 5);
  process.stdout.write('ready\n');
  process.stdin.once('data', async () => {
    clearInterval(watch);
    process.stdout.write(`${JSON.stringify({ port: port.port.stats(), authenticator: port.stats(), peak })}\n`);
    await port.close();
    await authenticator.close();
    process.exit(0);
  });
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
