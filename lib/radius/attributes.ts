/** One attribute as it travels: type and raw value. Interpretation belongs to the caller. */
export interface RadiusAttribute {
  type: number;
  value: Buffer;
}

/** A packet as the native RADIUS stack hands it over, already framed and verified. */
export interface RadiusPacket {
  code: number;
  identifier: number;
  /** Request Authenticator, or Response Authenticator in replies. */
  authenticator: Buffer;
  attributes: RadiusAttribute[];
}

export function findAttribute(packet: RadiusPacket, type: number): Buffer | undefined {
  return packet.attributes.find((attribute) => attribute.type === type)?.value;
}
