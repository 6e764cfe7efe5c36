/**
 * `eaphost auth --interface IF …`: one EAP authentication over IEEE 802.1X on the wire, as
 * wpa_supplicant -Dwired does it, with the same method and TLS flags as the other forms.
 * Exit codes: 0 EAP-Success, 1 EAP-Failure (or the authenticator went silent), 2 bad usage or an
 * interface that cannot be used (not Linux, no CAP_NET_RAW, missing, down), 3 no authenticator answered.
 */
import { authenticate, openEapHost } from '../../../index';
import type { AuthenticationResult } from '../../../session/authenticate';
import { BuiltinMethodName } from '../../../session/builtin';
import { EapError } from '../../../core/errors';
import { EapolError, EapolSupplicant } from '../../../eapol';
import { trustedPeerTlsOptions, wipeTlsOptions } from '../../tls-flags';
import { profileFromFlags } from './config-xml';
import { errorJson, outcomeJson, outcomeLines } from './outcome';
import { CliOutput, flagReader, positiveInteger, shippedMethodName, stringFlag } from '../../command-line';
import { CommandIo, ExitCode, FlagValues, UsageError } from '../../main';
import { CoreReport, reportJson, trustWarnings } from '../../report';
import { resolveSecrets } from '../../secrets';
import { eapPacketLine } from '../../../core/packet';
import { ConversationRecord } from './conversation';

// A new Request/Identity in mid-conversation restarts it; a few restarts, then the run fails.
const MAX_RESTARTS = 3;

export async function runEapolAuth(values: FlagValues, { out, err }: CommandIo): Promise<number> {
  const output: CliOutput = { stdout: out, stderr: err };
  resolveSecrets(values, ['password', 'key-password'], err);
  const interfaceName = stringFlag(values, 'interface') ?? '';
  const identity = stringFlag(values, 'identity') ?? '';
  const password = stringFlag(values, 'password');
  const flag = flagReader(values);
  const profile = profileFromFlags(flag);
  const method: BuiltinMethodName | 'profile' = profile ? 'profile' : shippedMethodName(stringFlag(values, 'method') ?? 'md5', '--method');
  if (interfaceName === '') throw new UsageError('--interface needs an interface name');
  for (const required of profile ? [] : ['identity', ...(method === 'tls' ? [] : ['password'])]) {
    if (values[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  const tls = profile ? {} : trustedPeerTlsOptions(method, flag);
  const startPeriodMs = positiveInteger(stringFlag(values, 'start-period'), '--start-period', 3000);
  const authPeriodMs = positiveInteger(stringFlag(values, 'auth-period'), '--auth-period', 30000);
  const json = values.json === true;
  const showKeys = values['show-keys'] === true;
  const verbose = values.verbose === true;
  const started = Date.now();
  const warnings = profile ? [] : trustWarnings(method, tls, output.stderr);
  let transport: EapolSupplicant | undefined;
  let roundTrips: number | null = null;
  const conversation = json ? new ConversationRecord() : undefined;
  const report = (exitCode: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (json) {
      const core: CoreReport = {
        command: 'auth', success: exitCode === ExitCode.Accept, result, exitCode, reason: line, mode: 'eapol',
        server: null, method, identity: identity || null, roundTrips, elapsedMs: Date.now() - started,
        insecure: warnings.length > 0, warnings,
      };
      output.stdout(reportJson(core, {
        interface: interfaceName, authenticator: transport?.authenticator ?? null, ...extra, ...conversation?.json(),
      }));
    } else {
      (exitCode === ExitCode.Accept ? output.stdout : output.stderr)(line);
    }
    return exitCode;
  };

  let host: Awaited<ReturnType<typeof openEapHost>> | undefined;
  let session: Awaited<ReturnType<NonNullable<typeof host>['beginSession']>> | undefined;
  try {
    transport = new EapolSupplicant({ interfaceName, startPeriodMs, authPeriodMs });
    host = await openEapHost();
    let result: AuthenticationResult;
    for (let attempt = 0; ; ++attempt) {
      await session?.endSession().catch(() => undefined);
      session = await host.beginSession(profile ?? {
        method: method as BuiltinMethodName, identity, ...(password !== undefined ? { password } : {}), ...tls,
      });
      result = await authenticate({
        session, transport,
        onPacket: verbose || conversation ? (direction, packet) => {
          conversation?.observe(direction, packet);
          if (verbose) output.stderr(eapPacketLine(direction, packet));
        } : undefined,
      });
      if (result.success || !transport.restarted || attempt >= MAX_RESTARTS) break;
      if (verbose) output.stderr('eapol: the authenticator restarted the conversation');
    }
    roundTrips = result.roundTrips;
    const extra = { eapType: result.method, ...outcomeJson(result, { showKeys }) };
    const lines = json ? [] : outcomeLines(result, { showKeys });
    const where = `${interfaceName} (authenticator ${transport.authenticator ?? 'unknown'})`;
    if (result.success) {
      const code = report(ExitCode.Accept, 'accept', `EAP-Success on ${where}: ${method} authentication of ` +
        `"${identity}" succeeded (${result.roundTrips} round trips, ${Date.now() - started} ms)`, extra);
      // The MPPE line compares against keys a RADIUS server released: over EAPOL none come.
      for (const line of lines.filter((text) => !text.startsWith('MPPE keys'))) output.stdout(line);
      return code;
    }
    const code = report(ExitCode.Reject, 'reject',
      `${result.reason ?? 'EAP-Failure'} on ${where}: ${method} authentication of "${identity}" failed`, extra);
    for (const line of lines.filter((text) => !text.startsWith('MPPE keys'))) output.stderr(line);
    return code;
  } catch (error) {
    if (error instanceof EapolError) {
      if (error.code === 'ERR_EAPOL_TIMEOUT') return report(ExitCode.NoAnswer, 'timeout', error.message);
      return report(ExitCode.Usage, 'usage', `eaphost auth: ${error.message}`, { code: error.code });
    }
    if (error instanceof TypeError || error instanceof RangeError) {
      return report(ExitCode.Usage, 'usage', `eaphost auth: ${error.message}`);
    }
    return report(ExitCode.Reject, 'error', `authentication on ${interfaceName} failed: ${(error as Error).message}`,
      error instanceof EapError ? { error: errorJson(error) } : {});
  } finally {
    wipeTlsOptions(tls);
    await transport?.close().catch(() => undefined);
    // Ending the session zero-fills the keys the result exposed.
    await session?.endSession().catch(() => undefined);
    await host?.close().catch(() => undefined);
  }
}
