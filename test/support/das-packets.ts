/**
 * Dynamic Authorization (RFC 5176) packets made and checked here with node:crypto, never by the
 * codec under test: a request signed as a RADIUS server signs it (the computed Request
 * Authenticator, a Message-Authenticator first), a reply's attributes read, and its Response
 * Authenticator and Message-Authenticator checked.
 */
import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface Attribute { type: number; value: Buffer }

export function attributesOf(packet: Buffer): Attribute[] {
  const out: Attribute[] = [];
  for (let offset = 20; offset < packet.readUInt16BE(2);) {
    out.push({ type: packet[offset], value: packet.subarray(offset + 2, offset + packet[offset + 1]) });
    offset += packet[offset + 1];
  }
  return out;
}

/** A request as a RADIUS server signs it (RFC 5176 §3, §3.3). */
export function signedRequest(code: number, attributes: Attribute[], options: { secret: string; messageAuthenticator?: boolean;
  identifier?: number }): Buffer {
  const { secret } = options;
  const all = options.messageAuthenticator === false ? attributes : [{ type: 80, value: Buffer.alloc(16) }, ...attributes];
  const body = Buffer.concat(all.map(({ type, value }) => Buffer.concat([Buffer.from([type, value.length + 2]), value])));
  const packet = Buffer.concat([Buffer.alloc(20), body]);
  packet[0] = code;
  packet[1] = options.identifier ?? randomBytes(1)[0];
  packet.writeUInt16BE(packet.length, 2);
  if (options.messageAuthenticator !== false) createHmac('md5', secret).update(packet).digest().copy(packet, 22);
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

/** The reply's Response Authenticator and Message-Authenticator under `secret`, computed here. */
export function assertSigned(reply: Buffer, sent: Buffer, secret: string): void {
  const copy = Buffer.from(reply);
  sent.copy(copy, 4, 4, 20);
  assert.ok(createHash('md5').update(copy).update(secret).digest().equals(reply.subarray(4, 20)), 'Response Authenticator');
  const attributes = attributesOf(reply);
  const ma = attributes.findIndex((attribute) => attribute.type === 80);
  assert.notEqual(ma, -1, 'the reply carries a Message-Authenticator');
  let offset = 20;
  for (let i = 0; i < ma; i++) offset += attributes[i].value.length + 2;
  copy.fill(0, offset + 2, offset + 18);
  assert.ok(createHmac('md5', secret).update(copy).digest().equals(attributes[ma].value), 'Message-Authenticator');
}
