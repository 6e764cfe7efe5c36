/**
 * Error-Cause (RFC 5176 §3.6), the attribute of a Dynamic Authorization NAK and of a Protocol-Error
 * (RFC 7930 §4): its values, their names, and a reply's causes read. Both sides of Dynamic
 * Authorization and the RadSec client read it, so it stands below all of them.
 */
import { RadiusAttributeType, RadiusCode, radiusCodeName } from './constants';
import { RadiusMalformedError, RadiusProtocolErrorReply } from './errors';
import { decodeAttributes } from './attribute-codec';
import { RadiusAttribute } from './attributes';

/** Error-Cause values (RFC 5176 §3.6): 2xx the request was carried out, 4xx the request is at fault, 5xx the NAS. */
export const ErrorCause = {
  ResidualSessionContextRemoved: 201,
  InvalidEapPacket: 202,
  UnsupportedAttribute: 401,
  MissingAttribute: 402,
  NasIdentificationMismatch: 403,
  InvalidRequest: 404,
  UnsupportedService: 405,
  UnsupportedExtension: 406,
  InvalidAttributeValue: 407,
  AdministrativelyProhibited: 501,
  RequestNotRoutable: 502,
  SessionContextNotFound: 503,
  SessionContextNotRemovable: 504,
  OtherProxyProcessingError: 505,
  ResourcesUnavailable: 506,
  RequestInitiated: 507,
  MultipleSessionSelectionUnsupported: 508,
} as const;

const ERROR_CAUSE_NAMES: Readonly<Record<number, string>> = {
  201: 'Residual Session Context Removed', 202: 'Invalid EAP Packet (Ignored)', 401: 'Unsupported Attribute',
  402: 'Missing Attribute', 403: 'NAS Identification Mismatch', 404: 'Invalid Request', 405: 'Unsupported Service',
  406: 'Unsupported Extension', 407: 'Invalid Attribute Value', 501: 'Administratively Prohibited',
  502: 'Request Not Routable (Proxy)', 503: 'Session Context Not Found', 504: 'Session Context Not Removable',
  505: 'Other Proxy Processing Error', 506: 'Resources Unavailable', 507: 'Request Initiated',
  508: 'Multiple Session Selection Unsupported',
};

/** The Error-Causes of a reply, named; a RadiusMalformedError for one that is not an integer. */
export function errorCausesOf(code: number, attributes: readonly RadiusAttribute[]): ErrorCauseValue[] {
  return decodeAttributes(attributes.filter((attribute) => attribute.type === RadiusAttributeType.ErrorCause))
    .map(({ value, error }) => {
      if (typeof value !== 'number') {
        throw new RadiusMalformedError(`${radiusCodeName(code)} carries an Error-Cause that is not one: ${error ?? 'not an integer'}`);
      }
      return { value, name: errorCauseName(value) };
    });
}

/** A verified Protocol-Error (RFC 7930 §4) from `server` as the error it is: its causes named. */
export function protocolErrorOf(attributes: readonly RadiusAttribute[], server: string): RadiusProtocolErrorReply {
  return new RadiusProtocolErrorReply(server, errorCausesOf(RadiusCode.ProtocolError, attributes));
}

/** RFC 5176 §3.6's name of an Error-Cause value; an unassigned one is named by its class. */
export function errorCauseName(value: number): string {
  const known = ERROR_CAUSE_NAMES[value];
  if (known !== undefined) return known;
  const kind = value >= 200 && value < 300 ? 'success' : value >= 400 && value < 500 ? 'client error'
    : value >= 500 && value < 600 ? 'NAS error' : 'outside RFC 5176\'s ranges';
  return `unassigned Error-Cause ${value} (${kind})`;
}


export interface ErrorCauseValue {
  value: number;
  name: string;
}
