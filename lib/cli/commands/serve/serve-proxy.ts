/**
 * serve's --proxy-realm REALM=URL and --proxy-secret-file FILE: the realms forwarded to home
 * servers (RadiusServer's `proxy`), each bad value a usage error naming its flag.
 */
import { FILE_LIMITS } from '../../../core/file-read';
import type { RadiusProxyRealm } from '../../../radius/server-proxy';
import { formatHostPort, parseHostPort } from '../../../radius/endpoint';
import { FlagValues, UsageError } from '../../main';
import { readPrivateFile } from '../../radsec-flags';

/** --proxy-secret-file: one line holding the secret toward every home server, and/or "HOST:PORT SECRET" lines; refused when others may read it. */
function proxySecrets(file: string): { all: string | undefined; byServer: Map<string, string> } {
  const where = `--proxy-secret-file ${file}`;
  const text = readPrivateFile(file, '--proxy-secret-file', FILE_LIMITS.clients).toString('utf8');
  let all: string | undefined;
  const byServer = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    if (words.length === 1 && all === undefined) {
      all = words[0];
      return;
    }
    let server: string | undefined;
    try {
      if (words.length === 2) {
        const { host, port } = parseHostPort(words[0], 0);
        server = formatHostPort(host, port);
      }
    } catch {
      server = undefined;
    }
    if (server === undefined || byServer.has(server)) {
      throw new UsageError(`${where} line ${i + 1}: expected one line "SECRET" for every home server, or "HOST:PORT SECRET" lines ` +
        '(each server once)');
    }
    byServer.set(server, words[1]);
  });
  return { all, byServer };
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
    return undefined;
  }
  const secrets = secretFile === undefined ? undefined : proxySecrets(secretFile);
  const seen = new Set<string>();
  return entries.map((entry): RadiusProxyRealm => {
    const eq = entry.indexOf('=');
    const realm = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (realm === '' || realm.includes('@')) throw new UsageError(`--proxy-realm "${entry}": expected REALM=URL (REALM without '@', or *)`);
    if (seen.has(realm.toLowerCase())) throw new UsageError(`--proxy-realm: realm "${realm}" is given twice`);
    seen.add(realm.toLowerCase());
    const target = entry.slice(eq + 1).trim();
    if (target === 'local') return { realm, home: 'local' };
    const match = /^([a-z]+):\/\/([^/]+)\/?$/i.exec(target);
    if (match === null) throw new UsageError(`--proxy-realm ${realm}: "${target}" is not udp://HOST:PORT or local`);
    if (match[1].toLowerCase() !== 'udp') {
      throw new UsageError(`--proxy-realm ${realm}: ${match[1]}:// home servers are not served yet; udp://HOST:PORT is`);
    }
    let server: { host: string; port: number };
    try {
      server = parseHostPort(match[2]);
    } catch {
      throw new UsageError(`--proxy-realm ${realm}: "${target}" is not udp://HOST:PORT`);
    }
    if (secrets === undefined) throw new UsageError(`--proxy-realm ${realm}: --proxy-secret-file is required (the secret toward ${target})`);
    const secret = secrets.byServer.get(formatHostPort(server.host, server.port)) ?? secrets.all;
    if (secret === undefined) {
      throw new UsageError(`--proxy-secret-file ${secretFile}: no secret for ${formatHostPort(server.host, server.port)} (--proxy-realm ${realm})`);
    }
    return { realm, home: { ...server, secret, allowUnsignedReplies } };
  });
}
