/**
 * `eaphost discover REALM`: what a proxy that routes REALM by dynamic discovery (RFC 7585) would
 * do: the home servers it would try, in order, with the names their certificates must carry, or
 * why it would refuse the request.
 *
 * Exit codes: 0 home servers found, 1 the DNS answered and there is none (no such name, no NAPTR,
 * no RADIUS/TLS service, no SRV, no address), 2 bad usage or a realm that is no DNS name, 3 no
 * answer in time or a failing DNS server.
 */
import { RadiusDiscovery, RadiusDiscoveryError } from '../../../radius/discovery';
import type { RadiusDiscoveryReason, RadiusDiscoveryResult } from '../../../radius/discovery';
import { formatHostPort } from '../../../radius/endpoint';
import { flagReader, positiveInteger, stringFlag } from '../../command-line';
import { ExitCode, UsageError } from '../../main';
import type { CommandIo, ParsedArgs } from '../../main';
import { reportJson } from '../../report';

/** A failure's exit code and its word in --json's `result`. */
function verdictOf(reason: RadiusDiscoveryReason): [number, string] {
  if (reason === 'invalid-realm') return [ExitCode.Usage, 'usage'];
  if (reason === 'timeout') return [ExitCode.NoAnswer, 'timeout'];
  if (reason === 'dns-error' || reason === 'busy') return [ExitCode.NoAnswer, 'error'];
  return [ExitCode.Reject, 'not-found'];
}

/** The lines of an answer: one per candidate, in the order a proxy tries them. */
function answerLines(result: RadiusDiscoveryResult, server: string, elapsedMs: number): string[] {
  const count = result.candidates.length;
  const kept = result.expiresInMs > 0 ? `kept ${Math.round(result.expiresInMs / 1000)} s` : 'not kept (a TTL of 0)';
  return [`realm ${result.realm}: ${count} home server address${count === 1 ? '' : 'es'} (DNS ${server}, ${elapsedMs} ms; ${kept})`,
    ...result.candidates.flatMap((c, i) => [
      `  ${i + 1}. ${c.transport === 'tls' ? 'radsec' : 'dtls'}://${formatHostPort(c.address, c.port)}  ${c.host}  ` +
        `(NAPTR ${c.service} order ${c.order} preference ${c.preference} -> SRV ${c.srvName} priority ${c.priority} weight ${c.weight})`,
      `     certificate: NAIRealm ${c.certificateNames.naiRealm}, or dNSName ${c.certificateNames.dnsName}`,
    ])];
}

export async function runDiscover({ values, positionals }: ParsedArgs, { out, err }: CommandIo): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the REALM to discover' : 'give one REALM');
  const realm = positionals[0];
  const timeoutMs = positiveInteger(stringFlag(values, 'timeout'), '--timeout', 2000, 30_000);
  if (timeoutMs < 100) throw new UsageError('--timeout must be at least 100 ms');
  let discovery: RadiusDiscovery;
  try {
    discovery = new RadiusDiscovery({ dnsServers: flagReader(values).all('dns-server'), timeoutMs, maxAnswerTtlMs: 300_000 });
  } catch (error) {
    throw new UsageError(`--dns-server: ${(error as Error).message}`);
  }
  const server = discovery.dnsServers().join(', ');
  const json = values.json === true;
  const started = Date.now();
  const report = (exitCode: number, result: string, reason: string, extra: Record<string, unknown>): number => {
    if (json) {
      out(reportJson({ command: 'discover', success: exitCode === 0, result, exitCode, reason, mode: 'dns', server, method: null,
        identity: null, roundTrips: null, elapsedMs: Date.now() - started, insecure: false, warnings: [] }, { realm, ...extra }));
    }
    return exitCode;
  };
  try {
    const found = await discovery.discover(realm);
    const lines = answerLines(found, server, Date.now() - started);
    if (!json) for (const line of lines) out(line);
    return report(ExitCode.Accept, 'found', lines[0], { realm: found.realm, failure: null, candidates: found.candidates,
      expiresInMs: found.expiresInMs });
  } catch (error) {
    if (!(error instanceof RadiusDiscoveryError)) throw error;
    const [exitCode, result] = verdictOf(error.reason);
    if (!json) err(`eaphost discover: ${error.message}`);
    return report(exitCode, result, error.message, { failure: error.reason, candidates: [] });
  }
}
