/**
 * `eaphost serve …`: our embedded authenticator behind RADIUS (or RadSec), for eapol_test, a NAS
 * or a load test. Takes the parsed flags (commands/serve.ts declares them) and resolves with the
 * exit code when SIGINT / SIGTERM (or `stop`) ends it.
 */
import { thrownText } from '../../../core/errors';
import { FILE_LIMITS } from '../../../core/file-read';
import { isOptionError } from '../../../core/option-error';
import { Authenticator, createAuthenticator } from '../../../index';
import { wipeTlsOptions } from '../../tls-flags';
import { radsecServeOptions, readPrivateFile } from '../../radsec-flags';
import { checkRadSecPsk, RadSecPskClient } from '../../../radius/radsec/psk';
import { crlExpiryWarnings } from '../../crl-dates';
import { ownCertificateWarnings, stapleFileWatch } from './serve-own-certificate';
import { RadiusClientEntry, RadiusConversationRecord, RadiusServer, RadSecListenOptions } from '../../../radius';
import { cidrsOf } from '../../../radius/client-networks';
import type { RadSecConnectionEvent } from '../../../radius/radsec/listener';
import { DEFAULT_MAX_TLS_CONVERSATIONS, MAX_STEP_THREADS } from '../../../radius/server';
import { policyRuleNames } from '../../../radius/policy';
import { formatHostPort } from '../../../radius/endpoint';
import {
  CliOutput, flagReader, positiveInteger, readFlagFile, requireMessageAuthenticator, stringFlag, wholeNumber,
} from '../../command-line';
import { CommandIo, ExitCode, FlagValues, LineWriter, UsageError, usageErrorOf } from '../../main';
import { literalSecretWarning, resolveSecrets } from '../../secrets';
import { embeddedAuthenticatorFlags } from './serve-methods';
import { policyFlags } from './serve-policy';
import { proxyDiscoveryFlags, proxyDiscoveryOf, proxyFlags, proxyReverseCoa, usersNeeded } from './serve-proxy';
import type { RadiusDiscovery } from '../../../radius/discovery';
import { ServeAccounting, accountingFlags } from './serve-accounting';
import { MetricsService, eapTypeName, startMetrics } from '../../../metrics';
import { metricsAddress } from './serve-metrics';
import { untilStopped } from '../../until-stopped';

/** One --client CIDR=SECRET. */
function clientEntry(text: string): RadiusClientEntry {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new UsageError(`--client "${eq > 0 ? text.slice(0, eq) : text}": expected ADDRESS[/PREFIX]=SECRET`);
  return { network: text.slice(0, eq).trim(), secret: text.slice(eq + 1) };
}

/**
 * --clients FILE: one "ADDRESS[/PREFIX] SECRET" per line ("*" every address; a "/0" is refused as
 * a likely slip); blank lines and # comments skipped. With
 * --radsec, "psk IDENTITY HEXKEY ADDRESS[/PREFIX]..." lines instead: a RadSec client known by
 * TLS-PSK (RFC 9813) and the addresses it may connect from. A file holding a PSK must be mode 0600.
 */
function clientsFile(file: string, radsec: boolean): { entries: RadiusClientEntry[]; psk: RadSecPskClient[] } {
  const where = `--clients ${file}`;
  const text = readFlagFile('--clients', file, FILE_LIMITS.clients).toString('utf8');
  const entries: RadiusClientEntry[] = [];
  const psk: RadSecPskClient[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    if (words[0] === 'psk') {
      if (!radsec) throw new UsageError(`${where} line ${i + 1}: a psk line applies with --radsec only`);
      if (words.length < 4 || !/^(?:[0-9a-fA-F]{2})+$/.test(words[2])) {
        throw new UsageError(`${where} line ${i + 1}: expected "psk IDENTITY HEXKEY ADDRESS[/PREFIX]..."`);
      }
      const client = { identity: words[1], key: Buffer.from(words[2], 'hex'), networks: words.slice(3) };
      try {
        checkRadSecPsk(client, 'psk');
        for (const network of client.networks) cidrsOf(network, 'psk');
      } catch (error) {
        throw usageErrorOf(error, (option) => ({ 'psk.key': 'a key of', psk: '' })[option], `${where} line ${i + 1}: `);
      }
      psk.push(client);
      return;
    }
    if (radsec) throw new UsageError(`${where} line ${i + 1}: with --radsec, clients are known by certificate or by "psk" lines`);
    const match = /^(\S+)\s+(.+)$/.exec(line);
    if (!match) throw new UsageError(`${where} line ${i + 1}: expected "ADDRESS[/PREFIX] SECRET"`);
    try {
      cidrsOf(match[1], 'client');
    } catch (error) {
      throw usageErrorOf(error, '', `${where} line ${i + 1}: `);
    }
    entries.push({ network: match[1], secret: match[2] });
  });
  if (entries.length === 0 && psk.length === 0) throw new UsageError(`${where} lists no clients`);
  // Keys in it: refused when others may read it (the check reads the file's mode, then it again).
  if (psk.length > 0) readPrivateFile(file, '--clients', FILE_LIMITS.clients).fill(0);
  return { entries, psk };
}

function clientList(values: FlagValues, warn: LineWriter): { clients?: RadiusClientEntry[]; psk: RadSecPskClient[] } {
  const given = (values.client as string[] | undefined) ?? [];
  const file = stringFlag(values, 'clients');
  if (given.length === 0 && file === undefined) return { psk: [] };
  const radsec = values.radsec === true;
  if (radsec && given.length > 0) throw new UsageError('--client applies to RADIUS over UDP; RadSec clients are known by certificate or by PSK');
  if (!radsec && (values.secret !== undefined || values['secret-file'] !== undefined)) {
    throw new UsageError('--client / --clients give each client its secret: leave out --secret');
  }
  const read = file !== undefined ? clientsFile(file, radsec) : { entries: [], psk: [] };
  if (given.length > 0) warn(`eaphost: ${literalSecretWarning('client', '--clients FILE (mode 0600)')}`);
  return radsec ? { psk: read.psk } : { clients: [...given.map(clientEntry), ...read.entries], psk: [] };
}

/** The --log line: key=value pairs a log shipper can split; the identity is quoted (it is the peer's text). */
export function conversationLogLine(record: RadiusConversationRecord): string {
  return `${new Date().toISOString()} client=${record.client} identity=${JSON.stringify(record.identity)} ` +
    `method=${eapTypeName(record.eapType)} outcome=${record.outcome} round-trips=${record.roundTrips} ` +
    `time=${record.durationMs}ms resumed=${record.resumed === undefined ? 'n/a' : record.resumed ? 'yes' : 'no'}` +
    (record.home === undefined ? '' : ` home=${record.home}`) +
    (record.reason === undefined ? '' : ` reason=${JSON.stringify(record.reason)}`);
}

/** What a configuration read from the flags and files serves: re-read, and swapped, on SIGHUP. */
interface Served {
  server: RadiusServer;
  authenticator: Authenticator;
  /** The listening line's tail: methods, PAP and MAB, the policy's rules. */
  summary: string;
  /** RadSec's listener options (its connection events told to the metrics). */
  radsec: RadSecListenOptions | undefined;
  /** The policy's rules by name, in order (the metrics count their hits). */
  ruleNames: string[];
}

/** What stays across reloads: where to listen, the hooks, the stores. */
interface ServeHooks {
  host: string;
  output: CliOutput;
  onConversationEnd: ((record: RadiusConversationRecord) => void) | undefined;
  accounting: ServeAccounting | undefined;
  onRadSecEvent: (event: RadSecConnectionEvent) => void;
  /** --proxy-discover's resolver and cache: one for every reload. */
  discovery: RadiusDiscovery | undefined;
}

/**
 * Reads users, clients, methods, TLS and policy from the flags and their files, and makes the
 * authenticator and the server (not yet listening). Bad usage throws UsageError; a value the
 * authenticator or the server refuses, TypeError or RangeError (the authenticator is closed).
 */
async function configure(values: FlagValues, port: number, hooks: ServeHooks): Promise<Served> {
  const { output } = hooks;
  const { clients, psk } = clientList(values, output.stderr);
  const radsec = radsecServeOptions(flagReader(values), psk);
  if (radsec) radsec.onConnectionEvent = hooks.onRadSecEvent;
  const strict = requireMessageAuthenticator(values);
  // Live conversations held at once; past it the least recently active idle one is evicted.
  const maxConversations = positiveInteger(stringFlag(values, 'max-conversations'), '--max-conversations', 20_000);
  // Of them, those holding a TLS session (≈ 26 KB each half-open): the bound on a flood's memory.
  const maxTlsConversations = positiveInteger(stringFlag(values, 'max-tls-conversations'), '--max-tls-conversations', DEFAULT_MAX_TLS_CONVERSATIONS);
  // Absent: RadiusServer's default, one per CPU this process may run on.
  const stepThreadsFlag = stringFlag(values, 'step-threads');
  const stepThreads = stepThreadsFlag === undefined ? undefined : wholeNumber(stepThreadsFlag, '--step-threads', 0, 0, MAX_STEP_THREADS);
  const keepFlag = stringFlag(values, 'keep-steps-below');
  const keepStepsBelow = keepFlag === undefined ? undefined : wholeNumber(keepFlag, '--keep-steps-below', 0, 0, 100);
  const secret = stringFlag(values, 'secret');
  const { users, methods, tls } = embeddedAuthenticatorFlags(values);
  const decided = policyFlags(values);
  const proxy = proxyFlags(values);
  const proxyDiscovery = proxyDiscoveryOf(values, hooks.discovery);
  // PAP is answered when asked for: --pap, or a policy rule that names it.
  const pap = values.pap === true || (decided.policy?.rules ?? []).some((rule) =>
    [rule.match?.method ?? []].flat().some((name) => name.toLowerCase() === 'pap'));
  let authenticator: Authenticator;
  try {
    authenticator = await createAuthenticator({ methods, users, ...tls });
  } finally {
    wipeTlsOptions(tls);
  }
  const { onConversationEnd, accounting } = hooks;
  try {
    const server = new RadiusServer({
      host: hooks.host, port, ...(clients ? { clients } : { secret }), requireMessageAuthenticator: strict, maxConversations,
      maxTlsConversations, ...(stepThreads === undefined ? {} : { stepThreads }),
      ...(keepStepsBelow === undefined ? {} : { keepStepsBelow }), ...(radsec ? { radsec } : {}), authenticator,
      ...(onConversationEnd ? { onConversationEnd } : {}),
      ...decided, pap, ...(proxy ? { proxy } : {}), ...(proxyDiscovery ? { proxyDiscovery } : {}),
      // No users (and no MAB list): nothing is answered here, a request no route sends away is refused saying so.
      proxyOnly: values.users === undefined && values.mab === undefined,
      ...(proxyReverseCoa(values, proxy) ? { proxyReverseCoa: true, sessions: true } : {}),
      ...(accounting ? { accounting: accounting.accounting, onAccountingFailure: accounting.onAccountingFailure } : {}),
      ...(accounting && proxy ? { accountingSpool: accounting.spool } : {}),
    });
    const plain = [...(pap ? ['PAP'] : []), ...(decided.mab ? ['MAB'] : [])];
    const summary = `(EAP methods: ${methods.join(', ')}${plain.length > 0 ? `; ${plain.join(', ')}` : ''})` +
      (decided.policy ? ` (policy: ${decided.policy.rules.length} rules)` : '') + (accounting ? ' (accounting)' : '') +
      (proxy ? ` (proxy: ${proxy.map(({ realm, home }) => home === 'local' ? `${realm} here` : realm).join(', ')})` : '') +
      (proxyDiscovery ? ` (discovery: DNS ${proxyDiscovery.discovery.dnsServers().join(', ')})` : '');
    return { server, authenticator, summary, radsec, ruleNames: policyRuleNames(decided.policy) };
  } catch (error) {
    await authenticator.close();
    // A --client's network the server refused: named by its flag.
    throw isOptionError(error) && /^clients\[\d+\]$/.test(error.option) ? usageErrorOf(error, '--client') : error;
  }
}

export async function runServe(values: FlagValues, { out, err, stop }: CommandIo): Promise<number> {
  const output: CliOutput = { stdout: out, stderr: err };
  const { clients } = clientList(values, () => undefined);
  resolveSecrets(values, clients ? ['key-password'] : ['secret', 'key-password'], err);
  const log = values.log === true;
  // RadSec's secret unless said otherwise is the transport's: "radsec" over TLS (RFC 6614 §2.3),
  // "radius/dtls" over DTLS (the RadSec revision's); RadiusServer holds both.
  // A RadSec flag without --radsec is said before anything a UDP serve would ask for.
  if (values.radsec !== true) radsecServeOptions(flagReader(values));
  for (const required of ['port', ...(clients || values.radsec === true ? [] : ['secret'])]) {
    if (values[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  const needsUsers = usersNeeded(values);
  if (values.users === undefined && needsUsers !== undefined) {
    throw new UsageError(`--users is required${needsUsers === '' ? '' : `: ${needsUsers}`}`);
  }
  if (values.secret === '') throw new UsageError('--secret must not be empty');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port`);
  const host = stringFlag(values, 'host') ?? '127.0.0.1';
  const certificate = embeddedAuthenticatorFlags(values).tls;
  wipeTlsOptions(certificate);
  for (const warning of ownCertificateWarnings(certificate.cert)) output.stderr(`eaphost serve: warning: ${warning}`);
  // A stale CRL refuses every client it covers (unless --crl-allow-stale): said at start, and a day ahead.
  const crls = crlExpiryWarnings(certificate.crl ?? [], 1);
  for (const warning of [...crls.stale, ...crls.soon]) output.stderr(`eaphost serve: warning: ${warning}`);
  const discovery = proxyDiscoveryFlags(values);
  let accounting: ServeAccounting | undefined;
  try {
    accounting = await accountingFlags(values, output.stderr, log ? output.stdout : undefined);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    output.stderr(`eaphost serve: --accounting: ${(error as Error).message}`);
    return 1;
  }
  let metrics: MetricsService | undefined;
  const metricsAt = stringFlag(values, 'metrics');
  if (metricsAt !== undefined) {
    try {
      metrics = await startMetrics({ ...metricsAddress(metricsAt), transport: values.radsec === true ? 'tls' : 'udp',
        ...(discovery ? { discovery: () => discovery.stats() } : {}),
        ...(accounting ? { spool: accounting.spool.counts } : {}) });
    } catch (error) {
      await accounting?.close();
      if (error instanceof UsageError) throw error;
      output.stderr(`eaphost serve: --metrics ${metricsAt}: ${(error as Error).message}`);
      return 1;
    }
  }
  // What the RadSec listener closed for a limit, said once on exit.
  const radsecClosed = new Map<string, number>();
  let served: Served | undefined;
  const staple = certificate.ocspResponse === undefined ? undefined
    : stapleFileWatch(certificate.ocspResponse, (line) => output.stderr(`eaphost serve: warning: ${line}`),
      () => served?.server.stats.ocspStapleFailures ?? 0);
  const hooks: ServeHooks = {
    host, output, accounting, discovery,
    // Per conversation only for the log and the staple's watch: the metrics read the engine's counts.
    onConversationEnd: log || staple ? (record) => {
      staple?.(record);
      if (log) output.stdout(conversationLogLine(record));
    } : undefined,
    onRadSecEvent: (event) => {
      if (event.event === 'closed' && event.reason) radsecClosed.set(event.reason, (radsecClosed.get(event.reason) ?? 0) + 1);
      // A refusal of a client whose certificate verified (a configuration to fix, not a flood) is said as it happens.
      if (event.detail !== undefined) output.stderr(`eaphost serve: closed the RadSec connection of ${event.address} port ${event.port}: ${event.detail}`);
      metrics?.radsecEvent(event);
    },
  };
  const closeStores = async (): Promise<void> => {
    metrics?.serving(undefined);
    await metrics?.close();
    await accounting?.close();
  };
  try {
    served = await configure(values, port, hooks);
  } catch (error) {
    await closeStores();
    if (error instanceof UsageError) throw error;
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    output.stderr(`eaphost serve: ${error.message}`);
    return ExitCode.Usage;
  }
  const watch = (current: Served): void => metrics?.serving({
    stats: () => ({ ...current.server.stats, active: current.server.activeConversations, activeTls: current.server.activeTlsConversations,
      stepPool: current.server.stepPool, radsecConnections: current.server.radsecConnections,
      radsecDtls: current.server.radsecDtlsCounters, proxyHomes: current.server.proxyHomes }),
    clients: () => current.server.clientCounts,
    verdicts: () => current.server.verdictCounts,
    ruleNames: current.ruleNames,
  });
  let bound: { address: string; port: number };
  try {
    bound = await served.server.listen();
  } catch (error) {
    await served.authenticator.close();
    await closeStores();
    output.stderr(`eaphost serve: ${(error as Error).message}`);
    return 1;
  }
  const radsecNote = `${served.radsec ? ' (RadSec, TCP)' : ''}${served.server.servesDtls ? ' (RADIUS/DTLS, UDP)' : ''}`;
  if (served.server.dtlsUnavailable !== undefined) output.stderr(`eaphost serve: RADIUS/DTLS not served: ${served.server.dtlsUnavailable}`);
  watch(served);
  metrics?.ready();
  if (metrics) output.stdout(`metrics on ${metrics.url}`);
  output.stdout(`listening on ${formatHostPort(bound.address, bound.port)}${radsecNote} ${served.summary}`);
  // SIGHUP: users, clients, methods, TLS and policy read again; the new server takes the old one's
  // port. A file that fails keeps the running configuration. Counters (metrics) carry on. The old
  // server takes nothing new once the new one is ready, and closes once each request it proxied
  // has had its home's reply (or its Reject) sent: none is lost, none sent again by a NAS's retry.
  const reload = async (): Promise<void> => {
    const old = served!;
    let next: Served;
    try {
      next = await configure(values, bound.port, hooks);
    } catch (error) {
      output.stderr(`eaphost serve: reload failed, still serving the configuration before it: ${thrownText(error)}`);
      return;
    }
    await old.server.drain((outstanding) =>
      output.stdout(`reloading: answering the ${outstanding} request${outstanding === 1 ? '' : 's'} out to home servers first`));
    await old.server.close();
    try {
      await next.server.listen();
    } catch (error) {
      await next.authenticator.close();
      output.stderr(`eaphost serve: reload failed, still serving the configuration before it: ${thrownText(error)}`);
      // The port was ours a moment ago: taken back, or serve says it serves nothing.
      await old.server.listen().catch((again: unknown) => output.stderr(`eaphost serve: listening again failed: ${thrownText(again)}`));
      return;
    }
    await old.authenticator.close();
    served = next;
    watch(next);
    output.stdout(`reloaded: listening on ${formatHostPort(bound.address, bound.port)}${radsecNote} ${next.summary}`);
  };
  try {
    await untilStopped(stop, reload);
    const { server } = served;
    if (server.stats.droppedNoMessageAuthenticator > 0) {
      output.stderr(`eaphost serve: dropped ${server.stats.droppedNoMessageAuthenticator} requests without ` +
        'Message-Authenticator (BlastRADIUS, CVE-2024-3596)');
    }
    if (server.stats.papSlowed > 0) {
      output.stderr(`eaphost serve: refused ${server.stats.papSlowed} PAP requests unchecked after repeated wrong passwords ` +
        'for their user or NAS (--log names them)');
    }
    if (radsecClosed.size > 0) {
      output.stderr(`eaphost serve: closed RadSec connections: ${[...radsecClosed].map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
    }
    return 0;
  } catch (error) {
    output.stderr(`eaphost serve: ${(error as Error).message}`);
    return 1;
  } finally {
    await served.server.close();
    await closeStores();
    await served.authenticator.close();
  }
}
