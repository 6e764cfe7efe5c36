/** A shared secret as a user gives it: text (UTF-8) or bytes. */
export type RadiusSecret = string | Buffer;

/** The secret's bytes, a copy the caller may zeroize; an empty secret is refused. */
export function secretBytes(secret: RadiusSecret): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length === 0) {
    throw new RangeError('the RADIUS shared secret must not be empty');
  }
  return bytes;
}
