/**
 * The `eaphost` entry point: EAPHost's session API, authenticate(), the embedded authenticator,
 * the shipped methods, EapError and the constants callers pass or read. Profiles are
 * `eaphost/profile`, RADIUS `eaphost/radius`, 802.1X ports `eaphost/eapol`. docs/api.md lists
 * every name exported here; test/api-surface.test.ts holds the two to each other.
 */
export { openEapHost, EapHost, EapHostSession } from './session/eaphost';
export type { OpenEapHostOptions, BeginSessionOptions, EapHostResult, EapMethodInfo, EapHostBackend } from './session/eaphost';
export { loadPeerMethod, PeerMethod, PeerMethodSession } from './session/peer-method';
export type { PeerMethodOutput, PeerMethodResult, CredentialField, PeerBeginOptions } from './session/peer-method';
export { loadAuthenticatorMethod, AuthenticatorMethod, AuthenticatorMethodSession } from './session/authenticator-method';
export type { AuthenticatorMethodResult } from './session/authenticator-method';
export { createAuthenticator, Authenticator, AuthenticatorConversation } from './session/authenticator';
export type { UserStore, UserRecord, CreateAuthenticatorOptions, AuthenticatorTrust } from './session/authenticator';
export { authenticate } from './session/authenticate';
export type { AuthenticateOptions, AuthenticationResult } from './session/authenticate';
export type { EapAttribute } from './core/attributes';
export type { EapTransport, TransportReply, TransportAttribute, TransportBeginOptions } from './core/transport';
export { builtinMethods, portableEapHostPath, defaultManifestPath, EAPHOST_AUTHOR_ID } from './session/builtin';
export type { BuiltinMethod, BuiltinMethodName, TlsMethodName } from './session/builtin';
export { encodeConnectionData, ConnectionDataType, CONNECTION_DATA_VERSION, INSECURE_WARNING_CODE } from './core/connection-data';
export type { ConnectionDataOptions, TlsVersion, InnerMethodName, Phase2Name, Pem } from './core/connection-data';
export type { StoreCertificateOptions } from './core/store-certificate';
export {
  EapConfigInputFieldType, EapConfigInputFieldProps, EapInteractiveUiDataType, EapMethodPropertyValueType,
  EAP_METHOD_PROPERTY_NAMES, MAX_CONFIG_XML_BYTES,
} from './session/eap-config';
export type { EapConfigInputField, EapInteractiveUiData, EapMethodProperty, NativeWindowHandle } from './session/eap-config';
export { EapError, Win32 } from './core/errors';
export type { EapErrorFields, EapMethodTypeInfo, EapErrorOrigin } from './core/errors';
export { decodeEapPacket, describeEapPacket } from './core/packet';
export type { DecodedEapPacket } from './core/packet';
export {
  EapCode, EapType, EapHostPeerResponseAction, EapPeerMethodResponseAction, AuthenticatorResponseAction,
  EapHostPeerMethodResultReason, EapPeerMethodResultReason, EapHostPeerAuthParams, EapHostAuthStatus,
  EapAttributeType, EAPHOST_VENDOR_ID, EapHostVendorType, EapFlags, EapReason,
} from './core/constants';
export type { ResponseAction, PeerMethodAction, AuthenticatorAction } from './core/constants';
