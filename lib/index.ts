export { openEapHost, EapHost, EapHostSession } from './eaphost';
export type { OpenEapHostOptions, BeginSessionOptions, EapHostResult, EapMethodInfo, EapHostBackend } from './eaphost';
export { loadPeerMethod, PeerMethod, PeerMethodSession } from './peer-method';
export type { PeerMethodOutput, PeerMethodResult, CredentialField, PeerBeginOptions } from './peer-method';
export { loadAuthenticatorMethod, AuthenticatorMethod, AuthenticatorMethodSession } from './authenticator-method';
export type { AuthenticatorMethodResult } from './authenticator-method';
export { createAuthenticator, Authenticator, AuthenticatorConversation } from './authenticator';
export type { UserStore, UserRecord, CreateAuthenticatorOptions, AuthenticatorTrust } from './authenticator';
export {
  EapConfigInputFieldType, EapConfigInputFieldProps, EapInteractiveUiDataType, EapMethodPropertyValueType,
  EAP_METHOD_PROPERTY_NAMES, MAX_CONFIG_XML_BYTES,
} from './eap-config';
export type { EapConfigInputField, EapInteractiveUiData, EapMethodProperty, NativeWindowHandle } from './eap-config';
export { encodeConnectionData, ConnectionDataType, CONNECTION_DATA_VERSION, INSECURE_WARNING_CODE } from './connection-data';
export type { ConnectionDataOptions, TlsVersion, InnerMethodName, Phase2Name, Pem } from './connection-data';
export { authenticate } from './authenticate';
export type { AuthenticateOptions, AuthenticationResult } from './authenticate';
export { builtinMethods, portableEapHostPath, defaultManifestPath, EAPHOST_AUTHOR_ID } from './builtin';
export type { BuiltinMethod, BuiltinMethodName, TlsMethodName } from './builtin';
export { EapError, Win32 } from './errors';
export type { EapErrorFields, EapMethodTypeInfo, EapErrorOrigin } from './errors';
export type { EapAttribute } from './attributes';
export type { EapTransport, TransportReply, TransportAttribute, TransportBeginOptions } from './transport';
export { decodeEapPacket, describeEapPacket } from './packet';
export * from './constants';
export {
  microsoftConfigXml, microsoftCredentialsXml, certificateThumbprints, WINDOWS_METHOD_TYPES,
} from './profile/microsoft-config';
export type { MicrosoftConfigOptions, MicrosoftCredentials, WindowsMethodName } from './profile/microsoft-config';
export { shippedConfigXml, shippedCredentialsXml } from './profile/shipped-config';
export { windowsRootStores, installWindowsRootCertificate } from './profile/root-store';
export type { WindowsRootStore } from './profile/root-store';
export type { ShippedMethodName } from './profile/shipped-config';
export type { ProfileOptions } from './profile/session-config';
