/**
 * `eaphost auth`: which of its forms the arguments ask for. Without --radius the embedded
 * authenticator runs the method (embedded.ts, or config-xml.ts for --config-xml); with --radius
 * a RADIUS server does: PAP or MAB as plain RADIUS (pap.ts), a monitoring check (nagios.ts), or
 * an EAP method relayed in Access-Requests (radius.ts); with --interface an 802.1X authenticator on
 * the wire does (eapol.ts). Each form is loaded only when asked for.
 */
import { LineWriter, UsageError, parseCommand } from '../command-line';
import { AUTH_EMBEDDED } from '../forms';
import { resolveSecrets } from '../secrets';
import { runEmbeddedAuth } from './embedded';

export async function runAuth(argv: readonly string[], out: LineWriter, err: LineWriter): Promise<number> {
  if (argv.some((arg) => arg === '--interface' || arg.startsWith('--interface='))) {
    const { runEapolAuth } = await import('./eapol');
    return runEapolAuth(argv, out, err);
  }
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
  // The embedded authenticator's certificate comes from its own ephemeral CA, which no profile trusts.
  if (values.profile !== undefined) throw new UsageError('--profile needs --radius HOST:PORT (a server whose certificate the profile trusts)');
  resolveSecrets(values, ['password', 'key-password'], err);
  return runEmbeddedAuth(values, out, err);
}
