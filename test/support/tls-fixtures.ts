/**
 * Certificates made per run with the openssl command (Debian's, not node's), connection data
 * built by hand from the format the native methods read (eCFG version 1), and a driver that
 * runs a peer method session against an authenticator method session packet by packet.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AuthenticatorMethodSession, loadAuthenticatorMethod } from '../../lib/session/authenticator-method';
import { type PeerMethodResult, PeerMethodSession, loadPeerMethod } from '../../lib/session/peer-method';
import type { AuthenticatorMethodResult } from '../../lib/session/authenticator-method';

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

export interface Pki {
  dir: string;
  caPem: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  otherCaPem: string;
  expiredCert: string;
  expiredKey: string;
}

/** A CA, a server certificate (SAN DNS:radius.example.test), a client certificate, a second
 *  unrelated CA, and an expired server certificate from the first CA. */
export function makePki(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', '/CN=eaphost test CA']);
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.pem', '-days', '3', '-subj', '/CN=other CA']);
  fs.writeFileSync(path.join(dir, 'server.ext'),
    'subjectAltName=DNS:radius.example.test\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n');
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n');
  for (const [name, cn] of [['server', 'radius.example.test'], ['client', 'alice@example.test']]) {
    openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  }
  // An expired certificate needs explicit dates, which only `openssl ca` takes.
  fs.mkdirSync(path.join(dir, 'ca-db'));
  fs.writeFileSync(path.join(dir, 'ca-db', 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'ca-db', 'serial'), '1000\n');
  fs.writeFileSync(path.join(dir, 'ca.cnf'), [
    '[ca]', 'default_ca = test', '[test]', 'dir = ca-db', 'database = ca-db/index.txt', 'serial = ca-db/serial',
    'new_certs_dir = ca-db', 'default_md = sha256', 'policy = any', 'copy_extensions = none', '[any]', 'commonName = supplied',
  ].join('\n'));
  openssl(dir, ['req', ...ec, '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=radius.example.test']);
  openssl(dir, ['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', 'expired.csr',
    '-out', 'expired.pem', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', 'server.ext', '-notext']);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    dir, caPem: read('ca.pem'), serverCert: read('server.pem'), serverKey: read('server.key'),
    clientCert: read('client.pem'), clientKey: read('client.key'), otherCaPem: read('other.pem'),
    expiredCert: read('expired.pem'), expiredKey: read('expired.key'),
  };
}

export interface ConnectionFields {
  ca?: string;
  serverNames?: string[];
  insecure?: boolean;
  requireCryptoBinding?: boolean;
  /** Authenticator: the result carries the conversation facts (flags bit12). */
  privateAttributes?: boolean;
  tlsMin?: '1.2' | '1.3';
  tlsMax?: '1.2' | '1.3';
  /** One EAP type, or an authenticator's offer (the proposed one first). */
  innerMethod?: number | number[];
  /** TEAP, EAP chaining: the second inner method's EAP type. */
  teapSecondInner?: number;
  phase2?: number;
  certificate?: string;
  privateKey?: string;
  privateKeyPassword?: string;
  anonymousIdentity?: string;
  /** Seconds a session stays resumable; a peer takes 0 only: it neither offers nor keeps one. */
  sessionLifetime?: number;
}

/** eCFG version 1: magic, version, then Type(1) Length(4, big-endian) Value. */
export function connectionData(fields: ConnectionFields): Buffer {
  const parts: Buffer[] = [Buffer.from('eCFG', 'ascii'), Buffer.from([1])];
  const put = (type: number, value: Buffer) => {
    const header = Buffer.alloc(5);
    header[0] = type;
    header.writeUInt32BE(value.length, 1);
    parts.push(header, value);
  };
  const version = (v: '1.2' | '1.3') => Buffer.from(v === '1.2' ? [3, 3] : [3, 4]);
  if (fields.ca !== undefined) put(1, Buffer.from(fields.ca));
  for (const name of fields.serverNames ?? []) put(2, Buffer.from(name));
  if (fields.insecure || fields.requireCryptoBinding || fields.privateAttributes) {
    const flags = Buffer.alloc(4);
    flags.writeUInt32BE((fields.insecure ? 1 : 0) | (fields.requireCryptoBinding ? 2 : 0) | (fields.privateAttributes ? 4096 : 0));
    put(3, flags);
  }
  if (fields.tlsMin) put(4, version(fields.tlsMin));
  if (fields.tlsMax) put(5, version(fields.tlsMax));
  if (fields.innerMethod !== undefined) put(6, Buffer.from([fields.innerMethod].flat()));
  if (fields.teapSecondInner !== undefined) put(18, Buffer.from([fields.teapSecondInner]));
  if (fields.phase2 !== undefined) put(7, Buffer.from([fields.phase2]));
  if (fields.certificate !== undefined) put(8, Buffer.from(fields.certificate));
  if (fields.privateKey !== undefined) put(9, Buffer.from(fields.privateKey));
  if (fields.privateKeyPassword !== undefined) put(10, Buffer.from(fields.privateKeyPassword));
  if (fields.anonymousIdentity !== undefined) put(11, Buffer.from(fields.anonymousIdentity));
  if (fields.sessionLifetime !== undefined) {
    const lifetime = Buffer.alloc(4);
    lifetime.writeUInt32BE(fields.sessionLifetime);
    put(13, lifetime);
  }
  return Buffer.concat(parts);
}

/** Answers the authenticator method's RESPOND questions the way a user store would. */
export function answerQuestions(wanted: { type: number; value: Buffer }[], password: string | undefined):
    { type: number; value: Buffer }[] {
  if (password === undefined) return [];
  return wanted.some((a) => a.type === 8107) ? [{ type: 8107, value: Buffer.from(password, 'utf8') }] : [];
}

export interface Conversation {
  peer: PeerMethodResult;
  authenticator: AuthenticatorMethodResult;
  packets: Buffer[];
  roundTrips: number;
}

/** Shuttles packets between the two sessions until the authenticator decides. */
export async function converse(peer: PeerMethodSession, authenticator: AuthenticatorMethodSession,
                               password?: string, maxRoundTrips = 100): Promise<Conversation> {
  const packets: Buffer[] = [];
  let id = 1;
  let request = (await authenticator.sendPacket(id)).packet;
  for (let roundTrips = 1; roundTrips <= maxRoundTrips; ++roundTrips) {
    packets.push(request);
    const output = await peer.processRequestPacket(request);
    if (output.action !== 'send') throw new Error(`peer answered with action ${output.action}`);
    const response = await peer.getResponsePacket();
    packets.push(response);
    let action = await authenticator.receivePacket(response);
    while (action === 'respond') {
      action = await authenticator.setAttributes(answerQuestions(await authenticator.getAttributes(), password));
    }
    if (action === 'send') {
      id = (id + 1) & 0xff;
      request = (await authenticator.sendPacket(id)).packet;
      continue;
    }
    if (action !== 'result') throw new Error(`authenticator answered with action ${action}`);
    const authResult = await authenticator.getResult();
    const peerResult = await peer.getResult(authResult.success ? 'success' : 'failure');
    return { peer: peerResult, authenticator: authResult, packets, roundTrips };
  }
  throw new Error(`no result after ${maxRoundTrips} round trips`);
}

/** A peer session and an authenticator session of `method`, each from its own loaded module,
 *  given to `drive` and ended (with their modules) when it returns. A tunnel method's peer
 *  authenticates as alice / secret. */
export async function withSessionPair<T>(method: 'tls' | 'peap' | 'ttls', peerData: Buffer, authenticatorData: Buffer,
  drive: (peer: PeerMethodSession, authenticator: AuthenticatorMethodSession) => Promise<T>): Promise<T> {
  await using peerMethod = await loadPeerMethod(method);
  await using authMethod = await loadAuthenticatorMethod(method);
  await using peer = await peerMethod.beginSession({
    connectionData: peerData, maxSendPacketSize: 1400,
    ...(method === 'tls' ? {} : { identity: 'alice', password: 'secret' }),
  });
  await using auth = await authMethod.beginSession({ identity: 'anonymous', maxSendPacketSize: 1400, connectionData: authenticatorData });
  return await drive(peer, auth);
}

/** MSK = MS-MPPE-Recv-Key ‖ MS-MPPE-Send-Key from clear MPPE attributes, EMSK from eatEMSK. */
export function keysOf(attributes: { type: number; value: Buffer }[]): { msk: Buffer; emsk?: Buffer } {
  const mppe = (vendorType: number) => {
    const a = attributes.find((x) => x.type === 26 && x.value.readUInt32BE(0) === 311 && x.value[4] === vendorType);
    if (!a) throw new Error(`no MPPE key of vendor type ${vendorType}`);
    return a.value.subarray(9, 9 + a.value[8]);
  };
  const emsk = attributes.find((x) => x.type === 9003)?.value;
  return { msk: Buffer.concat([mppe(17), mppe(16)]), emsk };
}

/** Both sides succeeded and derived the same 64-byte MSK and, unless `emsk` is false, the same
 *  64-byte EMSK. Returns the peer's keys. */
export function assertSameKeysOnBothSides(result: Conversation, { emsk = true }: { emsk?: boolean } = {}):
    { msk: Buffer; emsk?: Buffer } {
  assert.equal(result.peer.success, true, result.peer.error?.message);
  assert.equal(result.authenticator.success, true);
  const peerKeys = keysOf(result.peer.attributes);
  const authKeys = keysOf(result.authenticator.attributes);
  assert.equal(peerKeys.msk.length, 64);
  assert.deepEqual(peerKeys.msk, authKeys.msk);
  if (emsk) {
    assert.equal(peerKeys.emsk?.length, 64);
    assert.deepEqual(peerKeys.emsk, authKeys.emsk);
  }
  return peerKeys;
}

export interface InProcessRunOptions {
  /** The peer's credentials (PEAP, TTLS); default alice / secret. */
  identity?: string;
  password?: string;
  /** The password the authenticator's user store answers with; undefined: it answers nothing. */
  storedPassword?: string;
  maxSendPacketSize?: number;
}

/**
 * In-process runs of the TLS-based methods, our peer against our authenticator, with a PKI made
 * before the calling describe's tests and removed after them. Call it in a describe body.
 */
export function inProcessTlsMethods(): {
  readonly pki: Pki;
  /** The authenticator's connection data: the server certificate and key, the CA, `extra`. */
  serverData(extra?: ConnectionFields): Buffer;
  /** A tunnel peer's connection data (PEAP, TTLS): the CA, the server's name, an anonymous outer identity. */
  peerTunnel(extra?: ConnectionFields): Buffer;
  run(method: 'tls' | 'peap' | 'ttls' | 'teap', peerData: Buffer, authData: Buffer, options?: InProcessRunOptions): Promise<Conversation>;
} {
  let made: Pki | undefined;
  before(() => { made = makePki(); });
  after(() => { if (made) fs.rmSync(made.dir, { recursive: true, force: true }); });
  const pki = (): Pki => {
    if (made === undefined) throw new Error('the PKI is made in the describe\'s before hook');
    return made;
  };
  return {
    get pki() { return pki(); },
    serverData: (extra = {}) => connectionData({
      certificate: pki().serverCert, privateKey: pki().serverKey, ca: pki().caPem, ...extra,
    }),
    peerTunnel: (extra = {}) =>
      connectionData({ ca: pki().caPem, serverNames: ['radius.example.test'], anonymousIdentity: 'anonymous', ...extra }),
    async run(method, peerData, authData, options = {}) {
      const { identity = 'alice', password = 'secret', maxSendPacketSize = 1400 } = options;
      const storedPassword = 'storedPassword' in options ? options.storedPassword : 'secret';
      await using peerMethod = await loadPeerMethod(method);
      await using authMethod = await loadAuthenticatorMethod(method);
      await using peer = await peerMethod.beginSession({
        connectionData: peerData, maxSendPacketSize,
        ...(method === 'tls' ? {} : { identity, password }),
      });
      await using auth = await authMethod.beginSession({ identity: 'anonymous', connectionData: authData, maxSendPacketSize });
      return await converse(peer, auth, storedPassword);
    },
  };
}
