/** RADIUS packet codes (RFC 2865 §3, RFC 5997 for Status-Server, RFC 5176 for Disconnect and CoA,
 *  RFC 7930 for Protocol-Error). */
export const RadiusCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccessChallenge: 11,
  StatusServer: 12,
  DisconnectRequest: 40,
  DisconnectAck: 41,
  DisconnectNak: 42,
  CoaRequest: 43,
  CoaAck: 44,
  CoaNak: 45,
  ProtocolError: 52,
} as const;

/** Attribute numbers this package reads or writes (RFC 2865, RFC 2866, RFC 2869, RFC 3579, RFC 5176, RFC 5580). */
export const RadiusAttributeType = {
  UserName: 1,
  UserPassword: 2,
  NasIpAddress: 4,
  NasPort: 5,
  ServiceType: 6,
  FramedIpAddress: 8,
  FilterId: 11,
  FramedMtu: 12,
  ReplyMessage: 18,
  State: 24,
  Class: 25,
  VendorSpecific: 26,
  SessionTimeout: 27,
  IdleTimeout: 28,
  CalledStationId: 30,
  CallingStationId: 31,
  NasIdentifier: 32,
  ProxyState: 33,
  AcctSessionId: 44,
  AcctMultiSessionId: 50,
  EventTimestamp: 55,
  NasPortType: 61,
  EapMessage: 79,
  MessageAuthenticator: 80,
  ChargeableUserIdentity: 89,
  NasIpv6Address: 95,
  ErrorCause: 101,
  OperatorName: 126,
} as const;

/** An attribute's value holds at most 253 bytes (one length octet covers type, length and value). */
export const RADIUS_MAX_ATTRIBUTE_VALUE = 253;

/** Human names for codes, for messages and --verbose output. */
export function radiusCodeName(code: number): string {
  switch (code) {
    case RadiusCode.AccessRequest: return 'Access-Request';
    case RadiusCode.AccessAccept: return 'Access-Accept';
    case RadiusCode.AccessReject: return 'Access-Reject';
    case RadiusCode.AccessChallenge: return 'Access-Challenge';
    case RadiusCode.StatusServer: return 'Status-Server';
    case RadiusCode.DisconnectRequest: return 'Disconnect-Request';
    case RadiusCode.DisconnectAck: return 'Disconnect-ACK';
    case RadiusCode.DisconnectNak: return 'Disconnect-NAK';
    case RadiusCode.CoaRequest: return 'CoA-Request';
    case RadiusCode.CoaAck: return 'CoA-ACK';
    case RadiusCode.CoaNak: return 'CoA-NAK';
    case RadiusCode.ProtocolError: return 'Protocol-Error';
    default: return `code ${code}`;
  }
}
