/**
 * GÉANT's eap-config (the EAP metadata format eduroam CAT emits and the geteduroam apps read:
 * root EAPIdentityProviderList, no namespace, schema eap-metadata.xsd in GÉANT's CAT repository)
 * to and from the network profile. Element order is the schema's sequence order. What one side
 * holds and the other cannot is returned as notes, element by element: nothing is dropped unsaid.
 */
import { X509Certificate } from 'crypto';
import { METHOD_TABLE, BuiltinMethodName, TEAP_INNER_METHOD_NAMES, TeapInnerMethodName } from '../core/method-table';
import { Phase2Name } from '../core/connection-data';
import {
  NETWORK_PROFILE_VERSION, NetworkProfile, ProfileEap, ProfileError, ProfileNetwork, ProfileNote, checkNetworkProfile, usesClientCertificate,
  xmlSecret,
} from './network-profile';
import { XmlNode, readXml } from './xml-read';
import { XmlElement, element, xmlDocument } from './xml-text';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** The schema's NonEAPAuthNumbers: TTLS phase 2 without EAP (CHAP has no number there). */
const NON_EAP: Partial<Record<Phase2Name, number>> = { pap: 1, mschap: 2, mschapv2: 3 };
const NAME_OF_TYPE = new Map<number, BuiltinMethodName>(METHOD_TABLE.map((m) => [m.type, m.name]));
const TYPE_OF_NAME = new Map<string, number>(METHOD_TABLE.map((m) => [m.name, m.type]));
const INNER_NAMES: ReadonlySet<string> = new Set(METHOD_TABLE.filter((m) => m.inner).map((m) => m.name));
const TEAP_INNER_NAMES: ReadonlySet<string> = new Set(TEAP_INNER_METHOD_NAMES);

export interface EapConfigReading {
  profile: NetworkProfile;
  /** Parts of the document the profile does not carry. */
  notes: ProfileNote[];
}

export interface ProfileWriting {
  text: string;
  /** Parts of the profile the format does not carry. */
  notes: ProfileNote[];
}

function pemOf(der: Buffer): string {
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}

class Reader {
  readonly notes: ProfileNote[] = [];

  note(path: string, message: string): void {
    this.notes.push({ path, message });
  }

  /** The children of `node` named in `known`; the rest are noted. */
  children(node: XmlNode, path: string, known: readonly string[]): XmlNode[] {
    for (const child of node.children) {
      if (!known.includes(child.name)) this.note(`${path}/${child.name}`, 'not carried by the network profile');
    }
    return node.children.filter((child) => known.includes(child.name));
  }

  /** A name's text exactly as the document holds it (xs:string: the schema collapses no
   *  whitespace, and a server name or identity with a space is not the one without). */
  text(node: XmlNode, path: string): string {
    const value = node.text;
    if (value === '') throw new ProfileError('malformed-document', path, 'is empty');
    return value;
  }

  type(node: XmlNode, path: string): number {
    const type = this.children(node, path, ['Type']).find((child) => child.name === 'Type');
    if (!type || !/^\d{1,3}$/.test(type.text.trim())) throw new ProfileError('malformed-document', `${path}/Type`, 'must be a number');
    return Number(type.text.trim());
  }

  certificate(node: XmlNode, path: string, format: string): Buffer {
    if (node.attributes.format !== format || node.attributes.encoding !== 'base64') {
      throw new ProfileError('unsupported', path, `only format="${format}" encoding="base64" is read`);
    }
    const base64 = node.text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new ProfileError('malformed-document', path, 'is not base64');
    return Buffer.from(base64, 'base64');
  }

  serverSide(node: XmlNode, path: string, eap: ProfileEap): void {
    for (const child of this.children(node, path, ['CA', 'ServerID'])) {
      if (child.name === 'CA') {
        const der = this.certificate(child, `${path}/CA`, 'X.509');
        try {
          new X509Certificate(der);
        } catch {
          throw new ProfileError('malformed-document', `${path}/CA`, 'is not an X.509 certificate');
        }
        (eap.ca ??= []).push(pemOf(der));
      } else {
        (eap.serverNames ??= []).push(this.text(child, `${path}/ServerID`));
      }
    }
  }

  clientSide(node: XmlNode, path: string, eap: ProfileEap, profile: NetworkProfile): void {
    if (node.attributes.allow_save !== undefined) this.note(`${path}@allow_save`, 'not carried by the network profile');
    for (const child of this.children(node, path, ['OuterIdentity', 'UserName', 'Password', 'ClientCertificate', 'Passphrase'])) {
      const at = `${path}/${child.name}`;
      if (child.name === 'OuterIdentity') eap.anonymousIdentity = this.text(child, at);
      else if (child.name === 'UserName') (profile.credentials ??= {}).identity = this.text(child, at);
      else if (child.name === 'Password') (profile.credentials ??= {}).password = child.text;
      else if (child.name === 'ClientCertificate') {
        eap.clientCertificate = { ...eap.clientCertificate, pkcs12: this.certificate(child, at, 'PKCS12').toString('base64') };
      } else {
        eap.clientCertificate = { pkcs12: eap.clientCertificate?.pkcs12 ?? '', passphrase: child.text };
      }
    }
  }

  inner(node: XmlNode, path: string, eap: ProfileEap, profile: NetworkProfile): void {
    for (const child of this.children(node, path, ['EAPMethod', 'NonEAPAuthMethod', 'ServerSideCredential', 'ClientSideCredential'])) {
      const at = `${path}/${child.name}`;
      if (child.name === 'EAPMethod') {
        const type = this.type(child, at);
        const name = NAME_OF_TYPE.get(type);
        const carried = name !== undefined && (INNER_NAMES.has(name) || (eap.method === 'teap' && TEAP_INNER_NAMES.has(name)));
        if (!carried) throw new ProfileError('unsupported', at, `inner EAP type ${type} is not one this package speaks under ${eap.method}`);
        if (eap.method === 'ttls') eap.phase2 = 'eap';
        eap.innerMethod = name as TeapInnerMethodName;
      } else if (child.name === 'NonEAPAuthMethod') {
        const type = this.type(child, at);
        const phase2 = (Object.keys(NON_EAP) as Phase2Name[]).find((key) => NON_EAP[key] === type);
        if (!phase2 || eap.method !== 'ttls') throw new ProfileError('unsupported', at, `non-EAP type ${type} under ${eap.method}`);
        eap.phase2 = phase2;
      } else if (child.name === 'ServerSideCredential') {
        this.serverSide(child, at, eap);
      } else {
        this.clientSide(child, at, eap, profile);
      }
    }
  }

  method(node: XmlNode, path: string, profile: NetworkProfile): ProfileEap | undefined {
    const eapMethod = node.children.find((child) => child.name === 'EAPMethod');
    if (!eapMethod) throw new ProfileError('malformed-document', path, 'has no EAPMethod');
    const type = this.type(eapMethod, `${path}/EAPMethod`);
    const method = NAME_OF_TYPE.get(type);
    if (!method) {
      this.note(path, `EAP type ${type} is not one this package speaks: this method is left out`);
      return undefined;
    }
    const eap: ProfileEap = { method };
    for (const child of this.children(node, path, ['EAPMethod', 'ServerSideCredential', 'ClientSideCredential', 'InnerAuthenticationMethod'])) {
      const at = `${path}/${child.name}`;
      if (child.name === 'ServerSideCredential') this.serverSide(child, at, eap);
      else if (child.name === 'ClientSideCredential') this.clientSide(child, at, eap, profile);
      else if (child.name === 'InnerAuthenticationMethod') this.inner(child, at, eap, profile);
    }
    if (eap.clientCertificate && eap.clientCertificate.pkcs12 === '') {
      throw new ProfileError('malformed-document', path, 'has a Passphrase but no ClientCertificate');
    }
    if (!usesClientCertificate(eap) && eap.clientCertificate) {
      this.note(`${path}/ClientSideCredential/ClientCertificate`, `ignored for ${method} (the schema says to)`);
      delete eap.clientCertificate;
    }
    if (method === 'peap' && eap.innerMethod === 'mschapv2') delete eap.innerMethod;
    return eap;
  }

  applicability(node: XmlNode, path: string, networks: ProfileNetwork[]): void {
    for (const child of this.children(node, path, ['IEEE80211', 'IEEE8023'])) {
      const at = `${path}/${child.name}`;
      if (child.name === 'IEEE8023') {
        this.children(child, at, []);
        networks.push({ type: 'wired' });
        continue;
      }
      const parts = this.children(child, at, ['SSID', 'MinRSNProto']);
      const ssid = parts.find((part) => part.name === 'SSID');
      const rsn = parts.find((part) => part.name === 'MinRSNProto');
      if (!ssid) {
        this.note(at, 'an IEEE80211 entry without an SSID (e.g. Passpoint only) is not carried');
        continue;
      }
      if (rsn && rsn.text.trim() !== 'CCMP') this.note(`${at}/MinRSNProto`, `${rsn.text.trim()} is not carried (the profile is WPA2/WPA3-Enterprise, CCMP)`);
      networks.push({ type: 'wifi', ssid: ssid.text, ...(rsn?.text.trim() === 'CCMP' ? { security: 'wpa2-enterprise' as const } : {}) });
    }
  }
}

/** Reads an eap-config document: the first EAPIdentityProvider, every method this package speaks. */
export function readEapConfig(xml: string | Buffer): EapConfigReading {
  const root = readXml(xml);
  if (root.name !== 'EAPIdentityProviderList') {
    throw new ProfileError('malformed-document', root.name, 'the root element must be EAPIdentityProviderList');
  }
  const reader = new Reader();
  const providers = reader.children(root, '/EAPIdentityProviderList', ['EAPIdentityProvider']);
  if (providers.length === 0) throw new ProfileError('malformed-document', '/EAPIdentityProviderList', 'has no EAPIdentityProvider');
  for (let i = 1; i < providers.length; ++i) reader.note(`/EAPIdentityProviderList/EAPIdentityProvider[${i + 1}]`, 'only the first provider is read');
  const provider = providers[0];
  const base = '/EAPIdentityProviderList/EAPIdentityProvider';
  const profile: NetworkProfile = { version: NETWORK_PROFILE_VERSION, networks: [], eap: [] };
  // CAT writes namespace urn:undefined when the provider has no realm: its ID is then no realm.
  if (provider.attributes.ID && provider.attributes.namespace !== 'urn:undefined') profile.provider = provider.attributes.ID;
  for (const attribute of Object.keys(provider.attributes)) {
    if (!['ID', 'namespace', 'version', 'lang'].includes(attribute)) reader.note(`${base}@${attribute}`, 'not carried by the network profile');
  }
  const parts = reader.children(provider, base, ['ValidUntil', 'AuthenticationMethods', 'CredentialApplicability', 'ProviderInfo']);
  for (const part of parts) {
    const at = `${base}/${part.name}`;
    if (part.name === 'ValidUntil') {
      reader.note(at, `valid until ${part.text.trim()}: not carried by the network profile`);
    } else if (part.name === 'AuthenticationMethods') {
      reader.children(part, at, ['AuthenticationMethod']).forEach((method, i) => {
        const eap = reader.method(method, `${at}/AuthenticationMethod[${i + 1}]`, profile);
        if (eap) profile.eap.push(eap);
      });
    } else if (part.name === 'CredentialApplicability') {
      reader.applicability(part, at, profile.networks);
    } else {
      const info = reader.children(part, at, ['DisplayName']);
      if (info.length > 0) profile.name = info[0].text;
      for (let i = 1; i < info.length; ++i) reader.note(`${at}/DisplayName[${i + 1}]`, 'only the first DisplayName is read');
    }
  }
  if (profile.eap.length === 0) {
    throw new ProfileError('unsupported', `${base}/AuthenticationMethods`, 'no authentication method this package speaks');
  }
  return { profile: checkNetworkProfile(profile), notes: reader.notes };
}

function certificateData(name: string, format: string, der: Buffer): XmlElement {
  return element(name, der.toString('base64'), [['format', format], ['encoding', 'base64']]);
}

function methodElement(eap: ProfileEap, profile: NetworkProfile, secrets: boolean, path: string, notes: ProfileNote[]): XmlElement | undefined {
  const children: XmlElement[] = [element('EAPMethod', [element('Type', String(TYPE_OF_NAME.get(eap.method)))])];
  if (eap.tls) notes.push({ path: `${path}.tls`, message: 'eap-config has no TLS version bounds: not written' });
  const server: XmlElement[] = [
    ...(eap.ca ?? []).map((pem) => certificateData('CA', 'X.509', new X509Certificate(pem).raw)),
    ...(eap.serverNames ?? []).map((name) => element('ServerID', name)),
  ];
  if (server.length > 0) children.push(element('ServerSideCredential', server));
  const client: XmlElement[] = [];
  if (eap.anonymousIdentity !== undefined) client.push(element('OuterIdentity', eap.anonymousIdentity));
  if (profile.credentials?.identity !== undefined) client.push(element('UserName', profile.credentials.identity));
  if (secrets && profile.credentials?.password !== undefined && eap.method !== 'tls') client.push(element('Password', xmlSecret(profile.credentials.password, 'credentials.password')));
  // EAP-TLS's certificate is the outer credential; TEAP's inner EAP-TLS's the inner method's.
  const certificate = eap.clientCertificate && secrets ? [
    certificateData('ClientCertificate', 'PKCS12', Buffer.from(eap.clientCertificate.pkcs12, 'base64')),
    ...(eap.clientCertificate.passphrase !== undefined
      ? [element('Passphrase', xmlSecret(eap.clientCertificate.passphrase, 'eap[0].clientCertificate.passphrase'))] : []),
  ] : [];
  if (eap.method === 'tls') client.push(...certificate);
  if (client.length > 0) children.push(element('ClientSideCredential', client));
  if (eap.teapSecondaryInnerMethod !== undefined) {
    notes.push({ path: `${path}.teapSecondaryInnerMethod`, message: 'eap-config has no EAP chaining: only innerMethod is written' });
  }
  if (eap.method === 'peap' || eap.method === 'teap' || (eap.method === 'ttls' && eap.phase2 === 'eap')) {
    const inner = eap.innerMethod ?? 'mschapv2';
    children.push(element('InnerAuthenticationMethod', [element('EAPMethod', [element('Type', String(TYPE_OF_NAME.get(inner)))]),
      ...(eap.method === 'teap' && certificate.length > 0 ? [element('ClientSideCredential', certificate)] : [])]));
  } else if (eap.method === 'ttls') {
    const number = NON_EAP[eap.phase2 ?? 'mschapv2'];
    if (number === undefined) {
      notes.push({ path, message: `ttls with phase2 ${eap.phase2}: eap-config has no number for it, the method is left out` });
      return undefined;
    }
    children.push(element('InnerAuthenticationMethod', [element('NonEAPAuthMethod', [element('Type', String(number))])]));
  }
  return element('AuthenticationMethod', children);
}

/**
 * The profile as an eap-config document. Secrets (the password, the PKCS#12 and its passphrase)
 * are written only with `secrets`; what the format cannot hold comes back as notes.
 */
export function writeEapConfig(input: NetworkProfile, { secrets = false }: { secrets?: boolean } = {}): ProfileWriting {
  const profile = checkNetworkProfile(input);
  const notes: ProfileNote[] = [];
  const methods = profile.eap.map((eap, i) => methodElement(eap, profile, secrets, `eap[${i}]`, notes))
    .filter((method): method is XmlElement => method !== undefined);
  if (methods.length === 0) throw new ProfileError('unsupported', 'eap', 'no method eap-config can express');
  const applicability = profile.networks.map((network, i) => {
    if (network.type === 'wired') return element('IEEE8023', []);
    if (network.security === 'wpa3-enterprise') {
      notes.push({ path: `networks[${i}].security`, message: 'eap-config has no WPA3 marker: written as MinRSNProto CCMP' });
    }
    return element('IEEE80211', [element('SSID', network.ssid), ...(network.security ? [element('MinRSNProto', 'CCMP')] : [])]);
  });
  const provider: XmlElement[] = [
    element('AuthenticationMethods', methods),
    element('CredentialApplicability', applicability),
  ];
  if (profile.name !== undefined) provider.push(element('ProviderInfo', [element('DisplayName', profile.name)]));
  const text = xmlDocument(element('EAPIdentityProviderList', [
    element('EAPIdentityProvider', provider, [
      ['ID', profile.provider ?? profile.name ?? 'eaphost'],
      ['namespace', profile.provider !== undefined ? 'urn:RFC4282:realm' : 'urn:undefined'],
      ['version', '1'],
    ]),
  ], [['xmlns:xsi', XSI], ['xsi:noNamespaceSchemaLocation', 'eap-metadata.xsd']]));
  return { text, notes };
}
