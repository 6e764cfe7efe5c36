/**
 * Microsoft's EapHostConfig / EapHostUserCredentials XML for Windows' own methods: PEAP (25),
 * EAP-TLS (13) and EAP-MSCHAPv2 (26), author id 0, and EAP-TTLS (21) and TEAP (55, configuration
 * only: microsoft-teap.ts), author 311. These are the
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
import { NS, bool, eapHostConfig, eapMethod, text } from './microsoft-elements';
import { TEAP_REFUSED, WindowsTeapInnerMethod, checkTeapInnerMethod, teapConfig } from './microsoft-teap';


export type WindowsMethodName = 'peap' | 'tls' | 'ttls' | 'teap' | 'mschapv2';

/** Windows' own methods: author 0 (Microsoft), EAP-TTLS and TEAP author 311 (Microsoft's IANA number). */
export const WINDOWS_METHOD_TYPES: Readonly<Record<WindowsMethodName, Readonly<EapMethodTypeInfo>>> = Object.freeze({
  peap: Object.freeze({ type: 25, vendorId: 0, vendorType: 0, authorId: 0 }),
  tls: Object.freeze({ type: 13, vendorId: 0, vendorType: 0, authorId: 0 }),
  ttls: Object.freeze({ type: 21, vendorId: 0, vendorType: 0, authorId: 311 }),
  teap: Object.freeze({ type: 55, vendorId: 0, vendorType: 0, authorId: 311 }),
  mschapv2: Object.freeze({ type: 26, vendorId: 0, vendorType: 0, authorId: 0 }),
});

export function isWindowsMethodName(name: unknown): name is WindowsMethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(WINDOWS_METHOD_TYPES, name);
}

export interface MicrosoftConfigOptions {
  /** The root CA(s) the server certificate must chain to (PEM): written as SHA-1 thumbprints
   *  (SHA-256 for TEAP, whose schema asks for them). */
  ca?: string | Buffer;
  /** Accepted server names (Windows matches them against the certificate's names). */
  serverName?: string | string[];
  /** Skip server validation: only when asked, never a default. */
  insecure?: boolean;
  requireCryptoBinding?: boolean;
  /** The inner method: PEAP's is EAP-MSCHAPv2; TEAP's (its primary) EAP-MSCHAPv2 (the default)
   *  or EAP-TLS, the two Windows' TEAP offers. */
  innerMethod?: 'mschapv2' | 'tls';
  /** TEAP: EAP chaining, a second inner method after innerMethod (Windows runs them in order,
   *  typically the machine's, then the user's). One option, not a chaining flag plus a method:
   *  naming the second method is what asks for it. */
  teapSecondaryInnerMethod?: WindowsTeapInnerMethod;
  /** EAP-TTLS phase 2 (non-EAP inner authentications). Default: mschapv2, as the shipped TTLS. */
  phase2?: 'pap' | 'chap' | 'mschap' | 'mschapv2';
  anonymousIdentity?: string;
}

const ALLOWED: Record<WindowsMethodName, readonly string[]> = {
  peap: ['ca', 'serverName', 'insecure', 'requireCryptoBinding', 'innerMethod', 'anonymousIdentity'],
  tls: ['ca', 'serverName', 'insecure'],
  ttls: ['ca', 'serverName', 'insecure', 'phase2', 'anonymousIdentity'],
  teap: ['ca', 'serverName', 'insecure', 'innerMethod', 'teapSecondaryInnerMethod', 'anonymousIdentity'],
  mschapv2: [],
};

/**
 * SHA-1 (or SHA-256) thumbprints of every certificate in `pem`, written as Microsoft writes
 * them: lowercase hex byte pairs separated by spaces ("c8 e1 81 …"). Each block must parse as X.509.
 */
export function certificateThumbprints(pem: string | Buffer, name = 'ca', hash: 'sha1' | 'sha256' = 'sha1'): string[] {
  return pemCertificates(pem, name).map((certificate) =>
    (hash === 'sha256' ? certificate.fingerprint256 : certificate.fingerprint).toLowerCase().split(':').join(' '));
}

/** Why `key` has no place in Windows' own `method` profile ('' when the name says enough). */
function refusalHint(method: WindowsMethodName, key: string): string {
  if (method === 'tls' && ['cert', 'key', 'pkcs12', 'keyPassword', 'certStore'].includes(key)) {
    return ': its client certificate comes from the Windows certificate store (give cert to the credentials, by thumbprint)';
  }
  if (['crl', 'crlChain', 'allowStaleCrl'].includes(key)) {
    return ': Windows checks revocation itself, through the CRL distribution points and OCSP addresses the ' +
      'certificates name, and its profile XML has no setting for a CRL file (see docs/windows.md, Revocation)';
  }
  if (key === 'ocsp') {
    return ': Windows checks revocation itself, asking the OCSP responder and CRL distribution points the ' +
      'server certificate names; its profile XML has no setting to request or require a stapled OCSP ' +
      'response (see docs/windows.md, Revocation)';
  }
  if (['ocspResponse', 'ocspResponder'].includes(key)) {
    return ': it configures an authenticator (eaphost serve, createAuthenticator); Windows\' own methods here ' +
      'are the peer, and NPS, Windows\' authenticator, asks the OCSP addresses in client certificates ' +
      'itself (see docs/windows.md, Revocation)';
  }
  if (method === 'teap' && Object.prototype.hasOwnProperty.call(TEAP_REFUSED, key)) return `: ${TEAP_REFUSED[key]}`;
  return '';
}

function checkOptions(method: WindowsMethodName, options: MicrosoftConfigOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!ALLOWED[method].includes(key)) {
      throw new TypeError(`${key} does not apply to Windows' own ${method} method${refusalHint(method, key)}`);
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
  if (method === 'teap') {
    if (options.innerMethod !== undefined) checkTeapInnerMethod(options.innerMethod, 'innerMethod');
    if (options.teapSecondaryInnerMethod !== undefined) checkTeapInnerMethod(options.teapSecondaryInnerMethod, 'teapSecondaryInnerMethod');
  } else if (options.innerMethod !== undefined && options.innerMethod !== 'mschapv2') {
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

/** TEAP: each inner method as Windows' own configuration of it, the inner EAP-TLS validating
 *  the server against the same roots (SHA-1 there, as its own schema has it) and names. */
function windowsTeapConfig(options: MicrosoftConfigOptions, names: string | undefined): XmlElement {
  const ca = options.ca as string | Buffer;
  return teapConfig({
    thumbprints: certificateThumbprints(ca, 'ca', 'sha256'),
    serverNames: names,
    primary: options.innerMethod ?? 'mschapv2',
    secondary: options.teapSecondaryInnerMethod,
    anonymousIdentity: options.anonymousIdentity,
    inner: (inner) => eapHostConfig(WINDOWS_METHOD_TYPES[inner],
      inner === 'tls' ? tlsConfig(options, certificateThumbprints(ca), names) : mschapv2Config()),
  });
}

/**
 * The EapHostConfig document for Windows' own `method`. There is no silent trust: a TLS-based
 * method needs `ca` (its thumbprints become TrustedRootCA, with the user prompt disabled, so a
 * server that does not chain to it fails instead of asking) or an explicit `insecure: true`.
 * Windows' EAP-TTLS and TEAP cannot skip validation without a prompt, so `insecure` is refused
 * for them.
 */
export function microsoftConfigXml(method: WindowsMethodName, options: MicrosoftConfigOptions = {}): string {
  if (!isWindowsMethodName(method)) throw new TypeError(`method must be ${Object.keys(WINDOWS_METHOD_TYPES).join(' | ')}`);
  checkOptions(method, options);
  if ((method === 'ttls' || method === 'teap') && options.insecure === true) {
    throw new TypeError(`insecure: Windows' own ${method === 'ttls' ? 'EAP-TTLS' : 'TEAP'} has no setting that skips ` +
      'server validation without prompting: give ca (and serverName)');
  }
  const names = serverNames(options.serverName);
  if (method === 'teap') return xmlDocument(eapHostConfig(WINDOWS_METHOD_TYPES.teap, windowsTeapConfig(options, names)));
  const thumbprints = options.ca !== undefined ? certificateThumbprints(options.ca) : [];
  const config = { peap: peapConfig, tls: tlsConfig, ttls: ttlsConfig, mschapv2: mschapv2Config }[method](
    options, thumbprints, names);
  return xmlDocument(eapHostConfig(WINDOWS_METHOD_TYPES[method], config));
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

/** Why Windows' own TEAP takes no EapHostUserCredentials document from here. */
export const TEAP_CREDENTIALS_XML_MISSING = "Windows' own TEAP: Microsoft documents no user-credentials schema for " +
  'TEAP (the EAPHost schema reference has EapTeapConnectionPropertiesV1 for its configuration, and no user ' +
  'properties namespace for its credentials), so no EapHostUserCredentials document is written for it';

function checkCredentials(method: WindowsMethodName, credentials: MicrosoftCredentials): void {
  if (method === 'teap') throw new TypeError(TEAP_CREDENTIALS_XML_MISSING);
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
