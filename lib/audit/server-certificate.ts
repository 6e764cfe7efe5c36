/**
 * The server's certificate as it crossed the wire: the TLS 1.2 handshake inside EAP-TLS, PEAP
 * and EAP-TTLS is plaintext up to ChangeCipherSpec, so the Certificate message can be read from
 * the EAP-Requests the peer received, without asking the native TLS stack. TLS 1.3 encrypts the
 * certificate: then nothing is found, and the caller says so.
 *
 * Every length is checked before it is read; the collected handshake is capped.
 */
import { X509Certificate } from 'node:crypto';
import { EapCode } from '../core/constants';
import { isTlsMethodType } from '../core/method-facts';
import { eapCodeOf, eapTypeOf } from '../core/packet';

// The TLS-based methods share one layout after the Type: a flags octet, then an optional 4-byte length.
const FLAG_LENGTH_INCLUDED = 0x80;
const RECORD_CHANGE_CIPHER_SPEC = 20;
const RECORD_HANDSHAKE = 22;
const HANDSHAKE_SERVER_HELLO = 2;
const HANDSHAKE_CERTIFICATE = 11;
const EXTENSION_SUPPORTED_VERSIONS = 43;
const HANDSHAKE_CERTIFICATE_STATUS = 22;
const STATUS_TYPE_OCSP = 1;
const MAX_COLLECTED = 256 * 1024;

export class ServerCertificateWatcher {
  private readonly records: Buffer[] = [];
  private collected = 0;
  private done = false;

  /** Feed every EAP packet the peer receives (authenticate()'s onPacket with direction 'in'). */
  observe(packet: Buffer): void {
    if (this.done || packet.length < 6 || eapCodeOf(packet) !== EapCode.Request || !isTlsMethodType(eapTypeOf(packet))) return;
    const length = Math.min(packet.readUInt16BE(2), packet.length);
    const offset = 6 + ((packet[5] & FLAG_LENGTH_INCLUDED) ? 4 : 0);
    if (offset > length) return;
    const data = packet.subarray(offset, length);
    if (data.length === 0) return;
    this.collected += data.length;
    if (this.collected > MAX_COLLECTED) {
      this.done = true;
      return;
    }
    this.records.push(Buffer.from(data));
  }

  /** The chain the server sent, leaf first; empty when it was not visible. */
  chain(): X509Certificate[] {
    const body = this.handshakeMessage(HANDSHAKE_CERTIFICATE);
    return body ? certificateList(body) : [];
  }

  /** The OCSP response the server stapled (TLS 1.2 CertificateStatus), when it stapled one. */
  stapledOcsp(): Buffer | undefined {
    const body = this.handshakeMessage(HANDSHAKE_CERTIFICATE_STATUS);
    if (!body || body.length < 4 || body[0] !== STATUS_TYPE_OCSP) return undefined;
    const response = body.subarray(4, 4 + body.readUIntBE(1, 3));
    return response.length > 0 ? response : undefined;
  }

  /** The TLS version the server chose in its ServerHello (0x0301 TLS 1.0 … 0x0304 TLS 1.3: its
   *  supported_versions extension when it has one, RFC 8446 §4.2.1), when one was seen. */
  serverVersion(): number | undefined {
    const body = this.handshakeMessage(HANDSHAKE_SERVER_HELLO);
    if (!body || body.length < 38) return undefined;
    const legacy = body.readUInt16BE(0);
    let offset = 34 + 1 + body[34] + 2 + 1;
    if (offset + 2 > body.length) return legacy;
    const end = Math.min(body.length, offset + 2 + body.readUInt16BE(offset));
    offset += 2;
    while (offset + 4 <= end) {
      const type = body.readUInt16BE(offset);
      const length = body.readUInt16BE(offset + 2);
      if (type === EXTENSION_SUPPORTED_VERSIONS && length === 2 && offset + 6 <= end) return body.readUInt16BE(offset + 4);
      offset += 4 + length;
    }
    return legacy;
  }

  private handshakeMessage(wanted: number): Buffer | undefined {
    const handshake = plaintextHandshake(Buffer.concat(this.records));
    let offset = 0;
    while (offset + 4 <= handshake.length) {
      const type = handshake[offset];
      const length = handshake.readUIntBE(offset + 1, 3);
      const body = handshake.subarray(offset + 4, offset + 4 + length);
      if (body.length < length) break;
      if (type === wanted) return body;
      offset += 4 + length;
    }
    return undefined;
  }
}

/** Handshake bytes of the TLS records before the first ChangeCipherSpec. */
function plaintextHandshake(stream: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 5 <= stream.length) {
    const type = stream[offset];
    const length = stream.readUInt16BE(offset + 3);
    if (type === RECORD_CHANGE_CIPHER_SPEC) break;
    const fragment = stream.subarray(offset + 5, offset + 5 + length);
    if (fragment.length < length) break;
    if (type === RECORD_HANDSHAKE) parts.push(fragment);
    offset += 5 + length;
  }
  return Buffer.concat(parts);
}

/** TLS 1.2 Certificate: a 3-byte list length, then 3-byte-length DER certificates. */
function certificateList(body: Buffer): X509Certificate[] {
  if (body.length < 3) return [];
  const end = Math.min(body.length, 3 + body.readUIntBE(0, 3));
  const chain: X509Certificate[] = [];
  let offset = 3;
  while (offset + 3 <= end) {
    const length = body.readUIntBE(offset, 3);
    const der = body.subarray(offset + 3, offset + 3 + length);
    if (der.length < length) break;
    try {
      chain.push(new X509Certificate(der));
    } catch {
      break;
    }
    offset += 3 + length;
  }
  return chain;
}
