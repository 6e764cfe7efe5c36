/**
 * The profile as Windows' WLAN and LAN profiles ([MS-GPWL]; the WLAN_profile and LAN_profile
 * schemas of Native Wifi): WLANProfile → MSM → security → authEncryption + OneX → EAPConfig, and
 * LANProfile → MSM → security → OneXEnforced, OneXEnabled, OneX. EAPConfig holds the EapHostConfig
 * document microsoft-config.ts writes for Windows' own PEAP, EAP-TLS, EAP-TTLS and EAP-MSCHAPv2;
 * EAP-MD5 and EAP-GTC, which Windows lacks, are this package's methods (shipped-config.ts).
 * Element order is the schemas' sequence order (Windows refuses profiles out of order).
 */
import { METHOD_TABLE } from '../core/method-table';
import { isWindowsMethodName, microsoftConfigXml, MicrosoftConfigOptions } from './microsoft-config';
import { shippedConfigXml } from './shipped-config';
import { NetworkProfile, ProfileEap, ProfileError, ProfileNote, checkNetworkProfile } from './network-profile';
import { XmlElement, element, xmlDocument } from './xml-text';

const WLAN_NS = 'http://www.microsoft.com/networking/WLAN/profile/v1';
const LAN_NS = 'http://www.microsoft.com/networking/LAN/profile/v1';
const ONEX_NS = 'http://www.microsoft.com/networking/OneX/v1';

export interface WindowsProfileDocument {
  /** The profile's name (WLANProfile/name: the SSID), or 'wired' for the LAN profile. */
  name: string;
  text: string;
}

export interface WindowsProfileWriting {
  documents: WindowsProfileDocument[];
  notes: ProfileNote[];
}

/** The EapHostConfig document for `eap` (trust is not optional: a TLS method needs its CA). */
export function windowsEapHostConfig(eap: ProfileEap, path: string, notes: ProfileNote[]): string {
  if (eap.tls) notes.push({ path: `${path}.tls`, message: "Windows' own methods take the TLS versions from the system: not written" });
  const method = eap.method;
  if (!isWindowsMethodName(method)) {
    notes.push({ path: `${path}.method`, message: `Windows has no ${method}: the profile names this package's method, which must be registered` });
    if (METHOD_TABLE.some((row) => row.name === method && row.tls)) {
      throw new ProfileError('unsupported', `${path}.method`, `this package's ${method} is not built for Windows`);
    }
    return shippedConfigXml(method, {});
  }
  const options: MicrosoftConfigOptions = {};
  if (eap.ca) options.ca = eap.ca.join('');
  if (eap.serverNames) options.serverName = eap.serverNames;
  if (eap.method === 'peap') {
    if ((eap.innerMethod ?? 'mschapv2') !== 'mschapv2') {
      throw new ProfileError('unsupported', `${path}.innerMethod`, "Windows' own PEAP profile carries EAP-MSCHAPv2 only");
    }
    options.innerMethod = 'mschapv2';
  }
  if (eap.method === 'teap') {
    // Windows' TEAP runs its own EAP-MSCHAPv2 or EAP-TLS inside (the certificate from the store,
    // noted below), the secondary one after the primary.
    for (const field of ['innerMethod', 'teapSecondaryInnerMethod'] as const) {
      const inner = eap[field] ?? (field === 'innerMethod' ? 'mschapv2' : undefined);
      if (inner === undefined) continue;
      if (inner !== 'mschapv2' && inner !== 'tls') {
        throw new ProfileError('unsupported', `${path}.${field}`, "Windows' own TEAP carries EAP-MSCHAPv2 or EAP-TLS only");
      }
      options[field] = inner;
    }
  }
  if (eap.method === 'ttls') {
    if (eap.phase2 === 'eap') throw new ProfileError('unsupported', `${path}.phase2`, "an inner EAP method under Windows' own EAP-TTLS is not written");
    options.phase2 = eap.phase2 ?? 'mschapv2';
  }
  if (eap.anonymousIdentity !== undefined) {
    if (eap.method === 'tls') notes.push({ path: `${path}.anonymousIdentity`, message: "Windows' EAP-TLS has no outer identity: not written" });
    else options.anonymousIdentity = eap.anonymousIdentity;
  }
  if (eap.clientCertificate) {
    notes.push({ path: `${path}.clientCertificate`, message: "Windows' EAP-TLS takes the certificate from the user's store: install the PKCS#12 there" });
  }
  if (eap.method !== 'mschapv2' && !eap.ca) {
    throw new ProfileError('invalid-profile', `${path}.ca`, "Windows' own TLS methods need the trusted root CA");
  }
  try {
    return microsoftConfigXml(method, options);
  } catch (error) {
    throw new ProfileError('unsupported', path, (error as Error).message);
  }
}

/** A document's root element as text, indented to sit at `depth` inside another document. */
function embedded(document: string, depth: number): string {
  const pad = '  '.repeat(depth);
  return document.replace(/^<\?xml[^>]*\?>\n/, '').trimEnd().split('\n').map((line) => pad + line).join('\n');
}

/** Writes `root`, with `marker` (an empty element) replaced by the EapHostConfig document. */
function withEapConfig(root: XmlElement, config: string): string {
  const text = xmlDocument(root);
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.trim() === '<EAPConfig/>');
  const depth = (lines[at].length - lines[at].trimStart().length) / 2;
  const pad = '  '.repeat(depth);
  lines.splice(at, 1, `${pad}<EAPConfig>`, embedded(config, depth + 1), `${pad}</EAPConfig>`);
  return lines.join('\n');
}

function oneX(): XmlElement {
  // authMode user: the credentials are the user's (WlanSetProfileEapXmlUserData stores them).
  return element('OneX', [element('authMode', 'user'), element('EAPConfig', [])], [['xmlns', ONEX_NS]]);
}

function ssidHex(ssid: string): string {
  return Buffer.from(ssid, 'utf8').toString('hex').toUpperCase();
}

/** A WLANProfile per Wi-Fi network and a LANProfile for the wired one, with the profile's first EAP configuration. */
export function writeWindowsProfiles(input: NetworkProfile): WindowsProfileWriting {
  const profile = checkNetworkProfile(input);
  const notes: ProfileNote[] = [];
  profile.eap.slice(1).forEach((_, i) => notes.push({ path: `eap[${i + 1}]`, message: 'a Windows profile holds one EAP configuration: only eap[0] is written' }));
  const config = windowsEapHostConfig(profile.eap[0], 'eap[0]', notes);
  const documents = profile.networks.map((network): WindowsProfileDocument => {
    if (network.type === 'wired') {
      return {
        name: 'wired',
        text: withEapConfig(element('LANProfile', [
          element('MSM', [element('security', [element('OneXEnforced', 'false'), element('OneXEnabled', 'true'), oneX()])]),
        ], [['xmlns', LAN_NS]]), config),
      };
    }
    return {
      name: network.ssid,
      text: withEapConfig(element('WLANProfile', [
        element('name', network.ssid),
        element('SSIDConfig', [element('SSID', [element('hex', ssidHex(network.ssid)), element('name', network.ssid)])]),
        element('connectionType', 'ESS'),
        element('connectionMode', 'auto'),
        element('MSM', [element('security', [
          element('authEncryption', [
            element('authentication', network.security === 'wpa3-enterprise' ? 'WPA3ENT' : 'WPA2'),
            element('encryption', 'AES'),
            element('useOneX', 'true'),
          ]),
          oneX(),
        ])]),
      ], [['xmlns', WLAN_NS]]), config),
    };
  });
  return { documents, notes };
}
