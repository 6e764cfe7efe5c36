import type { NativeRadiusDtlsServer, NativeRadiusEngine, RadiusDtlsServerCounters } from '../../native';
import type { RadSecListenOptions } from './listener';
import { radsecLimitsOf, radsecPskTableOf } from './listener';

/**
 * The server side of RADIUS/DTLS (RFC 7360) beside RadSec over TCP, on the same port number over
 * UDP, feeding the same RADIUS engine: a record is one RADIUS packet. The record layer, the cookie
 * exchange and the limits are native (native/radius/dtls/radius_dtls.h), and so is the way to the
 * engine: its records go to the engine on the listener's thread and the replies straight back,
 * none through JS. A ClientHello from an address with no association gets a HelloVerifyRequest
 * no larger than it and no state; only one that returns the cookie takes a slot, under RadSec
 * over TCP's caps (total, per address), handshake deadline and idle timeout. A reply the socket
 * cannot take is lost, as any UDP datagram, so there is no reply buffer to bound.
 */
export class RadSecDtlsListener {
  private native: NativeRadiusDtlsServer | undefined;

  /** `engine`: the one its records go to, RadiusServer's RADIUS engine or a Dynamic Authorization Server's. */
  constructor(private readonly options: RadSecListenOptions, private readonly engine: Pick<NativeRadiusEngine, 'dtlsListen'>) {}

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
      this.native = this.engine.dtlsListen({
        host, port, cert: bytes(cert), key: keyCopy, passphrase, ca: bytes(ca), ...(psk ? { psk } : {}),
        maxConnections: limits.maxConnections, maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
        handshakeTimeoutMs: limits.handshakeTimeoutMs, idleTimeoutMs: limits.idleTimeoutMs,
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

  stats(): RadiusDtlsServerCounters | undefined {
    return this.native?.stats();
  }

  close(): void {
    this.native?.close();
  }
}
