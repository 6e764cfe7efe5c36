/**
 * `eaphost ping --radius HOST:PORT --secret S`: one Status-Server (RFC 5997), the latency of
 * its answer, and whether the shared secret is right, without a test account on the server.
 * With --radsec, over a RadSec connection (the check a RadSec client makes of each connection,
 * the RadSec revision §3.8): one try, never sent again on the connection (RFC 6613 §2.6.1).
 *
 * Exit codes as `eaphost auth`: 0 alive, 2 bad usage, 3 no trustworthy answer in time
 * (silence, or replies that fail verification: a wrong secret).
 */
import { RadiusTimeoutError } from '../../../radius';
import { formatHostPort } from '../../../radius/endpoint';
import { RadiusAuthenticatorMismatchError } from '../../../radius/errors';
import { radiusCodeName } from '../../../radius/constants';
import { statusServer } from '../../../radius/status-server';
import { flagReader, positiveInteger, radiusServerFlags, stringFlag } from '../../command-line';
import { radsecClient, radsecDefaultSecret } from '../../radsec-flags';
import { UsageError } from '../../main';
import type { CommandIo, FlagValues } from '../../main';
import { reportJson } from '../../report';
import { resolveSecrets } from '../../secrets';

export async function runPing(values: FlagValues, { out, err }: CommandIo): Promise<number> {
  resolveSecrets(values, ['secret'], err);
  // RadSec's secret is "radsec" over TLS, "radius/dtls" over DTLS, unless said otherwise.
  if (values.radsec === true) values.secret ??= radsecDefaultSecret(flagReader(values));
  const server = radiusServerFlags(values);
  const timeoutMs = positiveInteger(stringFlag(values, 'timeout'), '--timeout', 3000);
  const tries = positiveInteger(stringFlag(values, 'tries'), '--tries', 3);
  const json = values.json === true;
  const radsec = radsecClient(flagReader(values), timeoutMs);
  if (radsec && values.tries !== undefined) {
    throw new UsageError('--tries applies over UDP: over RadSec a request is never sent again on its connection (RFC 6613 §2.6.1)');
  }

  const name = formatHostPort(server.host, server.port);
  const started = Date.now();
  const report = (exitCode: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (json) {
      out(reportJson({ command: 'ping', success: exitCode === 0, result, exitCode, reason: line, mode: radsec ? 'radsec' : 'radius', server: name,
        method: null, identity: null, roundTrips: exitCode === 0 ? 1 : null, elapsedMs: Date.now() - started, insecure: false,
        warnings: [] }, extra));
    }
    else (exitCode === 0 ? out : err)(line);
    return exitCode;
  };
  try {
    const alive = radsec ? await radsec.statusServer(server, { timeoutMs }).finally(() => radsec.close())
      : await statusServer(server, { timeoutMs, tries });
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
