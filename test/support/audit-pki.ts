import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, opensslIn } from './programs';

/**
 * Server certificates with one fault each, made by the openssl command for one audit run: a root
 * CA, an intermediate CA it signed, and leaves the intermediate signed for AUDIT_SERVER_NAME —
 * good (SAN, serverAuth, RSA-2048, SHA-256), clientAuth-only, SHA-1-signed, RSA-1024, and one whose
 * validity ended in 2020 (`openssl ca -startdate/-enddate`: no clock is faked), and one whose names
 * are hostile text (HOSTILE_CN, a right-to-left override and an escape character in its CN;
 * HOSTILE_SAN, a dNSName with a comma, which node:crypto writes as a JSON string). Each leaf comes as
 * the chain a server should send (leaf + intermediate) and as the leaf alone.
 */
export const AUDIT_SERVER_NAME = 'radius.audit.invalid';

export type AuditLeaf = 'good' | 'client-auth' | 'sha1' | 'rsa1024' | 'expired' | 'hostile';

export interface AuditLeafFiles {
  /** Leaf + intermediate (PEM), what certificate_file should hold. */
  chain: string;
  /** The leaf alone: a server that leaves its intermediate out. */
  leafOnly: string;
  key: string;
}

export interface AuditPki {
  /** The root CA alone (PEM file). */
  root: string;
  /** Root and intermediate in one file: a client that has both. */
  rootAndIntermediate: string;
  leaves: Record<AuditLeaf, AuditLeafFiles>;
  remove(): void;
}

/** The hostile leaf's CN and its one dNSName. */
export const HOSTILE_CN = 'radius\u202Etset\u001B[2J.invalid';
export const HOSTILE_SAN = 'hostile,name.audit.invalid';

const SERVER_EXTENSIONS = (eku: string, name = AUDIT_SERVER_NAME): string => [
  'basicConstraints=CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'subjectAltName=@names',
  `extendedKeyUsage=${eku}`,
  '[names]',
  `DNS.1 = ${name}`,
  '',
].join('\n');

export async function makeAuditPki(): Promise<AuditPki> {
  const dir = makeTempDir('audit-pki');
  const file = (name: string) => join(dir.path, name);
  const openssl = opensslIn(dir.path);
  try {
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3',
      '-subj', '/CN=eaphost audit root CA', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    writeFileSync(file('intermediate.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
    await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'intermediate.key', '-out', 'intermediate.csr',
      '-subj', '/CN=eaphost audit intermediate CA');
    await openssl('x509', '-req', '-sha256', '-in', 'intermediate.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial',
      '-out', 'intermediate.pem', '-days', '2', '-extfile', 'intermediate.ext');
    writeFileSync(file('server.ext'), SERVER_EXTENSIONS('serverAuth'));
    writeFileSync(file('client-auth.ext'), SERVER_EXTENSIONS('clientAuth'));
    writeFileSync(file('hostile.ext'), SERVER_EXTENSIONS('serverAuth', HOSTILE_SAN));
    // `openssl ca` for the leaf whose dates are in the past: its own database, in this folder.
    writeFileSync(file('index.txt'), '');
    writeFileSync(file('ca.cnf'), [
      '[ca]', 'default_ca = past', '[past]', `database = ${file('index.txt')}`, `new_certs_dir = ${dir.path}`,
      `serial = ${file('ca.serial')}`, 'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', '',
    ].join('\n'));
    writeFileSync(file('ca.serial'), '1000\n');
    const leaves = {} as Record<AuditLeaf, AuditLeafFiles>;
    const intermediate = readFileSync(file('intermediate.pem'), 'utf8');
    for (const leaf of ['good', 'client-auth', 'sha1', 'rsa1024', 'expired', 'hostile'] as AuditLeaf[]) {
      await openssl('req', '-utf8', '-newkey', `rsa:${leaf === 'rsa1024' ? 1024 : 2048}`, '-nodes', '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`,
        '-subj', `/CN=${leaf === 'hostile' ? HOSTILE_CN : AUDIT_SERVER_NAME}`);
      const ext = leaf === 'client-auth' ? 'client-auth.ext' : leaf === 'hostile' ? 'hostile.ext' : 'server.ext';
      if (leaf === 'expired') {
        await openssl('ca', '-batch', '-config', 'ca.cnf', '-cert', 'intermediate.pem', '-keyfile', 'intermediate.key', '-in', `${leaf}.csr`,
          '-out', `${leaf}.pem`, '-notext', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', ext);
      } else {
        await openssl('x509', '-req', leaf === 'sha1' ? '-sha1' : '-sha256', '-in', `${leaf}.csr`, '-CA', 'intermediate.pem',
          '-CAkey', 'intermediate.key', '-CAcreateserial', '-out', `${leaf}.pem`, '-days', '1', '-extfile', ext);
      }
      const leafPem = readFileSync(file(`${leaf}.pem`), 'utf8');
      writeFileSync(file(`${leaf}.chain.pem`), leafPem + intermediate);
      leaves[leaf] = { chain: file(`${leaf}.chain.pem`), leafOnly: file(`${leaf}.pem`), key: file(`${leaf}.key`) };
    }
    writeFileSync(file('root+intermediate.pem'), readFileSync(file('root.pem'), 'utf8') + intermediate);
    return { root: file('root.pem'), rootAndIntermediate: file('root+intermediate.pem'), leaves, remove: () => dir.remove() };
  } catch (error) {
    dir.remove();
    throw error;
  }
}
