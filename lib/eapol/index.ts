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
