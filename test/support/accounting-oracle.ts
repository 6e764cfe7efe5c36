import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { findProgram } from './programs';

/**
 * Accounting packets made and judged with node:crypto alone (RFC 2866 §3), not by the code under
 * test: a request whose Request Authenticator is MD5(Code + Identifier + Length + 16 zeros +
 * Attributes + secret), and the check of a response's MD5(Code + Identifier + Length + Request
 * Authenticator + Attributes + secret).
 */
export function accountingPacket(identifier: number, attributes: [number, Buffer][], secret: string): Buffer {
  const body = Buffer.concat(attributes.map(([type, value]) => Buffer.concat([Buffer.from([type, value.length + 2]), value])));
  const packet = Buffer.concat([Buffer.alloc(20), body]);
  packet[0] = 4;
  packet[1] = identifier;
  packet.writeUInt16BE(packet.length, 2);
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

export function responseAuthentic(response: Buffer, request: Buffer, secret: string): boolean {
  if (response.length < 20 || response[0] !== 5 || response[1] !== request[1]) return false;
  const copy = Buffer.from(response);
  request.copy(copy, 4, 4, 20);
  return createHash('md5').update(copy).update(secret).digest().equals(response.subarray(4, 20));
}

/** A NAS's socket (one source port, as a NAS retransmits from): each send waits for the next reply,
 *  or for `timeoutMs` when none comes (undefined). */
export async function nasSocket(port: number): Promise<{ send(datagram: Buffer, timeoutMs?: number): Promise<Buffer | undefined>; close(): void }> {
  const socket = createSocket('udp4');
  let waiting: ((reply: Buffer | undefined) => void) | undefined;
  socket.on('message', (message) => { waiting?.(message); waiting = undefined; });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    send: (datagram, timeoutMs = 5000) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => { waiting = undefined; resolve(undefined); }, timeoutMs);
      waiting = (reply) => { clearTimeout(timer); resolve(reply); };
      socket.send(datagram, port, '127.0.0.1', (error) => { if (error) reject(error); });
    }),
    close: () => socket.close(),
  };
}

export const text = (value: string): Buffer => Buffer.from(value, 'utf8');
export const integer = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};

/** A query's rows as the sqlite3 program (Debian's, not the driver serve uses) reads the file, as JSON;
 *  in process `mountsOf`'s mount namespace when given (nsenter: SQLite resolves /proc/PID/root's link). */
export function sqliteRows(file: string, sql: string, mountsOf?: number): Record<string, unknown>[] {
  const sqlite3 = findProgram(['sqlite3'], 'sqlite3');
  const output = mountsOf === undefined ? execFileSync(sqlite3, ['-json', file, sql], { encoding: 'utf8' })
    : execFileSync(findProgram(['nsenter'], 'util-linux'), ['-t', String(mountsOf), '-m', sqlite3, '-json', file, sql], { encoding: 'utf8' });
  return output.trim() === '' ? [] : JSON.parse(output);
}

/** The CREATE statements of the file, as the sqlite3 program prints them (.schema). */
export function sqliteSchema(file: string): string {
  return execFileSync(findProgram(['sqlite3'], 'sqlite3'), [file, '.schema'], { encoding: 'utf8' });
}
