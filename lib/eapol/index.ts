/**
 * IEEE 802.1X on the wire (Linux): EAPOL ports, the supplicant as an EapTransport, and the
 * authenticator port over the embedded authenticator or a RADIUS server.
 */
export { EapolPort, openEapolPort } from './port';
export { EapolSupplicant } from './supplicant';
export type { EapolSupplicantOptions } from './supplicant';
export { EapolAuthenticator } from './authenticator-port';
export type { EapolAuthenticatorOptions, EapolOutcome } from './authenticator-port';
export { embeddedBackend, radiusBackend } from './backends';
export type { EapolBackend } from './backends';
export { EapolError } from './errors';
// The types the signatures above use, each by its name (test/api-surface.test.ts: no forgotten export).
export type { EapolAuthenticatorStats } from './authenticator-port';
export type { EapolDasOptions, EapolSession } from './das';
export type { EapolErrorCode } from './errors';
export type { EapolFrame, EapolPortStats } from './port';
export type { EmbeddedBackendOptions, RadiusBackendOptions, SupplicantContext } from './backends';
export type { SwitchAttributes } from './switch-attributes';
