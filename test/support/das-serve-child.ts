/**
 * A child process for the serve-originated Disconnect test (run inside a network namespace with
 * `ip netns exec`): a RadiusServer on 127.0.0.1 (EAP-MD5, one user: argv[2] identity, argv[3]
 * password, argv[4] the NAS's secret) that remembers the sessions it accepts. It prints
 * {"port": N}; then for each line on stdin, {"op": "sessions"} or {"op": "disconnect", "selector":
 * …, "nasSecret": …}, one line of JSON: the sessions, the reply or {"error": message, "code"}.
 */
import { createInterface } from 'node:readline';
import { createAuthenticator } from '../../lib/index';
import { RadiusServer } from '../../lib/radius';

async function main(): Promise<void> {
  const [identity, password, secret] = process.argv.slice(2);
  const authenticator = await createAuthenticator({ methods: ['md5'], users: { [identity]: { password } } });
  const server = new RadiusServer({ port: 0, secret, authenticator, sessions: { max: 16, ttlMs: 600_000 } });
  const { port } = await server.listen();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const request = JSON.parse(line) as { op: string; selector?: Record<string, string>; nasSecret?: string };
    try {
      if (request.op === 'sessions') {
        process.stdout.write(`${JSON.stringify({ sessions: server.sessions() })}\n`);
      } else {
        const reply = await server.disconnect(request.selector ?? {}, { nasSecret: request.nasSecret ?? '', timeoutMs: 3000 });
        process.stdout.write(`${JSON.stringify({ acknowledged: reply.acknowledged, codeName: reply.codeName,
          errorCauses: reply.errorCauses })}\n`);
      }
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: (error as Error).message, code: (error as { code?: string }).code })}\n`);
    }
  }
  await server.close();
  await authenticator.close();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
