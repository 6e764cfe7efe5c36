/**
 * A client certificate and its key as a PKCS#12 (RFC 7292), made for one test run from
 * node:crypto's primitives, for tests that hand one to an OS that must parse it (Windows'
 * PFXImportCertStore): a self-signed RSA-2048 certificate, the key as a PBES2 (PBKDF2-SHA256,
 * AES-256-CBC) shrouded key bag, both bags under one localKeyId, and the integrity MAC
 * (HMAC-SHA256, key by RFC 7292 Appendix B with SHA-256). RSA because Wine's crypt32 imports
 * no other key type. pkcs12Of packs a certificate issued elsewhere the same way (the ephemeral
 * CA's P-256 client certificate, for a real Windows).
 */
import {
  createHash, createHmac, createPrivateKey, generateKeyPairSync, KeyObject, randomBytes, sign, X509Certificate,
} from 'node:crypto';
import { explicit, objectIdentifier, octetString, sequence, set, smallInteger, time, tlv, unsignedInteger, utf8String } from '../../lib/core/der';
import { wineImportsIntact } from './key-pool';

const OID = {
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  data: '1.2.840.113549.1.7.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  sha256: '2.16.840.1.101.3.4.2.1',
};

const NULL = Buffer.of(0x05, 0x00);
const MAC_ITERATIONS = 2048;

export interface TestPkcs12 {
  pkcs12: Buffer;
  password: string;
  /** The certificate's SHA-1 thumbprint, uppercase hex, as node:crypto computes it. */
  thumbprint: string;
  subject: string;
  /** The certificate (PEM): the CA an authenticator trusts for it, since it signs itself. */
  certificate: string;
}

function selfSigned(subject: string, keys: ReturnType<typeof generateKeyPairSync>): Buffer {
  const algorithm = sequence(objectIdentifier(OID.sha256WithRsa), NULL);
  const name = sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(subject))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x3f) | 0x40;
  const now = Date.now();
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(new Date(now - 3600_000)), time(new Date(now + 86400_000))),
    name,
    keys.publicKey.export({ type: 'spki', format: 'der' }),
  );
  return sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.of(0), sign('sha256', tbs, keys.privateKey)])));
}

/** RFC 7292 B.2 with SHA-256 (u = 32, v = 64), ID 3 (MAC key): one block is the whole key. */
function macKey(password: string, salt: Buffer, iterations: number): Buffer {
  const v = 64;
  const stretch = (input: Buffer): Buffer => {
    if (input.length === 0) return input;
    const out = Buffer.alloc(v * Math.ceil(input.length / v));
    for (let i = 0; i < out.length; i++) out[i] = input[i % input.length];
    return out;
  };
  const bmp = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) bmp.writeUInt16BE(password.charCodeAt(i), i * 2);
  let block = Buffer.concat([Buffer.alloc(v, 3), stretch(salt), stretch(bmp)]);
  for (let i = 0; i < iterations; i++) block = createHash('sha256').update(block).digest();
  return block;
}

function bag(oid: string, value: Buffer, keyId: Buffer): Buffer {
  return sequence(objectIdentifier(oid), explicit(0, value), set(sequence(objectIdentifier(OID.localKeyId), set(octetString(keyId)))));
}

const dataContent = (content: Buffer): Buffer => sequence(objectIdentifier(OID.data), explicit(0, octetString(content)));

export function makeTestPkcs12(subject = `eaphost test client ${randomBytes(4).toString('hex')}`,
  password = randomBytes(12).toString('base64url')): TestPkcs12 {
  let keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // It goes into Wine's store in the Wine lane (key-pool.ts says why some keys may not).
  while (!wineImportsIntact(keys.privateKey)) keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...pkcs12Of(selfSigned(subject, keys), keys.privateKey, password), subject };
}

/** A certificate issued elsewhere (DER or PEM) and its private key, as a PKCS#12 under `password`. */
export function pkcs12Of(certificate: Buffer | string, privateKey: KeyObject | string,
  password = randomBytes(12).toString('base64url')): Omit<TestPkcs12, 'subject'> {
  const x509 = new X509Certificate(certificate);
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const keyId = randomBytes(20);
  const shroudedKey = key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: password });
  const certBag = sequence(objectIdentifier(OID.x509Certificate), explicit(0, octetString(x509.raw)));
  const authenticatedSafe = sequence(
    dataContent(sequence(bag(OID.certBag, certBag, keyId))),
    dataContent(sequence(bag(OID.shroudedKeyBag, shroudedKey, keyId))),
  );
  const salt = randomBytes(16);
  const mac = createHmac('sha256', macKey(password, salt, MAC_ITERATIONS)).update(authenticatedSafe).digest();
  const macData = sequence(
    sequence(sequence(objectIdentifier(OID.sha256), NULL), octetString(mac)),
    octetString(salt),
    unsignedInteger(Buffer.from(MAC_ITERATIONS.toString(16).padStart(4, '0'), 'hex')),
  );
  const pkcs12 = sequence(smallInteger(3), dataContent(authenticatedSafe), macData);
  const thumbprint = x509.fingerprint.split(':').join('').toUpperCase();
  return { pkcs12, password, thumbprint, certificate: x509.toString() };
}
