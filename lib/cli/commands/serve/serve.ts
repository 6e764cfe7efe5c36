/**
 * `eaphost serve …`: our embedded authenticator behind RADIUS (or RadSec), for eapol_test, a NAS
 * or a load test. Takes the parsed flags (commands/serve.ts declares them) and resolves with the
 * exit code when SIGINT / SIGTERM (or `stop`) ends it.
 */
import { FILE_LIMITS, readFlagFile } from '../../../core/file-read';
import { createAuthenticator } from '../../../index';
import { shippedMethodOfType } from '../../../session/builtin';
import { wipeTlsOptions } from '../../tls-flags';
import { RADSEC_SECRET, radsecServeOptions, readPrivateFile } from '../../radsec-flags';
import { checkRadSecPsk, RadSecPskClient } from '../../../radius/radsec-psk';
import { crlExpiryWarnings } from '../../crl-dates';
import { ownCertificateWarnings, stapleFileWatch } from './serve-own-certificate';
import { RadiusClientEntry, RadiusConversationRecord, RadiusServer } from '../../../radius';
import { DEFAULT_MAX_TLS_CONVERSATIONS } from '../../../radius/server';
import { formatHostPort } from '../../../radius/endpoint';
import { methodName } from '../../../radius/policy';
import { CliOutput, flagReader, positiveInteger, requireMessageAuthenticator, stringFlag } from '../../command-line';
import { CommandIo, ExitCode, FlagValues, LineWriter, UsageError } from '../../main';
import { literalSecretWarning, resolveSecrets } from '../../secrets';
import { embeddedAuthenticatorFlags } from './serve-methods';
import { policyFlags } from './serve-policy';
import { untilStopped } from '../../until-stopped';

/** The log line's name of an EAP type: the name the method goes by, identity for type 1. */
function eapTypeName(type: number): string | number {
  return type === 1 ? 'identity' : shippedMethodOfType(type) ?? methodName(type);
}

/** One --client CIDR=SECRET. */
function clientEntry(text: string): RadiusClientEntry {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new UsageError(`--client "${eq > 0 ? text.slice(0, eq) : text}": expected ADDRESS[/PREFIX]=SECRET`);
  return { network: text.slice(0, eq).trim(), secret: text.slice(eq + 1) };
}

/**
 * --clients FILE: one "ADDRESS[/PREFIX] SECRET" per line; blank lines and # comments skipped. With
 * --radsec, "psk IDENTITY HEXKEY ADDRESS[/PREFIX]..." lines instead: a RadSec client known by
 * TLS-PSK (RFC 9813) and the addresses it may connect from. A file holding a PSK must be mode 0600.
 */
function clientsFile(file: string, radsec: boolean): { entries: RadiusClientEntry[]; psk: RadSecPskClient[] } {
  const where = `--clients ${file}`;
  const fail = (message: string): UsageError => new UsageError(message);
  const text = readFlagFile('--clients', file, FILE_LIMITS.clients, fail).toString('utf8');
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
      } catch (error) {
        throw new UsageError(`${where} line ${i + 1}: ${(error as Error).message.replace(/^psk\.key is/, 'a key of')}`);
      }
      psk.push(client);
      return;
    }
    if (radsec) throw new UsageError(`${where} line ${i + 1}: with --radsec, clients are known by certificate or by "psk" lines`);
    const match = /^(\S+)\s+(.+)$/.exec(line);
    if (!match) throw new UsageError(`${where} line ${i + 1}: expected "ADDRESS[/PREFIX] SECRET"`);
    entries.push({ network: match[1], secret: match[2] });
  });
  if (entries.length === 0 && psk.length === 0) throw new UsageError(`${where} lists no clients`);
  // Keys in it: refused when others may read it (the check reads the file's mode, then it again).
  if (psk.length > 0) readPrivateFile(file, '--clients', FILE_LIMITS.clients, fail).fill(0);
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
    (record.reason === undefined ? '' : ` reason=${JSON.stringify(record.reason)}`);
}

export async function runServe(values: FlagValues, { out, err, stop }: CommandIo): Promise<number> {
  const output: CliOutput = { stdout: out, stderr: err };
  const { clients, psk } = clientList(values, err);
  resolveSecrets(values, clients ? ['key-password'] : ['secret', 'key-password'], err);
  const log = values.log === true;
  // RadSec's secret is "radsec" unless said otherwise (RFC 6614 §2.3).
  if (values.radsec === true) values.secret ??= RADSEC_SECRET;
  const radsec = radsecServeOptions(flagReader(values), (message) => new UsageError(message), psk);
  // What the RadSec listener closed for a limit, said once on exit.
  const radsecClosed = new Map<string, number>();
  if (radsec) {
    radsec.onConnectionEvent = ({ event, reason }) => {
      if (event === 'closed' && reason) radsecClosed.set(reason, (radsecClosed.get(reason) ?? 0) + 1);
    };
  }
  for (const required of ['port', ...(clients ? [] : ['secret']), 'users']) {
    if (values[required] === undefined) throw new UsageError(`--${required} is required`);
  }
  if (values.secret === '') throw new UsageError('--secret must not be empty');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port} is not a port`);
  const host = stringFlag(values, 'host') ?? '127.0.0.1';
  const strict = requireMessageAuthenticator(values);
  // Live conversations held at once; past it the least recently active idle one is evicted.
  const maxConversations = positiveInteger(stringFlag(values, 'max-conversations'), '--max-conversations', 20_000);
  // Of them, those holding a TLS session (≈ 26 KB each half-open): the bound on a flood's memory.
  const maxTlsConversations = positiveInteger(stringFlag(values, 'max-tls-conversations'), '--max-tls-conversations', DEFAULT_MAX_TLS_CONVERSATIONS);
  const secret = stringFlag(values, 'secret');
  const { users, methods, tls } = embeddedAuthenticatorFlags(values);
  const decided = policyFlags(values);
  // PAP is answered when asked for: --pap, or a policy rule that names it.
  const pap = values.pap === true || (decided.policy?.rules ?? []).some((rule) =>
    [rule.match?.method ?? []].flat().some((name) => name.toLowerCase() === 'pap'));

  for (const warning of ownCertificateWarnings(tls.cert)) output.stderr(`eaphost serve: warning: ${warning}`);
  // A stale CRL refuses every client it covers (unless --crl-allow-stale): said at start, and a day ahead.
  const crls = crlExpiryWarnings(tls.crl ?? [], 1);
  for (const warning of [...crls.stale, ...crls.soon]) output.stderr(`eaphost serve: warning: ${warning}`);
  let authenticator;
  try {
    authenticator = await createAuthenticator({ methods, users, ...tls });
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    output.stderr(`eaphost serve: ${error.message}`);
    return ExitCode.Usage;
  } finally {
    wipeTlsOptions(tls);
  }
  let server: RadiusServer | undefined;
  const staple = tls.ocspResponse === undefined ? undefined
    : stapleFileWatch(tls.ocspResponse, (line) => output.stderr(`eaphost serve: warning: ${line}`),
      () => server?.stats.ocspStapleFailures ?? 0);
  const onConversationEnd = (record: RadiusConversationRecord): void => {
    staple?.(record);
    if (log) output.stdout(conversationLogLine(record));
  };
  try {
    server = new RadiusServer({
      host, port, ...(clients ? { clients } : { secret }), requireMessageAuthenticator: strict, maxConversations, maxTlsConversations,
      ...(radsec ? { radsec } : {}), authenticator, ...(log || staple ? { onConversationEnd } : {}), ...decided, pap,
    });
  } catch (error) {
    await authenticator.close();
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    output.stderr(`eaphost serve: ${error.message.replace(/^clients\[\d+\]: /, '--client ')}`);
    return ExitCode.Usage;
  }
  try {
    const bound = await server.listen();
    output.stdout(`listening on ${formatHostPort(bound.address, bound.port)}${radsec ? ' (RadSec, TCP)' : ''}${radsec?.dtls ? ' (RADIUS/DTLS, UDP)' : ''} ` +
      `(EAP methods: ${methods.join(', ')}${pap || decided.mab ? `; ${[...(pap ? ['PAP'] : []), ...(decided.mab ? ['MAB'] : [])].join(', ')}` : ''})` +
      (decided.policy ? ` (policy: ${decided.policy.rules.length} rules)` : ''));
    await untilStopped(stop);
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
    await server.close();
    await authenticator.close();
  }
}
