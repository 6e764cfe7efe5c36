import { createPrivateKey } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pooledRsaKey } from './key-pool';
import { makeTempDir, opensslIn } from './programs';

/**
 * Certificates for one interop run, made by the openssl command in files the real peers read:
 * a CA, a server certificate for SERVER_NAME (SAN dNSName), a client certificate whose key is
 * encrypted with CLIENT_KEY_PASSWORD, and a second CA that vouches for none of them.
 */
export const SERVER_NAME = 'radius.interop.invalid';
export const CLIENT_IDENTITY = 'client@interop.invalid';
export const CLIENT_KEY_PASSWORD = 'whatever';

export interface InteropPki {
  dir: string;
  /** File paths. */
  files: { ca: string; serverCert: string; serverKey: string; serverBundle: string; clientCert: string;
    clientKey: string; otherCa: string };
  /** PEM texts. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  otherCa: string;
  remove(): void;
}

/** The EAP-TLS client's certificate, its encrypted key and the key's password, as a peer's TLS options. */
export function clientCertificate(pki: InteropPki): { cert: string; key: string; keyPassword: string } {
  return { cert: pki.clientCert, key: pki.clientKey, keyPassword: CLIENT_KEY_PASSWORD };
}

/** hostapd's certificates and users for the TLS methods: `user` by password for PEAP / TTLS (with
 *  its phase-2 methods), CLIENT_IDENTITY by certificate for EAP-TLS. */
export function hostapdTlsSetup(pki: InteropPki, user: { identity: string; password: string },
  outer: ('PEAP' | 'TTLS')[], phase2: ('MSCHAPV2' | 'TTLS-PAP' | 'TTLS-MSCHAPV2')[]) {
  return {
    certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
    users: [{ ...user, methods: outer, phase2 }, { identity: CLIENT_IDENTITY, password: '', methods: ['TLS' as const] }],
  };
}

/** The client certificate's key, decrypted (PEM, PKCS#8): what serve's --proxy-radsec-key takes. */
export function plainClientKey(pki: InteropPki): string {
  return createPrivateKey({ key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD }).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** That key in a file of `dir`, mode 0600. */
export function plainClientKeyFile(pki: InteropPki, dir: string): string {
  const file = join(dir, 'client.plain.key');
  writeFileSync(file, plainClientKey(pki), { mode: 0o600 });
  return file;
}

/** `leafRsaBits`: the RSA key size of the server and client certificates (the CAs keep 2048);
 *  `leafKey: 'ec-p256'` gives them ECDSA P-256 keys instead. */
export async function makeInteropPki({ leafRsaBits = 2048, leafKey = 'rsa' }: { leafRsaBits?: number; leafKey?: 'rsa' | 'ec-p256' } = {}):
    Promise<InteropPki> {
  const dir = makeTempDir('pki');
  const openssl = opensslIn(dir.path);
  try {
    const rsa = ['-newkey', 'rsa:2048', '-nodes'];
    await openssl('req', '-x509', ...rsa, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=eaphost interop CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    // The unrelated CA signs nothing, and leaves' keys are their own in each PKI's certificates:
    // those keys come from the process's pool (a CA that signs gets a key of its own, above).
    const pooled = async (file: string, role: string, bits: number) => writeFileSync(join(dir.path, file), await pooledRsaKey(role, bits));
    await pooled('other.key', 'interop-unrelated-ca', 2048);
    await openssl('req', '-x509', '-key', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=unrelated CA');
    writeFileSync(join(dir.path, 'server.ext'),
      `subjectAltName=DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`);
    writeFileSync(join(dir.path, 'client.ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
    for (const [name, cn] of [['server', SERVER_NAME], ['client', CLIENT_IDENTITY]]) {
      if (leafKey === 'rsa') {
        await pooled(`${name}.plain.key`, `interop-${name}`, leafRsaBits);
        await openssl('req', '-new', '-key', `${name}.plain.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      } else {
        await openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.plain.key`,
          '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      }
      await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
    }
    await openssl('pkcs8', '-topk8', '-in', 'client.plain.key', '-out', 'client.key', '-passout', `pass:${CLIENT_KEY_PASSWORD}`);
    const read = (file: string) => readFileSync(join(dir.path, file), 'utf8');
    writeFileSync(join(dir.path, 'server.bundle.pem'), read('server.pem') + read('server.plain.key'));
    const file = (name: string) => join(dir.path, name);
    return {
      dir: dir.path,
      files: {
        ca: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.plain.key'),
        serverBundle: file('server.bundle.pem'), clientCert: file('client.pem'), clientKey: file('client.key'),
        otherCa: file('other.pem'),
      },
      ca: read('ca.pem'), serverCert: read('server.pem'), serverKey: read('server.plain.key'),
      clientCert: read('client.pem'), clientKey: read('client.key'), otherCa: read('other.pem'),
      remove: () => dir.remove(),
    };
  } catch (error) {
    dir.remove();
    throw error;
  }
}
