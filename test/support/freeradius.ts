import { cpSync, existsSync, lstatSync, readFileSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findProgram, freeTcpPort, freeUdpPort, freeUdpPortPair, makeTempDir, opensslDefaultsEnv, quoteConfigString, runProgram, startDaemon } from './programs';
import type { Daemon } from './programs';
import { inNamespace } from './netns';

/**
 * A private FreeRADIUS 3.2 for one test run: a copy of the distribution's configuration with the
 * edits that make it a loopback-only test server (no user switch, no reject delay, no proxying,
 * our own listeners, clients and users, certificates made for this run).
 */
export interface FreeRadiusUser {
  identity: string;
  password: string;
  /** More check items for the users file ("NAS-Identifier == \"sw1\""): the entry, and so the
   *  password, applies only to requests that carry these attributes. */
  check?: string[];
  /** Reply items ("Session-Timeout = 3600") sent in the Access-Accept. */
  reply?: string[];
}

export interface FreeRadiusOptions {
  secret: string;
  users: FreeRadiusUser[];
  /** Also listen on ::1 (same port number when free). */
  ipv6?: boolean;
  /** EAP-MSCHAPv2 sends its Failure request ("E=691 R=0 …") before the Access-Reject, instead
   *  of rejecting at once (the eap module's mschapv2 send_error). */
  mschapv2SendError?: boolean;
  /** TLS methods (EAP-TLS, PEAP, TTLS): certificate files made for this run (paths), used
   *  instead of the ones FreeRADIUS's certs/ makes; ca also checks EAP-TLS client certificates. */
  certificates?: { ca: string; serverCert: string; serverKey: string };
  /** The eap module's tls_max_version (the distribution's default is "1.2"). */
  tlsMaxVersion?: '1.0' | '1.1' | '1.2' | '1.3';
  /** The eap module's tls_min_version (the distribution's default is "1.2"). */
  tlsMinVersion?: '1.0' | '1.1' | '1.2' | '1.3';
  /** The eap module's cipher_list (the distribution's default is "DEFAULT"), e.g.
   *  "DEFAULT@SECLEVEL=0" for TLS 1.0 or a certificate OpenSSL's default level refuses. */
  cipherList?: string;
  /** openssl.cnf lines for FreeRADIUS's OpenSSL (its system_default section), e.g.
   *  "CipherString = DEFAULT@SECLEVEL=0", read before the eap module loads its certificate: what
   *  lets it load a SHA-1-signed or RSA-1024 certificate that Debian's default level refuses. */
  opensslDefaults?: string[];
  /** The TLS session cache of the eap module (tls-config's cache { enable = yes }), as
   *  production servers run it: FreeRADIUS then sends TLS 1.3 NewSessionTickets. */
  tlsSessionCache?: boolean;
  /** The eap module's default_eap_type, the method it proposes first (the distribution's is md5;
   *  a peer that wants another one then spends a round trip on its Nak). */
  defaultEapType?: 'md5' | 'gtc' | 'mschapv2' | 'tls' | 'peap' | 'ttls';
  /** The TLS methods' fragment_size (the distribution's default is 1024). */
  fragmentSize?: number;
  /** Also enable the distribution's `status` virtual server (a Status-Server listener, RFC 5997)
   *  on its own loopback port, with `secret` for its client. */
  statusServer?: boolean;
  /** Also listen for accounting (RFC 2866) on its own loopback port. `'answer'`: every
   *  Accounting-Request is answered and nothing recorded (the site's preacct and accounting
   *  sections reduced to `ok`; the distribution's write each request to a detail file and
   *  radwtmp): the least a correct server does, for a benchmark measuring its client. */
  accounting?: boolean | 'answer';
  /** With `accounting`: its port the one after the authentication port (1812's 1813), where a
   *  proxy sends a UDP home server's accounting. */
  accountingNextPort?: boolean;
  /** Also listen for RADIUS over TLS (RadSec, RFC 6614) on a loopback TCP port, with this server
   *  certificate and key, requiring client certificates from ca (files). */
  radsec?: { ca: string; serverCert: string; serverKey: string } | FreeRadiusPsk;
  /** With `radsec`: also take CoA-Request and Disconnect-Request (RFC 5176) over RadSec, on a
   *  TCP port of their own (a `type = coa` TLS listener, the same tls {} and clients), answered
   *  with an ACK by a virtual server that does nothing else (recv-coa and send-coa `ok`). */
  radsecCoa?: boolean;
  /** The certificate RadSec listener's highest TLS version: 1.2 unless told (3.2.1 does 1.3 too, without ALPN). */
  radsecTlsMaxVersion?: '1.2' | '1.3';
  /** Run inside this network namespace (test/support/netns.ts). */
  netns?: string;
  /** Run with -X (threaded -fxx with `radsec`): the debug log then says, among much else, the TLS
   *  version of each record and every packet received and sent with its attributes. */
  debug?: boolean;
  /** Proxy every request whose User-Name is in `realm` (user@realm) to this RADIUS server on
   *  127.0.0.1 (a home server, RFC 2865 proxying as proxy.conf configures it) instead of
   *  answering it; with `radsec`, over RadSec (RFC 6614: TCP `port`, TLS with this client
   *  certificate, the home server's checked against `ca`) as the distribution's sites-available/tls
   *  configures a TLS home server. */
  proxyTo?: { realm: string; port: number; secret: string; radsec?: HomeRadSec };
  /** With `accounting: 'answer'`: for each Accounting-Request, originate a Disconnect-Request or a
   *  CoA-Request (`packet`; raddb/sites-available/originate-coa: `update disconnect` or `update coa`
   *  in preacct) naming its session (its User-Name, Calling-Station-Id and NAS-Identifier, with
   *  Event-Timestamp, Message-Authenticator and `attributes`, e.g. "&Session-Timeout = 1") to the
   *  `type = coa` home server 127.0.0.1:`port` over RadSec (TLS with this client certificate, the
   *  secret "radsec"), through the pool `coa` (as the distribution's example names it) that its
   *  Home-Server-Pool names. */
  originate?: { packet: 'disconnect' | 'coa'; port: number; radsec: HomeRadSec; attributes?: string[] };
}

/** A home server's RadSec: its certificate checked against `ca`, ours with its key and password. */
export interface HomeRadSec { ca: string; clientCert: string; clientKey: string; clientKeyPassword: string }

/** A home server's `proto = tcp` and `tls { }` lines (sites-available/tls's home server). */
function homeTls(radsec: HomeRadSec): string {
  return '\tproto = tcp\n\ttls {\n' +
    `\t\tprivate_key_password = ${quoteConfigString(radsec.clientKeyPassword)}\n` +
    `\t\tprivate_key_file = ${quoteConfigString(radsec.clientKey)}\n` +
    `\t\tcertificate_file = ${quoteConfigString(radsec.clientCert)}\n` +
    `\t\tca_file = ${quoteConfigString(radsec.ca)}\n\t\tfragment_size = 8192\n\t}\n`;
}

/** TLS-PSK instead of certificates (RFC 9813): FreeRADIUS 3.2's psk_identity / psk_hexphrase, no
 *  certificate, TLS 1.2, its cipher list with the PSK suites. A listener only: 3.2.1 reads no psk_*
 *  in a home server's tls {} (its tls_client_config lists none before 3.2.5), so it cannot proxy
 *  over TLS-PSK. */
export interface FreeRadiusPsk { psk: { identity: string; hex: string } }

function pskTls({ psk }: FreeRadiusPsk): string {
  return `\t\tpsk_identity = ${quoteConfigString(psk.identity)}\n\t\tpsk_hexphrase = ${quoteConfigString(psk.hex)}\n` +
    '\t\ttls_min_version = "1.2"\n\t\ttls_max_version = "1.2"\n\t\tcipher_list = "DEFAULT:PSK"\n';
}

/** The daemon (its log, logUntil, stop) and where it answers. */
export interface FreeRadiusInstance extends Daemon {
  host: string;
  port: number;
  host6?: string;
  port6?: number;
  /** The `status` virtual server's port, with statusServer. */
  statusPort?: number;
  /** The accounting port, with accounting. */
  acctPort?: number;
  /** The RadSec (TCP) port, with radsec. */
  radsecPort?: number;
  /** The RadSec CoA (TCP) port, with radsecCoa. */
  radsecCoaPort?: number;
  secret: string;
}

/** The line FreeRADIUS -X writes when it sends a verdict, after every line the request made it
 *  write: wait for it before reading them. */
export const FREERADIUS_VERDICT = /^\(\d+\) Sent Access-(?:Accept|Reject) Id \d+ .*\n/m;

const CONFIG_DIRECTORIES = ['/etc/freeradius/3.0', '/etc/freeradius', '/etc/raddb'];

function distributionConfig(): string {
  const found = [process.env.EAPHOST_FREERADIUS_CONFIG, ...CONFIG_DIRECTORIES]
    .find((directory) => directory && existsSync(join(directory, 'radiusd.conf')));
  if (!found) {
    throw new Error(`no FreeRADIUS configuration found in ${CONFIG_DIRECTORIES.join(', ')}: install the Debian package "freeradius"`);
  }
  return found;
}

/** Where the section whose `{` stands at `brace` closes (its `}`), braces in comments skipped;
 *  the site's length when it never closes. */
function sectionEnd(site: string, brace: number): number {
  let depth = 0;
  for (let i = brace; i < site.length; i++) {
    const c = site[i];
    if (c === '#') {
      i = site.indexOf('\n', i);
      if (i === -1) return site.length;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return i;
  }
  return site.length;
}

/** Removes every top-level `listen { ... }` section: the distribution's listen on wildcard addresses. */
export function withoutListenSections(site: string): string {
  let out = '';
  let index = 0;
  const pattern = /^[ \t]*listen\s*\{/gm;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(site)) !== null) {
    out += site.slice(index, match.index);
    index = sectionEnd(site, match.index + match[0].length - 1) + 1;
    pattern.lastIndex = index;
  }
  return out + site.slice(index);
}

/** `site` with each named top-level section's body replaced by `ok`. */
function withSectionsOk(site: string, names: readonly string[]): string {
  for (const name of names) {
    const opening = new RegExp(`^[ \\t]*${name}\\s*\\{`, 'm').exec(site);
    if (!opening) throw new Error(`no "${name} {" section in the FreeRADIUS default site`);
    const end = sectionEnd(site, opening.index + opening[0].length - 1);
    if (end >= site.length) throw new Error(`the FreeRADIUS default site's "${name}" section does not close`);
    site = `${site.slice(0, opening.index)}${name} {\n\tok\n}${site.slice(end + 1)}`;
  }
  return site;
}

/** Replaces a symlink inside the copy with a regular file holding `content`. */
function writeThrough(path: string, content: string): void {
  if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
  writeFileSync(path, content);
}

function readThrough(path: string): string {
  return readFileSync(lstatSync(path).isSymbolicLink() ? resolve(join(path, '..'), readlinkSync(path)) : path, 'utf8');
}

/**
 * The eap module for the test server: this run's certificates; EAP-GTC checked by the pap
 * module against the users' Cleartext-Password (auth_type PAP); EAP-MSCHAPv2 through the
 * mschap module, with its Failure request when asked for.
 */
function eapModuleConfig(eap: string, options: FreeRadiusOptions): string {
  const files = options.certificates;
  let out = eap
    .replace(/^(\s*)private_key_file\s*=.*$/m, `$1private_key_file = ${files ? quoteConfigString(files.serverKey) : '${certdir}/server.pem'}`)
    .replace(/^(\s*)certificate_file\s*=.*$/m, `$1certificate_file = ${files ? quoteConfigString(files.serverCert) : '${certdir}/server.pem'}`)
    .replace(/^(\s*)ca_file\s*=.*$/m, `$1ca_file = ${files ? quoteConfigString(files.ca) : '${cadir}/ca.pem'}`);
  if (options.tlsMaxVersion) {
    if (!/^(\s*)tls_max_version\s*=.*$/m.test(out)) throw new Error('the FreeRADIUS eap module has no tls_max_version line');
    out = out.replace(/^(\s*)tls_max_version\s*=.*$/m, `$1tls_max_version = "${options.tlsMaxVersion}"`);
  }
  if (options.tlsMinVersion) {
    out = replaceInSection(out, 'tls-config tls-common', /^(\s*)tls_min_version\s*=.*$/m, `$1tls_min_version = "${options.tlsMinVersion}"`);
  }
  if (options.cipherList !== undefined) {
    out = replaceInSection(out, 'tls-config tls-common', /^(\s*)cipher_list\s*=.*$/m, `$1cipher_list = ${quoteConfigString(options.cipherList)}`);
  }
  if (options.defaultEapType !== undefined) {
    // The first default_eap_type is the eap module's own; PEAP's and TTLS's inner ones follow it.
    out = out.replace(/^(\s*)default_eap_type\s*=.*$/m, `$1default_eap_type = ${options.defaultEapType}`);
  }
  if (options.fragmentSize !== undefined) {
    out = replaceInSection(out, 'tls-config tls-common', /^(\s*)#?\s*fragment_size\s*=.*$/m,
      `$1fragment_size = ${options.fragmentSize}`);
  }
  if (options.tlsSessionCache) {
    out = replaceInSection(out, 'cache', /^(\s*)enable\s*=.*$/m, '$1enable = yes');
  }
  out = replaceInSection(out, 'gtc', /^(\s*)#?\s*auth_type\s*=.*$/m, '$1auth_type = PAP');
  if (options.mschapv2SendError) {
    out = replaceInSection(out, 'mschapv2', /^(\s*)#?\s*send_error\s*=.*$/m, '$1send_error = yes');
  }
  return out;
}

/** Applies `pattern` → `replacement` once, inside the first `name {` section of `text`. */
function replaceInSection(text: string, name: string, pattern: RegExp, replacement: string): string {
  const opening = new RegExp(`^\\s*${name}\\s*\\{`, 'm').exec(text);
  if (!opening) throw new Error(`no "${name} {" section in the FreeRADIUS eap module`);
  let depth = 0;
  let end = opening.index + opening[0].length - 1;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    if (text[end] === '}' && --depth === 0) break;
  }
  const section = text.slice(opening.index, end);
  if (!pattern.test(section)) throw new Error(`the FreeRADIUS eap module's ${name} section has no line for ${pattern}`);
  return text.slice(0, opening.index) + section.replace(pattern, replacement) + text.slice(end);
}

export async function startFreeRadius(options: FreeRadiusOptions): Promise<FreeRadiusInstance> {
  const program = findProgram(['freeradius', 'radiusd'], 'freeradius');
  const source = distributionConfig();
  const dir = makeTempDir('freeradius');
  const confdir = join(dir.path, 'raddb');
  cpSync(source, confdir, { recursive: true, verbatimSymlinks: true });

  const port = options.accountingNextPort ? await freeUdpPortPair('127.0.0.1') : await freeUdpPort('127.0.0.1');
  const port6 = options.ipv6 ? await freeUdpPort('::1') : undefined;

  let radiusd = readFileSync(join(confdir, 'radiusd.conf'), 'utf8');
  radiusd = radiusd
    .replace(/^(\s*)(user|group)\s*=.*$/gm, '$1#$2 (removed: the test server runs as the invoking user)')
    .replace(/^raddbdir\s*=.*$/m, `raddbdir = ${confdir}`)
    .replace(/^logdir\s*=.*$/m, `logdir = ${dir.path}`)
    .replace(/^run_dir\s*=.*$/m, `run_dir = ${dir.path}`)
    .replace(/^(\s*)reject_delay\s*=.*$/m, '$1reject_delay = 0')
    .replace(/^proxy_requests\s*=.*$/m, `proxy_requests = ${options.proxyTo || options.originate ? 'yes' : 'no'}`);
  writeFileSync(join(confdir, 'radiusd.conf'), radiusd);
  if (options.proxyTo) {
    const { realm, port: homePort, secret, radsec } = options.proxyTo;
    const tls = radsec ? homeTls(radsec) : '';
    writeThrough(join(confdir, 'proxy.conf'), `${readThrough(join(confdir, 'proxy.conf'))}\n` +
      `home_server eaphost_home {\n\ttype = auth\n\tipaddr = 127.0.0.1\n\tport = ${homePort}\n${tls}` +
      `\tsecret = ${quoteConfigString(secret)}\n\tresponse_window = 20\n\tstatus_check = none\n}\n` +
      'home_server_pool eaphost_pool {\n\ttype = fail-over\n\thome_server = eaphost_home\n}\n' +
      `realm ${realm} {\n\tauth_pool = eaphost_pool\n\tnostrip\n}\n`);
  }
  if (options.originate) {
    const { port: dasPort, radsec } = options.originate;
    writeThrough(join(confdir, 'proxy.conf'), `${readThrough(join(confdir, 'proxy.conf'))}\n` +
      `home_server eaphost_das {\n\ttype = coa\n\tipaddr = 127.0.0.1\n\tport = ${dasPort}\n${homeTls(radsec)}` +
      '\tsecret = radsec\n\tcoa {\n\t\tirt = 2\n\t\tmrt = 16\n\t\tmrc = 5\n\t\tmrd = 30\n\t}\n}\n' +
      'home_server_pool coa {\n\ttype = fail-over\n\thome_server = eaphost_das\n}\n');
  }

  const listen = [`listen {\n\ttype = auth\n\tipaddr = 127.0.0.1\n\tport = ${port}\n}\n`];
  const acctPort = !options.accounting ? undefined : options.accountingNextPort ? port + 1 : await freeUdpPort('127.0.0.1');
  if (acctPort !== undefined) listen.push(`listen {\n\ttype = acct\n\tipaddr = 127.0.0.1\n\tport = ${acctPort}\n}\n`);
  if (port6 !== undefined) listen.push(`listen {\n\ttype = auth\n\tipv6addr = ::1\n\tport = ${port6}\n}\n`);
  const defaultSite = join(confdir, 'sites-enabled', 'default');
  // Inside `server default { }`: a listener outside any server block rejects everything.
  let site = withoutListenSections(readThrough(defaultSite));
  if (options.accounting === 'answer') site = withSectionsOk(site, ['preacct', 'accounting']);
  if (options.originate) {
    if (options.accounting !== 'answer') throw new Error('originate needs accounting: \'answer\'');
    const { packet, attributes = [] } = options.originate;
    // Sent to the pool its Home-Server-Pool names: without one, to the NAS's own address, port 3799 over UDP.
    site = site.replace('preacct {\n\tok\n}', `preacct {\n\tupdate ${packet} {\n\t\t&Home-Server-Pool := "coa"\n` +
      '\t\t&User-Name = "%{User-Name}"\n' +
      '\t\t&Calling-Station-Id = "%{Calling-Station-Id}"\n\t\t&NAS-Identifier = "%{NAS-Identifier}"\n' +
      `\t\t&Event-Timestamp = "%l"\n\t\t&Message-Authenticator = 0x00\n${attributes.map((line) => `\t\t${line}\n`).join('')}\t}\n\tok\n}`);
  }
  const opening = /^server default\s*\{\s*$/m.exec(site);
  if (!opening) throw new Error('no "server default {" in the FreeRADIUS default site');
  const at = opening.index + opening[0].length;
  writeThrough(defaultSite, `${site.slice(0, at)}\n${listen.join('')}${site.slice(at)}`);
  // inner-tunnel's own listener (127.0.0.1:18120) is a debugging aid; EAP reaches it internally.
  const innerTunnel = join(confdir, 'sites-enabled', 'inner-tunnel');
  if (existsSync(innerTunnel)) writeThrough(innerTunnel, withoutListenSections(readThrough(innerTunnel)));

  const statusPort = options.statusServer ? await freeUdpPort('127.0.0.1') : undefined;
  if (statusPort !== undefined) {
    const status = readFileSync(join(confdir, 'sites-available', 'status'), 'utf8');
    const edited = status
      .replace(/^(\s*)port\s*=\s*18121\s*$/m, `$1port = ${statusPort}`)
      .replace(/^(\s*)secret\s*=\s*adminsecret\s*$/m, `$1secret = ${quoteConfigString(options.secret)}`);
    if (!edited.includes(`port = ${statusPort}`) || edited.includes('adminsecret')) {
      throw new Error('the FreeRADIUS status site has no "port = 18121" / "secret = adminsecret" lines to edit');
    }
    writeFileSync(join(confdir, 'sites-enabled', 'status'), edited);
  }

  const radsecPort = options.radsec ? await freeTcpPort() : undefined;
  const radsecCoaPort = options.radsec && options.radsecCoa ? await freeTcpPort() : undefined;
  if (options.radsec && radsecPort !== undefined) {
    // The distribution's sites-available/tls, cut down: one loopback listener, this run's certificates (or PSK).
    const radsec = options.radsec;
    const tls = 'psk' in radsec ? pskTls(radsec) : `\t\tprivate_key_file = ${quoteConfigString(radsec.serverKey)}\n` +
      `\t\tcertificate_file = ${quoteConfigString(radsec.serverCert)}\n` +
      `\t\tca_file = ${quoteConfigString(radsec.ca)}\n\t\tfragment_size = 8192\n` +
      `\t\ttls_min_version = "1.2"\n\t\ttls_max_version = "${options.radsecTlsMaxVersion ?? '1.2'}"\n\t\trequire_client_cert = yes\n`;
    const listener = (type: string, port: number, server: string): string =>
      `listen {\n\tipaddr = 127.0.0.1\n\tport = ${port}\n\ttype = ${type}\n\tproto = tcp\n` +
      `\tvirtual_server = ${server}\n\tclients = radsec\n\ttls {\n${tls}\t}\n}\n`;
    const coa = radsecCoaPort === undefined ? ''
      : `${listener('coa', radsecCoaPort, 'coa-tls')}server coa-tls {\n\trecv-coa {\n\t\tok\n\t}\n\tsend-coa {\n\t\tok\n\t}\n}\n`;
    writeFileSync(join(confdir, 'sites-enabled', 'radsec'), listener('auth', radsecPort, 'default') + coa +
      'clients radsec {\n\tclient loopback {\n\t\tipaddr = 127.0.0.1\n\t\tproto = tls\n\t\tsecret = radsec\n\t}\n}\n');
  }

  writeFileSync(join(confdir, 'clients.conf'),
    `client loopback4 {\n\tipaddr = 127.0.0.1\n\tsecret = ${quoteConfigString(options.secret)}\n}\n` +
    `client loopback6 {\n\tipv6addr = ::1\n\tsecret = ${quoteConfigString(options.secret)}\n}\n`);

  const users = options.users
    .map((user) => `${quoteConfigString(user.identity)} Cleartext-Password := ${quoteConfigString(user.password)}` +
      `${(user.check ?? []).map((item) => `, ${item}`).join('')}\n` +
      `${(user.reply ?? []).map((item) => `\t${item}`).join(',\n')}${user.reply?.length ? '\n' : ''}`)
    .join('');
  const authorize = join(confdir, 'mods-config', 'files', 'authorize');
  writeThrough(authorize, users + readThrough(authorize));

  // Certificates for this run only: the EAP module loads its TLS context at start-up even for MD5.
  const certs = join(confdir, 'certs');
  const made = await runProgram('make', ['-C', certs, 'ca.pem', 'server.pem'], { timeoutMs: 60_000 });
  if (made.code !== 0) {
    dir.remove();
    throw new Error(`making FreeRADIUS test certificates failed: ${made.stderr || made.stdout}`);
  }
  const eapPath = join(confdir, 'mods-enabled', 'eap');
  writeThrough(eapPath, eapModuleConfig(readThrough(eapPath), options));

  // EAPHOST_FREERADIUS_DEBUG=1 runs it with -X, so a failing test's log says why a packet was rejected.
  // -X is -sfxx: single-threaded, which TLS sockets refuse; with RadSec the same debug log threaded.
  const debug = options.radsec || options.originate ? ['-fxx', '-l', 'stdout'] : ['-X'];
  const flags = options.debug || process.env.EAPHOST_FREERADIUS_DEBUG ? debug : ['-f', '-l', 'stdout'];
  // In a network namespace (an 802.1X test's authenticator side), its loopback is that namespace's.
  const [command, args] = options.netns ? inNamespace(options.netns, program, [...flags, '-d', confdir])
    : [program, [...flags, '-d', confdir]];
  const daemon = await startDaemon('FreeRADIUS', command, args, 'Ready to process requests', 20_000, dir,
    opensslDefaultsEnv(dir.path, options.opensslDefaults));

  return {
    host: '127.0.0.1', port, host6: port6 !== undefined ? '::1' : undefined, port6, statusPort, acctPort, radsecPort, radsecCoaPort, secret: options.secret,
    ...daemon,
  };
}
