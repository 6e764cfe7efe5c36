import { RadiusAttributeType, RADIUS_MAX_ATTRIBUTE_VALUE } from './constants';
import { RadiusAttribute, RadiusPacket } from './packet';
import { RadiusMalformedError } from './errors';

/**
 * RFC 3579 §3.1: an EAP packet longer than one attribute travels as consecutive EAP-Message
 * attributes, each up to 253 bytes, concatenated by the receiver.
 */
export function eapMessageAttributes(eapPacket: Buffer): RadiusAttribute[] {
  const attributes: RadiusAttribute[] = [];
  for (let offset = 0; offset < eapPacket.length; offset += RADIUS_MAX_ATTRIBUTE_VALUE) {
    attributes.push({
      type: RadiusAttributeType.EapMessage,
      value: eapPacket.subarray(offset, offset + RADIUS_MAX_ATTRIBUTE_VALUE),
    });
  }
  return attributes;
}

/**
 * Joins every EAP-Message attribute of a packet in order. Returns undefined when there is none;
 * throws when the result is not one whole EAP packet (its Length field must match), because a
 * torn or padded EAP packet would otherwise reach the EAP state machine.
 */
export function reassembleEapMessage(packet: RadiusPacket): Buffer | undefined {
  const parts = packet.attributes
    .filter((attribute) => attribute.type === RadiusAttributeType.EapMessage)
    .map((attribute) => attribute.value);
  if (parts.length === 0) {
    return undefined;
  }
  const eapPacket = Buffer.concat(parts);
  if (eapPacket.length < 4) {
    throw new RadiusMalformedError(`EAP-Message of ${eapPacket.length} bytes is shorter than an EAP header`);
  }
  const eapLength = eapPacket.readUInt16BE(2);
  if (eapLength !== eapPacket.length) {
    throw new RadiusMalformedError(
      `EAP-Message attributes hold ${eapPacket.length} bytes but the EAP Length field says ${eapLength}`);
  }
  return eapPacket;
}
