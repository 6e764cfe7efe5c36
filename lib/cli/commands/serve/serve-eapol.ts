/**
 * `eaphost serve --interface IF`: an IEEE 802.1X authenticator port on the wire, for a test rig
 * playing the switch: the embedded authenticator (--users) or pass-through to a RADIUS server
 * (--radius, as a switch does it). One line per outcome on stdout (JSON with --json), until
 * SIGINT / SIGTERM (or `stop`).
 */
import { createAuthenticator } from '../../../index';
import type { Authenticator } from '../../../session/authenticator';
import { shippedMethodOfType } from '../../../session/builtin';
import { EapolAuthenticator, EapolBackend, EapolError, EapolOutcome, embeddedBackend, radiusBackend } from '../../../eapol';
import { macText } from '../../../eapol/frame';
import type { EapolDasOptions } from '../../../eapol/das';
import { RadiusEndpoint } from '../../../radius';
import { formatHostPort, parseHostPort } from '../../../radius/endpoint';
import type { RadiusClientEntry } from '../../../radius';
import { DYNAMIC_AUTHORIZATION_PORT } from '../../../radius/das/client';
import { RADSEC_PORT, RADSEC_SECRET } from '../../../radius/radsec/client';
import type { RadSecListenOptions } from '../../../radius/radsec/listener';
import { radsecListenOptions } from '../../radsec-flags';
import { policyFlags } from './serve-policy';
import { wipeTlsOptions } from '../../tls-flags';
import { CliOutput, flagReader, positiveInteger, stringFlag } from '../../command-line';
import { CommandIo, ExitCode, FlagValues, LineWriter, UsageError } from '../../main';
import { literalSecretWarning, resolveSecrets } from '../../secrets';
import { embeddedAuthenticatorFlags } from './serve-methods';
import { untilStopped } from '../../until-stopped';
import { eapolRegistry, listenMetrics, MetricsListener } from '../../../metrics';
import { metricsAddress } from './serve-metrics';

/** The outcome line: key=value pairs a log shipper can split; the identity is quoted (it is the supplicant's text). */
export function eapolOutcomeLine(outcome: EapolOutcome): string {
  const method = outcome.method === undefined ? 'none' : shippedMethodOfType(outcome.method) ?? outcome.method;
  return `${new Date().toISOString()} ${outcome.authorized ? 'authorized' : 'unauthorized'} ` +
    `supplicant=${outcome.supplicant} identity=${JSON.stringify(outcome.identity ?? '')} method=${method}` +
    (outcome.vlan !== undefined ? ` vlan=${JSON.stringify(outcome.vlan)}` : '') +
    (outcome.sessionTimeout !== undefined ? ` session-timeout=${outcome.sessionTimeout}` : '') +
    (outcome.filterId !== undefined ? ` filter-id=${JSON.stringify(outcome.filterId)}` : '') +
    (outcome.replyAttributes !== undefined ? ` reply=${outcome.replyAttributes.map(({ type, value }) => `${type}:${value}`).join(',')}` : '') +
    (outcome.reason !== undefined ? ` reason=${JSON.stringify(outcome.reason)}` : '');
}

interface PortFlags {
  interfaceName: string;
  radius?: RadiusEndpoint;
  timeoutMs?: number;
  tries?: number;
  maxSupplicants: number;
  maxHalfOpen: number;
  maxStartsPerSecond: number;
  maxIdentityRequestsPerSecond: number;
  retransmitMs: number;
  quietPeriodMs: number;
  nasIdentifier: string;
  das?: EapolDasOptions;
  /** --metrics: where the port's Prometheus metrics listen. */
  metrics?: { host: string; port: number };
}

/** --das-radsec's listener: RadSec's certificate flags (radsec-flags.ts), as --das-radsec's; TLS on
 *  TCP and, as serve --radsec, DTLS on the same port number over UDP. */
function dasRadSec(values: FlagValues): RadSecListenOptions | undefined {
  const options = radsecListenOptions(flagReader(values), [], 'das-radsec');
  return options && { ...options, dtls: true };
}

/** --das and its clients: each --das-client CIDR[=SECRET], the ones without a secret taking --das-secret's;
 *  with none, the --radius server (a RADIUS server usually sends them) or loopback. With --das-radsec,
 *  over RadSec: the clients need no secret (RadSec's is "radsec"). */
function dasFlags(values: FlagValues, radius: RadiusEndpoint | undefined, nasIdentifier: string, warn: LineWriter):
    EapolDasOptions | undefined {
  const dasText = stringFlag(values, 'das');
  const given = (values['das-client'] as string[] | undefined) ?? [];
  resolveSecrets(values, ['das-secret'], warn);
  const secret = stringFlag(values, 'das-secret');
  const radsec = dasRadSec(values);
  if (dasText === undefined) {
    if (given.length > 0 || secret !== undefined || values['das-window'] !== undefined || values['das-no-event-timestamp'] === true ||
      radsec !== undefined) {
      throw new UsageError('--das-client, --das-secret, --das-window, --das-no-event-timestamp and --das-radsec need --das HOST[:PORT]');
    }
    return undefined;
  }
  if (radsec && secret !== undefined) throw new UsageError('--das-secret applies over UDP: over RadSec the secret is "radsec" (RFC 6614 §2.3)');
  let bind: { host: string; port: number };
  try {
    bind = parseHostPort(dasText, radsec ? RADSEC_PORT : DYNAMIC_AUTHORIZATION_PORT);
  } catch (error) {
    throw new UsageError(`--das: ${(error as Error).message}`);
  }
  const networks = given.length > 0 ? given
    : radius ? [radius.host] : ['127.0.0.1', '::1'];
  if (radsec) {
    const literal = given.find((entry) => entry.includes('='));
    if (literal !== undefined) throw new UsageError(`--das-client ${literal}: over RadSec a client has no secret of its own`);
  }
  const clients: RadiusClientEntry[] = networks.map((entry) => {
    const eq = entry.indexOf('=');
    const network = eq === -1 ? entry : entry.slice(0, eq);
    const own = eq === -1 ? undefined : entry.slice(eq + 1);
    if (network === '' || own === '') throw new UsageError(`--das-client "${network || entry}": expected ADDRESS[/PREFIX][=SECRET]`);
    if (radsec) return { network, secret: RADSEC_SECRET };
    if (own === undefined && (secret === undefined || secret === '')) {
      throw new UsageError(`--das-client ${network} has no secret: give CIDR=SECRET or --das-secret-file FILE`);
    }
    return { network, secret: own ?? secret! };
  });
  if (given.some((entry) => entry.includes('='))) {
    warn(`eaphost: ${literalSecretWarning('das-client', '--das-client CIDR with --das-secret-file FILE')}`);
  }
  return {
    host: bind.host, port: bind.port, clients, nasIdentifier, ...(radsec ? { radsec } : {}),
    windowSeconds: positiveInteger(stringFlag(values, 'das-window'), '--das-window', 300, 86_400),
    requireEventTimestamp: values['das-no-event-timestamp'] !== true,
  };
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
  const nasIdentifier = stringFlag(values, 'nas-identifier') ?? 'eaphost';
  if (nasIdentifier === '') throw new UsageError('--nas-identifier must not be empty');
  const metricsAt = stringFlag(values, 'metrics');
  return {
    interfaceName, radius, nasIdentifier, das: dasFlags(values, radius, nasIdentifier, warn),
    ...(radius ? {
      timeoutMs: positiveInteger(stringFlag(values, 'timeout'), '--timeout', 6000),
      tries: positiveInteger(stringFlag(values, 'tries'), '--tries', 3),
    } : {}),
    maxSupplicants: positiveInteger(stringFlag(values, 'max-supplicants'), '--max-supplicants', 256),
    maxHalfOpen: positiveInteger(stringFlag(values, 'max-half-open'), '--max-half-open', 32),
    maxStartsPerSecond: positiveInteger(stringFlag(values, 'max-starts'), '--max-starts', 100),
    maxIdentityRequestsPerSecond: positiveInteger(stringFlag(values, 'max-identity-requests'), '--max-identity-requests', 20000),
    retransmitMs: positiveInteger(stringFlag(values, 'retransmit'), '--retransmit', 3000),
    quietPeriodMs: positiveInteger(stringFlag(values, 'quiet-period'), '--quiet-period', 60000),
    ...(metricsAt !== undefined ? { metrics: metricsAddress(metricsAt) } : {}),
  };
}

export async function runEapolServe(values: FlagValues, { out, err, stop }: CommandIo): Promise<number> {
  const output: CliOutput = { stdout: out, stderr: err };
  resolveSecrets(values, ['key-password'], err);
  const flags = portFlags(values, err);
  const json = values.json === true;
  let embedded: ReturnType<typeof embeddedAuthenticatorFlags> | undefined;
  if (flags.radius && values.policy !== undefined) throw new UsageError('--policy applies to the embedded authenticator (--users), not to --radius');
  const { policy } = policyFlags(values);
  if (!flags.radius) embedded = embeddedAuthenticatorFlags(values);
  else if (values.methods !== undefined || values.cert !== undefined) {
    throw new UsageError('--methods and the TLS flags apply to the embedded authenticator (--users), not to --radius');
  }

  let authenticator: Authenticator | undefined;
  let backend: EapolBackend;
  try {
    if (embedded) {
      authenticator = await createAuthenticator({ methods: embedded.methods, users: embedded.users, ...embedded.tls });
      backend = embeddedBackend(authenticator, policy ? { policy } : {});
    } else {
      backend = radiusBackend({ server: flags.radius!, timeoutMs: flags.timeoutMs, tries: flags.tries, nasIdentifier: flags.nasIdentifier });
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
      maxStartsPerSecond: flags.maxStartsPerSecond, maxIdentityRequestsPerSecond: flags.maxIdentityRequestsPerSecond,
      retransmitMs: flags.retransmitMs, quietPeriodMs: flags.quietPeriodMs, ...(flags.das ? { das: flags.das } : {}),
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
  let das: { address: string; port: number } | undefined;
  if (flags.das) {
    try {
      das = await port.dasAddress();
    } catch (error) {
      await port.close();
      await authenticator?.close();
      output.stderr(`eaphost serve: --das ${formatHostPort(flags.das.host!, flags.das.port!)}: ${(error as Error).message}`);
      return ExitCode.Usage;
    }
  }
  let metrics: MetricsListener | undefined;
  if (flags.metrics) {
    try {
      metrics = await listenMetrics(eapolRegistry(() => ({ port: port.port.stats(), authenticator: port.stats() })), flags.metrics);
    } catch (error) {
      await port.close();
      await authenticator?.close();
      output.stderr(`eaphost serve: --metrics ${formatHostPort(flags.metrics.host, flags.metrics.port)}: ${(error as Error).message}`);
      return 1;
    }
  }
  const address = macText(port.port.address);
  const serving = embedded ? `EAP methods: ${embedded.methods.join(', ')}` : `RADIUS server ${formatHostPort(flags.radius!.host, flags.radius!.port)}`;
  if (json) {
    output.stdout(JSON.stringify({ event: 'listening', interface: flags.interfaceName, address, ...(das ? { das } : {}),
      ...(metrics ? { metrics: metrics.url } : {}) }));
  } else {
    output.stdout(`802.1X authenticator on ${flags.interfaceName} (${address}) (${serving})` +
      (das ? `; Disconnect / CoA (RFC 5176) on ${formatHostPort(das.address, das.port)}${flags.das?.radsec ? ' (RadSec: TLS on TCP, DTLS on UDP)' : ''}` : ''));
    if (metrics) output.stdout(`metrics on ${metrics.url}`);
  }
  metrics?.ready();
  await untilStopped(stop);
  await metrics?.close();
  await port.close();
  await authenticator?.close();
  return 0;
}

