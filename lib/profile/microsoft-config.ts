/**
 * Microsoft's EapHostConfig / EapHostUserCredentials XML for Windows' own methods: PEAP (25),
 * EAP-TLS (13) and EAP-MSCHAPv2 (26), author id 0, and EAP-TTLS (21, author 311). These are the
 * documents eappcfg.dll's ConfigXml2Blob / CredentialsXml2Blob turn into blobs, and the ones a
 * WLAN / LAN profile (netsh, Intune) carries under EAPConfig.
 *
 * Element names, namespaces and ORDER follow Microsoft's schemas (Windows refuses elements out of
 * order with ERROR_XML_PARSE_ERROR 1206):
 *   - MsPeapConnectionPropertiesV1 EapType: ServerValidation, FastReconnect, InnerEapOptional,
 *     Eap, EnableQuarantineChecks, RequireCryptoBinding, PeapExtensions; ServerValidation:
 *     DisableUserPromptForServerValidation, ServerNames, TrustedRootCA*; PeapExtensions (V2
 *     namespace): PerformServerValidation, AcceptServerName, IdentityPrivacy.
 *   - EapTlsConnectionPropertiesV1 EapType: CredentialsSource, ServerValidation,
 *     DifferentUsername, then the V2 PerformServerValidation, AcceptServerName.
 *   - EapTtlsConnectionPropertiesV1 EapTtls: ServerValidation (ServerNames, TrustedRootCAHash*,
 *     DisablePrompt), Phase2Authentication, Phase1Identity (IdentityPrivacy, AnonymousIdentity).
 *   - User properties: MsChapV2 Username, Password, LogonDomain; EapTls Username, UserCert;
 *     EapTtls Username, Password.
 * (Sources: the EAPHost schema reference and the connection / user properties samples of the
 * Windows SDK documentation, and the LAN profile template TtlsCfg.dll registers.)
 */
import { pemCertificates } from '../core/connection-data';
import { EapMethodTypeInfo } from '../core/errors';
import { XmlElement, element, xmlDocument } from './xml-text';

const NS = {
  hostConfig: 'http://www.microsoft.com/provisioning/EapHostConfig',
  hostCredentials: 'http://www.microsoft.com/provisioning/EapHostUserCredentials',
  common: 'http://www.microsoft.com/provisioning/EapCommon',
  baseConnection: 'http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1',
  baseUser: 'http://www.microsoft.com/provisioning/BaseEapUserPropertiesV1',
  peapConnection: 'http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV1',
  peapConnectionV2: 'http://www.microsoft.com/provisioning/MsPeapConnectionPropertiesV2',
  peapUser: 'http://www.microsoft.com/provisioning/MsPeapUserPropertiesV1',
  mschapv2Connection: 'http://www.microsoft.com/provisioning/MsChapV2ConnectionPropertiesV1',
  mschapv2User: 'http://www.microsoft.com/provisioning/MsChapV2UserPropertiesV1',
  tlsConnection: 'http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV1',
  tlsConnectionV2: 'http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV2',
  tlsUser: 'http://www.microsoft.com/provisioning/EapTlsUserPropertiesV1',
  ttlsConnection: 'http://www.microsoft.com/provisioning/EapTtlsConnectionPropertiesV1',
  ttlsUser: 'http://www.microsoft.com/provisioning/EapTtlsUserPropertiesV1',
} as const;

export type WindowsMethodName = 'peap' | 'tls' | 'ttls' | 'mschapv2';

/** Windows' own methods: author 0 (Microsoft), EAP-TTLS author 311 (Microsoft's IANA number). */
export const WINDOWS_METHOD_TYPES: Readonly<Record<WindowsMethodName, Readonly<EapMethodTypeInfo>>> = Object.freeze({
  peap: Object.freeze({ type: 25, vendorId: 0, vendorType: 0, authorId: 0 }),
  tls: Object.freeze({ type: 13, vendorId: 0, vendorType: 0, authorId: 0 }),
  ttls: Object.freeze({ type: 21, vendorId: 0, vendorType: 0, authorId: 311 }),
  mschapv2: Object.freeze({ type: 26, vendorId: 0, vendorType: 0, authorId: 0 }),
});

export function isWindowsMethodName(name: unknown): name is WindowsMethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(WINDOWS_METHOD_TYPES, name);
}

export interface MicrosoftConfigOptions {
  /** The root CA(s) the server certificate must chain to (PEM): written as SHA-1 thumbprints. */
  ca?: string | Buffer;
  /** Accepted server names (Windows matches them against the certificate's names). */
  serverName?: string | string[];
  /** Skip server validation: only when asked, never a default. */
  insecure?: boolean;
  requireCryptoBinding?: boolean;
  /** PEAP: the inner method (Windows' PEAP profile written here carries EAP-MSCHAPv2). */
  innerMethod?: 'mschapv2';
  /** EAP-TTLS phase 2 (non-EAP inner authentications). Default: mschapv2, as the shipped TTLS. */
  phase2?: 'pap' | 'chap' | 'mschap' | 'mschapv2';
  anonymousIdentity?: string;
}

const ALLOWED: Record<WindowsMethodName, readonly string[]> = {
  peap: ['ca', 'serverName', 'insecure', 'requireCryptoBinding', 'innerMethod', 'anonymousIdentity'],
  tls: ['ca', 'serverName', 'insecure'],
  ttls: ['ca', 'serverName', 'insecure', 'phase2', 'anonymousIdentity'],
  mschapv2: [],
};

/**
 * SHA-1 thumbprints of every certificate in `pem`, written as Microsoft writes them: lowercase
 * hex byte pairs separated by spaces ("c8 e1 81 …"). Each block must parse as X.509.
 */
export function certificateThumbprints(pem: string | Buffer, name = 'ca'): string[] {
  return pemCertificates(pem, name).map((certificate) => certificate.fingerprint.toLowerCase().split(':').join(' '));
}

function checkOptions(method: WindowsMethodName, options: MicrosoftConfigOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!ALLOWED[method].includes(key)) {
      throw new TypeError(`${key} does not apply to Windows' own ${method} method` +
        (method === 'tls' && ['cert', 'key', 'pkcs12', 'keyPassword'].includes(key)
          ? ': its client certificate comes from the Windows certificate store (give cert to the credentials, by thumbprint)'
          : ['crl', 'crlChain', 'allowStaleCrl'].includes(key)
            ? ': Windows checks revocation itself, through the CRL distribution points and OCSP addresses the ' +
              'certificates name, and its profile XML has no setting for a CRL file (see docs/windows.md, Revocation)'
            : key === 'ocsp'
              ? ': Windows checks revocation itself, asking the OCSP responder and CRL distribution points the ' +
                'server certificate names; its profile XML has no setting to request or require a stapled OCSP ' +
                'response (see docs/windows.md, Revocation)'
              : ['ocspResponse', 'ocspResponder'].includes(key)
                ? ': it configures an authenticator (eaphost serve, createAuthenticator); Windows\' own methods here ' +
                  'are the peer, and NPS, Windows\' authenticator, asks the OCSP addresses in client certificates ' +
                  'itself (see docs/windows.md, Revocation)'
                : ''));
    }
  }
  for (const flag of ['insecure', 'requireCryptoBinding'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new TypeError(`${flag} must be a boolean`);
  }
  if (method === 'mschapv2') return;
  if (options.ca === undefined && options.insecure !== true) {
    throw new TypeError(`${method}: no trusted CA configured: give ca (the PEM of the root CA that issued the server ` +
      'certificate) or insecure: true to skip server validation');
  }
  if (options.ca !== undefined && options.insecure === true) throw new TypeError(`${method}: give ca or insecure: true, not both`);
  if (options.insecure === true && options.serverName !== undefined) {
    throw new TypeError(`${method}: serverName is checked only against a trusted CA: drop insecure or serverName`);
  }
  if (options.innerMethod !== undefined && options.innerMethod !== 'mschapv2') {
    throw new TypeError("innerMethod must be 'mschapv2' for Windows' own PEAP (give other profiles as configXml)");
  }
  if (options.phase2 !== undefined && !['pap', 'chap', 'mschap', 'mschapv2'].includes(options.phase2)) {
    throw new TypeError("phase2 must be 'pap' | 'chap' | 'mschap' | 'mschapv2' for Windows' own EAP-TTLS " +
      '(an inner EAP method: give the profile as configXml)');
  }
}

function serverNames(value: MicrosoftConfigOptions['serverName']): string | undefined {
  if (value === undefined) return undefined;
  const names = Array.isArray(value) ? value : [value];
  if (names.length === 0) throw new TypeError('serverName must be a name or a non-empty array of names');
  for (const [i, name] of names.entries()) {
    const label = Array.isArray(value) ? `serverName[${i}]` : 'serverName';
    if (typeof name !== 'string' || name.length === 0) throw new TypeError(`${label} must be a non-empty string`);
    // ';' separates the names in Microsoft's ServerNames element: a name cannot carry one.
    if (name.includes(';')) throw new TypeError(`${label} must not contain ';' (Windows separates server names with it)`);
    if (Buffer.byteLength(name) > 253) throw new RangeError(`${label} is over 253 bytes`);
  }
  return names.join(';');
}

function text(name: string, value: string, ns?: string): XmlElement {
  return element(name, value, ns ? [['xmlns', ns]] : undefined);
}

function bool(name: string, value: boolean, ns?: string): XmlElement {
  return text(name, value ? 'true' : 'false', ns);
}

function eapMethod(type: EapMethodTypeInfo): XmlElement {
  return element('EapMethod', [
    text('Type', String(type.type), NS.common),
    text('VendorId', String(type.vendorId), NS.common),
    text('VendorType', String(type.vendorType), NS.common),
    text('AuthorId', String(type.authorId), NS.common),
  ]);
}

function peapConfig(options: MicrosoftConfigOptions, thumbprints: string[], names: string | undefined): XmlElement {
  const validation: XmlElement[] = [bool('DisableUserPromptForServerValidation', true)];
  if (names !== undefined) validation.push(text('ServerNames', names));
  for (const thumbprint of thumbprints) validation.push(text('TrustedRootCA', thumbprint));
  const extensions: XmlElement[] = [
    bool('PerformServerValidation', options.insecure !== true, NS.peapConnectionV2),
    bool('AcceptServerName', names !== undefined, NS.peapConnectionV2),
  ];
  if (options.anonymousIdentity !== undefined) {
    extensions.push(element('IdentityPrivacy', [
      bool('EnableIdentityPrivacy', true),
      text('AnonymousUserName', options.anonymousIdentity),
    ], [['xmlns', NS.peapConnectionV2]]));
  }
  return element('Eap', [
    text('Type', '25'),
    element('EapType', [
      element('ServerValidation', validation),
      bool('FastReconnect', true),
      bool('InnerEapOptional', false),
      element('Eap', [
        text('Type', '26'),
        element('EapType', [bool('UseWinLogonCredentials', false)], [['xmlns', NS.mschapv2Connection]]),
      ], [['xmlns', NS.baseConnection]]),
      bool('EnableQuarantineChecks', false),
      bool('RequireCryptoBinding', options.requireCryptoBinding === true),
      element('PeapExtensions', extensions),
    ], [['xmlns', NS.peapConnection]]),
  ], [['xmlns', NS.baseConnection]]);
}

function tlsConfig(options: MicrosoftConfigOptions, thumbprints: string[], names: string | undefined): XmlElement {
  const validation: XmlElement[] = [bool('DisableUserPromptForServerValidation', true)];
  if (names !== undefined) validation.push(text('ServerNames', names));
  for (const thumbprint of thumbprints) validation.push(text('TrustedRootCA', thumbprint));
  return element('Eap', [
    text('Type', '13'),
    element('EapType', [
      element('CredentialsSource', [element('CertificateStore', [bool('SimpleCertSelection', true)])]),
      element('ServerValidation', validation),
      bool('DifferentUsername', false),
      bool('PerformServerValidation', options.insecure !== true, NS.tlsConnectionV2),
      bool('AcceptServerName', names !== undefined, NS.tlsConnectionV2),
    ], [['xmlns', NS.tlsConnection]]),
  ], [['xmlns', NS.baseConnection]]);
}

function ttlsConfig(options: MicrosoftConfigOptions, thumbprints: string[], names: string | undefined): XmlElement {
  const validation: XmlElement[] = [text('ServerNames', names ?? '')];
  for (const thumbprint of thumbprints) validation.push(text('TrustedRootCAHash', thumbprint));
  validation.push(bool('DisablePrompt', true));
  const phase2 = options.phase2 ?? 'mschapv2';
  const inner = phase2 === 'mschapv2'
    ? element('MSCHAPv2Authentication', [bool('UseWinlogonCredentials', false)])
    : element({ pap: 'PAPAuthentication', chap: 'CHAPAuthentication', mschap: 'MSCHAPAuthentication' }[phase2], []);
  const identity: XmlElement[] = [bool('IdentityPrivacy', options.anonymousIdentity !== undefined)];
  if (options.anonymousIdentity !== undefined) identity.push(text('AnonymousIdentity', options.anonymousIdentity));
  return element('EapTtls', [
    element('ServerValidation', validation),
    element('Phase2Authentication', [inner]),
    element('Phase1Identity', identity),
  ], [['xmlns', NS.ttlsConnection]]);
}

function mschapv2Config(): XmlElement {
  return element('Eap', [
    text('Type', '26'),
    element('EapType', [bool('UseWinLogonCredentials', false)], [['xmlns', NS.mschapv2Connection]]),
  ], [['xmlns', NS.baseConnection]]);
}

/**
 * The EapHostConfig document for Windows' own `method`. There is no silent trust: a TLS-based
 * method needs `ca` (its thumbprints become TrustedRootCA, with the user prompt disabled, so a
 * server that does not chain to it fails instead of asking) or an explicit `insecure: true`.
 * Windows' EAP-TTLS cannot skip validation without a prompt, so `insecure` is refused for it.
 */
export function microsoftConfigXml(method: WindowsMethodName, options: MicrosoftConfigOptions = {}): string {
  if (!isWindowsMethodName(method)) throw new TypeError(`method must be ${Object.keys(WINDOWS_METHOD_TYPES).join(' | ')}`);
  checkOptions(method, options);
  if (method === 'ttls' && options.insecure === true) {
    throw new TypeError("insecure: Windows' own EAP-TTLS has no setting that skips server validation without " +
      'prompting: give ca (and serverName)');
  }
  const thumbprints = options.ca !== undefined ? certificateThumbprints(options.ca) : [];
  const names = serverNames(options.serverName);
  const config = { peap: peapConfig, tls: tlsConfig, ttls: ttlsConfig, mschapv2: mschapv2Config }[method](
    options, thumbprints, names);
  return xmlDocument(element('EapHostConfig', [
    eapMethod(WINDOWS_METHOD_TYPES[method]),
    element('Config', [config], [['xmlns', NS.hostConfig]]),
  ], [['xmlns', NS.hostConfig]]));
}

export interface MicrosoftCredentials {
  /** The user name; "DOMAIN\\user" puts DOMAIN in MsChapV2's LogonDomain. */
  identity: string;
  /** PEAP / EAP-MSCHAPv2 / EAP-TTLS. */
  password?: string;
  /** EAP-TLS: the client certificate (PEM), installed in the user's certificate store; written
   *  as its thumbprint (UserCert). */
  cert?: string | Buffer;
}

function checkCredentials(method: WindowsMethodName, credentials: MicrosoftCredentials): void {
  if (typeof credentials !== 'object' || credentials === null) throw new TypeError('credentials must be an object');
  if (typeof credentials.identity !== 'string' || credentials.identity.length === 0) {
    throw new TypeError('identity must be a non-empty string');
  }
  if (method === 'tls') {
    if (credentials.password !== undefined) throw new TypeError("password does not apply to EAP-TLS (it authenticates with the certificate)");
    return;
  }
  if (typeof credentials.password !== 'string') throw new TypeError(`${method}: password must be a string`);
  if (credentials.cert !== undefined) throw new TypeError(`cert applies to EAP-TLS only`);
}

function mschapv2User(identity: string, password: string): XmlElement {
  const slash = identity.indexOf('\\');
  const domain = slash > 0 ? identity.slice(0, slash) : undefined;
  const user = slash > 0 ? identity.slice(slash + 1) : identity;
  const fields = [text('Username', user), text('Password', password)];
  if (domain !== undefined) fields.push(text('LogonDomain', domain));
  return element('Eap', [
    text('Type', '26'),
    element('EapType', fields, [['xmlns', NS.mschapv2User]]),
  ], [['xmlns', NS.baseUser]]);
}

/**
 * The EapHostUserCredentials document for Windows' own `method`. It carries the password in
 * clear text, as Microsoft's format does: hand it to credentialsXml2Blob and drop it.
 */
export function microsoftCredentialsXml(method: WindowsMethodName, credentials: MicrosoftCredentials): string {
  if (!isWindowsMethodName(method)) throw new TypeError(`method must be ${Object.keys(WINDOWS_METHOD_TYPES).join(' | ')}`);
  checkCredentials(method, credentials);
  const { identity } = credentials;
  const password = credentials.password as string;
  let body: XmlElement;
  if (method === 'mschapv2') {
    body = mschapv2User(identity, password);
  } else if (method === 'peap') {
    body = element('Eap', [
      text('Type', '25'),
      element('EapType', [mschapv2User(identity, password)], [['xmlns', NS.peapUser]]),
    ], [['xmlns', NS.baseUser]]);
  } else if (method === 'ttls') {
    body = element('EapTtls', [text('Username', identity), text('Password', password)], [['xmlns', NS.ttlsUser]]);
  } else {
    const fields = [text('Username', identity)];
    if (credentials.cert !== undefined) fields.push(text('UserCert', certificateThumbprints(credentials.cert, 'cert')[0]));
    body = element('Eap', [
      text('Type', '13'),
      element('EapType', fields, [['xmlns', NS.tlsUser]]),
    ], [['xmlns', NS.baseUser]]);
  }
  return xmlDocument(element('EapHostUserCredentials', [
    eapMethod(WINDOWS_METHOD_TYPES[method]),
    element('Credentials', [body], [['xmlns', NS.hostCredentials]]),
  ], [['xmlns', NS.hostCredentials]]));
}
