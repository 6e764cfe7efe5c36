/**
 * Dynamic Authorization (RFC 5176) packets made and checked here with node:crypto, never by the
 * codec under test: a request signed as a RADIUS server signs it (the computed Request
 * Authenticator, a Message-Authenticator first), a reply's attributes read, and its Response
 * Authenticator and Message-Authenticator checked; a reply signed as a NAS or a server signs it,
 * and a request's signatures checked.
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

/** A reply (`code`) to `request`, under `identifier`, with a Message-Authenticator alone, signed
 *  under `secret`: the Message-Authenticator over it with the Request Authenticator in place
 *  (RFC 3579 §3.2), then the Response Authenticator (RFC 2865 §3, RFC 5176 §3). */
export function signedReply(request: Buffer, code: number, secret: string, identifier = request[1]): Buffer {
  const reply = Buffer.concat([Buffer.from([code, identifier, 0, 38]), request.subarray(4, 20), Buffer.from([80, 18]), Buffer.alloc(16)]);
  createHmac('md5', secret).update(reply).digest().copy(reply, 22);
  createHash('md5').update(reply).update(secret).digest().copy(reply, 4);
  return reply;
}

/** A Disconnect- or CoA-Request's computed Request Authenticator and its Message-Authenticator
 *  (over the request with a zero authenticator) under `secret` (RFC 5176 §3, §3.3). */
export function assertRequestSigned(request: Buffer, secret: string): void {
  const copy = Buffer.from(request);
  copy.fill(0, 4, 20);
  assert.ok(createHash('md5').update(copy).update(secret).digest().equals(request.subarray(4, 20)), 'Request Authenticator');
  const ma = attributesOf(request).findIndex(({ type }) => type === 80);
  assert.notEqual(ma, -1, 'a Message-Authenticator');
  let offset = 20;
  for (const attribute of attributesOf(request).slice(0, ma)) offset += attribute.value.length + 2;
  const value = Buffer.from(request.subarray(offset + 2, offset + 18));
  copy.fill(0, offset + 2, offset + 18);
  assert.ok(createHmac('md5', secret).update(copy).digest().equals(value), 'Message-Authenticator');
}
