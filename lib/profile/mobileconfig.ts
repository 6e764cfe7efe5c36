/**
 * The profile as an Apple configuration profile (.mobileconfig: an XML property list) with the
 * payload keys Apple publishes (apple/device-management): a com.apple.security.root payload per CA,
 * a com.apple.security.pkcs12 payload for the EAP-TLS identity, and a com.apple.wifi.managed payload
 * per SSID or a com.apple.firstactiveethernet.managed one for the wired port, each with an
 * EAPClientConfiguration that anchors trust to the CA payloads by UUID. UUIDs are derived from the
 * profile, so writing the same profile twice gives the same document (a reinstall replaces it).
 */
import { createHash } from 'crypto';
import { METHOD_TABLE } from '../core/method-table';
import { NetworkProfile, ProfileError, ProfileNote, caDer, checkNetworkProfile, xmlSecret } from './network-profile';
import { ProfileWriting } from './geant-eap-config';
import { xmlText } from './xml-text';

type Plist = string | number | boolean | Buffer | Plist[] | { [key: string]: Plist };

function plistLines(value: Plist, depth: number, lines: string[]): void {
  const pad = '\t'.repeat(depth);
  if (typeof value === 'string') lines.push(`${pad}<string>${xmlText(value, 'string')}</string>`);
  else if (typeof value === 'number') lines.push(`${pad}<integer>${value}</integer>`);
  else if (typeof value === 'boolean') lines.push(`${pad}<${value}/>`);
  else if (Buffer.isBuffer(value)) lines.push(`${pad}<data>${value.toString('base64')}</data>`);
  else if (Array.isArray(value)) {
    lines.push(`${pad}<array>`);
    for (const item of value) plistLines(item, depth + 1, lines);
    lines.push(`${pad}</array>`);
  } else {
    lines.push(`${pad}<dict>`);
    for (const [key, item] of Object.entries(value)) {
      lines.push(`${pad}\t<key>${xmlText(key, 'key')}</key>`);
      plistLines(item, depth + 1, lines);
    }
    lines.push(`${pad}</dict>`);
  }
}

/** The EAP types Apple's AcceptEAPTypes takes (TLS, LEAP, EAP-SIM, TTLS, EAP-AKA, PEAP, EAP-FAST). */
const APPLE_ACCEPTED_TYPES: readonly number[] = [13, 17, 18, 21, 23, 25, 43];
const APPLE_EAP_TYPES = new Map<string, number>(METHOD_TABLE.filter((m) => APPLE_ACCEPTED_TYPES.includes(m.type)).map((m) => [m.name, m.type]));
const TTLS_INNER = { pap: 'PAP', chap: 'CHAP', mschap: 'MSCHAP', mschapv2: 'MSCHAPv2', eap: 'EAP' } as const;

export function writeMobileconfig(input: NetworkProfile, { secrets = false }: { secrets?: boolean } = {}): ProfileWriting {
  const profile = checkNetworkProfile(input);
  const notes: ProfileNote[] = [];
  const eap = profile.eap[0];
  profile.eap.slice(1).forEach((_, i) => notes.push({ path: `eap[${i + 1}]`, message: 'an EAPClientConfiguration holds one method: only eap[0] is written' }));
  const type = APPLE_EAP_TYPES.get(eap.method);
  if (type === undefined) throw new ProfileError('unsupported', 'eap[0].method', `Apple's AcceptEAPTypes has no ${eap.method}`);
  const seed = createHash('sha256').update(JSON.stringify(profile)).digest('hex');
  const identifier = `org.eaphost.profile.${(profile.provider ?? profile.name ?? 'network').replace(/[^A-Za-z0-9.-]/g, '-')}`;
  const uuid = (label: string): string => {
    const hash = createHash('sha256').update(`${seed}/${label}`).digest();
    hash[6] = (hash[6] & 0x0f) | 0x50;
    hash[8] = (hash[8] & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex').toUpperCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  };
  const payloads: { [key: string]: Plist }[] = [];
  const anchors = caDer(eap).map((der, i) => {
    const id = uuid(`ca${i}`);
    payloads.push({
      PayloadType: 'com.apple.security.root', PayloadVersion: 1, PayloadIdentifier: `${identifier}.ca${i}`, PayloadUUID: id,
      PayloadDisplayName: `CA ${i + 1}`, PayloadContent: der,
    });
    return id;
  });
  let identity: string | undefined;
  if (eap.clientCertificate) {
    if (secrets) {
      identity = uuid('pkcs12');
      payloads.push({
        PayloadType: 'com.apple.security.pkcs12', PayloadVersion: 1, PayloadIdentifier: `${identifier}.identity`, PayloadUUID: identity,
        PayloadDisplayName: 'Client certificate', PayloadContent: Buffer.from(eap.clientCertificate.pkcs12, 'base64'),
        ...(eap.clientCertificate.passphrase !== undefined
          ? { Password: xmlSecret(eap.clientCertificate.passphrase, 'eap[0].clientCertificate.passphrase') } : {}),
      });
    } else {
      notes.push({ path: 'eap[0].clientCertificate', message: 'the PKCS#12 holds a private key: written only with secrets' });
    }
  }
  const client: { [key: string]: Plist } = { AcceptEAPTypes: [type] };
  if (profile.credentials?.identity !== undefined) client.UserName = profile.credentials.identity;
  if (secrets && eap.method !== 'tls' && profile.credentials?.password !== undefined) client.UserPassword = xmlSecret(profile.credentials.password, 'credentials.password');
  if (eap.anonymousIdentity !== undefined) client.OuterIdentity = eap.anonymousIdentity;
  if (eap.method === 'ttls') {
    client.TTLSInnerAuthentication = TTLS_INNER[eap.phase2 ?? 'mschapv2'];
    if (eap.phase2 === 'eap' && eap.innerMethod !== undefined) {
      notes.push({ path: 'eap[0].innerMethod', message: 'Apple chooses the inner EAP method of EAP-TTLS itself: not written' });
    }
  }
  if (eap.method === 'peap' && (eap.innerMethod ?? 'mschapv2') !== 'mschapv2') {
    notes.push({ path: 'eap[0].innerMethod', message: 'Apple chooses the inner method of PEAP itself: not written' });
  }
  if (eap.serverNames) client.TLSTrustedServerNames = eap.serverNames;
  if (anchors.length > 0) client.PayloadCertificateAnchorUUID = anchors;
  if (eap.tls?.min) client.TLSMinimumVersion = eap.tls.min;
  if (eap.tls?.max) client.TLSMaximumVersion = eap.tls.max;
  profile.networks.forEach((network, i) => {
    const common = {
      PayloadVersion: 1, PayloadIdentifier: `${identifier}.network${i}`, PayloadUUID: uuid(`network${i}`),
      EAPClientConfiguration: client, ...(identity ? { PayloadCertificateUUID: identity } : {}),
    };
    if (network.type === 'wired') {
      payloads.push({ PayloadType: 'com.apple.firstactiveethernet.managed', PayloadDisplayName: 'Wired 802.1X', ...common });
    } else {
      payloads.push({
        PayloadType: 'com.apple.wifi.managed', PayloadDisplayName: network.ssid, ...common, SSID_STR: network.ssid,
        HIDDEN_NETWORK: false, AutoJoin: true, EncryptionType: network.security === 'wpa3-enterprise' ? 'WPA3' : 'WPA2',
      });
    }
  });
  const root: Plist = {
    PayloadType: 'Configuration', PayloadVersion: 1, PayloadIdentifier: identifier, PayloadUUID: uuid('profile'),
    PayloadDisplayName: profile.name ?? profile.provider ?? 'Network', PayloadContent: payloads,
  };
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">'];
  plistLines(root, 0, lines);
  lines.push('</plist>', '');
  return { text: lines.join('\n'), notes };
}
