/**
 * The client platforms `eaphost audit` predicts for, each rule with its source. A rule says what
 * the platform does with its defaults; where a build decides (wpa_supplicant), the rule names
 * the build it describes. The sources are public documents and code; the wpa-supplicant rules
 * are also what test/radius/audit.test.ts sees Debian 12's eapol_test do.
 */

/** A client platform an audit judges the server for. */
export type AuditClientName = 'windows-11' | 'windows-10' | 'android' | 'apple' | 'wpa-supplicant' | 'wpa-supplicant-legacy';
export const AUDIT_CLIENTS: readonly AuditClientName[] = ['windows-11', 'windows-10', 'android', 'apple', 'wpa-supplicant', 'wpa-supplicant-legacy'];

/** TLS versions as their wire numbers. */
export const TLS10 = 0x0301;
export const TLS11 = 0x0302;
export const TLS12 = 0x0303;
export const TLS13 = 0x0304;

export interface Cited<T> { value: T; source: string }

export interface PlatformRule {
  client: AuditClientName;
  /** Which release or build the rule describes. */
  describes: string;
  /** The TLS versions it offers with its defaults, lowest first. */
  tlsVersions: Cited<readonly number[]>;
  /** Refuses a certificate below the root signed with SHA-1 (or MD5). */
  refusesSha1: Cited<boolean>;
  /** The smallest RSA key it accepts in the server certificate. */
  minRsaBits: Cited<number>;
  /** Refuses a server certificate whose extendedKeyUsage lacks serverAuth. */
  requiresServerAuthEku: Cited<boolean>;
  /** EAP round trips after which it gives up (undefined: no published limit). */
  maxRoundTrips?: Cited<number>;
  /** At TLS 1.0 / 1.1 it drops its SHA-1 and key-size checks (OpenSSL security level 0). */
  obsoleteTlsDropsChecks?: Cited<boolean>;
  /** Always checks the server's name, even when no name is given here. */
  requiresServerName?: Cited<boolean>;
}

const MS_EAP_WINDOWS_11 = "Microsoft, \"EAP - What's changed in Windows 11\" (learn.microsoft.com/windows-server/networking/technologies/" +
  'extensible-authentication-protocol/windows-11-changes): TLS 1.3 by default';
const MS_TLS10_OFF = 'Microsoft, "TLS 1.0 and TLS 1.1 soon to be disabled in Windows" (Windows IT Pro blog, 2023-09): ' +
  'off by default from Windows 11 Insider builds of September 2023 on';
const MS_NPS_CERTIFICATES = 'Microsoft, "Configure Certificate Templates for PEAP and EAP Requirements" (learn.microsoft.com/' +
  'windows-server/networking/technologies/nps/nps-manage-cert-requirements): the server certificate must carry Server Authentication in EKU';
const MS_RSA_1024 = 'Microsoft KB2661254: keys shorter than 1024 bits are blocked; 1024 still passes';
const MS_SHA1 = 'Microsoft, "Windows Enforcement of SHA1 certificates": the block applies to roots of the Microsoft Trusted Root ' +
  'Program, not to an organisation\'s own CA';
const APPLE_TRUST = 'Apple, "Requirements for trusted certificates in iOS 13 and macOS 10.15" (support.apple.com/HT210176): ' +
  'RSA keys of 2048 bits or more, SHA-2 signatures, ExtendedKeyUsage with id-kp-serverAuth';
const APPLE_TLS = 'Apple, Device Management com.apple.wifi.managed EAPClientConfiguration (github.com/apple/device-management): ' +
  'TLSMinimumVersion default 1.0, TLSMaximumVersion default 1.2';
const HOSTAP_ROUNDS = 'hostap src/eap_peer/eap.c: EAP_MAX_AUTH_ROUNDS 100, the peer gives up after that many requests';
const HOSTAP_TLS13 = 'hostap 2.10 wpa_supplicant.conf, phase1 tls_disable_tlsv1_3: TLS 1.3 is off by default in 2.10';
const OPENSSL_PURPOSE = 'OpenSSL X509_check_purpose (SSL server purpose), which hostap\'s TLS client verification uses: ' +
  'an extendedKeyUsage without serverAuth is refused';
const ANDROID_DOMAIN = 'Android 11 and later: an EAP network that checks the server\'s CA must name its domain (AOSP Settings, ' +
  'WifiConfigController, "Must specify a domain"), so the server\'s name is always checked';
const DEBIAN_SECLEVEL = 'Debian wpa 2:2.10-11 changelog, "Drop security level to 0 with OpenSSL 3.0 when using TLS 1.0/1.1": ' +
  'with its defaults Debian\'s wpa_supplicant speaks TLS 1.0 and 1.1 to a server that offers nothing newer, at OpenSSL ' +
  'security level 0 then (test/radius/audit.test.ts: Debian 12\'s eapol_test connects to a TLS 1.0-only FreeRADIUS)';
const OPENSSL_LEVEL_1 = 'OpenSSL 3.0 SSL_CTX_set_security_level(3), level 1 (the default): signatures with SHA-1 or MD5 are ' +
  'forbidden (under 80 security bits), RSA keys of 1024 bits pass (test/radius/audit.test.ts: Debian 12\'s eapol_test refuses ' +
  'a SHA-1-signed leaf, "CA signature digest algorithm too weak", and accepts an RSA-1024 one)';
const NM_FLAG_32 = 'NetworkManager 802-1x.phase1-auth-flags 32 (tls-1-0-enable) writes phase1 "tls_disable_tlsv1_0=0": ' +
  'TLS 1.0 enabled explicitly puts OpenSSL at security level 0 for every version (test/radius/audit.test.ts: Debian 12\'s ' +
  'eapol_test then accepts the SHA-1-signed leaf)';

export const PLATFORM_RULES: Record<AuditClientName, PlatformRule> = {
  'windows-11': {
    client: 'windows-11',
    describes: "Windows 11's own PEAP, EAP-TTLS, EAP-TLS and TEAP with default settings",
    tlsVersions: { value: [TLS12, TLS13], source: `${MS_EAP_WINDOWS_11}; ${MS_TLS10_OFF}` },
    refusesSha1: { value: false, source: MS_SHA1 },
    minRsaBits: { value: 1024, source: MS_RSA_1024 },
    requiresServerAuthEku: { value: true, source: MS_NPS_CERTIFICATES },
  },
  'windows-10': {
    client: 'windows-10',
    describes: "Windows 10's own EAP methods with default settings (TLS 1.3 for EAP came with Windows 11)",
    tlsVersions: { value: [TLS10, TLS11, TLS12], source: `${MS_EAP_WINDOWS_11} (new in Windows 11); Windows 10's EAP TlsVersion default` },
    refusesSha1: { value: false, source: MS_SHA1 },
    minRsaBits: { value: 1024, source: MS_RSA_1024 },
    requiresServerAuthEku: { value: true, source: MS_NPS_CERTIFICATES },
  },
  android: {
    client: 'android',
    describes: "Android 11 and later: AOSP's wpa_supplicant (hostap) with its defaults",
    tlsVersions: { value: [TLS10, TLS11, TLS12], source: HOSTAP_TLS13 },
    refusesSha1: { value: false, source: 'BoringSSL\'s certificate verification, which AOSP\'s wpa_supplicant uses, has no SHA-1 refusal' },
    minRsaBits: { value: 1024, source: 'BoringSSL has no minimum RSA size for certificates in chain verification' },
    requiresServerAuthEku: { value: true, source: OPENSSL_PURPOSE },
    maxRoundTrips: { value: 100, source: HOSTAP_ROUNDS },
    requiresServerName: { value: true, source: ANDROID_DOMAIN },
  },
  apple: {
    client: 'apple',
    describes: 'iOS 13 / macOS 10.15 and later with an EAPClientConfiguration left at its defaults',
    tlsVersions: { value: [TLS10, TLS11, TLS12], source: APPLE_TLS },
    refusesSha1: { value: true, source: APPLE_TRUST },
    minRsaBits: { value: 2048, source: APPLE_TRUST },
    requiresServerAuthEku: { value: true, source: APPLE_TRUST },
  },
  'wpa-supplicant': {
    client: 'wpa-supplicant',
    describes: "Debian 12's wpa_supplicant 2.10 (OpenSSL 3.0) with its defaults: no phase1 TLS flags",
    tlsVersions: { value: [TLS10, TLS11, TLS12], source: `${DEBIAN_SECLEVEL}; ${HOSTAP_TLS13}` },
    refusesSha1: { value: true, source: OPENSSL_LEVEL_1 },
    minRsaBits: { value: 1024, source: OPENSSL_LEVEL_1 },
    obsoleteTlsDropsChecks: { value: true, source: DEBIAN_SECLEVEL },
    requiresServerAuthEku: { value: true, source: OPENSSL_PURPOSE },
    maxRoundTrips: { value: 100, source: HOSTAP_ROUNDS },
  },
  'wpa-supplicant-legacy': {
    client: 'wpa-supplicant-legacy',
    describes: 'the same build with TLS 1.0 enabled explicitly (phase1 "tls_disable_tlsv1_0=0", NetworkManager phase1-auth-flags 32)',
    tlsVersions: { value: [TLS10, TLS11, TLS12], source: `${NM_FLAG_32}; ${HOSTAP_TLS13}` },
    refusesSha1: { value: false, source: NM_FLAG_32 },
    minRsaBits: { value: 1024, source: NM_FLAG_32 },
    requiresServerAuthEku: { value: true, source: OPENSSL_PURPOSE },
    maxRoundTrips: { value: 100, source: HOSTAP_ROUNDS },
  },
};
