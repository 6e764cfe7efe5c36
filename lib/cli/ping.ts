/**
 * `eaphost ping --radius HOST:PORT --secret S`: one Status-Server (RFC 5997), the latency of
 * its answer, and whether the shared secret is right, without a test account on the server.
 *
 * Exit codes as `eaphost auth`: 0 alive, 2 bad usage, 3 no trustworthy answer in time
 * (silence, or replies that fail verification: a wrong secret).
 */
import {
  formatHostPort, RadiusAuthenticatorMismatchError, radiusCodeName, RadiusTimeoutError,
} from '../radius';
import { statusServer } from '../radius/status-server';
import {
  ExitCode, LineWriter, UsageError, helpText, parseCommand, positiveInteger, radiusServerFlags, stringFlag,
} from './command-line';
import { COMMANDS, PING_COMMAND } from './forms';
import { reportJson } from './report';
import { resolveSecrets } from './secrets';

export async function runPing(argv: readonly string[], out: LineWriter = console.log,
  err: LineWriter = console.error): Promise<number> {
  let server: { host: string; port: number; secret: string };
  let timeoutMs: number;
  let tries: number;
  let json: boolean;
  try {
    const parsed = parseCommand(PING_COMMAND, argv);
    if (parsed.help) {
      out(helpText('ping', COMMANDS));
      return 0;
    }
    const values = parsed.values;
    resolveSecrets(values, ['secret'], err);
    server = radiusServerFlags(values);
    timeoutMs = positiveInteger(stringFlag(values, 'timeout'), '--timeout', 3000);
    tries = positiveInteger(stringFlag(values, 'tries'), '--tries', 3);
    json = values.json === true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`eaphost ping: ${error.message}`);
    err('(eaphost ping --help for usage)');
    return ExitCode.Usage;
  }

  const name = formatHostPort(server.host, server.port);
  const started = Date.now();
  const report = (exitCode: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (json) {
      out(reportJson({ command: 'ping', success: exitCode === 0, result, exitCode, reason: line, mode: 'radius', server: name,
        method: null, identity: null, roundTrips: exitCode === 0 ? 1 : null, elapsedMs: Date.now() - started, insecure: false,
        warnings: [] }, extra));
    }
    else (exitCode === 0 ? out : err)(line);
    return exitCode;
  };
  try {
    const alive = await statusServer(server, { timeoutMs, tries });
    return report(0, 'alive',
      `${radiusCodeName(alive.code)} to Status-Server from ${name} in ${alive.latencyMs} ms` +
      `${alive.tries > 1 ? ` (try ${alive.tries})` : ''}`,
      { code: radiusCodeName(alive.code), latencyMs: alive.latencyMs, tries: alive.tries,
        messageAuthenticator: alive.messageAuthenticator });
  } catch (error) {
    if (error instanceof RadiusTimeoutError) {
      return report(3, 'timeout', `${error.message} (is it running, does it answer Status-Server ` +
        '(FreeRADIUS: status_server = yes), and does it list this client with this secret?)');
    }
    if (error instanceof RadiusAuthenticatorMismatchError) return report(3, 'secret-mismatch', error.message);
    if (error instanceof RangeError || error instanceof TypeError) return report(2, 'usage', `eaphost ping: ${error.message}`);
    return report(3, 'error', `Status-Server to ${name} failed: ${(error as Error).message}`);
  }
}
