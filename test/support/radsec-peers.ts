/**
 * The two kinds of RadSec client the listener's limits are about: a TCP connection that never
 * finishes (or never starts) its TLS handshake, and a NAS with a client certificate that talks
 * Status-Server over TLS. Packets are built and checked here with node:crypto (RFC 2865 §3,
 * RFC 3579 §3.2, RFC 5997), independently of the library's codec.
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { connect as tcpConnect, createServer, Server, Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { createSocket } from 'node:dgram';
import { RadSecClient } from '../../lib/radius/radsec/client';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME } from './interop-pki';
import { findProgram } from './programs';

export const RADSEC_TEST_SECRET = 'radsec';
const STATUS_SERVER = 12;
const ACCESS_ACCEPT = 2;
const STATUS_SERVER_LENGTH = 38;

export interface PeerConnection<S extends Socket> {
  socket: S;
  /** Its local port: the port the listener reports it by. */
  port: number;
  /** Resolves when the connection has closed, whoever closed it. */
  closed: Promise<void>;
  isClosed(): boolean;
}

function watched<S extends Socket>(socket: S): PeerConnection<S> {
  let done = false;
  // A write racing the server's close fails with EPIPE / ECONNRESET: that close is what is awaited.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => {
    done = true;
    resolve();
  }));
  return { socket, port: socket.localPort ?? 0, closed, isClosed: () => done };
}

/** A TCP connection to the listener that says nothing (or what the test writes) and never shakes hands. */
export function idleConnection(host: string, port: number): Promise<PeerConnection<Socket>> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(watched(socket));
    });
  });
}

/** A NAS's RadSec connection: TLS with the PKI's client certificate, checking the server's. */
export function nasConnection(pki: InteropPki, host: string, port: number): Promise<PeerConnection<TLSSocket>> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host, port, cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca, servername: SERVER_NAME,
      minVersion: 'TLSv1.2',
    });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.removeListener('error', reject);
      resolve(watched(socket));
    });
  });
}

function requestAuthenticatorOf(sequence: number): Buffer {
  const authenticator = Buffer.alloc(16);
  authenticator.writeUInt32BE(sequence >>> 0, 0);
  authenticator.write('status', 4, 'latin1');
  return authenticator;
}

/** Status-Server number `sequence` (its Identifier the low byte, its Request Authenticator from the whole number),
 *  signed with `secret`. */
export function statusServerPacket(sequence: number, secret = RADSEC_TEST_SECRET): Buffer {
  const packet = Buffer.alloc(STATUS_SERVER_LENGTH);
  packet[0] = STATUS_SERVER;
  packet[1] = sequence & 0xff;
  packet.writeUInt16BE(STATUS_SERVER_LENGTH, 2);
  requestAuthenticatorOf(sequence).copy(packet, 4);
  packet[20] = 80;
  packet[21] = 18;
  createHmac('md5', secret).update(packet).digest().copy(packet, 22);
  return packet;
}

/** Cuts a byte stream into RADIUS packets by their Length field. */
export class PacketReader {
  private buffered = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const packets: Buffer[] = [];
    while (this.buffered.length >= 4 && this.buffered.length >= this.buffered.readUInt16BE(2)) {
      const length = this.buffered.readUInt16BE(2);
      packets.push(this.buffered.subarray(0, length));
      this.buffered = this.buffered.subarray(length);
    }
    return packets;
  }
}

/** True when `reply` is an Access-Accept signed with `secret` for Status-Server number `sequence` (RFC 5997 §3). */
export function answersStatusServer(reply: Buffer, sequence: number, secret = RADSEC_TEST_SECRET): boolean {
  if (reply.length < 20 || reply[0] !== ACCESS_ACCEPT || reply[1] !== (sequence & 0xff)) return false;
  const requestAuthenticator = requestAuthenticatorOf(sequence);
  const expected = createHash('md5').update(reply.subarray(0, 4)).update(requestAuthenticator).update(reply.subarray(20))
    .update(secret).digest();
  return expected.equals(reply.subarray(4, 20));
}

/** Sends Status-Server number `sequence` and resolves with the reply that answers it. */
export function statusServer(nas: PeerConnection<TLSSocket>, sequence: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const reader = new PacketReader();
    const onData = (chunk: Buffer): void => {
      const reply = reader.push(chunk).find((packet) => answersStatusServer(packet, sequence));
      if (reply === undefined) return;
      nas.socket.removeListener('data', onData);
      resolve(reply);
    };
    nas.socket.on('data', onData);
    nas.closed.then(() => reject(new Error(`the connection closed before Status-Server ${sequence} was answered`)));
    nas.socket.write(statusServerPacket(sequence));
  });
}

/** A TCP proxy in front of the listener at `target` that delays each direction by `oneWayMs`, connecting on only
 *  after that long, from `localAddress`: a NAS that far away. */
export function delayingProxy(target: number, oneWayMs: number, localAddress = '127.0.0.1'): Promise<Server> {
  const server = createServer((client: Socket) => {
    client.on('error', () => undefined);
    const toTarget: Buffer[] = [];
    let upstream: Socket | undefined;
    client.on('data', (chunk: Buffer) => setTimeout(() => (upstream ? upstream.write(chunk) : toTarget.push(chunk)), oneWayMs));
    client.on('close', () => setTimeout(() => upstream?.destroy(), oneWayMs));
    setTimeout(() => {
      upstream = tcpConnect({ host: '127.0.0.1', port: target, localAddress });
      upstream.on('error', () => undefined);
      upstream.on('connect', () => { for (const chunk of toTarget.splice(0)) upstream!.write(chunk); });
      upstream.on('data', (chunk: Buffer) => setTimeout(() => { if (!client.destroyed) client.write(chunk); }, oneWayMs));
      upstream.on('close', () => setTimeout(() => client.destroy(), oneWayMs));
    }, oneWayMs);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What OpenSSL's s_client reports of a TLS-PSK handshake with 127.0.0.1:`port` (its standard
 *  input closed: it reports and leaves), `args` added to its command line. */
export function opensslPskClient(port: number, identity: string, hex: string, args: string[]): Promise<string> {
  return programOutput(findProgram(['openssl'], 'openssl'), ['s_client', '-connect', `127.0.0.1:${port}`, '-psk_identity', identity,
    '-psk', hex, ...args]);
}

/** What `program` wrote to its standard output and error, together, once it ended (its standard
 *  input closed). */
export function programOutput(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('error', reject);
    child.once('close', () => resolve(output));
  });
}

/** A real DTLS ClientHello, as our client with the PKI's certificate sends it first: caught on a
 *  socket that never answers. */
export async function dtlsClientHello(pki: InteropPki): Promise<Buffer> {
  const catcher = createSocket('udp4');
  await new Promise<void>((bound) => catcher.bind(0, '127.0.0.1', bound));
  const caught = new Promise<Buffer>((resolve) => catcher.once('message', resolve));
  const client = new RadSecClient({ transport: 'dtls', cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
    serverName: SERVER_NAME });
  // The Status-Server opens the association; it is never answered (the client's close ends it).
  client.statusServer({ host: '127.0.0.1', port: catcher.address().port, secret: RADSEC_DTLS_SECRET }).catch(() => undefined);
  try {
    return await caught;
  } finally {
    await client.close();
    catcher.close();
  }
}
