/**
 * The `eaphost/profile` entry point: network profiles (the model, its readers and writers for each
 * OS, installing them), EAPHost's configuration documents — Microsoft's for Windows' own methods
 * and ours (urn:eaphost:config:1) for the shipped ones — and Windows' Root stores, for a program
 * that deploys profiles (netsh, Intune, NetworkManager) rather than authenticating.
 */
export { networkProfileJson, ProfileError } from './network-profile';
export type { NetworkProfile } from './network-profile';
export { writeEapConfig } from './geant-eap-config';
export { writeWpaSupplicant } from './wpa-supplicant';
export { writeNetworkManager } from './networkmanager';
export { writeWindowsProfiles } from './windows-profile';
export { writeMobileconfig } from './mobileconfig';
export { profileSessionOptions, readProfileText } from './profile-session';
export { installNetworkManager } from './install-networkmanager';
export { installWindows } from './install-windows';
export { windowsRootStores, installWindowsRootCertificate, removeWindowsRootCertificate } from './root-store';
export { microsoftConfigXml, microsoftCredentialsXml } from './microsoft-config';
export { shippedConfigXml, shippedCredentialsXml } from './shipped-config';
export { connect } from './connect';
export type { ConnectOptions, ConnectOutcome, ConnectCategory, ConnectEvent, ConnectCode } from './connect';
// The types the signatures above use, each by its name (test/api-surface.test.ts: no forgotten export).
export type {
  ProfileCredentials, ProfileEap, ProfileNetwork, ProfileNote, WifiSecurity,
} from './network-profile';
export type { EapConfigReading, ProfileWriting } from './geant-eap-config';
export type { KeyfileDocument, NetworkManagerWriting } from './networkmanager';
export type { MicrosoftConfigOptions, MicrosoftCredentials, WindowsMethodName } from './microsoft-config';
export type { WindowsTeapInnerMethod } from './microsoft-teap';
export type { NativeWlanInterface } from '../native';
export type { NetworkManagerInstallOptions } from './install-networkmanager';
export type { ProfileSessionInput } from './profile-session';
export type { ShippedMethodName } from './shipped-config';
export type { WindowsInstallOptions, WindowsInstallResult } from './install-windows';
export type { WindowsProfileDocument, WindowsProfileWriting } from './windows-profile';
export type { WindowsRootStore } from './root-store';
export type { ConnectCodeSource } from './connect/outcome';
