import { generateKeyPair } from 'node:crypto';

/**
 * RSA private keys the tests' certificates reuse within one mocha process: each role and size is
 * generated once (PKCS#8 PEM, unencrypted: what `openssl req -newkey rsa:N -nodes -keyout`
 * writes) and handed to every PKI that asks for it. An RSA-2048 key costs about 0.2 processor
 * seconds, and the suite's PKIs asked for hundreds.
 *
 * Only keys whose sharing no test can observe come from here: end-entity keys, and a CA's that
 * signs nothing. A CA that signs gets a key of its own in every PKI, so a certificate of one PKI
 * never verifies under another PKI's CA of the same name.
 */
const pool = new Map<string, Promise<string>>();

export function pooledRsaKey(role: string, bits: number): Promise<string> {
  const name = `${role}/${bits}`;
  let pem = pool.get(name);
  if (pem === undefined) {
    pem = new Promise<string>((resolve, reject) => {
      generateKeyPair('rsa', {
        modulusLength: bits,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }, (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)));
    });
    pool.set(name, pem);
    pem.catch(() => pool.delete(name));
  }
  return pem;
}
