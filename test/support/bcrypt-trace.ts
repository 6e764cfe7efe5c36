/**
 * Wine's record of the bcrypt calls a Windows process made (WINEDEBUG=-all,trace+bcrypt), read for
 * what native/methods/tls/gnutls/tls_rsa_signer_win32.cc asked of CNG: the keys it imported and
 * which padding each signature asked of which key handle.
 */

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
