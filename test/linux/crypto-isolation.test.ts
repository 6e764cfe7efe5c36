/**
 * Method modules get MD5 from the system's nettle, not from OpenSSL: node exports its bundled
 * OpenSSL's symbols, so a module importing libcrypto symbols could bind to node's copy.
 * Proved on the built artifact: it needs libnettle, imports no OpenSSL symbol, and node
 * exports no nettle symbol it could bind to instead. (RSA keys sign through the system libcrypto,
 * which the module opens at run time and never imports from: test/linux/rsa-signer.test.ts.)
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { builtinMethods } from '../../lib';

function tool(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

describe('crypto isolation of the EAP-MD5 module (Linux)', () => {
  it('links libnettle', () => {
    assert.match(tool('readelf', ['-d', builtinMethods.md5.path]), /NEEDED.*libnettle\.so/);
  });

  it('imports no OpenSSL symbol', () => {
    const undefinedSymbols = tool('nm', ['-D', '--undefined-only', builtinMethods.md5.path]);
    assert.doesNotMatch(undefinedSymbols, /\b(MD5_|EVP_|OPENSSL_|CRYPTO_|RAND_)/);
    assert.match(undefinedSymbols, /nettle_md5/);
  });

  it('links GnuTLS for the TLS methods, never libgnutls-openssl, and imports no TLS name of OpenSSL', () => {
    const needed = tool('readelf', ['-d', builtinMethods.md5.path]);
    assert.match(needed, /NEEDED.*libgnutls\.so/);
    assert.doesNotMatch(needed, /libgnutls-openssl|libssl|libcrypto/);
    const undefinedSymbols = tool('nm', ['-D', '--undefined-only', builtinMethods.md5.path]);
    assert.match(undefinedSymbols, /gnutls_handshake/);
    assert.doesNotMatch(undefinedSymbols, /\b(SSL_|SSL_CTX_|TLS_|BIO_|X509_|PEM_|ERR_)/);
  });

  it('node itself exports no nettle or gnutls symbol that could shadow the system libraries', () => {
    const exported = tool('nm', ['-D', '--defined-only', process.execPath]);
    assert.doesNotMatch(exported, /gnutls_/);
  });

  it('node itself exports no nettle symbol that could shadow the system library', () => {
    const exported = tool('nm', ['-D', '--defined-only', process.execPath]);
    assert.doesNotMatch(exported, /nettle_/);
  });

  it('exports exactly the Windows method ABI', () => {
    const exported = tool('nm', ['-D', '--defined-only', builtinMethods.md5.path])
      .split('\n').map((l) => l.trim().split(' ').pop()).filter((s) => s && /^[A-Z]/.test(s!)).sort();
    assert.deepEqual(exported, [
      'EapMethodAuthenticatorFreeErrorMemory', 'EapMethodAuthenticatorFreeMemory', 'EapMethodAuthenticatorGetInfo',
      'EapPeerConfigBlob2Xml', 'EapPeerConfigXml2Blob', 'EapPeerCredentialsXml2Blob',
      'EapPeerFreeErrorMemory', 'EapPeerFreeMemory', 'EapPeerGetInfo', 'EapPeerGetMethodProperties',
      'EapPeerInvokeConfigUI', 'EapPeerInvokeIdentityUI', 'EapPeerInvokeInteractiveUI',
      'EapPeerQueryCredentialInputFields', 'EapPeerQueryInteractiveUIInputFields',
      'EapPeerQueryUIBlobFromInteractiveUIInputFields', 'EapPeerQueryUserBlobFromCredentialInputFields',
    ]);
  });
});
