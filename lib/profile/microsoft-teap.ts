/**
 * Windows' own TEAP (EAP type 55, author 311; Windows 10 2004+ and Windows 11) as the
 * EapTeapConnectionPropertiesV1 configuration EAPHost's ConfigXml2Blob reads. Nothing here has
 * run on Windows yet; docs/WINDOWS-CONTRACT.md lists what the first windows-latest run checks.
 *
 * Where the sources agree (the EAPHost schema reference's eapteapconnectionpropertiesv1 pages):
 *   - EapTeap extends TeapConfig: ServerValidation, Phase2Authentication, Phase1Identity, in that
 *     order, each optional;
 *   - ServerValidationParameters: ServerNames, TrustedRootCAHash (the root's SHA-256 thumbprint,
 *     any number), DownloadTrustedServerRoot, DisablePrompt;
 *   - Phase2AuthenticationParameters: InnerMethodConfig, any number (primary, then secondary);
 *   - Phase1IdentityParameters: IdentityPrivacy (default true), AnonymousIdentity.
 * Where they disagree, Windows' own documents win, as they do for EAP-TTLS:
 *   - the element is `EapTeap`, not the reference's `eapTeap` (its element page; its EAP-TTLS
 *     page says `eapTtls` too, where Windows writes `EapTtls`);
 *   - an InnerMethodConfig holds a whole EapHostConfig (EapMethod, then Config with the inner
 *     method's BaseEap `Eap`), as Microsoft's "WPA3-Enterprise with TEAP profile sample", the
 *     "EAP for network access" settings table ("Phase2Authentication > InnerMethodConfig >
 *     EapHostConfig") and the LAN profile templates Windows registers for TEAP write it; the
 *     InnerMethodConfigParameters page names a bare baseEap:Eap instead;
 *   - DownloadTrustedServerRoot follows DisablePrompt in that sample and precedes it in the
 *     schema page: it is left out (its default, false, is what is wanted: no root is ever
 *     trusted because a server sent it), so the order written fits both.
 * The author id, 311 like EAP-TTLS's, is in no reference page: it is what Microsoft's sample and
 * the templates under EapHost\Methods\311\55 (EapTeapAuth.dll) write.
 */
import { XmlElement, element } from './xml-text';
import { NS, bool, text } from './microsoft-elements';

/** The inner methods Windows' TEAP offers: its own EAP-MSCHAPv2 (26) and EAP-TLS (13). */
export type WindowsTeapInnerMethod = 'mschapv2' | 'tls';
export const TEAP_INNER_METHODS: readonly WindowsTeapInnerMethod[] = ['mschapv2', 'tls'];

/** Why a TEAP option of this package has no place in Windows' TEAP profile (the TypeError's tail). */
export const TEAP_REFUSED: Readonly<Record<string, string>> = {
  teapMsChapV2KeyOrder: "Windows' TEAP orders an inner EAP-MSCHAPv2's keys itself (the Windows order, docs/teap.md) " +
    'and its profile has no setting for it',
  teapBasicPassword: "it configures an authenticator, and Windows' TEAP profile has no Basic-Password-Auth setting: " +
    'its inner methods are EAP-MSCHAPv2 and EAP-TLS',
  teapChaining: "it configures an authenticator; for Windows' own TEAP, EAP chaining is a second inner method: " +
    "give teapSecondaryInnerMethod ('mschapv2' | 'tls')",
};

export function checkTeapInnerMethod(value: unknown, name: string): WindowsTeapInnerMethod {
  if (typeof value === 'string' && (TEAP_INNER_METHODS as readonly string[]).includes(value)) return value as WindowsTeapInnerMethod;
  throw new TypeError(`${name} must be ${TEAP_INNER_METHODS.map((m) => `'${m}'`).join(' | ')} for Windows' own TEAP ` +
    '(the inner methods Windows offers in it; give other profiles as configXml)');
}

export interface TeapProfile {
  /** SHA-256 thumbprints of the trusted roots, as Microsoft writes them ("ab cd …"). */
  thumbprints: string[];
  /** ';'-joined server names, when any were given. */
  serverNames?: string;
  primary: WindowsTeapInnerMethod;
  secondary?: WindowsTeapInnerMethod;
  anonymousIdentity?: string;
  /** The inner method's whole EapHostConfig element (Windows' own EAP-MSCHAPv2 or EAP-TLS). */
  inner(method: WindowsTeapInnerMethod): XmlElement;
}

/**
 * The EapTeap element. Validation never prompts (DisablePrompt): a server that does not chain
 * to the given roots fails instead of asking a user who may not be there. IdentityPrivacy is
 * always written: its default (true) would replace the outer identity with an empty one or a
 * bare realm when no anonymous identity is given.
 */
export function teapConfig(profile: TeapProfile): XmlElement {
  const validation: XmlElement[] = [];
  if (profile.serverNames !== undefined) validation.push(text('ServerNames', profile.serverNames));
  for (const thumbprint of profile.thumbprints) validation.push(text('TrustedRootCAHash', thumbprint));
  validation.push(bool('DisablePrompt', true));
  const methods = profile.secondary === undefined ? [profile.primary] : [profile.primary, profile.secondary];
  const identity: XmlElement[] = [bool('IdentityPrivacy', profile.anonymousIdentity !== undefined)];
  if (profile.anonymousIdentity !== undefined) identity.push(text('AnonymousIdentity', profile.anonymousIdentity));
  return element('EapTeap', [
    element('ServerValidation', validation),
    element('Phase2Authentication', methods.map((method) => element('InnerMethodConfig', [profile.inner(method)]))),
    element('Phase1Identity', identity),
  ], [['xmlns', NS.teapConnection]]);
}
