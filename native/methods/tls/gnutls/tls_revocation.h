// Certificate revocation by CRL, as hostapd's check_crl and NPS do it: the other side's
// certificate (its leaf, or its whole chain on request) is refused when a CRL of its issuer lists
// its serial, and also when none of the configured CRLs comes from its issuer or the one that
// does is past its nextUpdate (a revocation check that cannot be made fails closed, as
// OpenSSL's CRL check and NPS's default do; a stale CRL passes only when allowed explicitly).
//
// The CRLs are read from their files when the credentials are made; the files' size and
// modification time are part of the credentials' digest (CrlFileStamps), so a CRL replaced on
// disk is read at the next handshake, and the sessions a peer could resume under the old CRL
// (the authenticator's cache and ticket key belong to the credentials) go with it.
#pragma once

#include "gnutls_headers.h"

#include <string>
#include <vector>

#include "../../support/method_error.h"
#include "tls_gnutls_library.h"

namespace eaphost {
namespace tls {

// What identifies each file's current content without reading it (path, size, modification time),
// for the credentials' digest. Throws MethodFailure naming a file (of `kind`: "CRL", "OCSP
// response") that cannot be found.
std::string CrlFileStamps(const std::vector<std::string>& files, const char* methodName, const char* kind = "CRL");

// Owners of what GnuTLS allocates, for the revocation checks (CRL and OCSP).
struct OwnedCrt {
  gnutls_x509_crt_t crt = nullptr;
  ~OwnedCrt() {
    if (crt != nullptr) gnutls_x509_crt_deinit(crt);
  }
};

struct OwnedDatum {
  gnutls_datum_t value{nullptr, 0};
  ~OwnedDatum() { TlsLibraryFree(value.data); }
};

// A certificate's subject (or issuer) DN; "an unreadable name" when it cannot be read.
std::string DistinguishedName(gnutls_x509_crt_t crt, bool issuer);
// Upper-case hex with colons, as refusals print serials.
std::string Hex(const unsigned char* bytes, std::size_t size);
// How a refused certificate is named: its subject and serial.
std::string Naming(gnutls_x509_crt_t crt, const unsigned char* serial, std::size_t serialSize);
// The certificate that issued chain[index]: the next one of the chain when it did, else the
// trusted CA that did (into *copy). Null for a self-issued anchor or when none is found.
gnutls_x509_crt_t IssuerOf(const std::vector<gnutls_x509_crt_t>& chain, std::size_t index,
                           gnutls_x509_trust_list_t trust, gnutls_x509_crt_t* copy);

class RevocationLists {
 public:
  // Reads every CRL (PEM, one or more blocks, or DER) of `files`. Throws MethodFailure naming
  // the file that cannot be read or holds no CRL.
  RevocationLists(const std::vector<std::string>& files, const char* methodName);
  ~RevocationLists();
  RevocationLists(const RevocationLists&) = delete;
  RevocationLists& operator=(const RevocationLists&) = delete;

  // Checks the chain `session` received, already verified against the CAs of `credentials`:
  // false, with the failure that names the certificate and why, when it must be refused.
  bool Check(gnutls_session_t session, gnutls_certificate_credentials_t credentials, bool server,
             bool wholeChain, bool allowStale, const char* methodName, MethodFailure* failure) const;

 private:
  std::vector<gnutls_x509_crl_t> crls_;
};

}  // namespace tls
}  // namespace eaphost
