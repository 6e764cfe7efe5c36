/**
 * The `eaphost/profile` entry point: network profiles (the model, its readers and writers for each
 * OS, installing them), EAPHost's configuration documents — Microsoft's for Windows' own methods
 * and ours (urn:eaphost:config:1) for the shipped ones — and Windows' Root stores, for a program
 * that deploys profiles (netsh, Intune, NetworkManager) rather than authenticating.
 */
export {
  checkNetworkProfile, parseNetworkProfileJson, networkProfileJson, ProfileError, NETWORK_PROFILE_VERSION,
} from './network-profile';
export type {
  NetworkProfile, ProfileNetwork, ProfileEap, ProfileCredentials, ProfileNote, WifiSecurity,
} from './network-profile';
export { readEapConfig, writeEapConfig } from './eap-config';
export type { EapConfigReading, ProfileWriting } from './eap-config';
export { writeWpaSupplicant } from './wpa-supplicant';
export { writeNetworkManager } from './networkmanager';
export type { NetworkManagerWriting, KeyfileDocument } from './networkmanager';
export { writeWindowsProfiles } from './windows-profile';
export type { WindowsProfileWriting, WindowsProfileDocument } from './windows-profile';
export { writeMobileconfig } from './mobileconfig';
export { profileSessionOptions, readProfileText } from './profile-session';
export type { ProfileSessionInput } from './profile-session';
export { installNetworkManager, NetworkManagerInstallError, NETWORKMANAGER_CONNECTIONS_DIR } from './install-networkmanager';
export type { NetworkManagerInstallOptions } from './install-networkmanager';
export { installWindows, WindowsInstallError } from './install-windows';
export type { WindowsInstallOptions, WindowsInstallResult, WindowsInstallStep } from './install-windows';
export { windowsRootStores, installWindowsRootCertificate, removeWindowsRootCertificate } from './root-store';
export type { WindowsRootStore } from './root-store';
export {
  microsoftConfigXml, microsoftCredentialsXml, certificateThumbprints, WINDOWS_METHOD_TYPES,
} from './microsoft-config';
export type { MicrosoftConfigOptions, MicrosoftCredentials, WindowsMethodName } from './microsoft-config';
export {
  shippedConfigXml, shippedCredentialsXml, SHIPPED_CONFIG_NAMESPACE, SHIPPED_CREDENTIALS_NAMESPACE,
} from './shipped-config';
export type { ShippedMethodName } from './shipped-config';
export type { ProfileOptions } from './session-config';
export { connect } from './connect';
export type { ConnectOptions, ConnectOutcome, ConnectCategory, ConnectEvent, ConnectCode } from './connect';
