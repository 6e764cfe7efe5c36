/**
 * OpenSSL as the independent TLS-PSK peer of RADIUS/DTLS (RFC 7360, RFC 9813): `openssl s_client
 * -dtls1_2 -psk` against a listener, `openssl s_server -dtls1_2 -psk` for a client (and s_server
 * with a certificate, over DTLS or TLS, for a client's checks of it), and the check,
 * with node:crypto, that a Status-Server reached s_server signed (RFC 5997 §3, RFC 3579 §3.2).
 * Whoever the subject is (serve or our client, in Linux node or Windows node.exe), the peer and
 * the judgement are these.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { findProgram, freeTcpPort, freeUdpPort } from './programs';
import { answersStatusServer, PacketReader, statusServerPacket } from './radsec-peers';

/** The suite a PSK-only listener agrees with OpenSSL: ECDHE-PSK (RFC 9813's (EC)DHE). */
export const ECDHE_PSK_SUITE = 'ECDHE-PSK-CHACHA20-POLY1305';

/**
 * OpenSSL's judgement of a PSK-only RADIUS/DTLS listener on `port` whose client `identity` has
 * `key`, on DTLS's default secret: ECDHE-PSK over X25519 agreed and a Status-Server (Identifier
 * `id`) answered and signed; then plain-PSK suites and a wrong key refused, nothing answered.
 * `context` says what the listener printed, for a failure's message.
 */
export async function judgePskOnlyListener(port: number, identity: string, key: Buffer, id: number, context: () => string): Promise<void> {
  const agreed = await opensslDtlsPskClient(port, identity, key.toString('hex'), ['-cipher', ECDHE_PSK_SUITE],
    statusServerPacket(id, RADSEC_DTLS_SECRET));
  assert.match(agreed.report, /Protocol version: DTLSv1\.2/, agreed.report);
  assert.match(agreed.report, new RegExp(`Ciphersuite: ${ECDHE_PSK_SUITE}`), agreed.report);
  assert.match(agreed.report, /Server Temp Key: X25519/, agreed.report);
  assert.ok(agreed.packets.some((packet) => answersStatusServer(packet, id, RADSEC_DTLS_SECRET)),
    `${agreed.report}\n${agreed.packets.map((packet) => packet.toString('hex')).join('\n')}\n--- listener:\n${context().slice(-2000)}`);

  const plain = await opensslDtlsPskClient(port, identity, key.toString('hex'), ['-cipher', 'PSK-AES128-CBC-SHA256:DHE-PSK-AES128-CBC-SHA256']);
  assert.doesNotMatch(plain.report, /Ciphersuite:/, plain.report);
  assert.match(plain.report, /handshake failure|no shared cipher|alert/i, plain.report);
  const wrong = await opensslDtlsPskClient(port, identity, randomBytes(32).toString('hex'), ['-cipher', ECDHE_PSK_SUITE],
    statusServerPacket(id + 1, RADSEC_DTLS_SECRET));
  assert.doesNotMatch(wrong.report, /Ciphersuite:/, wrong.report);
  assert.equal(wrong.packets.length, 0, wrong.report);
}

/**
 * OpenSSL's s_client over DTLS 1.2 with a PSK: its brief report, and the RADIUS packets that came
 * back in records after `packet` was sent in one (each record one packet, RFC 7360). Without a
 * packet it leaves once the handshake is done. A handshake that never ends is ended after 10 s:
 * the report then says no cipher suite, which is the listener's failure, not a hang here.
 */
export function opensslDtlsPskClient(port: number, identity: string, hex: string, args: string[], packet?: Buffer):
    Promise<{ report: string; packets: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(findProgram(['openssl'], 'openssl'), ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`,
      '-psk_identity', identity, '-psk', hex, '-brief', '-ign_eof', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let report = '';
    const packets: Buffer[] = [];
    const reader = new PacketReader();
    const said = (chunk: Buffer) => {
      report += chunk.toString();
      // Handshake done: send the request; with none, leave.
      if (/Ciphersuite:/.test(report) && child.stdin.writable) {
        if (packet) child.stdin.write(packet);
        else child.stdin.end();
      }
    };
    child.stderr.on('data', said);
    child.stdout.on('data', (chunk: Buffer) => {
      if (packet === undefined) return said(chunk);
      packets.push(...reader.push(chunk));
      if (packets.length > 0) child.kill();
    });
    child.once('error', reject);
    child.once('close', () => resolve({ report, packets }));
    setTimeout(() => child.kill(), 10_000).unref();
  });
}

export interface OpensslDtlsPskServer {
  port: number;
  /** What s_server printed so far: its messages, and the application data it received. */
  printed(): Buffer;
  stop(): void;
}

/**
 * OpenSSL's s_server over DTLS 1.2 (its own cookie exchange) on 127.0.0.1, PSK only, one cipher
 * suite: ready once it printed ACCEPT. It answers no RADIUS; what reached it is in printed().
 */
export function startOpensslDtlsPskServer(identity: string, key: Buffer, cipher: string): Promise<OpensslDtlsPskServer> {
  return startOpensslDtlsServer(['-nocert', '-psk', key.toString('hex'), '-psk_identity', identity, '-cipher', cipher]);
}

/** OpenSSL's s_server over DTLS 1.2 on 127.0.0.1 with `args` (its certificate, or PSK), ready once it printed ACCEPT. */
export function startOpensslDtlsServer(args: string[]): Promise<OpensslDtlsPskServer> {
  return startOpensslServer(args, 'dtls');
}

/** OpenSSL's s_server on 127.0.0.1 over DTLS 1.2 (UDP) or TLS (TCP, its default versions) with `args`, ready once it printed ACCEPT. */
export async function startOpensslServer(args: string[], transport: 'tls' | 'dtls'): Promise<OpensslDtlsPskServer> {
  const port = transport === 'dtls' ? await freeUdpPort() : await freeTcpPort();
  const server = spawn(findProgram(['openssl'], 'openssl'), ['s_server', ...(transport === 'dtls' ? ['-dtls1_2'] : []),
    '-accept', `127.0.0.1:${port}`, ...args],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  let printed = Buffer.alloc(0);
  const ready = new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      printed = Buffer.concat([printed, chunk]);
      if (printed.includes('ACCEPT')) resolve();
    });
    server.once('close', () => reject(new Error(`s_server ended: ${printed.toString()}`)));
  });
  try {
    await ready;
  } catch (error) {
    server.kill();
    throw error;
  }
  return { port, printed: () => printed, stop: () => server.kill() };
}

/** Whether `bytes` hold a Status-Server whose Message-Authenticator is right for `secret`
 *  (RFC 5997 §3, RFC 3579 §3.2), computed here with node:crypto. */
export function signedStatusServerIn(bytes: Buffer, secret: string): boolean {
  for (let at = bytes.indexOf(12); at !== -1 && at + 20 <= bytes.length; at = bytes.indexOf(12, at + 1)) {
    const length = bytes.readUInt16BE(at + 2);
    if (length < 38 || at + length > bytes.length) continue;
    const packet = Buffer.from(bytes.subarray(at, at + length));
    for (let offset = 20; offset + 2 <= length && packet[offset + 1] >= 2;) {
      if (packet[offset] === 80 && packet[offset + 1] === 18) {
        const given = Buffer.from(packet.subarray(offset + 2, offset + 18));
        packet.fill(0, offset + 2, offset + 18);
        if (createHmac('md5', secret).update(packet).digest().equals(given)) return true;
        break;
      }
      offset += packet[offset + 1];
    }
  }
  return false;
}
