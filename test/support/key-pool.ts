import { KeyObject, createPrivateKey, generateKeyPair } from 'node:crypto';

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

/**
 * True when Wine's PFXImportCertStore keeps this RSA key intact. Wine 8's crypt32 builds the
 * CryptoAPI key blob from the PKCS#12's key and mis-places a CRT exponent dp or coefficient qi
 * shorter than half the modulus: the key it stores then signs wrongly and GnuTLS refuses the pair
 * ("The certificate and the given key do not match."). Seen with test/windows/cert-store-windows
 * under Wine, keys drawn for each case (2048 bits): dp of 127 bytes, 3 of its 6 tests failed;
 * qi of 127 bytes, 3 failed; dq of 127 bytes or d of 255, all passed; full-length ones, 30 of 30
 * runs passed. About 1 random key in 128 is such a key; Windows imports any. Keys a test imports
 * into a Windows store under Wine are drawn until this holds.
 */
export function wineImportsIntact(key: KeyObject | string): boolean {
  const jwk = (typeof key === 'string' ? createPrivateKey(key) : key).export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || jwk.n === undefined || jwk.dp === undefined || jwk.qi === undefined) return true;
  const half = Math.ceil(Buffer.from(jwk.n, 'base64url').length / 2);
  return Buffer.from(jwk.dp, 'base64url').length === half && Buffer.from(jwk.qi, 'base64url').length === half;
}

export function pooledRsaKey(role: string, bits: number): Promise<string> {
  const name = `${role}/${bits}`;
  let pem = pool.get(name);
  if (pem === undefined) {
    const draw = (resolve: (pem: string) => void, reject: (error: Error) => void): void => {
      generateKeyPair('rsa', {
        modulusLength: bits,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }, (error, _publicKey, privateKey) => {
        if (error) reject(error);
        // A client's key goes into Wine's store (test/wine-host/auth-freeradius).
        else if (wineImportsIntact(privateKey)) resolve(privateKey);
        else draw(resolve, reject);
      });
    };
    pem = new Promise<string>(draw);
    pool.set(name, pem);
    pem.catch(() => pool.delete(name));
  }
  return pem;
}
