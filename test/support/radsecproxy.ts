import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram, freeTcpPort, freeUdpPort, makeTempDir, quoteConfigString, startDaemon } from './programs';
import type { Daemon } from './programs';

/**
 * radsecproxy 1.9.2 (Debian's package) on loopback: one listener (`ListenDTLS` or `ListenUDP`)
 * whose one client is 127.0.0.1 of that transport, proxying every realm to one server of its
 * own transport. Its TLS block takes the interop PKI's files; it checks a DTLS/TLS peer's chain
 * against `ca` and, with CertificateNameCheck off (client and server alike), not the peer's name
 * (its client block would otherwise match a client's certificate to its address). LogLevel 5: the log
 * names each connection's transport.
 */
export type RadsecProxyTransport = 'udp' | 'dtls' | 'tls';

export interface RadsecProxyOptions {
  listen: RadsecProxyTransport;
  clientSecret: string;
  server: { type: RadsecProxyTransport; port: number; secret: string };
  tls: RadsecProxyTls;
  /** The certificate toward the server, where it is not `tls`'s (a server certificate for the
   *  listener, a client certificate toward a home that checks its purpose). */
  serverTls?: RadsecProxyTls;
}

export interface RadsecProxyTls { ca: string; cert: string; key: string; keyPassword?: string }

/** A `tls NAME { … }` block of radsecproxy's configuration. */
function tlsBlock(name: string, tls: RadsecProxyTls): string[] {
  return [
    `tls ${name} {`,
    `\tCACertificateFile ${quoteConfigString(tls.ca)}`,
    `\tCertificateFile ${quoteConfigString(tls.cert)}`,
    `\tCertificateKeyFile ${quoteConfigString(tls.key)}`,
    ...(tls.keyPassword !== undefined ? [`\tCertificateKeyPassword ${quoteConfigString(tls.keyPassword)}`] : []),
    '}',
  ];
}

export interface RadsecProxy extends Daemon {
  port: number;
}

export async function startRadsecProxy(options: RadsecProxyOptions): Promise<RadsecProxy> {
  const program = findProgram(['radsecproxy'], 'radsecproxy');
  const dir = makeTempDir('radsecproxy');
  const port = options.listen === 'tls' ? await freeTcpPort() : await freeUdpPort('127.0.0.1');
  const listen = { udp: 'ListenUDP', dtls: 'ListenDTLS', tls: 'ListenTLS' }[options.listen];
  const quote = quoteConfigString;
  const config = join(dir.path, 'radsecproxy.conf');
  writeFileSync(config, [
    `${listen} 127.0.0.1:${port}`,
    'LogLevel 5',
    ...tlsBlock('default', options.tls),
    ...(options.serverTls !== undefined ? tlsBlock('home', options.serverTls) : []),
    'client nas {',
    '\thost 127.0.0.1',
    `\ttype ${options.listen}`,
    `\tsecret ${quote(options.clientSecret)}`,
    ...(options.listen === 'udp' ? [] : ['\tCertificateNameCheck off']),
    '}',
    'server home {',
    '\thost 127.0.0.1',
    `\tport ${options.server.port}`,
    `\ttype ${options.server.type}`,
    `\tsecret ${quote(options.server.secret)}`,
    ...(options.serverTls !== undefined ? ['\ttls home'] : []),
    ...(options.server.type === 'udp' ? [] : ['\tCertificateNameCheck off']),
    '}',
    'realm * {',
    '\tserver home',
    '}',
    '',
  ].join('\n'));
  const daemon = await startDaemon('radsecproxy', program, ['-f', '-c', config, '-i', join(dir.path, 'pid')],
    `listening for ${options.listen} on 127.0.0.1:${port}`, 10_000, dir);
  return { ...daemon, port };
}
