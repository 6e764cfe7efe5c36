/**
 * RADIUS attribute values, typed, to and from their bytes: native/radius's one codec
 * (radius_attribute_codec.h), which the policy's replies use too. lib/ holds typed values alone
 * (text, numbers, addresses and prefixes as text, RFC 2868 tags) and hands them here; what the
 * bytes say is the dictionary's word (RFC 2865, 2866, 2868, 2869, 3162, 4818, 5176, 6911).
 */
import { binding, RadiusDecodedAttribute, RadiusValueFormat } from '../native';
import type { RadiusAttribute } from './attributes';

export type { RadiusDecodedAttribute, RadiusValueFormat };

/** One attribute, typed: a string, an integer (a number), an address or prefix as text, or hex octets. */
export interface TypedAttribute {
  type: number;
  format: RadiusValueFormat;
  value: string | number;
  /** An RFC 2868 tag (0..31) ahead of a string or an integer. */
  tag?: number;
  /** A Vendor-Specific attribute (type 26) of this vendor, its attribute `vendorType`. */
  vendor?: number;
  vendorType?: number;
}

/** The attributes as RADIUS carries them, in order; a bad value is the codec's RangeError naming it,
 *  an option error (core/option-error.ts) as native/radius makes one: `option` attributes[i].value,
 *  or attributes[i].type, .tag or .vendor, and `detail` what is wrong with it. */
export function encodeAttributes(attributes: readonly TypedAttribute[]): RadiusAttribute[] {
  return binding.radiusAttributesEncode({
    attributes: attributes.map(({ type, format, value, tag, vendor, vendorType }) => ({
      type, vendor: vendor ?? 0, vendorType: vendorType ?? 0, format, value: String(value),
      ...(tag !== undefined ? { tag } : {}),
    })),
  });
}

/** Each attribute as the dictionary types it; a value that does not decode under its type is octets with an `error`. */
export function decodeAttributes(attributes: readonly RadiusAttribute[]): RadiusDecodedAttribute[] {
  return binding.radiusAttributesDecode({ attributes });
}

/** A whole packet's attributes (read as the engine reads a request: a RangeError when it is not one RADIUS packet). */
export function decodePacketAttributes(packet: Buffer): RadiusDecodedAttribute[] {
  return binding.radiusAttributesDecode({ packet });
}

/** A text attribute. */
export const textOf = (type: number, value: string): TypedAttribute => ({ type, format: 'string', value });
/** An integer attribute (0..4294967295). */
export const integerOf = (type: number, value: number): TypedAttribute => ({ type, format: 'integer', value });
