/**
 * The profile as wpa_supplicant configuration (hostap's wpa_supplicant.conf: network blocks,
 * and blob-base64-NAME sections for the certificates, so the text stands alone). One network
 * block per network of the profile, with the profile's first EAP configuration. eapol_test reads
 * the same file, which is how the suite runs a written block against a RADIUS server.
 */
import { NetworkProfile, ProfileEap, ProfileError, ProfileNetwork, ProfileNote, checkNetworkProfile, isTlsBased } from './network-profile';
import { ProfileWriting } from './geant-eap-config';

/**
 * A string field: quoted when the bytes can stand between quotes as they are (the quoted form has
 * no escapes), else hex, which every string field also takes.
 */
function wpaString(value: string): string {
  return /^[^"\\\x00-\x1f\x7f]*$/.test(value) ? `"${value}"` : Buffer.from(value, 'utf8').toString('hex');
}

/** wpa_supplicant's EAP method names are the method table's names in capitals (MD5, GTC, MSCHAPV2, TLS, TTLS, PEAP, TEAP). */
const eapName = (method: string): string => method.toUpperCase();

function blob(name: string, data: Buffer): string[] {
  return [`blob-base64-${name}={`, ...(data.toString('base64').match(/.{1,64}/g) ?? []), '}'];
}

/** phase1: TLS 1.0 and 1.1 are always off (the methods here speak 1.2 and 1.3); the bounds turn the others off. */
function phase1(eap: ProfileEap): string {
  const parts: string[] = [];
  if (eap.method === 'peap') parts.push('peapver=0');
  parts.push('tls_disable_tlsv1_0=1', 'tls_disable_tlsv1_1=1');
  if (eap.tls?.min === '1.3') parts.push('tls_disable_tlsv1_2=1');
  parts.push(`tls_disable_tlsv1_3=${eap.tls?.max === '1.2' ? 1 : 0}`);
  return parts.join(' ');
}

function phase2(eap: ProfileEap): string | undefined {
  // PEAP's and TEAP's inner methods are EAP methods, named with auth= in hostap's phase2; with
  // TEAP chaining phase2 is the user's, the secondary (teapFields writes the machine's).
  if (eap.method === 'peap' || eap.method === 'teap') {
    return `auth=${eapName(eap.teapSecondaryInnerMethod ?? eap.innerMethod ?? 'mschapv2')}`;
  }
  if (eap.method !== 'ttls') return undefined;
  const phase = eap.phase2 ?? 'mschapv2';
  if (phase === 'eap') return `autheap=${eapName(eap.innerMethod ?? 'mschapv2')}`;
  return `auth=${{ pap: 'PAP', chap: 'CHAP', mschap: 'MSCHAP', mschapv2: 'MSCHAPV2' }[phase]}`;
}

/**
 * TEAP's fields beyond phase2. An inner EAP-TLS takes hostap's phase 2 certificate fields (ca_cert2,
 * domain_match2, private_key2: the PKCS#12); with a secondary inner method, the primary is the
 * machine credential hostap offers when the server asks for one (Identity-Type machine):
 * machine_identity, machine_phase2 and the machine_ certificate fields, or machine_password.
 */
function teapFields(eap: ProfileEap, identity: string | undefined, password: string | undefined, secrets: boolean,
  notes: ProfileNote[]): string[] {
  const primary = eap.innerMethod ?? 'mschapv2';
  const fields: string[] = [];
  const certificate = (prefix: string, suffix: string): string[] => [
    `${prefix}ca_cert${suffix}="blob://eaphost-ca"`,
    ...(eap.serverNames ? [`${prefix}domain_match${suffix}=${wpaString(eap.serverNames.join(';'))}`] : []),
    ...(eap.clientCertificate && secrets ? [`${prefix}private_key${suffix}="blob://eaphost-client"`,
      ...(eap.clientCertificate.passphrase !== undefined
        ? [`${prefix}private_key${suffix}_passwd=${wpaString(eap.clientCertificate.passphrase)}`] : [])] : []),
  ];
  if (eap.teapSecondaryInnerMethod === undefined) return primary === 'tls' ? certificate('', '2') : [];
  if (identity === undefined) {
    notes.push({ path: 'eap[0].teapSecondaryInnerMethod', message: 'no identity for machine_identity: hostap offers no machine credential' });
  } else {
    fields.push(`machine_identity=${wpaString(identity)}`, `machine_phase2=${wpaString(`auth=${eapName(primary)}`)}`);
    if (primary === 'tls') fields.push(...certificate('machine_', ''));
    else if (secrets && password !== undefined) fields.push(`machine_password=${wpaString(password)}`);
  }
  if (eap.teapSecondaryInnerMethod === 'tls') fields.push(...certificate('', '2'));
  return fields;
}

function keyManagement(network: ProfileNetwork): string[] {
  if (network.type === 'wired') return ['key_mgmt=IEEE8021X', 'eapol_flags=0'];
  const lines = [`ssid=${wpaString(network.ssid)}`, 'proto=RSN', 'pairwise=CCMP', 'group=CCMP'];
  // WPA3-Enterprise: the SHA-256 AKM with protected management frames required.
  return network.security === 'wpa3-enterprise'
    ? [...lines, 'key_mgmt=WPA-EAP-SHA256', 'ieee80211w=2'] : [...lines, 'key_mgmt=WPA-EAP', 'ieee80211w=1'];
}

/**
 * The configuration text: blobs first, then a network block per network. The password, the
 * PKCS#12 and its passphrase are written only with `secrets` (without them wpa_supplicant asks
 * its control interface for the password).
 */
export function writeWpaSupplicant(input: NetworkProfile, { secrets = false }: { secrets?: boolean } = {}): ProfileWriting {
  const profile = checkNetworkProfile(input);
  const notes: ProfileNote[] = [];
  const eap = profile.eap[0];
  profile.eap.slice(1).forEach((_, i) => notes.push({ path: `eap[${i + 1}]`, message: 'a network block holds one EAP configuration: only eap[0] is written' }));
  const identity = profile.credentials?.identity;
  if (identity === undefined) notes.push({ path: 'credentials.identity', message: 'no identity: wpa_supplicant will ask for it' });
  const tlsBased = isTlsBased(eap.method);
  if (tlsBased && !eap.ca) throw new ProfileError('invalid-profile', 'eap[0].ca', 'a TLS-based method needs a trusted CA');
  const blobs: string[] = [];
  const fields: string[] = [`eap=${eapName(eap.method)}`];
  if (identity !== undefined) fields.push(`identity=${wpaString(identity)}`);
  if (eap.anonymousIdentity !== undefined) fields.push(`anonymous_identity=${wpaString(eap.anonymousIdentity)}`);
  if (eap.method !== 'tls' && secrets && profile.credentials?.password !== undefined) {
    fields.push(`password=${wpaString(profile.credentials.password)}`);
  }
  if (eap.ca) {
    // One blob of PEM text: wpa_supplicant reads every certificate of a PEM blob as trusted.
    blobs.push(...blob('eaphost-ca', Buffer.from(eap.ca.join(''), 'latin1')));
    fields.push('ca_cert="blob://eaphost-ca"');
  }
  if (eap.serverNames) fields.push(`domain_match=${wpaString(eap.serverNames.join(';'))}`);
  if (tlsBased) fields.push(`phase1=${wpaString(phase1(eap))}`);
  const second = phase2(eap);
  if (second !== undefined) fields.push(`phase2=${wpaString(second)}`);
  // hostap's TEAP peer refuses to start without a PAC store; a blob that does not exist is an empty
  // one, so nothing is read from or written to a path the profile cannot know.
  if (eap.method === 'teap') {
    fields.push('pac_file="blob://eaphost-teap-pac"', ...teapFields(eap, identity, profile.credentials?.password, secrets, notes));
  }
  if (eap.clientCertificate) {
    if (secrets) {
      blobs.push(...blob('eaphost-client', Buffer.from(eap.clientCertificate.pkcs12, 'base64')));
      // EAP-TLS's own fields; TEAP's inner EAP-TLS has its fields above.
      if (eap.method === 'tls') fields.push('private_key="blob://eaphost-client"');
      if (eap.method === 'tls' && eap.clientCertificate.passphrase !== undefined) {
        fields.push(`private_key_passwd=${wpaString(eap.clientCertificate.passphrase)}`);
      }
    } else {
      notes.push({ path: 'eap[0].clientCertificate', message: 'the PKCS#12 holds a private key: written only with secrets' });
    }
  }
  const lines = [...blobs, ...(blobs.length ? [''] : [])];
  for (const network of profile.networks) {
    lines.push('network={', ...[...keyManagement(network), ...fields].map((line) => `\t${line}`), '}');
  }
  return { text: lines.join('\n') + '\n', notes };
}
