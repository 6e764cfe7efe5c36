/**
 * The `eaphost` entry point: EAPHost's session API, authenticate(), the embedded authenticator,
 * the shipped methods, EapError and the constants callers pass or read. Profiles are
 * `eaphost/profile`, RADIUS `eaphost/radius`, 802.1X ports `eaphost/eapol`. docs/api.md lists
 * every name exported here; test/api-surface.test.ts holds the two to each other.
 */
export { openEapHost, EapHost, EapHostSession } from './session/eaphost';
export type { OpenEapHostOptions, BeginSessionOptions, EapHostResult, EapMethodInfo } from './session/eaphost';
export { createAuthenticator, Authenticator, AuthenticatorConversation } from './session/authenticator';
export type { UserStore, UserRecord, CreateAuthenticatorOptions, AuthenticatorTrust } from './session/authenticator';
export { authenticate } from './session/authenticate';
export { audit } from './audit';
export type {
  AuditOptions, AuditReport, AuditClientVerdict, AuditFinding, AuditAttempt, AuditAttemptOutcome, AuditClientName, AuditFindingId,
  AuditMethod, AuditSeverity,
} from './audit';
export type { AuthenticateOptions, AuthenticationResult } from './session/authenticate';
export type { EapAttribute } from './core/attributes';
export type { EapTransport, TransportReply, TransportBeginOptions } from './core/transport';
export { builtinMethods } from './session/builtin';
export type { BuiltinMethodName } from './session/builtin';
export { EapConfigInputFieldType } from './session/configuration-api';
export { EapError, Win32 } from './core/errors';
export type { EapMethodTypeInfo } from './core/errors';
export { decodeEapPacket, describeEapPacket } from './core/packet';
export type { DecodedEapPacket } from './core/packet';
export {
  EapCode, EapType, EapHostPeerResponseAction, EapHostPeerMethodResultReason, EapHostPeerAuthParams,
  EapHostAuthStatus, EapAttributeType, EapFlags,
} from './core/constants';
// The types the signatures above use, each by its name (test/api-surface.test.ts: no forgotten export).
export type { EapHostBackend } from './session/eaphost';
export type { NativeObject } from './native/native-object';
export type { RawPeerMethodResult } from './native';
export type { PeerMethodResult } from './session/peer-method';
export type { BuiltinMethod } from './session/builtin';
export type {
  EapConfigInputField, EapInteractiveUiData, EapMethodProperty, NativeWindowHandle,
} from './session/configuration-api';
export type { EapErrorFields, EapErrorOrigin, EapTlsFailure } from './core/errors';
export type { EapTlsOutcome } from './native/generated/result-types';
export type { EmbeddedAuthenticator, TransportAttribute } from './core/transport';
export type {
  ConnectionDataOptions, ObsoleteTlsVersion, OcspMode, Pem, Phase2Name, TeapInnerMethod, TlsVersion,
} from './core/connection-data';
export type { TeapInnerMethodName } from './core/method-table';
export type { ProfileOptions } from './core/session-options';
export type { StoreCertificateOptions } from './core/store-certificate';
export type { ResponseAction } from './core/constants';
