// PEM into GnuTLS certificate credentials, one loader for every GnuTLS end of the project: the
// methods' TLS engine (native/methods/tls/gnutls/tls_credentials.cc) and RADIUS/DTLS
// (native/radius/dtls/radius_dtls_session.cc), the two sides of which build into different
// libraries, so it lives here, inline. What each side adds stays its own: the methods' PKCS#12,
// certificate store keys, RSA signer, CRLs and OCSP; RADIUS/DTLS's PSKs. Include it after the
// side's own way to GnuTLS's headers (gnutls_headers.h, radius_dtls_session.h: the only
// includers of GnuTLS, which settle ssize_t for Windows).
#pragma once

#include <climits>
#include <cstddef>

namespace eaphost::gnutls_pem {

// The CA's certificates (PEM, one or more) as the credentials' trust anchors: how many were
// added, else 0 (none readable) or a GnuTLS error.
inline int LoadTrust(gnutls_certificate_credentials_t credentials, const unsigned char* pem, size_t size) {
  if (size > UINT_MAX) return GNUTLS_E_INVALID_REQUEST;
  gnutls_datum_t ca = {const_cast<unsigned char*>(pem), static_cast<unsigned int>(size)};
  return gnutls_certificate_set_x509_trust_mem(credentials, &ca, GNUTLS_X509_FMT_PEM);
}

// The own certificate chain and its private key (PEM; an encrypted key opened with `password`,
// null for none), which must match: GnuTLS's result, negative when they do not load.
inline int LoadKeyPair(gnutls_certificate_credentials_t credentials, const unsigned char* cert, size_t certSize,
                       const unsigned char* key, size_t keySize, const char* password) {
  if (certSize > UINT_MAX || keySize > UINT_MAX) return GNUTLS_E_INVALID_REQUEST;
  gnutls_datum_t certDatum = {const_cast<unsigned char*>(cert), static_cast<unsigned int>(certSize)};
  gnutls_datum_t keyDatum = {const_cast<unsigned char*>(key), static_cast<unsigned int>(keySize)};
  return gnutls_certificate_set_x509_key_mem2(credentials, &certDatum, &keyDatum, GNUTLS_X509_FMT_PEM, password, 0);
}

}  // namespace eaphost::gnutls_pem
