#include "pkcs12_chain.h"

#include "../../common/secure_zero.h"
#include "radius_dtls_session.h"  // GnuTLS's headers, the RADIUS side's one way to them (ssize_t on Windows)
#include "radius_gnutls.h"

namespace eaphost::radius {

namespace {

// Credentials that hold the bundle's key only while its certificates are copied out.
struct Pkcs12Credentials {
  gnutls_certificate_credentials_t held = nullptr;
  ~Pkcs12Credentials() {
    if (held != nullptr) gnutls_certificate_free_credentials(held);
  }
};

// The password, wiped on every way out.
struct WipedPassword {
  std::string text;
  ~WipedPassword() { SecureZeroContents(text); }
};

bool Pkcs12Refusal(LaneError* error, const char* code, const std::string& message) {
  *error = {code, message, 0};
  return false;
}

}  // namespace

bool ReadPkcs12Chain(const Bytes& pkcs12, std::string* password, std::vector<Bytes>* chain, LaneError* error) {
  // The password is moved here and wiped on every way out; GnuTLS reads it only in the call.
  WipedPassword wiped;
  wiped.text.swap(*password);
  const std::string& text = wiped.text;
  if (pkcs12.empty() || pkcs12.size() > kMaxPkcs12Bytes) {
    return Pkcs12Refusal(
        error, "ERR_PKCS12_MALFORMED",
        "pkcs12 must hold 1.." + std::to_string(kMaxPkcs12Bytes) + " bytes, not " + std::to_string(pkcs12.size()));
  }
  if (!RequireGnutls(error)) return false;
  Pkcs12Credentials credentials;
  if (gnutls_certificate_allocate_credentials(&credentials.held) < 0) {
    return Pkcs12Refusal(error, "ENOMEM", "GnuTLS could not allocate credentials");
  }
  gnutls_datum_t der;
  der.data = const_cast<unsigned char*>(pkcs12.data());
  der.size = static_cast<unsigned int>(pkcs12.size());
  const int rc = gnutls_certificate_set_x509_simple_pkcs12_mem(credentials.held, &der, GNUTLS_X509_FMT_DER,
                                                               text.empty() ? nullptr : text.c_str());
  if (rc == GNUTLS_E_MAC_VERIFY_FAILED || rc == GNUTLS_E_DECRYPTION_FAILED) {
    return Pkcs12Refusal(error, "ERR_PKCS12_PASSWORD", "the PKCS#12 bundle could not be read (wrong password?)");
  }
  if (rc < 0) {
    return Pkcs12Refusal(error, "ERR_PKCS12_MALFORMED",
                         std::string("the PKCS#12 bundle could not be read: ") + gnutls_strerror(rc));
  }
  chain->clear();
  for (unsigned int index = 0;; ++index) {
    gnutls_datum_t certificate;
    if (gnutls_certificate_get_crt_raw(credentials.held, 0, index, &certificate) < 0) break;
    chain->emplace_back(certificate.data, certificate.data + certificate.size);
  }
  if (chain->empty()) return Pkcs12Refusal(error, "ERR_PKCS12_MALFORMED", "the PKCS#12 bundle holds no certificate");
  return true;
}

}  // namespace eaphost::radius
