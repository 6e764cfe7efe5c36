// Where an RSA key's signatures run, the OS half of the RSA signer (tls_rsa_signer.h): the
// system's libcrypto on POSIX (tls_rsa_signer_posix.cc), CNG on Windows
// (tls_rsa_signer_win32.cc). The GnuTLS side (the external key, the decryption GnuTLS keeps, the
// chain) is tls_rsa_signer.cc's, the same on every OS.
#pragma once

#include "gnutls_headers.h"

#include <memory>

#include "tls_rsa_schemes.h"
#include "tls_rsa_signer.h"  // RsaSignerAvailable, which each OS file defines

namespace eaphost {
namespace tls {

class RsaSignature {
 public:
  virtual ~RsaSignature() = default;
  // Whether it makes `scheme` (a known one: tls_rsa_schemes.h).
  virtual bool Signs(const RsaScheme& scheme) const = 0;
  // Signs `hash` in `scheme` (the scheme's digest, of its length; with no digest named, a
  // DigestInfo or TLS 1.0's MD5 || SHA-1 to sign as given) into `signature`, allocated as GnuTLS
  // frees it: 0, or a GnuTLS error. Any thread, at once.
  virtual int Sign(const RsaScheme& scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature) = 0;
};

// The OS's copy of an RSA key of `bits` bits. Null with *rc == 0 when the OS cannot take it (the
// key stays GnuTLS's), null with *rc < 0 on a failure. `key` stays the caller's.
std::unique_ptr<RsaSignature> MakeRsaSignature(gnutls_x509_privkey_t key, unsigned int bits, int* rc);

}  // namespace tls
}  // namespace eaphost
