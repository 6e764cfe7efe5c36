/**
 * `eaphost audit --radius HOST:PORT …`: runs audit() (lib/audit/) and says, per client platform,
 * whether it connects and why not, then the findings with their fixes — a table, or one JSON
 * object (--json, schema/cli-output.schema.json) with `verdict`, `clients`, `findings`,
 * `elapsedMs` beside the core fields.
 *
 * Exit codes: 0 every client connects, 1 one does not, 2 bad usage, 3 no trustworthy answer.
 */
import { audit, AuditMethod, AuditOptions, AuditReport } from '../../../audit';
import { EapError } from '../../../core/errors';
import type { BeginSessionOptions } from '../../../core/session-options';
import { formatHostPort } from '../../../radius/endpoint';
import { flagReader, positiveInteger, radiusServerFlags, stringFlag } from '../../command-line';
import { networkProfileFromFlags } from '../../auth-profile';
import { radsecClient, radsecDefaultSecret } from '../../radsec-flags';
import type { CommandIo, FlagValues } from '../../main';
import { ExitCode, UsageError } from '../../main';
import { reportJson } from '../../report';
import { errorJson } from '../auth/outcome';
import { printable } from '../../printable';
import { resolveSecrets } from '../../secrets';
import { peerTlsOptions, wipeTlsOptions } from '../../tls-flags';

const METHODS: readonly AuditMethod[] = ['peap', 'ttls', 'tls', 'teap'];

/** The audit's options from the flags: a profile's, or --method and the TLS flags. */
function auditOptions(values: FlagValues): Omit<AuditOptions, 'server'> {
  const flag = flagReader(values);
  const profile = networkProfileFromFlags(flag);
  const chosen: BeginSessionOptions = profile ?? (() => {
    const method = stringFlag(values, 'method');
    if (method === undefined) throw new UsageError('--method is required (peap, ttls, tls or teap), or --profile FILE');
    if (!(METHODS as readonly string[]).includes(method)) throw new UsageError(`--method ${method}: audit runs peap, ttls, tls or teap`);
    return { method: method as AuditMethod, ...peerTlsOptions(method, flag) } as BeginSessionOptions;
  })();
  const method = chosen.method;
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`the profile's method ${String(method)} is not one audit runs (peap, ttls, tls or teap)`);
  }
  const identity = chosen.identity ?? stringFlag(values, 'identity');
  if (identity === undefined || identity === '') throw new UsageError('--identity is required');
  const password = chosen.password ?? stringFlag(values, 'password');
  const { ca, serverName, identity: _identity, password: _password, method: _method, insecure: _insecure, tls: _tls, ...session } = chosen;
  return {
    method: method as AuditMethod, identity, ...(password !== undefined ? { password } : {}),
    ...(ca !== undefined ? { ca } : {}), ...(serverName !== undefined ? { serverName } : {}), session,
    maxAuthentications: positiveInteger(stringFlag(values, 'max-authentications'), '--max-authentications', 12, 32),
    spacingMs: stringFlag(values, 'spacing') === '0' ? 0 : positiveInteger(stringFlag(values, 'spacing'), '--spacing', 250, 60_000),
    timeoutMs: positiveInteger(stringFlag(values, 'timeout'), '--timeout', 5000),
    tries: positiveInteger(stringFlag(values, 'tries'), '--tries', 2, 10),
  };
}

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(1, width - text.length));

/** The report as the text output prints it: the clients' table, then the findings. */
export function auditTable(report: AuditReport): string[] {
  const lines = [`${pad('client', 24)}${pad('connects', 10)}${pad('TLS', 6)}why not`];
  for (const client of report.clients) {
    lines.push(`${pad(client.client, 24)}${pad(client.connects ? 'yes' : 'no', 10)}${pad(client.tlsVersion ?? '-', 6)}${client.reasons.join(', ')}`
      .trimEnd());
  }
  const [leaf] = report.chain;
  if (leaf) {
    const count = report.chain.length;
    lines.push('', `chain:  ${count} certificate${count === 1 ? '' : 's'} sent, leaf first: ${printable(leaf.subject)}`);
  }
  if (report.findings.length > 0) lines.push('', 'findings:');
  for (const finding of report.findings) {
    lines.push(`  ${finding.id} (${finding.severity}): ${finding.title}`);
    lines.push(`    breaks:   ${finding.clients.length > 0 ? finding.clients.join(', ') : 'no client (a risk all the same)'}`);
    if (finding.evidence) lines.push(`    evidence: ${printable(finding.evidence)}`);
    lines.push(`    fix:      ${finding.fix}`);
  }
  return lines;
}

function summary(report: AuditReport, server: string, options: Omit<AuditOptions, 'server'>): string {
  const connect = report.clients.filter((client) => client.connects).length;
  const what = report.verdict === 'unreachable' ? 'no trustworthy answer'
    : `${connect} of ${report.clients.length} client platforms connect`;
  return `eaphost audit of ${server} (${options.method}, "${options.identity}"): ${what}; ` +
    `${report.authentications} authentications, ${report.accessRequests} Access-Requests, ${report.elapsedMs} ms`;
}

export async function runAudit(values: FlagValues, { out, err, stop }: CommandIo): Promise<number> {
  resolveSecrets(values, ['secret', 'password', 'key-password'], err);
  if (values.radsec === true) values.secret ??= radsecDefaultSecret(flagReader(values));
  const server = radiusServerFlags(values);
  const options = auditOptions(values);
  const name = formatHostPort(server.host, server.port);
  const json = values.json === true;
  const client = radsecClient(flagReader(values), options.timeoutMs ?? 5000);
  const started = Date.now();
  const core = (exitCode: number, result: string, reason: string) => ({
    command: 'audit' as const, success: exitCode === ExitCode.Accept, result, exitCode, reason,
    mode: client ? 'radsec' as const : 'radius' as const, server: name, method: options.method, identity: options.identity,
    roundTrips: null, elapsedMs: Date.now() - started, insecure: false, warnings: [],
  });
  let report: AuditReport;
  try {
    report = await audit({ ...options, server, ...(client ? { client } : {}), ...(stop ? { signal: stop } : {}) });
  } catch (error) {
    // The peer would not begin with the certificate or settings given (a PKCS#12 its passphrase
    // does not open): no server was asked; one line, or the JSON object with EAPHost's typed failure.
    if (error instanceof EapError && json) {
      out(reportJson(core(ExitCode.Usage, 'error', `eaphost audit: ${error.message}`), { error: errorJson(error) }));
      return ExitCode.Usage;
    }
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    if (!json) throw new UsageError(error.message);
    out(reportJson(core(ExitCode.Usage, 'usage', `eaphost audit: ${error.message}`)));
    return ExitCode.Usage;
  } finally {
    wipeTlsOptions(options.session as Parameters<typeof wipeTlsOptions>[0]);
    await client?.close().catch(() => undefined);
  }
  const exitCode = report.verdict === 'pass' ? ExitCode.Accept : report.verdict === 'fail' ? ExitCode.Reject : ExitCode.NoAnswer;
  const line = summary(report, name, options);
  if (json) {
    out(reportJson({ ...core(exitCode, report.verdict, line), elapsedMs: report.elapsedMs }, {
      verdict: report.verdict, clients: report.clients, findings: report.findings, attempts: report.attempts, chain: report.chain,
      authentications: report.authentications, accessRequests: report.accessRequests,
    }));
    return exitCode;
  }
  out(line);
  out('');
  for (const tableLine of auditTable(report)) out(tableLine);
  return exitCode;
}
