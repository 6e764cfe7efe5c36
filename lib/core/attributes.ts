/** EAP attributes as the facade shows them: numeric type (EAP_ATTRIBUTE_TYPE) and a copy of the value. */
export interface EapAttribute {
  type: number;
  value: Buffer;
}

export function checkAttributes(value: unknown, name = 'attributes'): EapAttribute[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of { type, value }`);
  for (const item of value) {
    if (typeof item !== 'object' || item === null || typeof item.type !== 'number' || !Number.isInteger(item.type) ||
        !Buffer.isBuffer(item.value)) {
      throw new TypeError(`${name} items must be { type: integer, value: Buffer }`);
    }
  }
  return value as EapAttribute[];
}
