/**
 * Installing a profile on Windows, through the calls Windows offers and nothing else: each CA
 * into a Root store (CertAddEncodedCertificateToStore, root-store.ts), the EAP-TLS client's
 * PKCS#12 into the user's personal store (PFXImportCertStore), each Wi-Fi network as a WLAN
 * profile on every WLAN interface or the one named (WlanSetProfile) with the user's credentials
 * beside it (WlanSetProfileEapXmlUserData), and the wired network as a LAN profile through netsh
 * (windows-lan.ts: Windows has no public LAN profile API). Certificates go first: the profiles
 * name the CA by thumbprint and Windows' EAP-TLS looks for the client certificate in the store.
 * The first failure stops the install as a WindowsInstallError carrying Windows' own codes.
 * Nothing here runs unless asked: `eaphost profile --install` or a call of installWindows.
 */
import { X509Certificate } from 'crypto';
import { EapError } from '../core/errors';
import { binding } from '../native';
import type { NativeNetworkAdapter, NativeWlanInterface } from '../native/contract';
import { wlanInterfaceName } from './connect/wired-interface';
import { TEAP_CREDENTIALS_XML_MISSING, isWindowsMethodName, microsoftCredentialsXml } from './microsoft-config';
import { NetworkProfile, ProfileNote, checkNetworkProfile } from './network-profile';
import { installWindowsRootCertificate, WindowsRootStore } from './root-store';
import { shippedCredentialsXml } from './shipped-config';
import { writeWindowsProfiles } from './windows-profile';
import { installLanProfile } from './windows-lan';
import { WindowsInstallError, WindowsInstallStep } from './windows-install-error';

export { WindowsInstallError };

export interface WindowsInstallOptions {
  /** The one WLAN interface to install on, by its name ("Wi-Fi"), GUID or description (default: every one). */
  interface?: string;
  /** The wired interface's name ("Ethernet"): needed when the profile has a wired network. */
  lanInterface?: string;
  /** The Root store for the CA (default CurrentUser, which Windows asks the user to confirm;
   *  LocalMachine needs an administrator). */
  rootStore?: WindowsRootStore;
  /** Also store the profile's credentials for the calling user (WlanSetProfileEapXmlUserData,
   *  netsh lan set eapuserdata); the PKCS#12 is imported whenever the profile holds one. */
  secrets?: boolean;
}

export interface WindowsInstallResult {
  /** SHA-1 thumbprints (uppercase hex) of the CAs put into the Root store. */
  rootCertificates: string[];
  /** Thumbprints of the client certificates imported into CurrentUser\My. */
  clientCertificates: string[];
  /** Per Wi-Fi network: the interfaces its profile was set on. */
  wlan: Array<{ ssid: string; interfaces: NativeWlanInterface[] }>;
  /** The wired profile's netsh report, when the profile has a wired network. */
  lan?: string;
  notes: ProfileNote[];
}

async function step<T>(name: WindowsInstallStep, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EapError) {
      throw new WindowsInstallError(name, error.message, { win32Error: error.win32Error, reasonCode: error.reasonCode, call: error.call }, error);
    }
    throw error;
  }
}

/** The user data document for the profile's first EAP configuration, or '' when there is none to store. */
function eapUserData(profile: NetworkProfile, notes: ProfileNote[]): string {
  const identity = profile.credentials?.identity;
  if (identity === undefined) return '';
  const eap = profile.eap[0];
  const password = profile.credentials?.password;
  if (isWindowsMethodName(eap.method)) {
    if (eap.method === 'tls') {
      notes.push({ path: 'credentials', message: "Windows' EAP-TLS picks the imported certificate itself: only the identity is stored" });
      return microsoftCredentialsXml('tls', { identity });
    }
    if (eap.method === 'teap') {
      notes.push({ path: 'credentials', message: `${TEAP_CREDENTIALS_XML_MISSING}: not stored (Windows asks at connection time)` });
      return '';
    }
    if (password === undefined) return '';
    return microsoftCredentialsXml(eap.method, { identity, password });
  }
  if (password === undefined) return '';
  return shippedCredentialsXml(eap.method as Parameters<typeof shippedCredentialsXml>[0], { identity, password });
}

function thumbprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint.split(':').join('').toUpperCase();
}

export async function installWindows(input: NetworkProfile, options: WindowsInstallOptions = {}): Promise<WindowsInstallResult> {
  const profile = checkNetworkProfile(input);
  const rootStore = options.rootStore ?? 'CurrentUser';
  if (rootStore !== 'CurrentUser' && rootStore !== 'LocalMachine') throw new TypeError("rootStore must be 'CurrentUser' or 'LocalMachine'");
  // Written before anything is installed: a profile Windows' writer cannot express installs nothing.
  const { documents, notes } = writeWindowsProfiles(profile);
  const userData = options.secrets === true ? eapUserData(profile, notes) : '';
  const eap = profile.eap[0];
  const result: WindowsInstallResult = { rootCertificates: [], clientCertificates: [], wlan: [], notes };

  for (const ca of eap.ca ?? []) {
    await step('root-certificate', () => installWindowsRootCertificate(ca, rootStore));
    result.rootCertificates.push(thumbprintOf(ca));
  }
  if (eap.clientCertificate) {
    const pkcs12 = Buffer.from(eap.clientCertificate.pkcs12, 'base64');
    try {
      result.clientCertificates = await step('client-certificate',
        () => binding.userStoreImportPkcs12({ pkcs12, password: eap.clientCertificate?.passphrase ?? '' }));
    } finally {
      pkcs12.fill(0);
    }
  }
  for (const document of documents) {
    if (document.name === 'wired') {
      result.lan = await step('lan-profile', () => installLanProfile(document.text, userData, options.lanInterface));
      continue;
    }
    const interfaces = await step('wlan-profile',
      () => binding.wlanSetProfile({ profileXml: document.text, profileName: document.name, eapUserDataXml: userData,
        interfaceName: nativeWifiInterface(options.interface) }));
    result.wlan.push({ ssid: document.name, interfaces });
  }
  return result;
}

/**
 * `interface` as Native Wifi takes it: a friendly name ("Wi-Fi") becomes its adapter's GUID through
 * the adapters GetAdaptersAddresses lists (networkAdapters(), as the wired path names its
 * interface); a GUID or a description, or a list that cannot be read, leaves it as given.
 */
export function nativeWifiInterface(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  let adapters: NativeNetworkAdapter[];
  try {
    adapters = binding.networkAdapters();
  } catch (error) {
    if (!(error instanceof EapError)) throw error;
    return name;
  }
  return wlanInterfaceName(adapters, name);
}

/** The WLAN interfaces Windows' Native Wifi manages (an empty list where it manages none). */
export function windowsWlanInterfaces(): Promise<NativeWlanInterface[]> {
  return step('wlan-profile', () => binding.wlanInterfaces());
}

/** The client certificate with this SHA-1 thumbprint in CurrentUser\My: null when absent. */
export function findUserCertificate(thumbprint: string): Promise<{ hasKey: boolean } | null> {
  if (!/^[0-9A-Fa-f]{40}$/.test(thumbprint)) throw new TypeError('thumbprint must be 40 hex digits (SHA-1)');
  return step('client-certificate', () => binding.userStoreFind({ sha1: Buffer.from(thumbprint, 'hex') }));
}

/** Imports the PKCS#12 into CurrentUser\My, returning the thumbprints imported. */
export function importUserPkcs12(pkcs12: Buffer, password: string): Promise<string[]> {
  return step('client-certificate', () => binding.userStoreImportPkcs12({ pkcs12, password }));
}
