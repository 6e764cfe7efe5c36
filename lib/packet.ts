/** EAP packet decoding for --verbose and logs (RFC 3748 §4). Never prints secrets: MD5 values are hashes. */
const CODES: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Success', 4: 'Failure' };
const TYPES: Record<number, string> = { 1: 'Identity', 2: 'Notification', 3: 'Nak', 4: 'MD5-Challenge', 254: 'Expanded' };

export interface DecodedEapPacket {
  code: number;
  id: number;
  length: number;
  type?: number;
  typeData?: Buffer;
}

export function decodeEapPacket(packet: Buffer): DecodedEapPacket | undefined {
  if (packet.length < 4) return undefined;
  const length = packet.readUInt16BE(2);
  if (length < 4 || length > packet.length) return undefined;
  const decoded: DecodedEapPacket = { code: packet[0], id: packet[1], length };
  if ((packet[0] === 1 || packet[0] === 2) && length >= 5) {
    decoded.type = packet[4];
    decoded.typeData = packet.subarray(5, length);
  }
  return decoded;
}

export function describeEapPacket(packet: Buffer): string {
  const p = decodeEapPacket(packet);
  if (!p) return `malformed EAP packet (${packet.length} bytes)`;
  let text = `EAP-${CODES[p.code] ?? `code ${p.code}`} id=${p.id} len=${p.length}`;
  if (p.type !== undefined) {
    text += ` type=${TYPES[p.type] ?? p.type}`;
    const data = p.typeData ?? Buffer.alloc(0);
    if (p.type === 1 || p.type === 2) text += ` "${data.toString('utf8')}"`;
    if (p.type === 3) text += ` desired=[${[...data].join(',')}]`;
    if (p.type === 4 && data.length >= 1) {
      const size = data[0];
      const value = data.subarray(1, 1 + size);
      const name = data.subarray(1 + size).toString('utf8');
      text += ` value-size=${size} value=${value.toString('hex')}${name ? ` name="${name}"` : ''}`;
    }
  }
  return text;
}
