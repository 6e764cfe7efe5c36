import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram, freeUdpPort, makeTempDir, opensslDefaultsEnv, quoteConfigString, startDaemon } from './programs';
import type { Daemon } from './programs';

/**
 * hostapd as a RADIUS authentication server only (driver=none, its integrated EAP server): a
 * second, independent RADIUS/EAP implementation to run the client against.
 */
export interface HostapdUser {
  identity: string;
  password: string;
  /** hostapd's method names, the first proposed, the others accepted on a Nak. Default ['MD5']. */
  methods?: ('MD5' | 'GTC' | 'MSCHAPV2' | 'PEAP' | 'TTLS' | 'TLS' | 'TEAP')[];
  /** Inside a PEAP / TTLS / TEAP tunnel: the phase 2 methods (a second, "[2]" line of eap_user);
   *  TLS inside TEAP checks the client certificate against ca_cert, as the outer EAP-TLS does. */
  phase2?: ('MSCHAPV2' | 'GTC' | 'MD5' | 'TLS' | 'TTLS-PAP' | 'TTLS-CHAP' | 'TTLS-MSCHAP' | 'TTLS-MSCHAPV2')[];
}

export interface HostapdOptions {
  secret: string;
  users: HostapdUser[];
  /** TLS methods: certificate files (paths); ca also checks EAP-TLS client certificates. */
  certificates?: { ca: string; serverCert: string; serverKey: string };
  /** tls_session_lifetime in seconds: hostapd then caches TLS sessions and sends TLS 1.3
   *  NewSessionTickets (0, the default, turns resumption off). */
  tlsSessionLifetime?: number;
  /** tls_flags, e.g. '[ENABLE-TLSv1.3]' (hostapd 2.10 offers TLS 1.3 only with this flag). */
  tlsFlags?: string;
  /** Run with -K: the debug log then holds the keys hostapd derived (MSK, EMSK, Session-Id hex
   *  dumps), an oracle for ours. Test keys only. */
  keyDebug?: boolean;
  /** OpenSSL's own settings for this hostapd (its system_default section, e.g.
   *  ['CipherString = DEFAULT@SECLEVEL=0', 'MinProtocol = TLSv1']): read before hostapd loads
   *  its certificate, so a weak key or an old TLS version can be served. */
  opensslDefaults?: string[];
  /** More hostapd.conf lines, e.g. ERP (eap_server_erp=1, erp_domain=…), under which hostapd
   *  asks each method for its EMSK and prints it with -K. */
  extraConfig?: string[];
  /** Without -d: hostapd then prints no debug log (a benchmark must not time its logging). */
  quiet?: boolean;
  /** Another hostapd binary (the TEAP-capable build, test/support/teap-hostap.ts). */
  program?: string;
}

/** The daemon (its log, logUntil, stop) and where it answers. */
export interface HostapdInstance extends Daemon {
  host: string;
  port: number;
  secret: string;
}

/** The line hostapd's RADIUS server writes when it sends its verdict, after every line the
 *  conversation made it write (keys included): wait for it before reading them. */
export const HOSTAPD_VERDICT = /^RADIUS SRV: \[[^\]]*\] Sending Access-(?:Accept|Reject)\n/m;

export async function startHostapd(options: HostapdOptions): Promise<HostapdInstance> {
  const program = options.program ?? findProgram(['hostapd'], 'hostapd');
  const dir = makeTempDir('hostapd');
  const port = await freeUdpPort('127.0.0.1');
  const usersFile = join(dir.path, 'eap_users');
  const clientsFile = join(dir.path, 'radius_clients');
  writeFileSync(usersFile, options.users
    .map((user) => `${quoteConfigString(user.identity)} ${(user.methods ?? ['MD5']).join(',')} ` +
      `${quoteConfigString(user.password)}\n` +
      (user.phase2 ? `${quoteConfigString(user.identity)} ${user.phase2.join(',')} ${quoteConfigString(user.password)} [2]\n` : ''))
    .join(''));
  // hostapd binds the wildcard address; its clients file is what keeps it answering loopback only.
  writeFileSync(clientsFile, `127.0.0.1/32 ${options.secret}\n`);
  const configFile = join(dir.path, 'hostapd.conf');
  writeFileSync(configFile, [
    'driver=none',
    'interface=eaphost-test',
    'logger_stdout=-1',
    'logger_stdout_level=2',
    'eap_server=1',
    `eap_user_file=${usersFile}`,
    `radius_server_clients=${clientsFile}`,
    `radius_server_auth_port=${port}`,
    ...(options.certificates ? [
      `ca_cert=${options.certificates.ca}`,
      `server_cert=${options.certificates.serverCert}`,
      `private_key=${options.certificates.serverKey}`,
    ] : []),
    ...(options.tlsSessionLifetime !== undefined ? [`tls_session_lifetime=${options.tlsSessionLifetime}`] : []),
    ...(options.tlsFlags !== undefined ? [`tls_flags=${options.tlsFlags}`] : []),
    ...(options.extraConfig ?? []),
    '',
  ].join('\n'));

  const env = opensslDefaultsEnv(dir.path, options.opensslDefaults);
  const daemon = await startDaemon('hostapd', program, [...(options.quiet ? [] : ['-d']), ...(options.keyDebug ? ['-K'] : []), configFile], 'AP-ENABLED', 10_000,
    dir, env);
  return {
    host: '127.0.0.1', port, secret: options.secret,
    ...daemon,
  };
}
