import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeTempDir, runProgram } from './programs';

/**
 * A CA that revokes, made by `openssl ca` for one run (random serials, so no test leans on
 * chosen ones): a good and a revoked server certificate for REVOCATION_SERVER_NAME, a good and
 * a revoked client certificate, and the CA's CRL as PEM and DER, a stale one (its nextUpdate
 * in the past) and the CRL of an unrelated CA. Its index file is the one `openssl ocsp -index`
 * answers from, so OCSP responses say what the CRL says.
 */
export const REVOCATION_SERVER_NAME = 'radius.revocation.invalid';
export const REVOCATION_CLIENT_IDENTITY = 'client@revocation.invalid';

export interface RevocationCertificate {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  /** Upper-case hex with colons, as refusals print serials. */
  serial: string;
}

export interface RevocationPki {
  dir: string;
  ca: string;
  caFile: string;
  caKeyFile: string;
  indexFile: string;
  server: { good: RevocationCertificate; revoked: RevocationCertificate };
  client: { good: RevocationCertificate; revoked: RevocationCertificate };
  crlPem: string;
  crlDer: string;
  staleCrl: string;
  otherCaCrl: string;
  /** Runs openssl in the PKI's folder; throws with its stderr when it fails. */
  openssl(...args: string[]): Promise<string>;
  /** A certificate the CA issued for OCSP signing (id-kp-OCSPSigning): a delegated responder. */
  responder: RevocationCertificate;
  /** The CA's OCSP response (DER) about `certFile` into `out`, from its index (good or revoked),
   *  signed by the CA itself or by `signer`. */
  ocspResponse(certFile: string, out: string, signer?: RevocationCertificate): Promise<void>;
  /** A fresh CRL of the CA into `file` (PEM), after revoking `revoke` (a certificate file), if given. */
  newCrl(file: string, revoke?: string): Promise<void>;
  remove(): void;
}

const CA_CONFIG = [
  '[ ca ]', 'default_ca = ca_here',
  '[ ca_here ]', 'dir = .', 'database = index.txt', 'new_certs_dir = .', 'certificate = ca.pem', 'private_key = ca.key',
  'serial = serial', 'crlnumber = crlnumber', 'default_md = sha256', 'default_days = 2', 'default_crl_days = 1',
  'policy = policy_any', 'unique_subject = no', 'copy_extensions = none', 'crl_extensions = crl_ext',
  '[ crl_ext ]', 'authorityKeyIdentifier = keyid:always',
  '[ policy_any ]', 'commonName = supplied', '',
].join('\n');

export async function makeRevocationPki(): Promise<RevocationPki> {
  const dir = makeTempDir('revocation-pki');
  const file = (name: string) => join(dir.path, name);
  const openssl = async (...args: string[]): Promise<string> => {
    const run = await runProgram('openssl', args, { cwd: dir.path });
    if (run.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
    return run.stdout;
  };
  try {
    writeFileSync(file('ca.cnf'), CA_CONFIG);
    writeFileSync(file('index.txt'), '');
    writeFileSync(file('serial'), randomBytes(8).toString('hex').replace(/^./, '4') + '\n');
    writeFileSync(file('crlnumber'), '1000\n');
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    await openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3',
      '-subj', `/CN=eaphost revocation CA ${randomBytes(3).toString('hex')}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-addext', 'subjectKeyIdentifier=hash');
    const issue = async (name: string, subject: string, extensions: string[]): Promise<RevocationCertificate> => {
      writeFileSync(file(`${name}.ext`), ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyAgreement',
        'authorityKeyIdentifier=keyid', ...extensions, ''].join('\n'));
      await openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${subject}`);
      await openssl('ca', '-batch', '-config', 'ca.cnf', '-notext', '-in', `${name}.csr`, '-out', `${name}.pem`,
        '-extfile', `${name}.ext`);
      const serial = (await openssl('x509', '-in', `${name}.pem`, '-noout', '-serial')).trim().replace(/^serial=/, '');
      return {
        certFile: file(`${name}.pem`), keyFile: file(`${name}.key`),
        cert: readFileSync(file(`${name}.pem`), 'utf8'), key: readFileSync(file(`${name}.key`), 'utf8'),
        serial: (serial.length % 2 ? '0' + serial : serial).toUpperCase().match(/../g)!.join(':'),
      };
    };
    const server = (name: string) => issue(name, REVOCATION_SERVER_NAME,
      [`subjectAltName=DNS:${REVOCATION_SERVER_NAME}`, 'extendedKeyUsage=serverAuth']);
    const client = (name: string) => issue(name, REVOCATION_CLIENT_IDENTITY, ['extendedKeyUsage=clientAuth']);
    const pki = {
      server: { good: await server('server-good'), revoked: await server('server-revoked') },
      client: { good: await client('client-good'), revoked: await client('client-revoked') },
      responder: await issue('responder', 'eaphost OCSP responder', ['extendedKeyUsage=OCSPSigning']),
    };
    await openssl('ca', '-config', 'ca.cnf', '-revoke', 'server-revoked.pem', '-crl_reason', 'keyCompromise');
    await openssl('ca', '-config', 'ca.cnf', '-revoke', 'client-revoked.pem', '-crl_reason', 'superseded');
    await openssl('ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem');
    await openssl('crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der');
    const day = 86_400_000;
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
    await openssl('ca', '-config', 'ca.cnf', '-gencrl', '-out', 'stale.pem',
      '-crl_lastupdate', stamp(Date.now() - 2 * day), '-crl_nextupdate', stamp(Date.now() - day));
    // An unrelated CA's CRL: it says nothing about these certificates.
    await openssl('req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=eaphost other CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    writeFileSync(file('other.cnf'), CA_CONFIG.replace('certificate = ca.pem', 'certificate = other.pem')
      .replace('private_key = ca.key', 'private_key = other.key').replace('database = index.txt', 'database = other-index.txt'));
    writeFileSync(file('other-index.txt'), '');
    await openssl('ca', '-config', 'other.cnf', '-gencrl', '-out', 'other-crl.pem');
    return {
      dir: dir.path, ca: readFileSync(file('ca.pem'), 'utf8'), caFile: file('ca.pem'), caKeyFile: file('ca.key'),
      indexFile: file('index.txt'), ...pki,
      crlPem: file('crl.pem'), crlDer: file('crl.der'), staleCrl: file('stale.pem'), otherCaCrl: file('other-crl.pem'),
      openssl,
      ocspResponse: async (certFile: string, out: string, signer?: RevocationCertificate) => {
        await openssl('ocsp', '-index', 'index.txt', '-CA', 'ca.pem', '-issuer', 'ca.pem', '-cert', certFile,
          '-rsigner', signer?.certFile ?? 'ca.pem', '-rkey', signer?.keyFile ?? 'ca.key', '-ndays', '1', '-respout', out);
      },
      newCrl: async (out: string, revoke?: string) => {
        if (revoke) await openssl('ca', '-config', 'ca.cnf', '-revoke', revoke, '-crl_reason', 'keyCompromise');
        await openssl('ca', '-config', 'ca.cnf', '-gencrl', '-out', out);
      },
      remove: () => dir.remove(),
    };
  } catch (error) {
    dir.remove();
    throw error;
  }
}

/**
 * What a peer's refusal of the revoked server certificate must say, wherever it is printed: the
 * certificate's serial and the reason the CRL gives (keyCompromise, as makeRevocationPki revokes it).
 */
export function assertNamesRevokedServer(run: { stdout: string; stderr: string }, pki: RevocationPki): void {
  const all = `${run.stdout}\n${run.stderr}`;
  assert.ok(all.includes(`serial ${pki.server.revoked.serial}`), all);
  assert.match(all, /was revoked on .* \(reason: keyCompromise\)/);
}
