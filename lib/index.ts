export { openEapHost, EapHost, EapHostSession } from './session/eaphost';
export type { OpenEapHostOptions, BeginSessionOptions, EapHostResult, EapMethodInfo, EapHostBackend } from './session/eaphost';
export { loadPeerMethod, PeerMethod, PeerMethodSession } from './session/peer-method';
export type { PeerMethodOutput, PeerMethodResult, CredentialField, PeerBeginOptions } from './session/peer-method';
export { loadAuthenticatorMethod, AuthenticatorMethod, AuthenticatorMethodSession } from './session/authenticator-method';
export type { AuthenticatorMethodResult } from './session/authenticator-method';
export { createAuthenticator, Authenticator, AuthenticatorConversation } from './session/authenticator';
export type { UserStore, UserRecord, CreateAuthenticatorOptions, AuthenticatorTrust } from './session/authenticator';
export {
  EapConfigInputFieldType, EapConfigInputFieldProps, EapInteractiveUiDataType, EapMethodPropertyValueType,
  EAP_METHOD_PROPERTY_NAMES, MAX_CONFIG_XML_BYTES,
} from './session/eap-config';
export type { EapConfigInputField, EapInteractiveUiData, EapMethodProperty, NativeWindowHandle } from './session/eap-config';
export { encodeConnectionData, ConnectionDataType, CONNECTION_DATA_VERSION, INSECURE_WARNING_CODE } from './core/connection-data';
export type { ConnectionDataOptions, TlsVersion, InnerMethodName, Phase2Name, Pem } from './core/connection-data';
export { authenticate } from './session/authenticate';
export type { AuthenticateOptions, AuthenticationResult } from './session/authenticate';
export { builtinMethods, portableEapHostPath, defaultManifestPath, EAPHOST_AUTHOR_ID } from './session/builtin';
export type { BuiltinMethod, BuiltinMethodName, TlsMethodName } from './session/builtin';
export { EapError, Win32 } from './core/errors';
export type { EapErrorFields, EapMethodTypeInfo, EapErrorOrigin } from './core/errors';
export type { EapAttribute } from './core/attributes';
export type { EapTransport, TransportReply, TransportAttribute, TransportBeginOptions } from './core/transport';
export { decodeEapPacket, describeEapPacket } from './core/packet';
export * from './core/constants';
export {
  microsoftConfigXml, microsoftCredentialsXml, certificateThumbprints, WINDOWS_METHOD_TYPES,
} from './profile/microsoft-config';
export type { MicrosoftConfigOptions, MicrosoftCredentials, WindowsMethodName } from './profile/microsoft-config';
export { shippedConfigXml, shippedCredentialsXml } from './profile/shipped-config';
export { windowsRootStores, installWindowsRootCertificate } from './profile/root-store';
export type { WindowsRootStore } from './profile/root-store';
export type { ShippedMethodName } from './profile/shipped-config';
export type { ProfileOptions } from './profile/session-config';
export {
  checkNetworkProfile, parseNetworkProfileJson, networkProfileJson, ProfileError, NETWORK_PROFILE_VERSION,
} from './profile/network-profile';
export type {
  NetworkProfile, ProfileNetwork, ProfileEap, ProfileCredentials, ProfileNote, WifiSecurity,
} from './profile/network-profile';
export { readEapConfig, writeEapConfig } from './profile/eap-config';
export type { EapConfigReading, ProfileWriting } from './profile/eap-config';
export { writeWpaSupplicant } from './profile/wpa-supplicant';
export { writeNetworkManager } from './profile/networkmanager';
export type { NetworkManagerWriting, KeyfileDocument } from './profile/networkmanager';
export { writeWindowsProfiles } from './profile/windows-profile';
export type { WindowsProfileWriting, WindowsProfileDocument } from './profile/windows-profile';
export { writeMobileconfig } from './profile/mobileconfig';
export { profileSessionOptions, readProfileText } from './profile/profile-session';
export type { ProfileSessionInput } from './profile/profile-session';
export { installNetworkManager, NetworkManagerInstallError, NETWORKMANAGER_CONNECTIONS_DIR } from './profile/install-networkmanager';
export type { NetworkManagerInstallOptions } from './profile/install-networkmanager';
export { installWindows, WindowsInstallError } from './profile/install-windows';
export type { WindowsInstallOptions, WindowsInstallResult, WindowsInstallStep } from './profile/install-windows';
