/**
 * `eaphost auth`: which of its forms the arguments ask for. Without --radius the embedded
 * authenticator runs the method (embedded.ts, or config-xml.ts for --config-xml); with --radius
 * a RADIUS server does: PAP or MAB as plain RADIUS (pap.ts), a monitoring check (nagios.ts), or
 * an EAP method relayed in Access-Requests (radius.ts). Each form is loaded only when asked for.
 */
import { LineWriter, parseCommand } from '../command-line';
import { AUTH_EMBEDDED } from '../forms';
import { resolveSecrets } from '../secrets';
import { runEmbeddedAuth } from './embedded';

export async function runAuth(argv: readonly string[], out: LineWriter, err: LineWriter): Promise<number> {
  if (argv.some((arg) => arg === '--radius' || arg.startsWith('--radius='))) {
    const { wantsPlainRadius, runPapAuth } = await import('./pap');
    if (wantsPlainRadius(argv)) return runPapAuth(argv, out, err);
    if (argv.includes('--nagios')) {
      const { runNagios } = await import('./nagios');
      return runNagios(argv, out, err);
    }
    const { runRadiusAuth } = await import('./radius');
    return runRadiusAuth(argv, out, err);
  }
  const { values } = parseCommand(AUTH_EMBEDDED, argv);
  resolveSecrets(values, ['password', 'key-password']);
  return runEmbeddedAuth(values, out, err);
}
