/**
 * IEEE 802.1X on the wire (Linux): EAPOL ports, the supplicant as an EapTransport, and the
 * authenticator port over the embedded authenticator or a RADIUS server.
 */
export { EapolPort, openEapolPort } from './port';
export type { EapolFrame, EapolPortStats } from './port';
export { EapolSupplicant } from './supplicant';
export type { EapolSupplicantOptions } from './supplicant';
export { EapolAuthenticator } from './authenticator-port';
export type { EapolAuthenticatorOptions, EapolOutcome, EapolAuthenticatorStats, EapolSession } from './authenticator-port';
export type { EapolDasOptions } from './das';
export { embeddedBackend, radiusBackend } from './backends';
export type { EapolBackend, RadiusBackendOptions, SupplicantContext } from './backends';
export type { SwitchAttributes } from './switch-attributes';
export { EapolError } from './errors';
export type { EapolErrorCode } from './errors';
export { EapolPacketType, PAE_GROUP_ADDRESS, macText } from './frame';
