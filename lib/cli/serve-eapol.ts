/**
 * `eaphost serve --interface IF`: an IEEE 802.1X authenticator port on the wire, for a test rig
 * playing the switch: the embedded authenticator (--users) or pass-through to a RADIUS server
 * (--radius, as a switch does it). One line per outcome on stdout (JSON with --json), until
 * SIGINT / SIGTERM (or `stop`).
 */
import { createAuthenticator } from '../index';
import type { Authenticator } from '../session/authenticator';
import { shippedMethodOfType } from '../session/builtin';
import { EapolAuthenticator, EapolBackend, EapolError, EapolOutcome, embeddedBackend, macText, radiusBackend } from '../eapol';
import { formatHostPort, parseHostPort, RadiusEndpoint } from '../radius';
import { wipeTlsOptions } from './tls-flags';
import { CliOutput, positiveInteger, stringFlag } from './command-line';
import { CommandIo, ExitCode, FlagValues, LineWriter, UsageError } from './main';
import { resolveSecrets } from './secrets';
import { embeddedAuthenticatorFlags } from './serve-methods';
import { untilStopped } from './until-stopped';

/** The outcome line: key=value pairs a log shipper can split; the identity is quoted (it is the supplicant's text). */
export function eapolOutcomeLine(outcome: EapolOutcome): string {
  const method = outcome.method === undefined ? 'none' : shippedMethodOfType(outcome.method) ?? outcome.method;
  return `${new Date().toISOString()} ${outcome.authorized ? 'authorized' : 'unauthorized'} ` +
    `supplicant=${outcome.supplicant} identity=${JSON.stringify(outcome.identity ?? '')} method=${method}` +
    (outcome.vlan !== undefined ? ` vlan=${JSON.stringify(outcome.vlan)}` : '') +
    (outcome.sessionTimeout !== undefined ? ` session-timeout=${outcome.sessionTimeout}` : '') +
    (outcome.filterId !== undefined ? ` filter-id=${JSON.stringify(outcome.filterId)}` : '') +
    (outcome.reason !== undefined ? ` reason=${JSON.stringify(outcome.reason)}` : '');
}

interface PortFlags {
  interfaceName: string;
  radius?: RadiusEndpoint;
  timeoutMs?: number;
  tries?: number;
  maxSupplicants: number;
  maxHalfOpen: number;
  retransmitMs: number;
  quietPeriodMs: number;
}

function portFlags(values: FlagValues, warn: LineWriter): PortFlags {
  const interfaceName = stringFlag(values, 'interface') ?? '';
  if (interfaceName === '') throw new UsageError('--interface needs an interface name');
  const radiusText = stringFlag(values, 'radius');
  if ((radiusText === undefined) === (values.users === undefined)) {
    throw new UsageError('give --users FILE (the embedded authenticator) or --radius HOST:PORT --secret-file FILE, one of them');
  }
  let radius: RadiusEndpoint | undefined;
  if (radiusText !== undefined) {
    resolveSecrets(values, ['secret'], warn);
    const secret = stringFlag(values, 'secret');
    if (secret === undefined || secret === '') throw new UsageError('--radius needs the shared secret (--secret-file FILE)');
    try {
      radius = { ...parseHostPort(radiusText), secret };
    } catch (error) {
      throw new UsageError(`--radius: ${(error as Error).message}`);
    }
  }
  return {
    interfaceName, radius,
    ...(radius ? {
      timeoutMs: positiveInteger(stringFlag(values, 'timeout'), '--timeout', 6000),
      tries: positiveInteger(stringFlag(values, 'tries'), '--tries', 3),
    } : {}),
    maxSupplicants: positiveInteger(stringFlag(values, 'max-supplicants'), '--max-supplicants', 256),
    maxHalfOpen: positiveInteger(stringFlag(values, 'max-half-open'), '--max-half-open', 32),
    retransmitMs: positiveInteger(stringFlag(values, 'retransmit'), '--retransmit', 3000),
    quietPeriodMs: positiveInteger(stringFlag(values, 'quiet-period'), '--quiet-period', 60000),
  };
}

export async function runEapolServe(values: FlagValues, { out, err, stop }: CommandIo): Promise<number> {
  const output: CliOutput = { stdout: out, stderr: err };
  resolveSecrets(values, ['key-password'], err);
  const flags = portFlags(values, err);
  const json = values.json === true;
  let embedded: ReturnType<typeof embeddedAuthenticatorFlags> | undefined;
  if (!flags.radius) embedded = embeddedAuthenticatorFlags(values);
  else if (values.methods !== undefined || values.cert !== undefined) {
    throw new UsageError('--methods and the TLS flags apply to the embedded authenticator (--users), not to --radius');
  }

  let authenticator: Authenticator | undefined;
  let backend: EapolBackend;
  try {
    if (embedded) {
      authenticator = await createAuthenticator({ methods: embedded.methods, users: embedded.users, ...embedded.tls });
      backend = embeddedBackend(authenticator);
    } else {
      backend = radiusBackend({ server: flags.radius!, timeoutMs: flags.timeoutMs, tries: flags.tries });
    }
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    output.stderr(`eaphost serve: ${error.message}`);
    return ExitCode.Usage;
  } finally {
    if (embedded) wipeTlsOptions(embedded.tls);
  }
  let port: EapolAuthenticator;
  try {
    port = new EapolAuthenticator({
      interfaceName: flags.interfaceName, backend, maxSupplicants: flags.maxSupplicants, maxHalfOpen: flags.maxHalfOpen,
      retransmitMs: flags.retransmitMs, quietPeriodMs: flags.quietPeriodMs,
    });
  } catch (error) {
    await backend.close?.().catch(() => undefined);
    await authenticator?.close();
    if (error instanceof EapolError) {
      output.stderr(`eaphost serve: ${error.message}`);
      return ExitCode.Usage;
    }
    throw error;
  }
  const print = (outcome: EapolOutcome): void => output.stdout(json ? JSON.stringify({ event: outcome.authorized
    ? 'authorized' : 'unauthorized', ...outcome }) : eapolOutcomeLine(outcome));
  port.on('authorized', print);
  port.on('unauthorized', print);
  const address = macText(port.port.address);
  const serving = embedded ? `EAP methods: ${embedded.methods.join(', ')}` : `RADIUS server ${formatHostPort(flags.radius!.host, flags.radius!.port)}`;
  if (json) output.stdout(JSON.stringify({ event: 'listening', interface: flags.interfaceName, address }));
  else output.stdout(`802.1X authenticator on ${flags.interfaceName} (${address}) (${serving})`);
  await untilStopped(stop);
  await port.close();
  await authenticator?.close();
  return 0;
}

