/**
 * The pieces every Microsoft EAPHost document is built from: the namespaces of Windows' own
 * methods' schemas, text and boolean elements, and the EapHostConfig wrapper (EapMethod, then
 * Config). microsoft-config.ts writes each method's configuration with them, and
 * microsoft-teap.ts nests whole EapHostConfig elements inside TEAP's.
 */
import { EapMethodTypeInfo } from '../core/errors';
import { XmlElement, element } from './xml-text';

export const NS = {
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
  teapConnection: 'http://www.microsoft.com/provisioning/EapTeapConnectionPropertiesV1',
} as const;

export function text(name: string, value: string, ns?: string): XmlElement {
  return element(name, value, ns ? [['xmlns', ns]] : undefined);
}

export function bool(name: string, value: boolean, ns?: string): XmlElement {
  return text(name, value ? 'true' : 'false', ns);
}

export function eapMethod(type: EapMethodTypeInfo): XmlElement {
  return element('EapMethod', [
    text('Type', String(type.type), NS.common),
    text('VendorId', String(type.vendorId), NS.common),
    text('VendorType', String(type.vendorType), NS.common),
    text('AuthorId', String(type.authorId), NS.common),
  ]);
}

/** An EapHostConfig element: the method's type, then its configuration under Config. */
export function eapHostConfig(type: EapMethodTypeInfo, config: XmlElement): XmlElement {
  return element('EapHostConfig', [
    eapMethod(type),
    element('Config', [config], [['xmlns', NS.hostConfig]]),
  ], [['xmlns', NS.hostConfig]]);
}
