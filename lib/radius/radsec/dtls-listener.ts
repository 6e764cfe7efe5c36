import type { NativeRadiusDtlsServer, NativeRadiusEngine, RadiusDtlsServerCounters } from '../../native';
import type { RadSecListener } from './listener';

/**
 * The server side of RADIUS/DTLS (RFC 7360) beside RadSec over TCP, on the same port number over
 * UDP, feeding the same RADIUS engine: a record is one RADIUS packet. The record layer, the cookie
 * exchange and the limits are native (native/radius/dtls/radius_dtls.h), and so is the way to the
 * engine: its records go to the engine on the listener's thread and the replies straight back,
 * none through JS. A ClientHello from an address with no association gets a HelloVerifyRequest
 * no larger than it and no state; only one that returns the cookie takes a slot, under RadSec
 * over TCP's caps (total, per address), handshake budget, handshake deadline and idle timeout,
 * with its credentials and known networks: the TCP listener's, read once. A reply the socket
 * cannot take is lost, as any UDP datagram, so there is no reply buffer to bound.
 */
export class RadSecDtlsListener {
  private native: NativeRadiusDtlsServer | undefined;

  /** `engine`: the one its records go to, RadiusServer's RADIUS engine or a Dynamic Authorization Server's. */
  constructor(private readonly tcp: RadSecListener, private readonly engine: Pick<NativeRadiusEngine, 'dtlsListen'>) {}

  /** Binds UDP `port` on `host` (a literal); rejects with the addon's error (ENOTSUP where it has no DTLS). */
  listen(port: number, host: string): void {
    const { limits } = this.tcp;
    this.native = this.tcp.credentials.dtls((credentials) => this.engine.dtlsListen({
      host, port, ...credentials, clientNetworks: [...this.tcp.knownNetworks],
      maxConnections: limits.maxConnections, maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
      handshakeTimeoutMs: limits.handshakeTimeoutMs, idleTimeoutMs: limits.idleTimeoutMs,
    }));
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
