/**
 * The EapHostConfig / EapHostUserCredentials XML of the methods shipped in this package (author
 * 32473): Microsoft's outer elements, our method-specific part under urn:eaphost:config:1 /
 * urn:eaphost:credentials:1. ConfigXml2Blob turns it into exactly the connection data
 * encodeConnectionData makes from the same options, so the elements are written in the order
 * of that encoding: Ca, ServerName, Insecure, RequireCryptoBinding, TlsMin, TlsMax,
 * InnerMethod, Phase2, Certificate, PrivateKey, PrivateKeyPassword, Pkcs12, AnonymousIdentity.
 * Every value is checked by the encoder first, so what is written is what a method accepts.
 */
import { BuiltinMethodName, EAPHOST_AUTHOR_ID, METHOD_TABLE } from '../core/method-table';
import { ConnectionDataOptions, PEER_OCSP_KEYS, REVOCATION_KEYS, peerConnectionData } from '../core/connection-data';
import { EapMethodTypeInfo } from '../core/errors';
import { XmlElement, element, xmlDocument } from './xml-text';

export const SHIPPED_CONFIG_NAMESPACE = 'urn:eaphost:config:1';
export const SHIPPED_CREDENTIALS_NAMESPACE = 'urn:eaphost:credentials:1';
const HOST_CONFIG = 'http://www.microsoft.com/provisioning/EapHostConfig';
const HOST_CREDENTIALS = 'http://www.microsoft.com/provisioning/EapHostUserCredentials';
const COMMON = 'http://www.microsoft.com/provisioning/EapCommon';

export type ShippedMethodName = BuiltinMethodName;

const TYPES = Object.fromEntries(METHOD_TABLE.map((m) => [m.name, m.type])) as Record<ShippedMethodName, number>;

export function shippedMethodType(method: ShippedMethodName): EapMethodTypeInfo {
  if (!Object.prototype.hasOwnProperty.call(TYPES, method)) {
    throw new TypeError(`method must be ${Object.keys(TYPES).join(' | ')}`);
  }
  return { type: TYPES[method], vendorId: 0, vendorType: 0, authorId: EAPHOST_AUTHOR_ID };
}

function pemString(value: string | Buffer): string {
  return Buffer.isBuffer(value) ? value.toString('latin1') : value;
}

function eapMethod(type: EapMethodTypeInfo): XmlElement {
  return element('EapMethod', (['type', 'vendorId', 'vendorType', 'authorId'] as const).map((key) =>
    element(key[0].toUpperCase() + key.slice(1), String(type[key]), [['xmlns', COMMON]])));
}

/** The method-specific elements, in the encoder's TLV order. */
function methodElements(options: ConnectionDataOptions): XmlElement[] {
  const out: XmlElement[] = [];
  if (options.ca !== undefined) out.push(element('Ca', pemString(options.ca).trim()));
  if (options.serverName !== undefined) {
    for (const name of Array.isArray(options.serverName) ? options.serverName : [options.serverName]) {
      out.push(element('ServerName', name));
    }
  }
  if (options.insecure === true) out.push(element('Insecure', 'true'));
  if (options.requireCryptoBinding === true) out.push(element('RequireCryptoBinding', 'true'));
  if (options.tls?.min !== undefined) out.push(element('TlsMin', options.tls.min));
  if (options.tls?.max !== undefined) out.push(element('TlsMax', options.tls.max));
  // A peer's inner method is one name (peerConnectionData refused a list).
  if (options.innerMethod !== undefined) out.push(element('InnerMethod', options.innerMethod as string));
  if (options.phase2 !== undefined) out.push(element('Phase2', options.phase2));
  if (options.cert !== undefined) out.push(element('Certificate', pemString(options.cert).trim()));
  if (options.key !== undefined) out.push(element('PrivateKey', pemString(options.key).trim()));
  if (options.keyPassword !== undefined) out.push(element('PrivateKeyPassword', options.keyPassword));
  if (options.pkcs12 !== undefined) out.push(element('Pkcs12', options.pkcs12.toString('base64')));
  if (options.anonymousIdentity !== undefined) out.push(element('AnonymousIdentity', options.anonymousIdentity));
  return out;
}

/**
 * The EapHostConfig for a shipped method. TLS methods are checked as beginSession checks them
 * (no silent trust: ca or insecure: true); MD5, GTC and MSCHAPv2 take no options and get an
 * empty EapHostMethodConfig.
 */
export function shippedConfigXml(method: ShippedMethodName, options: ConnectionDataOptions = {}): string {
  const methodType = shippedMethodType(method);
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  let children: XmlElement[] = [];
  if (method === 'tls' || method === 'ttls' || method === 'peap') {
    // The configuration XML has no element for the revocation options (a CRL is a file this
    // machine reads, not profile content): refused rather than dropped.
    const revocation = [...REVOCATION_KEYS, ...PEER_OCSP_KEYS].filter((key) => options[key] !== undefined);
    if (revocation.length > 0) {
      throw new TypeError(`${revocation.join(', ')}: the configuration XML does not carry revocation options; ` +
        'give them to beginSession (or the CLI) instead');
    }
    // The encoder checks every value (and refuses what does not apply); its blob is not needed.
    peerConnectionData(method, options).fill(0);
    children = methodElements(options);
  } else {
    const given = Object.entries(options).filter(([, value]) => value !== undefined).map(([key]) => key);
    if (given.length > 0) throw new TypeError(`${given.join(', ')} do${given.length === 1 ? 'es' : ''} not apply to ${method}`);
  }
  return xmlDocument(element('EapHostConfig', [
    eapMethod(methodType),
    element('Config', [element('EapHostMethodConfig', children, [['xmlns', SHIPPED_CONFIG_NAMESPACE]])],
      [['xmlns', HOST_CONFIG]]),
  ], [['xmlns', HOST_CONFIG]]));
}

/** The EapHostUserCredentials for a shipped method: the identity, and the password (none for EAP-TLS). */
export function shippedCredentialsXml(method: ShippedMethodName, credentials: { identity: string; password?: string }): string {
  const methodType = shippedMethodType(method);
  if (typeof credentials !== 'object' || credentials === null) throw new TypeError('credentials must be an object');
  const { identity, password } = credentials;
  if (typeof identity !== 'string' || identity.length === 0) throw new TypeError('identity must be a non-empty string');
  const fields = [element('Identity', identity)];
  if (method === 'tls') {
    if (password !== undefined) throw new TypeError('password does not apply to EAP-TLS (it authenticates with the certificate)');
  } else {
    if (typeof password !== 'string') throw new TypeError(`${method}: password must be a string`);
    fields.push(element('Password', password));
  }
  return xmlDocument(element('EapHostUserCredentials', [
    eapMethod(methodType),
    element('Credentials', [element('EapHostMethodCredentials', fields, [['xmlns', SHIPPED_CREDENTIALS_NAMESPACE]])],
      [['xmlns', HOST_CREDENTIALS]]),
  ], [['xmlns', HOST_CREDENTIALS]]));
}
