/**
 * Long certificate chains made by the openssl command for the tests of peers that send them: one
 * P-256 key for every certificate, a root apart, `files` leaf first.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opensslIn } from './programs';

export interface Chain { files: string[]; chainFile: string; root: string; key: string }

/** A chain of `length` certificates under a root (leaf first in chainFile, the root apart), each
 *  padded with `padding` bytes of a private extension; the leaf a certificate for `name` with the
 *  purposes `extendedKeyUsage` lists (a server's by default). */
export async function makeChain(dir: string, length: number, padding: number, name: string,
  extendedKeyUsage = 'serverAuth'): Promise<Chain> {
  mkdirSync(dir);
  const openssl = opensslIn(dir);
  const pad = padding > 0 ? ['-addext', `1.3.6.1.4.1.32473.9=ASN1:UTF8String:${'p'.repeat(padding)}`] : [];
  const ca = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  await openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'key.pem');
  await openssl('req', '-x509', '-new', '-key', 'key.pem', '-subj', '/CN=chain root', '-days', '2', '-out', 'c0.pem', ...ca);
  for (let i = 1; i <= length; i++) {
    const leaf = i === length;
    await openssl('req', '-x509', '-new', '-key', 'key.pem', '-subj', leaf ? `/CN=${name}` : `/CN=intermediate ${i}`,
      '-CA', `c${i - 1}.pem`, '-CAkey', 'key.pem', '-days', '1', '-out', `c${i}.pem`, ...pad,
      ...(leaf ? ['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', `subjectAltName=DNS:${name}`,
        '-addext', `extendedKeyUsage=${extendedKeyUsage}`, '-addext', 'keyUsage=critical,digitalSignature'] : ca));
  }
  const files = Array.from({ length }, (_, i) => join(dir, `c${length - i}.pem`));
  const chainFile = join(dir, 'chain.pem');
  writeFileSync(chainFile, files.map((file) => readFileSync(file, 'utf8')).join(''));
  return { files, chainFile, root: join(dir, 'c0.pem'), key: join(dir, 'key.pem') };
}

/** A chain as openssl's s_server and s_client present one: the leaf (`files[0]`, with `key`) and,
 *  in the file `intermediates`, the rest, leaf side first (their -cert_chain); the leaf for both
 *  purposes, so one chain serves either end. */
export async function makePresentedChain(dir: string, length: number, name: string): Promise<Chain & { intermediates: string }> {
  const chain = await makeChain(join(dir, 'chain'), length, 0, name, 'serverAuth,clientAuth');
  const intermediates = join(dir, 'intermediates.pem');
  writeFileSync(intermediates, chain.files.slice(1).map((file) => readFileSync(file, 'utf8')).join(''));
  return { ...chain, intermediates };
}
