/**
 * The profile as NetworkManager keyfiles (nm-settings-keyfile(5)): one connection per network,
 * [connection] + [wifi]/[wifi-security] or [ethernet], then [802-1x] with the profile's first EAP
 * configuration. Certificates travel inside the file as data:;base64, blobs, so the file stands
 * alone. Without secrets the password is marked agent-owned (the desktop's secret agent asks).
 */
import { createHash } from 'crypto';
import { NetworkProfile, ProfileEap, ProfileError, ProfileNetwork, ProfileNote, checkNetworkProfile, isTlsBased } from './network-profile';

export interface KeyfileDocument {
  /** The file name NetworkManager's keyfile plugin would give it. */
  name: string;
  text: string;
}

export interface NetworkManagerWriting {
  files: KeyfileDocument[];
  notes: ProfileNote[];
}

/** NM's 802-1x.phase1-auth-flags bits (libnm NMSetting8021xAuthFlags): turn TLS versions off. */
const AUTH_FLAGS = { tls10Disable: 0x1, tls11Disable: 0x2, tls12Disable: 0x4, tls13Disable: 0x10 } as const;
/** NMSettingSecretFlags: 0 stored in the file, 1 kept by the user's secret agent. */
const AGENT_OWNED = 1;

/** A keyfile value: the format escapes backslash, and a leading/trailing space, tab, CR and LF as
 *  \s \t \r \n. Other control characters it cannot carry: the error names the profile's field. */
function value(text: string, path: string): string {
  const control = /[\x00-\x08\x0b\x0c\x0e-\x1f]/.exec(text);
  if (control) {
    throw new ProfileError('invalid-profile', path, `holds the control character U+${control[0].charCodeAt(0).toString(16)
      .toUpperCase().padStart(4, '0')} at index ${control.index}, which a NetworkManager keyfile cannot carry`);
  }
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    .replace(/^ /, '\\s').replace(/ $/, '\\s');
}

function dataUrl(der: Buffer): string {
  return `data:;base64,${der.toString('base64')}`;
}


/** A UUID derived from the profile and network, so the same profile gives the same connection (and NM replaces, not duplicates, it). */
function uuidOf(profile: NetworkProfile, network: ProfileNetwork): string {
  const hash = createHash('sha256').update(JSON.stringify([profile.provider, profile.name, network])).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function eapSection(profile: NetworkProfile, eap: ProfileEap, secrets: boolean, notes: ProfileNote[]): string[] {
  const lines = ['[802-1x]',
    // NetworkManager's EAP names are the method table's names.
    `eap=${eap.method};`];
  const identity = profile.credentials?.identity;
  if (identity !== undefined) lines.push(`identity=${value(identity, 'credentials.identity')}`);
  if (eap.anonymousIdentity !== undefined) lines.push(`anonymous-identity=${value(eap.anonymousIdentity, 'eap[0].anonymousIdentity')}`);
  if (eap.ca) {
    // One blob: NM reads a PEM blob with several certificates as the trusted set.
    lines.push(`ca-cert=${dataUrl(Buffer.from(eap.ca.join(''), 'latin1'))}`);
  }
  if (eap.serverNames) lines.push(`domain-match=${value(eap.serverNames.join(','), 'eap[0].serverNames')}`);
  if (eap.method === 'peap') lines.push('phase1-peapver=0', `phase2-auth=${eap.innerMethod ?? 'mschapv2'}`);
  if (eap.method === 'ttls') {
    const phase2 = eap.phase2 ?? 'mschapv2';
    lines.push(phase2 === 'eap' ? `phase2-autheap=${eap.innerMethod ?? 'mschapv2'}` : `phase2-auth=${phase2}`);
  }
  if (isTlsBased(eap.method)) {
    let flags: number = AUTH_FLAGS.tls10Disable | AUTH_FLAGS.tls11Disable;
    if (eap.tls?.min === '1.3') flags |= AUTH_FLAGS.tls12Disable;
    if (eap.tls?.max === '1.2') flags |= AUTH_FLAGS.tls13Disable;
    lines.push(`phase1-auth-flags=${flags}`);
  }
  if (eap.method !== 'tls') {
    if (secrets && profile.credentials?.password !== undefined) {
      lines.push(`password=${value(profile.credentials.password, 'credentials.password')}`);
    } else {
      lines.push(`password-flags=${AGENT_OWNED}`);
    }
  }
  if (eap.clientCertificate) {
    if (secrets) {
      // A PKCS#12 is given as both client-cert and private-key (nm-settings-nmcli(5)).
      const p12 = dataUrl(Buffer.from(eap.clientCertificate.pkcs12, 'base64'));
      lines.push(`client-cert=${p12}`, `private-key=${p12}`);
      if (eap.clientCertificate.passphrase !== undefined) lines.push(`private-key-password=${value(eap.clientCertificate.passphrase, 'eap[0].clientCertificate.passphrase')}`);
    } else {
      notes.push({ path: 'eap[0].clientCertificate', message: 'the PKCS#12 holds a private key: written only with secrets' });
    }
  }
  return lines;
}

/** One keyfile per network of the profile. */
export function writeNetworkManager(input: NetworkProfile, { secrets = false }: { secrets?: boolean } = {}): NetworkManagerWriting {
  const profile = checkNetworkProfile(input);
  const notes: ProfileNote[] = [];
  const eap = profile.eap[0];
  profile.eap.slice(1).forEach((_, i) => notes.push({ path: `eap[${i + 1}]`, message: 'a connection holds one EAP configuration: only eap[0] is written' }));
  // NetworkManager 1.42 (Debian 12) knows no TEAP: nmcli refuses eap=teap as an invalid property.
  if (eap.method === 'teap') throw new ProfileError('unsupported', 'eap[0].method', 'NetworkManager has no TEAP');
  if (isTlsBased(eap.method) && !eap.ca) {
    throw new ProfileError('invalid-profile', 'eap[0].ca', 'a TLS-based method needs a trusted CA');
  }
  const files = profile.networks.map((network, index) => {
    const id = network.type === 'wifi' ? network.ssid : `${profile.name ?? profile.provider ?? 'eaphost'} wired`;
    const lines = ['[connection]', `id=${value(id, network.type === 'wifi' ? `networks[${index}].ssid` : 'name')}`, `uuid=${uuidOf(profile, network)}`,
      `type=${network.type === 'wifi' ? 'wifi' : 'ethernet'}`, ''];
    if (network.type === 'wifi') {
      lines.push('[wifi]', 'mode=infrastructure', `ssid=${value(network.ssid, `networks[${index}].ssid`)}`, '', '[wifi-security]', 'key-mgmt=wpa-eap',
        'proto=rsn;', 'pairwise=ccmp;', 'group=ccmp;',
        // WPA3-Enterprise requires protected management frames (pmf 3 = required); WPA2 leaves it optional (2).
        `pmf=${network.security === 'wpa3-enterprise' ? 3 : 2}`, '');
    } else {
      lines.push('[ethernet]', '');
    }
    lines.push(...eapSection(profile, eap, secrets, notes), '', '[ipv4]', 'method=auto', '', '[ipv6]', 'method=auto', '');
    return { name: `${id.replace(/[/\\\x00]/g, '_')}.nmconnection`, text: lines.join('\n') };
  });
  return { files, notes };
}
