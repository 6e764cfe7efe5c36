/** Shared test helpers: independent truth comes from node:crypto, never from the code under test. */
import * as crypto from 'crypto';
import { authenticate, builtinMethods, createAuthenticator, openEapHost } from '../lib';
import type { AuthenticatorConversation, EapHost, EapTransport } from '../lib';
import { peerConnectionData } from '../lib/core/connection-data';
import type { EphemeralCa, IssuedCertificate } from '../lib/core/ephemeral-ca';

/**
 * The EAPHost this suite's expectations hold for. They are the stand-in's (the portable EAPHost):
 * discards of empty or cut packets, exact error codes, packet traces and round-trip counts, which
 * Windows' EapHost need not share. On Linux and macOS that is the default backend; under Wine the
 * windows backend is the stand-in, installed in System32 (scripts/wine/run.sh), so the addon's
 * System32 path is what runs; on a real Windows the windows backend is Windows' own EapHost, whose
 * documented behaviour test/windows-real/** checks, so there the suite names the portable backend
 * (docs/WINDOWS-CONTRACT.md, "Which EAPHost each test holds for").
 */
export function openSuiteHost(): Promise<EapHost> {
  const realWindows = process.platform === 'win32' && process.env.EAPHOST_WINE !== '1';
  return realWindows ? openEapHost({ backend: 'portable' }) : openEapHost();
}

/** Credentials nobody chose in advance. */
export function randomCredentials(): { identity: string; password: string } {
  return {
    identity: `user-${crypto.randomBytes(6).toString('hex')}`,
    password: crypto.randomBytes(12).toString('base64url'),
  };
}

/** RFC 1994 / RFC 3748 §5.4: MD5(Identifier || secret || challenge), computed by node:crypto. */
export function expectedMd5Response(id: number, password: string, challenge: Buffer): Buffer {
  return crypto.createHash('md5').update(Buffer.from([id])).update(Buffer.from(password, 'utf8')).update(challenge).digest();
}

/** Builds an EAP packet (RFC 3748 §4). */
export function eapPacket(code: number, id: number, type?: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const body = type === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([type]), data]);
  const packet = Buffer.alloc(4 + body.length);
  packet[0] = code;
  packet[1] = id;
  packet.writeUInt16BE(packet.length, 2);
  body.copy(packet, 4);
  return packet;
}

export function md5ChallengeRequest(id: number, challenge: Buffer, name = 'authenticator'): Buffer {
  return eapPacket(1, id, 4, Buffer.concat([Buffer.from([challenge.length]), challenge, Buffer.from(name)]));
}

/** Parses an MD5-Challenge Response: { id, value, name }. */
export function parseMd5Response(packet: Buffer): { code: number; id: number; type: number; value: Buffer; name: string } {
  const length = packet.readUInt16BE(2);
  const size = packet[5];
  return {
    code: packet[0], id: packet[1], type: packet[4],
    value: packet.subarray(6, 6 + size), name: packet.subarray(6 + size, length).toString('utf8'),
  };
}

/** An embedded authenticator's conversation behind a plain transport: authenticate() cannot
 *  pair with it, so every step is a call of its own on the host thread (the reference a paired
 *  run is compared with). */
export function unpaired(conversation: AuthenticatorConversation): EapTransport {
  return {
    begin: (options) => conversation.begin(options),
    respond: (response, options) => conversation.respond(response, options),
    retransmission: (options) => conversation.retransmission(options),
    close: () => conversation.close(),
  };
}

/**
 * One EAP-TLS authentication: this process's embedded authenticator serves `server`, and the peer,
 * a session of `host`, presents `client`; both issued by `pki`, whose CA each side trusts.
 */
export async function eapTlsThrough(host: EapHost, pki: EphemeralCa, server: IssuedCertificate, client: IssuedCertificate,
  user = randomCredentials()): ReturnType<typeof authenticate> {
  await using authenticator = await createAuthenticator({ methods: ['tls'], users: { [user.identity]: { password: user.password } },
    cert: server.cert, key: server.key, ca: pki.ca });
  const connectionData = peerConnectionData('tls', { ca: pki.ca, serverName: pki.serverName, ...client });
  await using session = await host.beginSession({ method: builtinMethods.tls.methodType, identity: user.identity, password: '',
    connectionData });
  return await authenticate({ session, transport: authenticator.createConversation() });
}
