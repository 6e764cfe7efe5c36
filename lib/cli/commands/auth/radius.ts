/**
 * `eaphost auth --radius …`: test a RADIUS / NPS setup from the command line, in the spirit of
 * eapol_test (`eaphost serve` is ../serve.ts). It takes the parsed flags (commands/auth.ts declares
 * them) and line writers for stdout and stderr, and resolves with the exit code; bad usage is a
 * thrown UsageError, which the program (main.ts) reports.
 *
 * auth exit codes: 0 Access-Accept, 1 Access-Reject / EAP-Failure / other failure, 2 bad usage,
 * 3 no trustworthy answer in time (timeout, or replies that fail verification: wrong secret).
 */
import { authenticate, openEapHost } from '../../../index';
import { BuiltinMethodName, isTlsMethodName } from '../../../session/builtin';
import { TlsPeerOptions, trustedPeerTlsOptions, wipeTlsOptions, certificateOnly } from '../../tls-flags';
import { EapError } from '../../../core/errors';
import { profileFromFlags } from './config-xml';
import { networkProfileFromFlags } from '../../auth-profile';
import type { BeginSessionOptions } from '../../../core/session-options';
import { errorJson, outcomeJson, outcomeLines } from './outcome';
import { nasAttributes } from '../../nas-attributes';
import { decodeReplyAttributes, DecodedReplyAttribute } from './reply-attributes';
import { ServerCertificateInspection, type PresentedTls } from './server-cert-report';
import { radsecClient, radsecDefaultSecret } from '../../radsec-flags';
import { ErrorCause, RadiusEapTransport, RadiusTimeoutError, RadiusAttribute } from '../../../radius';
import type { RadSecClientOptions } from '../../../radius';
import { formatHostPort, parseHostPort } from '../../../radius/endpoint';
import {
  RadiusAuthenticatorMismatchError, RadiusInconsistentVerdictError, RadiusMessageAuthenticatorMissingError,
  RadiusMessageAuthenticatorInvalidError,
} from '../../../radius/errors';
import { radiusCodeName } from '../../../radius/constants';
import { CliOutput, flagReader, positiveInteger, requireMessageAuthenticator, shippedMethodName, stringFlag } from '../../command-line';
import { ExitCode, FlagValues, LineWriter, UsageError } from '../../main';
import { CoreReport, reportJson, trustWarnings } from '../../report';
import { resolveSecrets } from '../../secrets';
import { eapPacketLine } from '../../../core/packet';
import { ConversationRecord } from './conversation';
import { peerHostOptions } from './peer-host';
import type { OpenEapHostOptions } from '../../../session/eaphost';

interface AuthArgs {
  server: { host: string; port: number; secret: string };
  /** A shipped method by name, or 'profile' with --config-xml (the profile names the method). */
  method: BuiltinMethodName | 'profile';
  /** --config-xml / --credentials-xml: the session begins from these documents. */
  profile?: { configXml: string; credentialsXml?: string } | BeginSessionOptions;
  identity: string;
  password?: string;
  tls: TlsPeerOptions;
  hostOptions: OpenEapHostOptions;
  timeoutMs: number;
  tries: number;
  json: boolean;
  showKeys: boolean;
  verbose: boolean;
  requireMessageAuthenticator: boolean;
  /** NAS attributes for every Access-Request. */
  attributes: RadiusAttribute[];
  /** --show-server-cert / --save-server-cert. */
  inspection?: ServerCertificateInspection;
  /** --radsec: RADIUS over TLS instead of UDP. */
  radsec?: ReturnType<typeof radsecClient>;
}

/** --reverse-coa ack|nak and --reverse-coa-wait SECONDS (experimental): the RadSec client's
 *  reverseCoa, printing each request it takes with `print`, and how long to hold the connection
 *  after an Access-Accept, or until a Disconnect-Request is ACK'd. */
function reverseCoaOf(values: FlagValues, print: LineWriter):
    { options: NonNullable<RadSecClientOptions['reverseCoa']>; waitMs: number; disconnected: Promise<void> } | undefined {
  const answer = stringFlag(values, 'reverse-coa');
  const wait = stringFlag(values, 'reverse-coa-wait');
  if (answer === undefined) {
    if (wait !== undefined) throw new UsageError('--reverse-coa-wait applies with --reverse-coa only');
    return undefined;
  }
  if (values.radsec !== true) throw new UsageError('--reverse-coa applies with --radsec only: requests come down our RadSec connection');
  if (answer !== 'ack' && answer !== 'nak') throw new UsageError(`--reverse-coa must be ack or nak, not "${answer}"`);
  if (wait !== undefined && !/^\d{1,5}$/.test(wait)) throw new UsageError('--reverse-coa-wait must be a whole number of seconds from 0 to 99999');
  let ended: () => void = () => undefined;
  const disconnected = new Promise<void>((resolve) => { ended = resolve; });
  const nasIdentifier = stringFlag(values, 'nas-identifier');
  const nasIpAddress = stringFlag(values, 'nas-ip-address');
  return {
    waitMs: Number(wait ?? '0') * 1000, disconnected,
    options: {
      ...(nasIdentifier !== undefined ? { nasIdentifier } : {}), ...(nasIpAddress !== undefined ? { nasIpAddress } : {}),
      handle: (request) => {
        const name = request.kind === 'disconnect' ? 'Disconnect' : 'CoA';
        print(`reverse CoA: ${name}-Request from ${request.client} for ${JSON.stringify(request.session.userName ?? '')}: ` +
          `${name}-${answer === 'ack' ? 'ACK' : 'NAK (Error-Cause 501 Administratively Prohibited)'}`);
        if (answer === 'nak') return { done: false, errorCause: ErrorCause.AdministrativelyProhibited };
        if (request.kind === 'disconnect') ended();
        return { done: true };
      },
    },
  };
}

/** After an Access-Accept with --reverse-coa-wait: the connection held that long, or until a Disconnect-Request is ACK'd. */
async function holdForReverseCoa(reverse: ReturnType<typeof reverseCoaOf>): Promise<void> {
  if (!reverse || reverse.waitMs === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([reverse.disconnected, new Promise<void>((resolve) => { timer = setTimeout(resolve, reverse.waitMs); })]);
  clearTimeout(timer);
}

function parseAuthArgs(values: FlagValues, warn: LineWriter, reverseCoa?: RadSecClientOptions['reverseCoa']): AuthArgs {
  resolveSecrets(values, ['secret', 'password', 'key-password'], warn);
  const flag = flagReader(values);
  const profile = networkProfileFromFlags(flag) ?? profileFromFlags(flag);
  const method = profile ? 'profile' : shippedMethodName(stringFlag(values, 'method') ?? 'md5', '--method');
  // RadSec's secret is "radsec" (RFC 6614 §2.3), or "radius/dtls" over DTLS, unless said otherwise.
  if (values.radsec === true) values.secret ??= radsecDefaultSecret(flag);
  for (const required of ['radius', 'secret', ...(profile ? [] : ['identity', ...(certificateOnly(method, flag) ? [] : ['password'])])]) {
    if (values[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  const tls = profile ? {} : trustedPeerTlsOptions(method, flag);
  if (values.secret === '') throw new UsageError('--secret must not be empty');
  const showServerCert = values['show-server-cert'] === true;
  const saveServerCert = stringFlag(values, 'save-server-cert');
  if ((showServerCert || saveServerCert !== undefined) && !isTlsMethodName(method)) {
    throw new UsageError('--show-server-cert and --save-server-cert apply to the TLS methods (peap, ttls, tls) only');
  }
  if (saveServerCert === '') throw new UsageError('--save-server-cert needs a file name');
  let endpoint;
  try {
    endpoint = parseHostPort(stringFlag(values, 'radius')!);
  } catch (error) {
    throw new UsageError(`--radius: ${(error as Error).message}`);
  }
  const timeoutMs = positiveInteger(stringFlag(values, 'timeout'), '--timeout', 6000);
  return {
    radsec: radsecClient(flag, timeoutMs, reverseCoa),
    server: { ...endpoint, secret: values.secret as string },
    method,
    ...(profile ? { profile } : {}),
    identity: (profile && 'identity' in profile ? profile.identity : undefined) ?? stringFlag(values, 'identity') ?? '',
    password: stringFlag(values, 'password'),
    tls,
    hostOptions: peerHostOptions(values),
    timeoutMs,
    tries: positiveInteger(stringFlag(values, 'tries'), '--tries', 3),
    json: values.json === true,
    showKeys: values['show-keys'] === true,
    verbose: values.verbose === true,
    requireMessageAuthenticator: requireMessageAuthenticator(values),
    attributes: nasAttributes(flagReader(values)),
    ...(showServerCert || saveServerCert !== undefined
      ? { inspection: new ServerCertificateInspection(showServerCert, saveServerCert) } : {}),
  };
}

/** What a wrapper (the --nagios output) may watch of a run: the TLS outcome the peer's result
 *  reported (the chain the server sent, the staple), once, when the run is over. */
export interface AuthHooks {
  onTlsOutcome?: (tls: PresentedTls | undefined) => void;
}

/** `auth --radius`: one EAP authentication against a RADIUS server, from parsed flags (--nagios
 *  takes its own out first, then comes here). Never prints the secret or the password. */
export async function radiusAuth(values: FlagValues, out: LineWriter, err: LineWriter, hooks: AuthHooks = {}): Promise<number> {
  const output: CliOutput = { stdout: out, stderr: err };
  // Printed where the verdict is not: stderr beside --json's one object.
  const reverse = reverseCoaOf(values, values.json === true ? err : out);
  const args = parseAuthArgs(values, err, reverse?.options);
  const server = formatHostPort(args.server.host, args.server.port);
  const started = Date.now();
  const warnings = args.profile ? [] : trustWarnings(args.method, args.tls, output.stderr);
  let lastReply: { code: string; attributes: DecodedReplyAttribute[] } | undefined;
  let roundTrips: number | null = null;
  const conversation = args.json ? new ConversationRecord() : undefined;
  // What the handshake established, from the peer's result: on success and on failure alike.
  let peerTls: PresentedTls | undefined;
  const report = (exitCode: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    hooks.onTlsOutcome?.(peerTls);
    const inspected = args.inspection?.finish(peerTls);
    if (inspected?.problem) output.stderr(`eaphost auth: ${inspected.problem}`);
    if (args.json) {
      const core: CoreReport = {
        command: 'auth', success: exitCode === ExitCode.Accept, result, exitCode, reason: line,
        mode: args.radsec ? 'radsec' : 'radius', server, method: args.method, identity: args.identity || null, roundTrips,
        elapsedMs: Date.now() - started, insecure: warnings.length > 0, warnings,
      };
      output.stdout(reportJson(core, { ...extra, ...(lastReply ? { reply: lastReply } : {}), ...inspected?.json, ...conversation?.json() }));
    } else {
      for (const certificateLine of inspected?.lines ?? []) output.stdout(certificateLine);
      (exitCode === ExitCode.Accept ? output.stdout : output.stderr)(line);
    }
    return exitCode;
  };

  const transport = new RadiusEapTransport({
    server: args.server, timeoutMs: args.timeoutMs, tries: args.tries, ...(args.radsec ? { client: args.radsec } : {}),
    requireMessageAuthenticator: args.requireMessageAuthenticator, attributes: args.attributes,
    onExchange: (event) => {
      lastReply = { code: radiusCodeName(event.reply.code), attributes: decodeReplyAttributes(event.reply.attributes) };
      if (args.verbose) output.stderr(
        `radius: Access-Request id ${event.request.identifier} (EAP ${event.request.eapLength} bytes` +
        `${event.request.state ? ', State' : ''}) -> ${radiusCodeName(event.reply.code)} ` +
        `(EAP ${event.reply.eapLength} bytes, ${event.reply.tries} ${event.reply.tries === 1 ? 'try' : 'tries'})`);
    },
  });
  let host: Awaited<ReturnType<typeof openEapHost>> | undefined;
  let session: Awaited<ReturnType<NonNullable<typeof host>['beginSession']>> | undefined;
  try {
    host = await openEapHost(args.hostOptions);
    try {
      session = await host.beginSession(args.profile ?? {
        method: args.method as BuiltinMethodName, identity: args.identity,
        ...(args.password !== undefined ? { password: args.password } : {}), ...args.tls,
      });
    } finally {
      wipeTlsOptions(args.tls);
    }
    const result = await authenticate({
      session, transport,
      onPacket: args.verbose || conversation ? (direction, packet) => {
        conversation?.observe(direction, packet);
        if (args.verbose) output.stderr(eapPacketLine(direction, packet));
      } : undefined,
    });
    roundTrips = result.roundTrips;
    peerTls = result.peerResult?.tls;
    const extra = { eapType: result.method, ...outcomeJson(result, { showKeys: args.showKeys }) };
    const lines = args.json ? [] : outcomeLines(result, { showKeys: args.showKeys });
    if (result.success) {
      const code = report(ExitCode.Accept, 'accept',
        `Access-Accept from ${server}: ${args.method} authentication of "${args.identity}" succeeded ` +
        `(${result.roundTrips} round trips, ${Date.now() - started} ms)`, extra);
      for (const line of lines) output.stdout(line);
      await holdForReverseCoa(reverse);
      return code;
    }
    const code = report(ExitCode.Reject, 'reject',
      `${result.reason ?? 'Access-Reject'} from ${server}: ${args.method} authentication of "${args.identity}" failed`, extra);
    for (const line of lines) output.stderr(line);
    return code;
  } catch (error) {
    // A refused handshake is thrown; the error names the chain the server sent.
    if (error instanceof EapError && error.tls) peerTls = error.tls;
    if (error instanceof TypeError || error instanceof RangeError) {
      // What the TLS files hold is checked when the session begins: bad input, not a rejection.
      if (!args.json) throw new UsageError(error.message);
      return report(ExitCode.Usage, 'usage', `eaphost auth: ${error.message}`);
    }
    if (error instanceof RadiusTimeoutError) {
      return report(ExitCode.NoAnswer, 'timeout', `${error.message} (is it running, and does it list this client?)`);
    }
    if (error instanceof RadiusAuthenticatorMismatchError) {
      return report(ExitCode.NoAnswer, 'secret-mismatch', error.message);
    }
    if (error instanceof RadiusInconsistentVerdictError) {
      return report(ExitCode.Reject, 'inconsistent', `${server}: ${error.message}`);
    }
    if (error instanceof RadiusMessageAuthenticatorMissingError) {
      return report(ExitCode.NoAnswer, 'no-message-authenticator', error.message);
    }
    if (error instanceof RadiusMessageAuthenticatorInvalidError) {
      return report(ExitCode.NoAnswer, 'invalid-message-authenticator', error.message);
    }
    // E.g. the peer refused the server's certificate: the reason is the EapError's root cause.
    return report(ExitCode.Reject, 'error', `authentication against ${server} failed: ${(error as Error).message}`,
      error instanceof EapError ? { error: errorJson(error) } : {});
  } finally {
    await transport.close().catch(() => undefined);
    await args.radsec?.close().catch(() => undefined);
    // Ending the session zero-fills the keys the result exposed.
    await session?.endSession().catch(() => undefined);
    await host?.close().catch(() => undefined);
  }
}

