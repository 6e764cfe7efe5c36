/**
 * The embedded authenticator's certificates when none are given: a CA and a server
 * certificate made for this process only (EC P-256, ECDSA-SHA256, valid from an hour ago to a
 * day ahead), so TLS methods run in-process with no files and the in-process peer can trust
 * exactly this CA — never "any server". The private keys never leave the process.
 */
import { KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'crypto';
import {
  bitString, booleanTrue, explicit, implicitPrimitive, namedBits, objectIdentifier, octetString, sequence, set,
  smallInteger, time, unsignedInteger, utf8String,
} from './der';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** The name the ephemeral server certificate carries (RFC 6761: .invalid never resolves). */
export const EPHEMERAL_SERVER_NAME = 'authenticator.eaphost.invalid';

export interface IssuedCertificate {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PKCS#8 PEM. */
  key: string;
}

/** A certificate's validity period; by default the CA's own (now − 1 h … now + 1 day). */
export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export interface EphemeralCa {
  /** The CA certificate, PEM: what a peer trusts. */
  ca: string;
  /** The server certificate (SAN dNSName = serverName) and its key. */
  server: IssuedCertificate;
  serverName: string;
  /** Issues a client certificate (for EAP-TLS) for `identity` from this CA. */
  issueClient(identity: string, validity?: Validity): IssuedCertificate;
  /** Issues another server certificate for serverName, valid for `validity` (one that outlives
   *  2038, has expired or is not yet valid: what date handling is checked with). */
  issueServer(validity: Validity): IssuedCertificate;
}

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(objectIdentifier(OID.organization), utf8String('eaphost ephemeral'))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [booleanTrue()] : []), octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }: for P-256 the
  // BIT STRING is the last 66 bytes (03 42 00 ‖ 65-byte point).
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

interface CertificateSpec {
  subject: string;
  subjectKey: KeyObject;
  issuer: string;
  issuerKey: KeyObject;
  issuerKeyId: Buffer;
  extensions: Buffer[];
  notBefore: Date;
  notAfter: Date;
}

function certificate(spec: CertificateSpec): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x3f) | 0x40; // positive and a full 16 octets (RFC 5280 §4.1.2.2: at most 20)
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    name(spec.issuer),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spec.subjectKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...spec.extensions,
      extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spec.subjectKey))),
      extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, spec.issuerKeyId))))),
  );
  // ECDSA-Sig-Value in DER, as node:crypto signs by default.
  return sequence(tbs, algorithm, bitString(sign('sha256', tbs, spec.issuerKey)));
}

function leafExtensions(purpose: string, altName?: Buffer): Buffer[] {
  return [
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, namedBits([0])), // digitalSignature (ECDHE-ECDSA)
    extension(OID.extendedKeyUsage, false, sequence(objectIdentifier(purpose))),
    ...(altName ? [extension(OID.subjectAltName, false, sequence(altName))] : []),
  ];
}

/** Makes a CA and a server certificate for `serverName`, valid now − 1 h … now + 1 day. */
export function createEphemeralCa(serverName: string = EPHEMERAL_SERVER_NAME, now: Date = new Date()): EphemeralCa {
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + 86400_000);
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = `eaphost ephemeral CA ${randomBytes(4).toString('hex')}`;
  const caKeyId = keyIdentifier(caKeys.publicKey);
  const caCert = certificate({
    subject: caName, subjectKey: caKeys.publicKey, issuer: caName, issuerKey: caKeys.privateKey, issuerKeyId: caKeyId,
    notBefore, notAfter,
    extensions: [
      extension(OID.basicConstraints, true, sequence(booleanTrue(), smallInteger(0))), // CA, no intermediates
      extension(OID.keyUsage, true, namedBits([5, 6])), // keyCertSign, cRLSign
    ],
  });
  const issue = (subject: string, purpose: string, validity: Validity, altName?: Buffer): IssuedCertificate => {
    if (!(validity.notBefore instanceof Date) || !(validity.notAfter instanceof Date) ||
        Number.isNaN(validity.notBefore.getTime()) || Number.isNaN(validity.notAfter.getTime())) {
      throw new TypeError('validity must be { notBefore: Date, notAfter: Date } with valid dates');
    }
    const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const der = certificate({
      subject, subjectKey: keys.publicKey, issuer: caName, issuerKey: caKeys.privateKey, issuerKeyId: caKeyId,
      notBefore: validity.notBefore, notAfter: validity.notAfter, extensions: leafExtensions(purpose, altName),
    });
    return { cert: pem('CERTIFICATE', der), key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
  };
  const serverAltName = implicitPrimitive(2, Buffer.from(serverName, 'latin1'));
  const server = issue(serverName, OID.serverAuth, { notBefore, notAfter }, serverAltName);
  return {
    ca: pem('CERTIFICATE', caCert),
    server,
    serverName,
    issueClient: (identity: string, validity: Validity = { notBefore, notAfter }) => {
      if (typeof identity !== 'string' || identity.length === 0) throw new TypeError('identity must be a non-empty string');
      // The identity goes in the CN only: an rfc822Name SAN would claim it is an e-mail address.
      return issue(identity, OID.clientAuth, validity);
    },
    issueServer: (validity: Validity) => issue(serverName, OID.serverAuth, validity, serverAltName),
  };
}

let processCa: EphemeralCa | undefined;

/** One ephemeral CA per process, made on first use. */
export function processEphemeralCa(): EphemeralCa {
  processCa ??= createEphemeralCa();
  return processCa;
}
