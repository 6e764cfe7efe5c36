// The certificate-purpose rule, one for every GnuTLS end of the project: the methods' TLS engine
// (native/methods/tls/gnutls/tls_verify.cc) and RADIUS/DTLS (native/radius/dtls/), the two sides
// of which build into different libraries, so it lives here, inline. Decided as OpenSSL's "SSL
// server" and "SSL client" purposes decide it, which is what wpa_supplicant, FreeRADIUS and
// RadSec over TLS (node's OpenSSL) apply (and what Windows' Server Authentication requirement
// amounts to): a certificate without extendedKeyUsage may serve any purpose; one that carries
// the extension must list the purpose. anyExtendedKeyUsage does not stand in for it: OpenSSL's
// server purpose counts serverAuth and the old Server-Gated-Crypto purposes (Netscape's and
// Microsoft's, which it treats as serverAuth), its client purpose clientAuth alone. An
// extension that does not parse allows nothing, as OpenSSL refuses such a certificate outright.
// Include it after the side's own way to GnuTLS's headers, x509.h and x509-ext.h among them
// (gnutls_headers.h, radius_dtls_session.h: the only includers of GnuTLS, which settle ssize_t
// for Windows).
#pragma once

#include <string>

namespace eaphost::tls_purpose {

constexpr const char* kExtendedKeyUsageOid = "2.5.29.37";
constexpr const char* kNetscapeSgcOid = "2.16.840.1.113730.4.1";
constexpr const char* kMicrosoftSgcOid = "1.3.6.1.4.1.311.10.3.3";

// What frees what GnuTLS allocated: each side's own (its GnuTLS may be loaded late).
using Release = void (*)(void*);

inline std::string PurposeName(const std::string& oid) {
  if (oid == GNUTLS_KP_TLS_WWW_SERVER) return "serverAuth";
  if (oid == GNUTLS_KP_TLS_WWW_CLIENT) return "clientAuth";
  if (oid == GNUTLS_KP_CODE_SIGNING) return "codeSigning";
  if (oid == GNUTLS_KP_EMAIL_PROTECTION) return "emailProtection";
  if (oid == GNUTLS_KP_TIME_STAMPING) return "timeStamping";
  if (oid == GNUTLS_KP_OCSP_SIGNING) return "OCSPSigning";
  if (oid == GNUTLS_KP_ANY) return "anyExtendedKeyUsage";
  if (oid == kNetscapeSgcOid) return "nsSGC";
  if (oid == kMicrosoftSgcOid) return "msSGC";
  return oid;
}

// True when the leaf may be used for `server` (else client) authentication; otherwise false
// with *listed naming what its extendedKeyUsage allows instead.
inline bool PurposeAllows(gnutls_x509_crt_t crt, bool server, std::string* listed, Release release) {
  struct KeyPurposes {
    gnutls_x509_key_purposes_t list = nullptr;
    ~KeyPurposes() {
      if (list != nullptr) gnutls_x509_key_purpose_deinit(list);
    }
  };
  gnutls_datum_t extension{nullptr, 0};
  unsigned int critical = 0;
  int rc = gnutls_x509_crt_get_extension_by_oid2(crt, kExtendedKeyUsageOid, 0, &extension, &critical);
  if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return true;
  if (rc < 0) {
    *listed = "unreadable";
    return false;
  }
  KeyPurposes purposes;
  rc = gnutls_x509_key_purpose_init(&purposes.list);
  if (rc >= 0) rc = gnutls_x509_ext_import_key_purposes(&extension, purposes.list, 0);
  release(extension.data);
  if (rc < 0) {
    *listed = "unreadable";
    return false;
  }
  bool allowed = false;
  for (unsigned int i = 0; i < 64; ++i) {
    gnutls_datum_t oid{nullptr, 0};
    if (gnutls_x509_key_purpose_get(purposes.list, i, &oid) < 0) break;
    std::string text(reinterpret_cast<const char*>(oid.data), oid.size);
    while (!text.empty() && text.back() == '\0') text.pop_back();
    if (server ? (text == GNUTLS_KP_TLS_WWW_SERVER || text == kNetscapeSgcOid || text == kMicrosoftSgcOid)
               : text == GNUTLS_KP_TLS_WWW_CLIENT) {
      allowed = true;
    }
    if (!listed->empty()) *listed += ", ";
    *listed += PurposeName(text);
  }
  if (listed->empty()) *listed = "empty";
  return allowed;
}

}  // namespace eaphost::tls_purpose
