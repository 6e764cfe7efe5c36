/**
 * The other side of an EAP-TLS-framed method made of node:tls (OpenSSL, not our GnuTLS): a TLS
 * server or client on an in-memory wire, its records carried in EAP-TLS packets (RFC 5216 §3:
 * the L, M and S flags, fragments acknowledged by empty packets), so that one TLS session holds
 * our method on one end and OpenSSL on the other. OpenSSL's exporter on that session
 * (exportKeyingMaterial) is then an independent derivation of RFC 9190 / RFC 9427's keys, made
 * from the same TLS secrets as ours.
 */
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { AuthenticatorMethodSession } from '../../lib/session/authenticator-method';
import type { PeerMethodSession } from '../../lib/session/peer-method';
import { answerQuestions } from './tls-fixtures';

const FLAG_LENGTH = 0x80;
const FLAG_MORE = 0x40;
const FLAG_START = 0x20;
const FRAGMENT = 1000;

/** RFC 9190 §2.3 / RFC 9427 §2.1 from an exporter: Key_Material (128 octets) cut into MSK and
 *  EMSK, and Session-Id = Type ‖ Method-Id (64 octets). */
export interface Rfc9190Keys {
  msk: Buffer;
  emsk: Buffer;
  sessionId: Buffer;
  /** The same exporter asked for 64 octets only: on TLS 1.3 not the MSK (HKDF-Expand-Label binds the length). */
  only64: Buffer;
}

export function rfc9190Keys(socket: tls.TLSSocket, type: number): Rfc9190Keys {
  const context = Buffer.from([type]);
  const material = socket.exportKeyingMaterial(128, 'EXPORTER_EAP_TLS_Key_Material', context);
  const methodId = socket.exportKeyingMaterial(64, 'EXPORTER_EAP_TLS_Method-Id', context);
  return { msk: material.subarray(0, 64), emsk: material.subarray(64), sessionId: Buffer.concat([context, methodId]),
    only64: socket.exportKeyingMaterial(64, 'EXPORTER_EAP_TLS_Key_Material', context) };
}

/** A node:tls socket whose records go to and come from memory. */
export class NodeTlsWire {
  readonly socket: tls.TLSSocket;
  /** Application data read, one entry per read. */
  readonly plain: Buffer[] = [];
  secure = false;
  private readonly out: Buffer[] = [];
  private readonly wire: Duplex;

  constructor(options: { server: true; context: tls.SecureContextOptions; requestCert: boolean } |
    { server: false; connect: tls.ConnectionOptions }) {
    this.wire = new Duplex({ read() {}, write: (chunk: Buffer, _encoding, done) => { this.out.push(chunk); done(); } });
    if (options.server) {
      this.socket = new tls.TLSSocket(this.wire, { isServer: true, secureContext: tls.createSecureContext(options.context),
        requestCert: options.requestCert, rejectUnauthorized: options.requestCert });
      this.socket.on('secure', () => { this.secure = true; });
    } else {
      this.socket = tls.connect({ ...options.connect, socket: this.wire });
      this.socket.on('secureConnect', () => { this.secure = true; });
    }
    this.socket.on('data', (data: Buffer) => this.plain.push(Buffer.from(data)));
    this.socket.on('error', () => { /* the EAP side reports the failure */ });
  }

  /** Hands `records` to OpenSSL and waits until it has written all it answers (all of it runs in
   *  this process: a few turns of the event loop without a write mean it is done). */
  async receive(records?: Buffer): Promise<void> {
    if (records?.length) this.wire.push(records);
    await this.settle();
  }

  async settle(): Promise<void> {
    for (let quiet = 0, seen = -1; quiet < 5;) {
      await new Promise((resolve) => setImmediate(resolve));
      quiet = this.out.length === seen ? quiet + 1 : 0;
      seen = this.out.length;
    }
  }

  take(): Buffer {
    return Buffer.concat(this.out.splice(0));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** EAP-TLS framing of one side: outgoing messages cut into fragments, incoming ones put together. */
class Framing {
  private sending: Buffer = Buffer.alloc(0);
  private first = true;
  private readonly receiving: Buffer[] = [];

  constructor(private readonly code: 1 | 2, private readonly type: number) {}

  packet(id: number, flags: number, data: Buffer = Buffer.alloc(0), length?: number): Buffer {
    const header = Buffer.from([this.code, id, 0, 0, this.type, flags]);
    const total = length === undefined ? Buffer.alloc(0) : Buffer.alloc(4);
    if (length !== undefined) total.writeUInt32BE(length);
    const packet = Buffer.concat([header, total, data]);
    packet.writeUInt16BE(packet.length, 2);
    return packet;
  }

  queue(message: Buffer): void {
    this.sending = message;
    this.first = true;
  }

  get pending(): boolean {
    return this.sending.length > 0;
  }

  /** The next fragment of the queued message, an empty packet (an acknowledgement) when none. */
  next(id: number, start = false): Buffer {
    if (this.sending.length === 0) return this.packet(id, start ? FLAG_START : 0);
    const part = this.sending.subarray(0, FRAGMENT);
    const more = this.sending.length > FRAGMENT;
    const flags = (this.first ? FLAG_LENGTH : 0) | (more ? FLAG_MORE : 0);
    const packet = this.packet(id, flags, part, this.first ? this.sending.length : undefined);
    this.sending = this.sending.subarray(part.length);
    this.first = false;
    return packet;
  }

  /** The other side's packet: its flags, and the whole message once its last fragment is in. */
  take(packet: Buffer): { flags: number; message?: Buffer } {
    if (packet.length < 6 || packet[4] !== this.type) throw new Error(`not an EAP type ${this.type} packet: ${packet.toString('hex')}`);
    const flags = packet[5];
    this.receiving.push(packet.subarray((flags & FLAG_LENGTH) !== 0 ? 10 : 6, packet.readUInt16BE(2)));
    if ((flags & FLAG_MORE) !== 0) return { flags };
    return { flags, message: Buffer.concat(this.receiving.splice(0)) };
  }
}

/** How the node:tls server ends a TLS 1.3 handshake: RFC 9190 §2.5's commitment message (one
 *  octet 0x00 of application data), the close_notify earlier drafts used, or nothing at all. */
export type ServerEnding = 'commitment' | 'close_notify' | 'nothing';

/**
 * Our peer method session against a node:tls EAP-TLS server with `context`, which asks for a
 * client certificate: Start, the handshake, `ending`, then EAP-Success once the peer has
 * acknowledged the last flight. Resolves with the peer's result and the keys OpenSSL exports.
 */
export async function nodeServerAgainstPeer(peer: PeerMethodSession, context: tls.SecureContextOptions, ending: ServerEnding) {
  const node = new NodeTlsWire({ server: true, context, requestCert: true });
  const framing = new Framing(1, 13);
  let id = 1;
  let request = framing.next(id, true);
  let ended = false;
  try {
    for (let round = 0; round < 50; ++round) {
      const output = await peer.processRequestPacket(request);
      if (output.action !== 'send') throw new Error(`our peer answered with action ${output.action}`);
      const { message } = framing.take(await peer.getResponsePacket());
      id = (id + 1) & 0xff;
      if (framing.pending || message === undefined) {
        request = framing.next(id);  // the next fragment of ours, or the acknowledgement of theirs
        continue;
      }
      await node.receive(message);
      if (node.secure && !ended) {
        ended = true;
        if (ending === 'commitment') node.socket.write(Buffer.from([0]));
        if (ending === 'close_notify') node.socket.end();
        await node.settle();
      }
      const flight = node.take();
      if (flight.length === 0 && node.secure) {
        return { result: await peer.getResult('success'), keys: rfc9190Keys(node.socket, 13) };
      }
      if (flight.length === 0) throw new Error('the node:tls server had nothing to answer before its handshake was complete');
      framing.queue(flight);
      request = framing.next(id);
    }
    throw new Error('no verdict after 50 rounds');
  } finally {
    node.destroy();
  }
}

/**
 * A node:tls client (`connect`: its trust, certificate, versions) as the peer of our
 * authenticator method session of EAP type `type`. Once the handshake is done, `tunnel` may
 * write phase-2 data. Runs until the authenticator decides; resolves with its result, the keys
 * OpenSSL exports on the client's side and the application data the client read.
 */
export async function nodePeerAgainstAuthenticator(authenticator: AuthenticatorMethodSession, type: number,
  connect: tls.ConnectionOptions, options: { password?: string; tunnel?: (socket: tls.TLSSocket) => void } = {}) {
  const node = new NodeTlsWire({ server: false, connect });
  const framing = new Framing(2, type);
  let id = 1;
  let tunnelled = false;
  try {
    for (let round = 0; round < 50; ++round) {
      const { flags, message } = framing.take((await authenticator.sendPacket(id)).packet);
      if (framing.pending && message !== undefined && message.length > 0) throw new Error('the authenticator sent data over our fragments');
      if (!framing.pending && message !== undefined) {
        await node.receive((flags & FLAG_START) !== 0 ? undefined : message);
        if (node.secure && !tunnelled && options.tunnel) {
          tunnelled = true;
          options.tunnel(node.socket);
          await node.settle();
        }
        const flight = node.take();
        if (flight.length > 0) framing.queue(flight);
      }
      let action = await authenticator.receivePacket(framing.next(id));
      while (action === 'respond') {
        action = await authenticator.setAttributes(answerQuestions(await authenticator.getAttributes(), options.password));
      }
      if (action === 'result') return { result: await authenticator.getResult(), keys: rfc9190Keys(node.socket, type), plain: node.plain };
      if (action !== 'send') throw new Error(`the authenticator answered with action ${action}`);
      id = (id + 1) & 0xff;
    }
    throw new Error('no verdict after 50 rounds');
  } finally {
    node.destroy();
  }
}
