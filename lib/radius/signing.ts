import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AUTHENTICATOR_LENGTH, RadiusAttributeType } from './constants';
import { DecodedRadiusPacket, encodeRadiusPacket, RadiusAttribute } from './packet';
import { hideUserPassword } from './user-password';

/**
 * The two RADIUS integrity checks: the MD5 Response Authenticator of RFC 2865 §3 and the
 * HMAC-MD5 Message-Authenticator of RFC 3579 §3.2 (mandatory on every packet carrying EAP).
 * Every comparison is constant time so that a forger learns nothing from response timing.
 */

const ZERO_AUTHENTICATOR = Buffer.alloc(AUTHENTICATOR_LENGTH);

export type RadiusSecret = string | Buffer;

export function secretBytes(secret: RadiusSecret): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length === 0) {
    throw new RangeError('the RADIUS shared secret must not be empty');
  }
  return bytes;
}

function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Attributes with a zeroed Message-Authenticator in front, ready for the HMAC. */
function withMessageAuthenticatorFirst(attributes: RadiusAttribute[]): RadiusAttribute[] {
  const rest = attributes.filter((attribute) => attribute.type !== RadiusAttributeType.MessageAuthenticator);
  return [{ type: RadiusAttributeType.MessageAuthenticator, value: ZERO_AUTHENTICATOR }, ...rest];
}

/** The Message-Authenticator is the first attribute by construction: its value starts at byte 22. */
const FIRST_ATTRIBUTE_VALUE_OFFSET = 22;

export interface SignedAccessRequest {
  datagram: Buffer;
  requestAuthenticator: Buffer;
}

/**
 * Builds an Access-Request: random Request Authenticator (RFC 2865 §3 wants it unpredictable),
 * Message-Authenticator first, HMAC over the whole packet with that attribute zeroed.
 */
export function signAccessRequest(identifier: number, attributes: RadiusAttribute[],
  secret: Buffer, code = 1, userPassword?: Buffer): SignedAccessRequest {
  const requestAuthenticator = randomBytes(AUTHENTICATOR_LENGTH);
  // PAP: the hidden User-Password depends on the Request Authenticator, so it is made here.
  const hidden = userPassword === undefined ? []
    : [{ type: RadiusAttributeType.UserPassword, value: hideUserPassword(userPassword, secret, requestAuthenticator) }];
  const datagram = encodeRadiusPacket({
    code, identifier, authenticator: requestAuthenticator, attributes: withMessageAuthenticatorFirst([...hidden, ...attributes]),
  });
  createHmac('md5', secret).update(datagram).digest().copy(datagram, FIRST_ATTRIBUTE_VALUE_OFFSET);
  return { datagram, requestAuthenticator };
}

/**
 * Builds a request whose Request Authenticator is computed rather than random: Accounting-Request
 * (RFC 2866 §3) and CoA-Request / Disconnect-Request (RFC 5176 §3), MD5(Code + Identifier + Length +
 * 16 zero octets + Attributes + secret), so the receiver can check the request itself. With
 * `messageAuthenticator`, that attribute goes first and its HMAC-MD5 is taken over the packet with
 * the authenticator still zero, before the MD5 covers it (RFC 5176 §3.3).
 */
export function signComputedRequest(code: number, identifier: number, attributes: RadiusAttribute[], secret: Buffer,
  messageAuthenticator = false): SignedAccessRequest {
  const datagram = encodeRadiusPacket({
    code, identifier, authenticator: ZERO_AUTHENTICATOR,
    attributes: messageAuthenticator ? withMessageAuthenticatorFirst(attributes) : attributes,
  });
  if (messageAuthenticator) createHmac('md5', secret).update(datagram).digest().copy(datagram, FIRST_ATTRIBUTE_VALUE_OFFSET);
  const requestAuthenticator = createHash('md5').update(datagram).update(secret).digest();
  requestAuthenticator.copy(datagram, 4);
  return { datagram, requestAuthenticator };
}

/**
 * Checks the one Message-Authenticator of a packet, with `headerAuthenticator` in the header as the
 * HMAC was computed (the Request Authenticator, also for replies). A packet carrying EAP without
 * one fails: RFC 3579 §3.2 says discard it.
 */
function messageAuthenticatorValid(packet: DecodedRadiusPacket, headerAuthenticator: Buffer, secret: Buffer): boolean {
  let index = -1;
  let carriesEap = false;
  for (let i = 0; i < packet.attributes.length; i++) {
    const type = packet.attributes[i].type;
    if (type === RadiusAttributeType.MessageAuthenticator) {
      if (index !== -1) {
        return false;
      }
      index = i;
    } else if (type === RadiusAttributeType.EapMessage) {
      carriesEap = true;
    }
  }
  if (index === -1) {
    return !carriesEap;
  }
  const received = packet.attributes[index].value;
  if (received.length !== AUTHENTICATOR_LENGTH) {
    return false;
  }
  const copy = Buffer.from(packet.raw);
  headerAuthenticator.copy(copy, 4);
  ZERO_AUTHENTICATOR.copy(copy, packet.valueOffsets[index]);
  return constantTimeEqual(createHmac('md5', secret).update(copy).digest(), received);
}

/** Verifies a reply against the request it answers: Response Authenticator, then Message-Authenticator. */
export function verifyResponse(packet: DecodedRadiusPacket, requestAuthenticator: Buffer, secret: Buffer): boolean {
  return responseAuthenticatorValid(packet, requestAuthenticator, secret)
    && messageAuthenticatorValid(packet, requestAuthenticator, secret);
}

/**
 * What is wrong with a reply, if anything. A valid Response Authenticator proves the shared secret
 * is right, so a Message-Authenticator that is then missing or wrong is a vulnerable server or a
 * forgery, never a secret mismatch, and is told apart for the user.
 */
export type ResponseCheck = 'valid' | 'bad-response-authenticator' | 'message-authenticator-missing'
  | 'message-authenticator-invalid';

export function checkResponse(packet: DecodedRadiusPacket, requestAuthenticator: Buffer, secret: Buffer,
  requireMessageAuthenticator: boolean): ResponseCheck {
  if (!responseAuthenticatorValid(packet, requestAuthenticator, secret)) return 'bad-response-authenticator';
  const present = packet.attributes.some((attribute) => attribute.type === RadiusAttributeType.MessageAuthenticator);
  if (!present) {
    const carriesEap = packet.attributes.some((attribute) => attribute.type === RadiusAttributeType.EapMessage);
    return requireMessageAuthenticator || carriesEap ? 'message-authenticator-missing' : 'valid';
  }
  return messageAuthenticatorValid(packet, requestAuthenticator, secret) ? 'valid' : 'message-authenticator-invalid';
}

/** The MD5 Response Authenticator alone: what a BlastRADIUS (CVE-2024-3596) forgery can match. */
export function responseAuthenticatorValid(packet: DecodedRadiusPacket, requestAuthenticator: Buffer,
  secret: Buffer): boolean {
  const expected = createHash('md5')
    .update(packet.raw.subarray(0, 4))
    .update(requestAuthenticator)
    .update(packet.raw.subarray(4 + AUTHENTICATOR_LENGTH))
    .update(secret)
    .digest();
  return constantTimeEqual(expected, packet.authenticator);
}
