/**
 * `eaphost ping --radius HOST:PORT --secret S`: one Status-Server (RFC 5997), the latency of
 * its answer, and whether the shared secret is right, without a test account on the server.
 *
 * Exit codes as `eaphost auth`: 0 alive, 2 bad usage, 3 no trustworthy answer in time
 * (silence, or replies that fail verification: a wrong secret).
 */
import { parseArgs } from 'node:util';
import {
  formatHostPort, parseHostPort, RadiusAuthenticatorMismatchError, radiusCodeName, RadiusTimeoutError,
} from '../radius';
import { statusServer } from '../radius/status-server';

type LineWriter = (line: string) => void;

const PING_USAGE = 'usage: eaphost ping --radius HOST:PORT --secret SECRET [--timeout MS] [--tries N] [--json]';

class UsageError extends Error {}

function positiveInteger(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${name} must be a positive integer, not "${text}"`);
  return value;
}

export async function runPing(argv: readonly string[], out: LineWriter = console.log,
  err: LineWriter = console.error): Promise<number> {
  let server: { host: string; port: number; secret: string };
  let timeoutMs: number;
  let tries: number;
  let json: boolean;
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv[0] === 'ping' ? argv.slice(1) : [...argv], strict: true, allowPositionals: false,
        options: {
          radius: { type: 'string' }, secret: { type: 'string' }, timeout: { type: 'string' },
          tries: { type: 'string' }, json: { type: 'boolean' },
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.radius === undefined) throw new UsageError('--radius is required');
    if (values.secret === undefined || values.secret === '') throw new UsageError('--secret is required and must not be empty');
    let endpoint;
    try {
      endpoint = parseHostPort(values.radius);
    } catch (error) {
      throw new UsageError(`--radius: ${(error as Error).message}`);
    }
    server = { ...endpoint, secret: values.secret };
    timeoutMs = positiveInteger(values.timeout, '--timeout', 3000);
    tries = positiveInteger(values.tries, '--tries', 3);
    json = values.json ?? false;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`eaphost ping: ${error.message}`);
    err(PING_USAGE);
    return 2;
  }

  const name = formatHostPort(server.host, server.port);
  const report = (exitCode: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (json) out(JSON.stringify({ result, exitCode, reason: line, server: name, ...extra }));
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
