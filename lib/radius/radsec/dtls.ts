import { EventEmitter } from 'node:events';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { NativeRadiusDtls, RadiusDtlsConnectArgs, RadiusDtlsEvents } from '../../native';
import type { RadSecClientCredentials } from './credentials';

/**
 * RADIUS/DTLS (RFC 7360, as the RadSec revision keeps it): the second RadSec transport, UDP 2083.
 * The shared secret is "radius/dtls" (the revision's §2.3), where TLS has "radsec".
 */
export const RADSEC_DTLS_SECRET = 'radius/dtls';

/** What a RadSec connection is to the client, over TLS (Node's TLSSocket) or DTLS (below). Over TLS
 *  the client also reads it ('data', pause, resume: client.ts); a DTLS association's records go to
 *  the client engine natively. */
export interface RadSecSocket {
  readonly remoteAddress?: string;
  readonly destroyed: boolean;
  write(data: Buffer): boolean;
  destroy(): unknown;
  once(event: 'secureConnect', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** A typed end of a DTLS association: its code (ETIMEDOUT, ECONNRESET, EPROTO, ECERT, ENOTSUP). */
export class RadSecDtlsError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RadSecDtlsError';
  }
}

export interface RadSecDtlsConnectOptions {
  host: string;
  port: number;
  servername: string;
  /** The client's, as RadSec over TLS has them: what it proves itself with, how it checks the server. */
  credentials: RadSecClientCredentials;
  handshakeTimeoutMs?: number;
  /** Opens the association on the client engine's stream (ClientEngine.dtlsConnect, for the
   *  connection's link): its requests and replies go between the two natively. */
  open(args: Omit<RadiusDtlsConnectArgs, 'link'>): NativeRadiusDtls;
}

/**
 * One DTLS association as the RadSec client holds a TLSSocket: 'secureConnect' once the server's
 * chain reached the CA (natively) and its name matched (here, by the check TLS uses), 'error' and
 * 'close' at the end. The record layer and its UDP socket are native
 * (native/radius/dtls/radius_dtls.h), joined to the client engine's stream of the connection: the
 * engine writes the requests into it and its records go to the engine, none through JS. write()
 * is for what JS makes itself (a reverse CoA reply).
 */
export class RadSecDtlsSocket extends EventEmitter implements RadSecSocket {
  remoteAddress?: string;
  destroyed = false;
  private native: NativeRadiusDtls | undefined;
  private queued: Buffer[] = [];

  constructor(private readonly options: RadSecDtlsConnectOptions) {
    super();
    this.open().catch((error: unknown) => this.end(error instanceof Error ? error : new Error(String(error))));
  }

  write(data: Buffer): boolean {
    if (this.destroyed) return false;
    if (this.native === undefined) this.queued.push(data);
    else this.native.write({ packet: data });
    return true;
  }

  destroy(): this {
    this.end();
    return this;
  }

  /** Milliseconds since the server last sent anything: its records reach JS no more, so the
   *  watchdog asks (undefined before the association is open). */
  quietMs(): number | undefined {
    return this.destroyed ? undefined : this.native?.quietMs();
  }

  private async open(): Promise<void> {
    const { host, port, credentials } = this.options;
    const address = isIP(host) !== 0 ? host : (await lookup(host)).address;
    if (this.destroyed) return;
    this.remoteAddress = address;
    const native = this.options.open({
      address, port, serverName: this.options.servername, ...credentials.dtls(),
      handshakeTimeoutMs: this.options.handshakeTimeoutMs, onEvents: (events) => this.onEvents(events),
    });
    this.native = native;
    // Held open as a TCP socket holds the process, until destroyed.
    native.ref();
    for (const packet of this.queued.splice(0)) native.write({ packet });
  }

  private onEvents(events: RadiusDtlsEvents): void {
    if (this.destroyed) return;
    if (events.connected) {
      const [leaf] = events.certificates ?? [];
      const peer = leaf === undefined ? ({} as PeerCertificate) : new X509Certificate(leaf).toLegacyObject();
      const refused = this.options.credentials.checkServer(this.options.servername, peer);
      if (refused !== undefined) {
        this.end(refused);
        return;
      }
      this.emit('secureConnect');
    }
    if (events.code !== undefined) this.end(new RadSecDtlsError(events.code, events.error ?? events.code));
  }

  private end(error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.native?.close();
    this.queued = [];
    if (error) this.emit('error', error);
    this.emit('close');
  }
}
