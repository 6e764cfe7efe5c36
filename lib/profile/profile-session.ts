/**
 * A network profile's EAP settings as beginSession options: what `authenticate` and
 * `eaphost auth --profile` run, so a profile is tested with exactly the method, inner method,
 * trust (CA, server names), TLS bounds, outer identity and client certificate it will install.
 * Only the identity and password may come from elsewhere (the caller's), where the profile holds none.
 */
import type { BeginSessionOptions } from '../core/session-options';
import { NetworkProfile, ProfileError, checkNetworkProfile, isTlsBased, parseNetworkProfileJson, usesClientCertificate } from './network-profile';
import { EapConfigReading, readEapConfig } from './geant-eap-config';

export interface ProfileSessionInput {
  /** Which EAP configuration of the profile (default 0, the preferred one). */
  eapIndex?: number;
  /** Used when the profile holds no identity / password. */
  identity?: string;
  password?: string;
}

export function profileSessionOptions(input: NetworkProfile, given: ProfileSessionInput = {}): BeginSessionOptions {
  const profile = checkNetworkProfile(input);
  const index = given.eapIndex ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= profile.eap.length) {
    throw new ProfileError('invalid-profile', 'eap', `has no entry ${index}`);
  }
  const eap = profile.eap[index];
  const identity = profile.credentials?.identity ?? given.identity;
  if (identity === undefined) throw new ProfileError('invalid-profile', 'credentials.identity', 'no identity in the profile or given');
  const password = profile.credentials?.password ?? given.password;
  if (isTlsBased(eap.method) && !eap.ca) throw new ProfileError('invalid-profile', `eap[${index}].ca`, 'a TLS-based method needs a trusted CA');
  if (usesClientCertificate(eap) && !eap.clientCertificate) {
    throw new ProfileError('invalid-profile', `eap[${index}].clientCertificate`, 'EAP-TLS needs the client certificate (PKCS#12)');
  }
  // EAP-TLS alone, outside or inside TEAP, proves itself with the certificate.
  const certificateOnly = eap.method === 'tls' ||
    (eap.method === 'teap' && eap.innerMethod === 'tls' && (eap.teapSecondaryInnerMethod ?? 'tls') === 'tls');
  if (!certificateOnly && password === undefined) {
    throw new ProfileError('invalid-profile', 'credentials.password', 'no password in the profile or given');
  }
  return {
    method: eap.method,
    identity,
    ...(eap.method !== 'tls' && password !== undefined ? { password } : {}),
    ...(eap.ca ? { ca: eap.ca.join('') } : {}),
    ...(eap.serverNames ? { serverName: eap.serverNames } : {}),
    ...(eap.tls ? { tls: { ...eap.tls } } : {}),
    ...(eap.innerMethod ? { innerMethod: eap.innerMethod } : {}),
    ...(eap.teapSecondaryInnerMethod ? { teapSecondaryInnerMethod: eap.teapSecondaryInnerMethod } : {}),
    ...(eap.phase2 ? { phase2: eap.phase2 } : {}),
    ...(eap.anonymousIdentity !== undefined ? { anonymousIdentity: eap.anonymousIdentity } : {}),
    ...(eap.clientCertificate ? {
      pkcs12: Buffer.from(eap.clientCertificate.pkcs12, 'base64'),
      ...(eap.clientCertificate.passphrase !== undefined ? { keyPassword: eap.clientCertificate.passphrase } : {}),
    } : {}),
  };
}

/** A profile from a file's text: eap-config XML (it starts with '<') or the JSON model. */
export function readProfileText(text: string): EapConfigReading {
  if (text.replace(/^\uFEFF/, '').trimStart().startsWith('<')) return readEapConfig(text);
  return { profile: parseNetworkProfileJson(text), notes: [] };
}
