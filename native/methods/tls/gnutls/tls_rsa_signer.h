// An RSA private key from a file whose signatures run in the OS's fastest RSA, handed to GnuTLS as
// an external key (gnutls_privkey_import_ext4): the system's OpenSSL libcrypto off Windows,
// CNG on Windows (tls_rsa_signer_os.h says where; tls_rsa_signer.cc is the GnuTLS side).
//
// Why: GnuTLS signs with nettle's side-channel-silent RSA, whose two 1,024-bit constant-time
// exponentiations alone cost three times OpenSSL's whole RSA 2048 signature on the same CPU
// (docs/benchmarks.md). An authenticator signs once per full handshake, so with an RSA
// certificate that one operation was most of a PEAP authentication's CPU time, and the reason
// serve cost twice hostapd's (which signs with OpenSSL). OpenSSL's RSA is constant-time too
// (blinded, fixed-window, constant-time table reads), so nothing is traded for the speed.
//
// libcrypto is reached only through dlopen with RTLD_DEEPBIND, never linked: node exports its
// own bundled OpenSSL's symbols, and a library bound the usual way would mix the two copies.
// DEEPBIND also gives libcrypto the C library's malloc even where the process preloads another;
// no memory crosses between the two sides (libcrypto frees only what it made), so that is safe.
// Where it cannot be loaded (no libcrypto.so.3, the sanitizer runtime loaded), where CNG cannot
// take the key (tls_rsa_signer_win32.cc), or with EAPHOST_RSA_SIGNER=gnutls in the environment,
// GnuTLS keeps the key and signs as before.
#pragma once

#include "gnutls_headers.h"

namespace eaphost {
namespace tls {

// True when the OS signer can be used in this process (decided once, on first ask).
bool RsaSignerAvailable();

// Gives `target` the certificate chain and key that `loaded` holds at index 0 (as the PEM or
// PKCS#12 loaders left them), the key signing in the OS signer. Returns 1 when done, 0 when the
// key is not RSA or the signer is unavailable (`target` untouched: load it the usual way), a
// GnuTLS error otherwise.
int SetKeyWithRsaSigner(gnutls_certificate_credentials_t target, gnutls_certificate_credentials_t loaded);

}  // namespace tls
}  // namespace eaphost
