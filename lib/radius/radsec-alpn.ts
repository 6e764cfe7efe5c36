/**
 * ALPN for RadSec (RFC 9765 §3.1, and the RadSec revision's §3.6: a client SHOULD offer
 * "radius/1.0"). eaphost speaks RADIUS/1.0 (MD5 and the shared secret inside TLS) only: a client
 * offers "radius/1.0", a listener echoes it when offered, carries on without ALPN for a client that
 * offers none (RFC 6614 RadSec), and ends with the no_application_protocol alert a handshake whose
 * client offers ALPN without "radius/1.0" (one that requires RADIUS/1.1), as RFC 9765 §3.3 says.
 */
export const RADIUS_ALPN_1_0 = 'radius/1.0';

/** What a client offers. */
export const RADSEC_CLIENT_ALPN: readonly string[] = [RADIUS_ALPN_1_0];

/** Node's server ALPNCallback: the protocol chosen, or undefined (the handshake fails with the
 *  no_application_protocol alert). Called only when the client offered ALPN. */
export function selectRadSecAlpn({ protocols }: { protocols: string[] }): string | undefined {
  return protocols.includes(RADIUS_ALPN_1_0) ? RADIUS_ALPN_1_0 : undefined;
}
