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

/**
 * The SSID. NetworkManager's keyfile reader takes a value of only digits and semicolons as a list
 * of decimal bytes ("69;" is the one-byte SSID "E") and turns `\;` back into `;`, so a string form
 * is written only where it cannot be read another way: printable ASCII with no `;` or backslash and not
 * all digits. Anything else is written as the byte list, which NM reads as exactly those bytes.
 */
function ssidValue(ssid: string): string {
  if (/^[\x20-\x7e]+$/.test(ssid) && !/[;\\]/.test(ssid) && !/^[0-9]+$/.test(ssid)) return value(ssid, '');
  return [...Buffer.from(ssid, 'utf8')].map((byte) => `${byte};`).join('');
}

/** The longest file name part taken from a connection's id, in bytes: the name, the UUID and
 *  writeFileReplacing's temporary decoration then stay well inside NAME_MAX (255). */
const FILE_ID_BYTES = 128;

/**
 * A file name the keyfile plugin reads: the id with path separators, control characters and a
 * leading dot (a hidden file, which NM skips) replaced, cut to FILE_ID_BYTES on a character
 * boundary, then the connection's UUID, so two networks never share a file whatever their ids.
 */
function fileName(id: string, uuid: string): string {
  // eslint-disable-next-line no-control-regex
  let safe = id.replace(/[/\\\x00-\x1f\x7f]/g, '_').replace(/^\./, '_');
  while (Buffer.byteLength(safe) > FILE_ID_BYTES) safe = [...safe].slice(0, -1).join('');
  return `${safe}-${uuid}.nmconnection`;
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

/**
 * One setting's value with the type NetworkManager gives it: the keyfile writes each type its own
 * way, D-Bus (connect) sends it as the matching signature.
 */
export type NmValue =
  /** D-Bus 's'. `path`: the profile's field, named when the keyfile cannot carry the text. */
  | { kind: 'string'; value: string; path?: string }
  /** D-Bus 'as'; the keyfile's `a;b;` list. */
  | { kind: 'list'; value: string[] }
  /** D-Bus 'i' / 'u'. */
  | { kind: 'int' | 'uint'; value: number }
  /** D-Bus 'ay'; the keyfile writes an SSID as ssidValue does, any other blob as a data: URL. */
  | { kind: 'ssid' | 'blob'; value: Buffer };

/** One connection's settings by their D-Bus setting names ('802-1x', '802-3-ethernet', …), in order. */
export interface NmConnectionSettings {
  id: string;
  uuid: string;
  type: 'wifi' | 'ethernet';
  settings: [setting: string, entries: [key: string, value: NmValue][]][];
}

const text = (value: string, path?: string): NmValue => ({ kind: 'string', value, path });

function eapSettings(profile: NetworkProfile, eap: ProfileEap, secrets: boolean): [string, NmValue][] {
  // NetworkManager's EAP names are the method table's names.
  const entries: [string, NmValue][] = [['eap', { kind: 'list', value: [eap.method] }]];
  const identity = profile.credentials?.identity;
  if (identity !== undefined) entries.push(['identity', text(identity, 'credentials.identity')]);
  if (eap.anonymousIdentity !== undefined) entries.push(['anonymous-identity', text(eap.anonymousIdentity, 'eap[0].anonymousIdentity')]);
  if (eap.ca) {
    // One blob: NM reads a PEM blob with several certificates as the trusted set.
    entries.push(['ca-cert', { kind: 'blob', value: Buffer.from(eap.ca.join(''), 'latin1') }]);
  }
  // NM hands domain-match to wpa_supplicant's domain_match as it is: one list separated by ';'
  // (nm-settings-nmcli(5)); the model refuses a ';' inside a name.
  if (eap.serverNames) entries.push(['domain-match', text(eap.serverNames.join(';'), 'eap[0].serverNames')]);
  if (eap.method === 'peap') entries.push(['phase1-peapver', text('0')], ['phase2-auth', text(eap.innerMethod ?? 'mschapv2')]);
  if (eap.method === 'ttls') {
    const phase2 = eap.phase2 ?? 'mschapv2';
    entries.push(phase2 === 'eap' ? ['phase2-autheap', text(eap.innerMethod ?? 'mschapv2')] : ['phase2-auth', text(phase2)]);
  }
  if (isTlsBased(eap.method)) {
    let flags: number = AUTH_FLAGS.tls10Disable | AUTH_FLAGS.tls11Disable;
    if (eap.tls?.min === '1.3') flags |= AUTH_FLAGS.tls12Disable;
    if (eap.tls?.max === '1.2') flags |= AUTH_FLAGS.tls13Disable;
    entries.push(['phase1-auth-flags', { kind: 'uint', value: flags }]);
  }
  if (eap.method !== 'tls') {
    if (secrets && profile.credentials?.password !== undefined) {
      entries.push(['password', text(profile.credentials.password, 'credentials.password')]);
    } else {
      entries.push(['password-flags', { kind: 'uint', value: AGENT_OWNED }]);
    }
  }
  if (eap.clientCertificate && secrets) {
    // A PKCS#12 is given as both client-cert and private-key (nm-settings-nmcli(5)).
    const p12: NmValue = { kind: 'blob', value: Buffer.from(eap.clientCertificate.pkcs12, 'base64') };
    entries.push(['client-cert', p12], ['private-key', p12]);
    if (eap.clientCertificate.passphrase !== undefined) {
      entries.push(['private-key-password', text(eap.clientCertificate.passphrase, 'eap[0].clientCertificate.passphrase')]);
    }
  }
  return entries;
}

/** The keyfile's short names for settings (nm-settings-keyfile(5)), in sections and connection.type. */
const KEYFILE_ALIASES: Record<string, string> = {
  '802-3-ethernet': 'ethernet', '802-11-wireless': 'wifi', '802-11-wireless-security': 'wifi-security',
};

function keyfileValue(setting: string, key: string, entry: NmValue): string {
  switch (entry.kind) {
    case 'string': return setting === 'connection' && key === 'type' ? (KEYFILE_ALIASES[entry.value] ?? entry.value) : value(entry.value, entry.path ?? '');
    case 'list': return entry.value.map((item) => `${item};`).join('');
    case 'int': case 'uint': return String(entry.value);
    case 'ssid': return ssidValue(entry.value.toString('utf8'));
    case 'blob': return dataUrl(entry.value);
  }
}

/** One connection's keyfile text. */
export function keyfileText(connection: NmConnectionSettings): string {
  const lines: string[] = [];
  for (const [setting, entries] of connection.settings) {
    lines.push(`[${KEYFILE_ALIASES[setting] ?? setting}]`, ...entries.map(([key, entry]) => `${key}=${keyfileValue(setting, key, entry)}`), '');
  }
  return lines.join('\n');
}

/** The profile's connections as NetworkManager settings: one per network, with the profile's first
 *  EAP configuration. The keyfile writer and connect (over D-Bus) both read these. */
export function networkManagerConnections(input: NetworkProfile, { secrets = false }: { secrets?: boolean } = {}):
  { connections: NmConnectionSettings[]; notes: ProfileNote[] } {
  const profile = checkNetworkProfile(input);
  const notes: ProfileNote[] = [];
  const eap = profile.eap[0];
  profile.eap.slice(1).forEach((_, i) => notes.push({ path: `eap[${i + 1}]`, message: 'a connection holds one EAP configuration: only eap[0] is written' }));
  // NetworkManager 1.42 (Debian 12) knows no TEAP: nmcli refuses eap=teap as an invalid property.
  if (eap.method === 'teap') throw new ProfileError('unsupported', 'eap[0].method', 'NetworkManager has no TEAP');
  // NM's outer methods (802-1x.eap) have no bare EAP-GTC or EAP-MSCHAPv2: libnm's verify refuses the
  // whole connection ("802-1x.eap: property is invalid"), so the keyfile would never load.
  if (eap.method === 'gtc' || eap.method === 'mschapv2') {
    throw new ProfileError('unsupported', 'eap[0].method', `NetworkManager has no outer EAP-${eap.method.toUpperCase()} (only inside PEAP or EAP-TTLS)`);
  }
  // libnm's verify refuses PEAP, EAP-TTLS and EAP-MD5 without 802-1x.identity (an anonymous identity
  // is not enough), and NM does not ask the secret agent for one: the keyfile would never load.
  if (eap.method !== 'tls' && profile.credentials?.identity === undefined) {
    throw new ProfileError('invalid-profile', 'credentials.identity', `NetworkManager's ${eap.method.toUpperCase()} needs the identity in the keyfile`);
  }
  // EAP-TLS without its client certificate in the file fails libnm's verify ("802-1x.client-cert:
  // property is missing"): the PKCS#12 is a secret, so such a keyfile exists only with secrets.
  if (eap.method === 'tls' && !eap.clientCertificate) {
    throw new ProfileError('invalid-profile', 'eap[0].clientCertificate', 'NetworkManager\'s EAP-TLS needs the client certificate');
  }
  if (eap.method === 'tls' && !secrets) {
    throw new ProfileError('unsupported', 'eap[0].clientCertificate',
      'NetworkManager reads the PKCS#12 (a private key) from the keyfile itself: write it with secrets');
  }
  if (isTlsBased(eap.method) && !eap.ca) {
    throw new ProfileError('invalid-profile', 'eap[0].ca', 'a TLS-based method needs a trusted CA');
  }
  const connections: NmConnectionSettings[] = [];
  const seen = new Map<string, number>();
  profile.networks.forEach((network, index) => {
    const id = network.type === 'wifi' ? network.ssid : `${profile.name ?? profile.provider ?? 'eaphost'} wired`;
    const uuid = uuidOf(profile, network);
    // The same network twice is one connection (the UUID comes from the network): one file.
    const first = seen.get(uuid);
    if (first !== undefined) {
      notes.push({ path: `networks[${index}]`, message: `the same network as networks[${first}]: one connection` });
      return;
    }
    seen.set(uuid, index);
    const settings: NmConnectionSettings['settings'] = [['connection', [['id', text(id, network.type === 'wifi' ? `networks[${index}].ssid` : 'name')],
      ['uuid', text(uuid)], ['type', text(network.type === 'wifi' ? '802-11-wireless' : '802-3-ethernet')]]]];
    if (network.type === 'wifi') {
      settings.push(['802-11-wireless', [['mode', text('infrastructure')], ['ssid', { kind: 'ssid', value: Buffer.from(network.ssid, 'utf8') }]]],
        ['802-11-wireless-security', [['key-mgmt', text('wpa-eap')], ['proto', { kind: 'list', value: ['rsn'] }],
          ['pairwise', { kind: 'list', value: ['ccmp'] }], ['group', { kind: 'list', value: ['ccmp'] }],
          // WPA3-Enterprise requires protected management frames (pmf 3 = required); WPA2 leaves it optional (2).
          ['pmf', { kind: 'int', value: network.security === 'wpa3-enterprise' ? 3 : 2 }]]]);
    } else {
      settings.push(['802-3-ethernet', []]);
    }
    settings.push(['802-1x', eapSettings(profile, eap, secrets)], ['ipv4', [['method', text('auto')]]], ['ipv6', [['method', text('auto')]]]);
    connections.push({ id, uuid, type: network.type === 'wifi' ? 'wifi' : 'ethernet', settings });
  });
  return { connections, notes };
}

/** One keyfile per network of the profile. */
export function writeNetworkManager(input: NetworkProfile, { secrets = false }: { secrets?: boolean } = {}): NetworkManagerWriting {
  const { connections, notes } = networkManagerConnections(input, { secrets });
  return { files: connections.map((connection) => ({ name: fileName(connection.id, connection.uuid), text: keyfileText(connection) })), notes };
}
