/**
 * ALPN for RadSec (RFC 9765 §3, and the RadSec revision's §3.6: a client SHOULD offer
 * "radius/1.0"). Each end has a "Version" setting (RFC 9765 §3.3): "1.0" (RADIUS/1.0 only: MD5 and
 * the shared secret inside TLS), "1.1" (RADIUS/1.1 required: the Token, no MD5, no secret), or
 * "auto" (either, RADIUS/1.1 when both ends can). A client offers "radius/1.0", "radius/1.1" or
 * both; a listener echoes the one it chose, carries on without ALPN for a client that offers none
 * (RFC 6614 RadSec) unless it requires RADIUS/1.1, and ends with the no_application_protocol alert
 * a handshake whose offer holds nothing it takes. RADIUS/1.1 is used over TLS 1.3 only (§3.5).
 */
export const RADIUS_ALPN_1_0 = 'radius/1.0';
export const RADIUS_ALPN_1_1 = 'radius/1.1';

/** RFC 9765's "Version" setting of one end: "1.0", "1.1" (required), or "auto" (either). */
export type RadiusVersionSetting = '1.0' | '1.1' | 'auto';

export const RADIUS_VERSION_SETTINGS: readonly RadiusVersionSetting[] = ['1.0', '1.1', 'auto'];

/** The setting checked (`fallback` when unset): a TypeError names a wrong one. */
export function radiusVersionOf(value: unknown, what: string, fallback: RadiusVersionSetting): RadiusVersionSetting {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(RADIUS_VERSION_SETTINGS as readonly string[]).includes(value)) {
    throw new TypeError(`${what} must be one of ${RADIUS_VERSION_SETTINGS.join(', ')}`);
  }
  return value as RadiusVersionSetting;
}

/** What a client offers (RFC 9765 §3.3): RADIUS/1.1 only where TLS 1.3 is allowed. */
export function radsecClientAlpn(version: RadiusVersionSetting, tls13: boolean): string[] {
  if (version === '1.1') return [RADIUS_ALPN_1_1];
  return version === 'auto' && tls13 ? [RADIUS_ALPN_1_1, RADIUS_ALPN_1_0] : [RADIUS_ALPN_1_0];
}

/** Node's server ALPNCallback for a listener's setting: the protocol chosen, or undefined (the
 *  handshake fails with the no_application_protocol alert). Called only when the client offered ALPN. */
export function radsecAlpnSelector(version: RadiusVersionSetting): (offer: { protocols: string[] }) => string | undefined {
  return ({ protocols }) => {
    if (version !== '1.0' && protocols.includes(RADIUS_ALPN_1_1)) return RADIUS_ALPN_1_1;
    return version !== '1.1' && protocols.includes(RADIUS_ALPN_1_0) ? RADIUS_ALPN_1_0 : undefined;
  };
}

/** After a handshake: RADIUS/1.1 in use, RADIUS/1.0, or why the connection cannot go on (RFC 9765
 *  §3.3: a "1.1" end closes a connection that did not agree to it; §3.5: RADIUS/1.1 needs TLS 1.3). */
export function radsecVersionAgreed(version: RadiusVersionSetting, alpn: string | false | null | undefined,
  tlsVersion: string | null | undefined): { radius11: boolean } | { refused: string } {
  const agreed = typeof alpn === 'string' ? alpn : undefined;
  if (agreed === RADIUS_ALPN_1_1) {
    return tlsVersion === 'TLSv1.3' ? { radius11: true } : { refused: `radius/1.1 was agreed over ${tlsVersion ?? 'an unknown TLS version'}, not TLS 1.3` };
  }
  if (version === '1.1') return { refused: agreed === undefined ? 'no ALPN was agreed' : `${agreed} was agreed` };
  return { radius11: false };
}
