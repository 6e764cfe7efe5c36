/**
 * A NAS for the RadSec benches: `eaphost`'s RadSec client flags for the interop PKI's client
 * certificate, and a UDP relay that puts a NAS a delay away (netem is not in every kernel).
 */
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../../test/support/interop-pki';
import type { InteropPki } from '../../test/support/interop-pki';

/** The RadSec client flags of the PKI's client certificate. */
export function radsecFlags(pki: InteropPki, transport: 'tls' | 'dtls'): string[] {
  return ['--radsec', '--radsec-transport', transport, '--radsec-ca', pki.files.ca, '--radsec-cert', pki.files.clientCert,
    '--radsec-key', pki.files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', SERVER_NAME];
}

/** A UDP relay on 127.0.0.1 to `target`, holding each datagram `oneWayMs` in each direction, one
 *  upstream socket per client source (a stand-in for a path 2 × oneWayMs long). */
export async function delayingUdpRelay(target: number, oneWayMs: number): Promise<{ port: number; close(): void }> {
  const front = createSocket('udp4');
  const upstreams = new Map<string, Socket>();
  front.on('message', (datagram: Buffer, from: RemoteInfo) => {
    const key = `${from.address}:${from.port}`;
    let upstream = upstreams.get(key);
    if (!upstream) {
      const made = createSocket('udp4');
      made.on('message', (reply: Buffer) => setTimeout(() => front.send(reply, from.port, from.address), oneWayMs));
      made.bind(0, '127.0.0.1');
      upstreams.set(key, made);
      upstream = made;
    }
    const chosen = upstream;
    setTimeout(() => chosen.send(datagram, target, '127.0.0.1'), oneWayMs);
  });
  await new Promise<void>((bound) => front.bind(0, '127.0.0.1', bound));
  return {
    port: front.address().port,
    close: () => {
      front.close();
      for (const socket of upstreams.values()) socket.close();
    },
  };
}
