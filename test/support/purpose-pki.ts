import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, opensslIn } from './programs';

/**
 * Certificates that differ only in their purpose, made by the openssl command for one run: one
 * CA, server certificates for PURPOSE_SERVER_NAME and client certificates for
 * PURPOSE_CLIENT_IDENTITY, each with the extendedKeyUsage its name says ('none': no extension).
 */
export const PURPOSE_SERVER_NAME = 'radius.purpose.invalid';
export const PURPOSE_CLIENT_IDENTITY = 'client@purpose.invalid';

export type Purpose = 'serverAuth' | 'clientAuth' | 'codeSigning' | 'anyExtendedKeyUsage' | 'serverAuth,clientAuth' | 'none';

export interface PurposeCertificate {
  /** PEM texts. */
  cert: string;
  key: string;
  /** File paths. */
  certFile: string;
  keyFile: string;
}

export interface PurposePki {
  ca: string;
  caFile: string;
  server: Record<Purpose, PurposeCertificate>;
  client: Record<Purpose, PurposeCertificate>;
  remove(): void;
}

const PURPOSES: Purpose[] = ['serverAuth', 'clientAuth', 'codeSigning', 'anyExtendedKeyUsage', 'serverAuth,clientAuth', 'none'];

export async function makePurposePki(): Promise<PurposePki> {
  const dir = makeTempDir('purpose-pki');
  const openssl = opensslIn(dir.path);
  const file = (name: string) => join(dir.path, name);
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    await openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=eaphost purpose CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const make = async (side: 'server' | 'client', purpose: Purpose): Promise<PurposeCertificate> => {
      const name = `${side}-${purpose.replace(',', '+')}`;
      const subject = side === 'server' ? PURPOSE_SERVER_NAME : PURPOSE_CLIENT_IDENTITY;
      writeFileSync(file(`${name}.ext`), [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyAgreement',
        ...(side === 'server' ? [`subjectAltName=DNS:${PURPOSE_SERVER_NAME}`] : []),
        ...(purpose === 'none' ? [] : [`extendedKeyUsage=${purpose}`]),
        '',
      ].join('\n'));
      await openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${subject}`);
      await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
      return {
        cert: readFileSync(file(`${name}.pem`), 'utf8'), key: readFileSync(file(`${name}.key`), 'utf8'),
        certFile: file(`${name}.pem`), keyFile: file(`${name}.key`),
      };
    };
    const server = {} as Record<Purpose, PurposeCertificate>;
    const client = {} as Record<Purpose, PurposeCertificate>;
    for (const purpose of PURPOSES) {
      server[purpose] = await make('server', purpose);
      client[purpose] = await make('client', purpose);
    }
    return { ca: readFileSync(file('ca.pem'), 'utf8'), caFile: file('ca.pem'), server, client, remove: () => dir.remove() };
  } catch (error) {
    dir.remove();
    throw error;
  }
}
