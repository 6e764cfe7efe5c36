import { binding } from '../native';
import type { NativeRadiusDtlsServer, RadiusDtlsServerCounters, RadiusDtlsServerEvents } from '../native';
import type { RadSecListenOptions, RadSecStreamSink } from './radsec-listener';
import { radsecLimitsOf, radsecPskTableOf } from './radsec-listener';

/** Links of RADIUS/DTLS associations start here; RadSec over TCP counts its own from 1. */
export const DTLS_FIRST_LINK = 0x80000000;

/**
 * The server side of RADIUS/DTLS (RFC 7360) beside RadSec over TCP, on the same port number over
 * UDP, feeding the same RADIUS engine through the same sink: a record is one RADIUS packet. The
 * record layer, the cookie exchange and the limits are native (native/radius/radius_dtls.h): a
 * ClientHello from an address with no association gets a HelloVerifyRequest no larger than it
 * and no state; only one that returns the cookie takes a slot, under RadSec over TCP's caps
 * (total, per address), handshake deadline and idle timeout. A reply the socket cannot take is
 * lost, as any UDP datagram, so there is no reply buffer to bound.
 */
export class RadSecDtlsListener {
  private native: NativeRadiusDtlsServer | undefined;

  constructor(private readonly options: RadSecListenOptions, private readonly sink: RadSecStreamSink) {}

  /** Binds UDP `port` on `host` (a literal); rejects with the addon's error (ENOTSUP where it has no DTLS). */
  listen(port: number, host: string): void {
    const limits = radsecLimitsOf(this.options);
    const bytes = (value: string | Buffer | undefined): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value ?? ''));
    // TLS-PSK clients (RFC 9813): one entry per network each identity may come from, the keys
    // copies the native listener takes its own of; these are wiped once it has.
    const table = radsecPskTableOf(this.options);
    const psk = table?.entries();
    // Certificate clients only with a CA to check them by; without one, PSK clients alone.
    const { cert, key, passphrase, ca } = this.options.ca === undefined ? { passphrase: undefined } as RadSecListenOptions : this.options;
    const keyCopy = Buffer.from(bytes(key));
    try {
      this.native = binding.radiusDtlsListen({
        host, port, cert: bytes(cert), key: keyCopy, passphrase, ca: bytes(ca), ...(psk ? { psk } : {}),
        maxConnections: limits.maxConnections, maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
        handshakeTimeoutMs: limits.handshakeTimeoutMs, idleTimeoutMs: limits.idleTimeoutMs,
        onEvents: (events) => this.onEvents(events),
      });
    } finally {
      keyCopy.fill(0);
      for (const entry of psk ?? []) entry.key.fill(0);
      table?.wipe();
    }
  }

  port(): number {
    if (this.native === undefined) throw new Error('RADIUS/DTLS listener is not listening');
    return this.native.port;
  }

  send(link: number, datagram: Buffer): boolean {
    return this.native?.send({ link, packet: datagram }) ?? false;
  }

  broken(link: number): void {
    this.native?.end({ link });
  }

  stats(): RadiusDtlsServerCounters | undefined {
    return this.native?.stats();
  }

  close(): void {
    this.native?.close();
  }

  private onEvents({ records, closed }: RadiusDtlsServerEvents): void {
    // One packet a record: the engine frames it as it frames a stream's bytes; a record that is
    // not one whole packet breaks that association's framing, and the engine says so.
    for (const record of records ?? []) this.feed(record.link, record.packet, { address: record.address, port: record.port });
    for (const link of closed ?? []) this.sink.drop(link);
  }

  /** Past a turn's share the engine holds packets back: it is asked again a turn later. */
  private feed(link: number, data: Buffer, remote: { address: string; port: number }): void {
    if (this.sink.stream(link, data, remote).backlog) setImmediate(() => this.feed(link, Buffer.alloc(0), remote));
  }
}
