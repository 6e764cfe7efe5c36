/**
 * Wine's record of the bcrypt calls a Windows process made (WINEDEBUG=-all,trace+bcrypt), read for
 * what native/methods/tls/gnutls/tls_rsa_signer_win32.cc asked of CNG: the keys it imported and
 * which padding each signature asked of which key handle.
 */
import { strict as assert } from 'node:assert';

/** BCryptSignHash's flags for the paddings the signer uses (bcrypt.h). */
export const BCRYPT_PAD_PKCS1 = 0x2;
export const BCRYPT_PAD_PSS = 0x8;

/** Each BCryptImportKeyPair of an RSA private key with its full blob, as Wine traced it. */
export function rsaKeyImports(trace: string): string[] {
  return trace.match(/trace:bcrypt:BCryptImportKeyPair [^\n]*L"RSAFULLPRIVATEBLOB"/g) ?? [];
}

/** Each BCryptSignHash: "BCryptSignHash <key>, <padding info>, <input>, <size>, <output>, <size>, <written>, <flags>". */
export function signHashCalls(trace: string): Array<{ key: string; flags: number }> {
  return [...trace.matchAll(/trace:bcrypt:BCryptSignHash ([0-9A-Fa-f]+), (?:[^,]+, ){6}(0x[0-9a-f]+)/g)]
    .map((match) => ({ key: match[1], flags: Number(match[2]) }));
}

/**
 * What a serve that signed the handshakes of assertRsaKeyHandshakes (test/support/eapol-test.ts)
 * left in its trace: the key imported eight times for each padding (tls_rsa_signer_win32.cc's
 * kCopies), only PKCS#1 and PSS signatures, and no handle signing in both paddings. The key signs
 * once in each padding before it is used, then ECDHE-RSA once in PKCS#1 and TLS 1.3 once in PSS
 * (the RSA key exchange signs nothing); every BCryptSignHash asks twice (the size, then the
 * signature).
 */
export function assertSignedInCng(trace: string): void {
  const imports = rsaKeyImports(trace);
  assert.equal(imports.length, 2 * 8, `one key, imported eight times for each padding:\n${imports.join('\n')}\n${trace.slice(-3000)}`);
  const made = signHashCalls(trace);
  const pkcs1 = made.filter((call) => call.flags === BCRYPT_PAD_PKCS1);
  const pss = made.filter((call) => call.flags === BCRYPT_PAD_PSS);
  assert.equal(pkcs1.length + pss.length, made.length, `only PKCS#1 and PSS: ${JSON.stringify(made)}`);
  assert.ok(made.length >= 2 * (2 + 2), `signatures in CNG: ${JSON.stringify(made)}`);
  assert.ok(pkcs1.length >= 2 && pss.length >= 4, `TLS 1.3 signs RSA-PSS: ${JSON.stringify(made)}`);
  const pssKeys = new Set(pss.map((call) => call.key));
  assert.deepEqual(pkcs1.filter((call) => pssKeys.has(call.key)), [], 'no handle signs in both paddings');
}
