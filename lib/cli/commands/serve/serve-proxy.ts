/**
 * serve's --proxy-realm REALM=URL, --proxy-secret-file FILE and --proxy-radsec-*: the realms
 * forwarded to home servers (RadiusServer's `proxy`), and --proxy-discover with --dns-server (its
 * `proxyDiscovery`), each bad value a usage error naming its flag.
 */
import { FILE_LIMITS } from '../../../core/file-read';
import { RadiusDiscovery } from '../../../radius/discovery';
import type { RadiusHomeServer, RadiusProxyRealm } from '../../../radius/server-proxy';
import type { RadiusProxyDiscovery } from '../../../radius/server-proxy-discovery';

type HomeRadSec = NonNullable<RadiusHomeServer['radsec']>;
import { formatHostPort, parseHostPort } from '../../../radius/endpoint';
import { checkRadSecPsk } from '../../../radius/radsec/psk';
import type { RadSecPsk } from '../../../radius/radsec/psk';
import { FlagValues, UsageError } from '../../main';
import { readFlagFile } from '../../command-line';
import { readPrivateFile } from '../../radsec-flags';

const SCHEMES: Record<string, NonNullable<RadiusHomeServer['transport']>> = { udp: 'udp', radsec: 'tls', dtls: 'dtls' };
const CERTIFICATE_FLAGS = ['proxy-radsec-cert', 'proxy-radsec-key', 'proxy-radsec-ca'] as const;
const RADSEC_FLAGS = [...CERTIFICATE_FLAGS, 'proxy-radsec-server-name', 'proxy-radsec-psk-file'] as const;

/**
 * A file's "HOST:PORT …" lines, blank lines and # comments skipped: `read` takes a line's words
 * (line: its number), and gives its value or undefined (not such a line); `other` may take a line
 * first. A line neither takes, or a server given twice, is a usage error saying `expected`.
 */
function serverLines<T>(text: string, where: string, expected: string, read: (words: string[], line: number) => T | undefined,
  other: (words: string[]) => boolean = () => false): Map<string, T> {
  const byServer = new Map<string, T>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    if (other(words)) return;
    let server: string | undefined;
    try {
      const { host, port } = parseHostPort(words[0], 0);
      server = formatHostPort(host, port);
    } catch {
      server = undefined;
    }
    const value = server === undefined || byServer.has(server) ? undefined : read(words, i + 1);
    if (server === undefined || value === undefined) throw new UsageError(`${where} line ${i + 1}: expected ${expected} (each server once)`);
    byServer.set(server, value);
  });
  return byServer;
}

/** --proxy-radsec-psk-file: "HOST:PORT IDENTITY HEXKEY" lines, a RadSec home's TLS-PSK each; refused when others may read it. */
function proxyPsks(file: string): Map<string, RadSecPsk> {
  const where = `--proxy-radsec-psk-file ${file}`;
  const bytes = readPrivateFile(file, '--proxy-radsec-psk-file', FILE_LIMITS.clients);
  const text = bytes.toString('utf8');
  bytes.fill(0);
  return serverLines(text, where, '"HOST:PORT IDENTITY HEXKEY" lines', (words, line) => {
    if (words.length !== 3 || !/^(?:[0-9a-f]{2})+$/i.test(words[2])) return undefined;
    const psk = { identity: words[1], key: Buffer.from(words[2], 'hex') };
    try {
      checkRadSecPsk(psk, 'psk');
    } catch (error) {
      psk.key.fill(0);
      throw new UsageError(`${where} line ${line}: ${(error as Error).message}`);
    }
    return psk;
  });
}

/** Our identity toward the RadSec homes: the certificate flags (all three) and the PSK file, as given. */
function proxyRadSec(values: FlagValues): { certificate?: HomeRadSec; psks?: Map<string, RadSecPsk> } {
  const given = CERTIFICATE_FLAGS.filter((name) => typeof values[name] === 'string');
  if (given.length > 0 && given.length < CERTIFICATE_FLAGS.length) {
    const missing = CERTIFICATE_FLAGS.find((name) => !given.includes(name)) as string;
    throw new UsageError(`--${given[0]} needs --${missing} FILE too (a RadSec home takes a certificate, its key and a CA)`);
  }
  const file = (name: string, limit: number): Buffer => readFlagFile(`--${name}`, values[name] as string, limit);
  const serverName = values['proxy-radsec-server-name'];
  if (serverName !== undefined && given.length === 0) throw new UsageError('--proxy-radsec-server-name applies with --proxy-radsec-cert only');
  if (serverName === '') throw new UsageError('--proxy-radsec-server-name needs a NAME');
  const certificate = given.length === 0 ? undefined : {
    cert: file('proxy-radsec-cert', FILE_LIMITS.certificates), key: file('proxy-radsec-key', FILE_LIMITS.key),
    ca: file('proxy-radsec-ca', FILE_LIMITS.certificates), ...(typeof serverName === 'string' ? { serverName } : {}),
  };
  const pskFile = values['proxy-radsec-psk-file'];
  return { certificate, ...(typeof pskFile === 'string' ? { psks: proxyPsks(pskFile) } : {}) };
}

/** --proxy-secret-file: one line holding the secret toward every home server, and/or "HOST:PORT SECRET" lines; refused when others may read it. */
function proxySecrets(file: string): { all: string | undefined; byServer: Map<string, string> } {
  const where = `--proxy-secret-file ${file}`;
  const text = readPrivateFile(file, '--proxy-secret-file', FILE_LIMITS.clients).toString('utf8');
  let all: string | undefined;
  const byServer = serverLines(text, where, 'one line "SECRET" for every home server, or "HOST:PORT SECRET" lines',
    (words) => (words.length === 2 ? words[1] : undefined), (words) => {
      if (words.length !== 1 || all !== undefined) return false;
      all = words[0];
      return true;
    });
  return { all, byServer };
}

/**
 * Why this serve needs --users, or undefined when it does not: every realm goes to a home server
 * (a '*' home or --proxy-discover, and no local realm). Such a serve answers nothing itself: a
 * User-Name without a realm (no route takes it, not even '*') gets an Access-Reject saying so.
 */
export function usersNeeded(values: FlagValues): string | undefined {
  const given = values['proxy-realm'];
  const entries = (given === undefined ? [] : [given].flat().map(String)).map((entry) => {
    const eq = entry.indexOf('=');
    return { realm: entry.slice(0, Math.max(eq, 0)).trim(), target: entry.slice(eq + 1).trim() };
  });
  const local = entries.find(({ target }) => target === 'local');
  if (local !== undefined) return `--proxy-realm ${local.realm}=local answers that realm here, from --users`;
  if (values['proxy-discover'] === true || entries.some(({ realm }) => realm === '*')) return undefined;
  return entries.length === 0 ? '' : 'the realms no --proxy-realm names, and User-Names without a realm, are answered here, from --users';
}

/** The realms --proxy-realm names (undefined without one). */
export function proxyFlags(values: FlagValues): RadiusProxyRealm[] | undefined {
  const given = values['proxy-realm'];
  const entries = given === undefined ? [] : [given].flat().map(String);
  const secretFile = typeof values['proxy-secret-file'] === 'string' ? values['proxy-secret-file'] : undefined;
  const allowUnsignedReplies = values['proxy-allow-unsigned-replies'] === true;
  if (entries.length === 0) {
    if (secretFile !== undefined) throw new UsageError('--proxy-secret-file applies with --proxy-realm only');
    if (allowUnsignedReplies) throw new UsageError('--proxy-allow-unsigned-replies applies with --proxy-realm only');
    if (values['proxy-pool-mode'] !== undefined) throw new UsageError('--proxy-pool-mode applies with --proxy-realm only');
    const radsec = RADSEC_FLAGS.find((name) => values[name] !== undefined && !discoveryTakes(values, name));
    if (radsec !== undefined) throw new UsageError(`--${radsec} applies with --proxy-realm only`);
    return undefined;
  }
  const secrets = secretFile === undefined ? undefined : proxySecrets(secretFile);
  const unused = RADSEC_FLAGS.find((name) => values[name] !== undefined && !discoveryTakes(values, name));
  if (unused !== undefined && !entries.some((entry) => /=\s*(?:radsec|dtls):\/\//i.test(entry))) {
    throw new UsageError(`--${unused} applies with a radsec:// or dtls:// --proxy-realm only`);
  }
  const { certificate, psks } = proxyRadSec(values);
  const poolMode = values['proxy-pool-mode'];
  if (poolMode !== undefined && poolMode !== 'failover' && poolMode !== 'balance') {
    throw new UsageError(`--proxy-pool-mode: "${String(poolMode)}" is not failover or balance`);
  }
  const seen = new Set<string>();
  return entries.map((entry): RadiusProxyRealm => {
    const eq = entry.indexOf('=');
    const realm = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (realm === '' || realm.includes('@')) throw new UsageError(`--proxy-realm "${entry}": expected REALM=URL (REALM without '@', or *)`);
    if (seen.has(realm.toLowerCase())) throw new UsageError(`--proxy-realm: realm "${realm}" is given twice`);
    seen.add(realm.toLowerCase());
    const targets = entry.slice(eq + 1).split(',').map((target) => target.trim());
    if (targets.length === 1 && targets[0] === 'local') return { realm, home: 'local' };
    const homes = targets.map((target) => homeOf(realm, target, { secrets, secretFile, certificate, psks, allowUnsignedReplies }));
    const urls = targets.map((target) => target.toLowerCase());
    const twice = urls.find((url, i) => urls.indexOf(url) !== i);
    if (twice !== undefined) throw new UsageError(`--proxy-realm ${realm}: ${twice} is given twice in its pool`);
    return homes.length === 1 ? { realm, home: homes[0] } : { realm, home: homes, poolMode: poolMode ?? 'failover' };
  });
}

/** What every home of --proxy-realm takes from the other flags. */
interface HomeFlags {
  secrets: { all: string | undefined; byServer: Map<string, string> } | undefined;
  secretFile: string | undefined;
  certificate: HomeRadSec | undefined;
  psks: Map<string, RadSecPsk> | undefined;
  allowUnsignedReplies: boolean;
}

/** One URL of --proxy-realm REALM=URL[,URL...]: its home server. */
function homeOf(realm: string, target: string, { secrets, secretFile, certificate, psks, allowUnsignedReplies }: HomeFlags): RadiusHomeServer {
  if (target === 'local') throw new UsageError(`--proxy-realm ${realm}: local cannot be one of a pool`);
  const match = /^([a-z]+):\/\/([^/]+)\/?$/i.exec(target);
  const transport = match === null ? undefined : SCHEMES[match[1].toLowerCase()];
  if (match === null || transport === undefined) {
    throw new UsageError(`--proxy-realm ${realm}: "${target}" is not udp://HOST:PORT, radsec://HOST:PORT, dtls://HOST:PORT or local`);
  }
  let server: { host: string; port: number };
  try {
    server = parseHostPort(match[2]);
  } catch {
    throw new UsageError(`--proxy-realm ${realm}: "${target}" is not ${match[1].toLowerCase()}://HOST:PORT`);
  }
  const named = formatHostPort(server.host, server.port);
  if (transport !== 'udp') {
    // RadSec's own secret (RFC 6614 §2.3, the RadSec revision's for DTLS) unless a line names this server.
    const secret = secrets?.byServer.get(named);
    const psk = psks?.get(named);
    if (psk === undefined && certificate === undefined) {
      throw new UsageError(`--proxy-realm ${realm}: ${target} needs --proxy-radsec-cert, --proxy-radsec-key and ` +
        `--proxy-radsec-ca, or a line for ${named} in --proxy-radsec-psk-file`);
    }
    const radsec: HomeRadSec = psk === undefined ? { ...certificate } : { psk };
    return { ...server, transport, ...(secret === undefined ? {} : { secret }), radsec, allowUnsignedReplies };
  }
  if (secrets === undefined) throw new UsageError(`--proxy-realm ${realm}: --proxy-secret-file is required (the secret toward ${target})`);
  const secret = secrets.byServer.get(named) ?? secrets.all;
  if (secret === undefined) {
    throw new UsageError(`--proxy-secret-file ${secretFile}: no secret for ${named} (--proxy-realm ${realm})`);
  }
  return { ...server, secret, allowUnsignedReplies };
}

/** --proxy-reverse-coa: whether a RadSec home's Disconnect- and CoA-Requests are carried toward the NAS side. */
export function proxyReverseCoa(values: FlagValues, proxy: RadiusProxyRealm[] | undefined): boolean {
  if (values['proxy-reverse-coa'] !== true) return false;
  const radsecHome = (proxy ?? []).some(({ home }) => home !== 'local' && [home].flat().some(({ transport }) => (transport ?? 'udp') !== 'udp'));
  if (!radsecHome) throw new UsageError('--proxy-reverse-coa applies with a radsec:// or dtls:// --proxy-realm only');
  if (values.radsec !== true) throw new UsageError('--proxy-reverse-coa needs --radsec: the NAS takes them down its own RadSec connection');
  return true;
}

/** Whether --proxy-discover takes flag `name`: our certificate toward the homes it finds. */
function discoveryTakes(values: FlagValues, name: string): boolean {
  return values['proxy-discover'] === true && (CERTIFICATE_FLAGS as readonly string[]).includes(name);
}

/** --proxy-discover's resolver and cache, made once: a reload keeps what it holds (undefined without the flag). */
export function proxyDiscoveryFlags(values: FlagValues): RadiusDiscovery | undefined {
  const given = values['dns-server'];
  const servers = given === undefined ? [] : [given].flat().map(String);
  if (values['proxy-discover'] !== true) {
    if (servers.length > 0) throw new UsageError('--dns-server applies with --proxy-discover only');
    return undefined;
  }
  try {
    return new RadiusDiscovery({ ...(servers.length > 0 ? { dnsServers: servers } : {}), transports: ['tls', 'dtls'] });
  } catch (error) {
    throw new UsageError(`--dns-server: ${(error as Error).message}`);
  }
}

/** RadiusServer's `proxyDiscovery`: the discovery and our certificate toward the homes it finds. */
export function proxyDiscoveryOf(values: FlagValues, discovery: RadiusDiscovery | undefined): RadiusProxyDiscovery | undefined {
  if (discovery === undefined) return undefined;
  const { certificate } = proxyRadSec(values);
  if (certificate === undefined) {
    throw new UsageError('--proxy-discover needs --proxy-radsec-cert, --proxy-radsec-key and --proxy-radsec-ca (the CA the ' +
      'discovered home servers\' certificates must chain to)');
  }
  const { cert, key, ca } = certificate;
  return { discovery, radsec: { cert, key, ca } };
}
