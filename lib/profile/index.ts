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
