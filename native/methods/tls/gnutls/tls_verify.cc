#include "tls_verify.h"

#include "gnutls_headers.h"

#include <cstdio>
#include <ctime>

#include "../../../common/tls_purpose.h"
#include "../tls_errors.h"
#include "tls_gnutls_library.h"

namespace eaphost {
namespace tls {

namespace {
// RAII for one parsed certificate.
struct Certificate {
  gnutls_x509_crt_t crt = nullptr;
  ~Certificate() {
    if (crt != nullptr) gnutls_x509_crt_deinit(crt);
  }
};

bool LoadLeaf(gnutls_session_t session, Certificate* leaf) {
  unsigned int count = 0;
  const gnutls_datum_t* chain = gnutls_certificate_get_peers(session, &count);
  if (chain == nullptr || count == 0) return false;
  if (gnutls_x509_crt_init(&leaf->crt) < 0) return false;
  return gnutls_x509_crt_import(leaf->crt, &chain[0], GNUTLS_X509_FMT_DER) >= 0;
}

// The names a certificate answers to, for "certificate has ..." in errors.
std::string NamesOf(gnutls_x509_crt_t crt) {
  std::string names;
  for (unsigned int i = 0; i < 64; ++i) {
    char name[256];
    size_t size = sizeof(name);
    unsigned int critical = 0;
    int kind = gnutls_x509_crt_get_subject_alt_name(crt, i, name, &size, &critical);
    if (kind == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
    if (kind == GNUTLS_SAN_DNSNAME) {
      if (!names.empty()) names += ", ";
      names += "DNS:" + std::string(name, size);
    }
  }
  char cn[256];
  size_t size = sizeof(cn);
  if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &size) >= 0) {
    if (!names.empty()) names += ", ";
    names += "CN=" + std::string(cn, size);
  }
  return names.empty() ? "no name" : names;
}

MethodFailure ServerFailure(eap::DWORD winError, eap::DWORD reason, const char* methodName,
                            const std::string& why, const std::string& repair) {
  return MethodFailure{winError, reason,
                       std::string("The ") + methodName + " server's certificate was refused: " +
                           why,
                       repair};
}

// Chain status → the failure that names the first problem.
bool ChainFailure(unsigned int status, gnutls_x509_crt_t leaf, const char* who,
                  const char* methodName, bool server, MethodFailure* failure) {
  if (status == 0) return false;
  eap::DWORD invalid = server ? kEapServerCertInvalid : kEapUserCertRejected;
  std::string subject = std::string(who) + " certificate";
  if ((status & GNUTLS_CERT_SIGNER_NOT_FOUND) != 0) {
    *failure = MethodFailure{
        kCertUntrustedRoot, server ? kEapServerRootCertNotFound : kEapUserCertRejected,
        std::string("The ") + methodName + " " + who + "'s certificate was refused: unknown CA (" +
            "its issuer is not among the configured CAs; it names " +
            (leaf != nullptr ? NamesOf(leaf) : std::string("nothing readable")) + ")",
        server ? "Configure the CA that issued the server's certificate" :
                 "Issue the client certificate from a configured CA"};
    return true;
  }
  if ((status & GNUTLS_CERT_EXPIRED) != 0) {
    std::string when = leaf != nullptr && gnutls_x509_crt_get_expiration_time(leaf) < std::time(nullptr)
                           ? "expired on " + UtcDate(gnutls_x509_crt_get_expiration_time(leaf))
                           : std::string("a certificate in its chain has expired");
    *failure = MethodFailure{kCertExpired, server ? kEapServerCertExpired : invalid,
                             std::string("The ") + methodName + " " + subject +
                                 " was refused: " + when,
                             "Renew the certificate"};
    return true;
  }
  if ((status & GNUTLS_CERT_NOT_ACTIVATED) != 0) {
    std::string when = leaf != nullptr
                           ? "not valid before " + UtcDate(gnutls_x509_crt_get_activation_time(leaf))
                           : std::string("not yet valid");
    *failure = MethodFailure{kCertExpired, invalid,
                             std::string("The ") + methodName + " " + subject +
                                 " was refused: " + when,
                             "Check the clocks of both sides and the certificate's dates"};
    return true;
  }
  if ((status & GNUTLS_CERT_REVOKED) != 0) {
    *failure = MethodFailure{kCertRevoked, server ? kEapServerCertRevoked : invalid,
                             std::string("The ") + methodName + " " + subject +
                                 " was refused: revoked",
                             std::string()};
    return true;
  }
  std::string why = (status & GNUTLS_CERT_SIGNATURE_FAILURE) != 0 ? "bad signature"
                    : (status & GNUTLS_CERT_INSECURE_ALGORITHM) != 0 ? "insecure algorithm"
                    : (status & GNUTLS_CERT_SIGNER_NOT_CA) != 0 ? "issuer is not a CA"
                    : (status & GNUTLS_CERT_PURPOSE_MISMATCH) != 0 ? "wrong key purpose"
                                                                   : "chain does not verify";
  *failure = MethodFailure{kCertUntrustedCa, invalid,
                           std::string("The ") + methodName + " " + subject + " was refused: " +
                               why + " (GnuTLS status " + Decimal(status) + ")",
                           std::string()};
  return true;
}

// ---- certificate purpose -------------------------------------------------------------------
// The rule is native/common/tls_purpose.h's, RADIUS/DTLS's too.
bool PurposeAllows(gnutls_x509_crt_t crt, bool server, std::string* listed) {
  return tls_purpose::PurposeAllows(crt, server, listed, TlsLibraryFree);
}

// The purpose of the leaf, then that of the CAs above it: GnuTLS checked those during chain
// verification (status bit GNUTLS_CERT_PURPOSE_MISMATCH), and a mismatch it reports for a leaf
// that passes its own check belongs to one of them.
bool PurposeFailure(gnutls_session_t session, unsigned int status, gnutls_x509_crt_t leaf,
                    bool server, const char* methodName, MethodFailure* failure) {
  const char* who = server ? "server" : "client";
  const char* use = server ? "server authentication" : "client authentication";
  eap::DWORD reason = server ? kEapServerCertInvalid : kEapUserCertRejected;
  std::string repair = server ? "Give the server a certificate issued for server authentication "
                                "(extendedKeyUsage serverAuth)"
                              : "Give the peer a certificate issued for client authentication "
                                "(extendedKeyUsage clientAuth)";
  std::string listed;
  if (!PurposeAllows(leaf, server, &listed)) {
    *failure = MethodFailure{kCertWrongUsage, reason,
                             std::string("The ") + methodName + " " + who +
                                 "'s certificate was refused: " + who +
                                 " certificate is not for " + use + " (extendedKeyUsage: " +
                                 listed + ")",
                             repair};
    return true;
  }
  if ((status & GNUTLS_CERT_PURPOSE_MISMATCH) == 0) return false;
  const char* oid = server ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT;
  if (gnutls_x509_crt_check_key_purpose(leaf, oid, 0) != 0) {
    *failure = MethodFailure{kCertWrongUsage, reason,
                             std::string("The ") + methodName + " " + who +
                                 "'s certificate was refused: a CA certificate of its chain is "
                                 "not for " + use + " (its extendedKeyUsage excludes it)",
                             repair};
    return true;
  }
  // A Server-Gated-Crypto leaf: GnuTLS counts it as the mismatch. The chain must then verify
  // cleanly without the purpose (its CAs' purposes go unchecked, as for no purpose at all).
  unsigned int plain = 0;
  int rc = gnutls_certificate_verify_peers2(session, &plain);
  if (rc < 0) plain = GNUTLS_CERT_INVALID;
  return ChainFailure(plain, leaf, who, methodName, server, failure);
}

// The chain status with a purpose mismatch (and the GNUTLS_CERT_INVALID that comes with it)
// left to PurposeFailure, which says whose purpose it was.
unsigned int WithoutPurpose(unsigned int status) {
  if ((status & GNUTLS_CERT_PURPOSE_MISMATCH) == 0) return status;
  unsigned int rest = status & ~static_cast<unsigned int>(GNUTLS_CERT_PURPOSE_MISMATCH | GNUTLS_CERT_INVALID);
  return rest != 0 ? status : 0;
}

// An RSA key under 2048 bits (NIST SP 800-131A; wpa_supplicant and Windows refuse 1024 at their
// default security level) in the leaf, unless the configuration accepts such keys.
constexpr unsigned int kMinRsaBits = 2048;
bool WeakRsaFailure(gnutls_x509_crt_t leaf, bool allowWeakRsa, bool server, const char* methodName,
                    MethodFailure* failure) {
  if (allowWeakRsa) return false;
  unsigned int bits = 0;
  const int algorithm = gnutls_x509_crt_get_pk_algorithm(leaf, &bits);
  if ((algorithm != GNUTLS_PK_RSA && algorithm != GNUTLS_PK_RSA_PSS) || bits >= kMinRsaBits) return false;
  const char* who = server ? "server" : "client";
  *failure = MethodFailure{kSecCertUnknown, server ? kEapServerCertInvalid : kEapUserCertRejected,
                           std::string("The ") + methodName + " " + who +
                               "'s certificate was refused: its RSA key has " + Decimal(bits) +
                               " bits, fewer than the " + Decimal(kMinRsaBits) + " required",
                           std::string("Give the ") + who +
                               " a certificate with an RSA key of at least 2048 bits (or an EC "
                               "key), or, for a legacy " + who +
                               ", allow weak RSA keys explicitly (allowWeakRsa, --allow-weak-rsa)"};
  return true;
}

// A chain past kMaxVerifiedChainLength: false with *failure naming both counts.
bool ChainTooLong(gnutls_session_t session, const char* who, const char* methodName, MethodFailure* failure) {
  unsigned int count = 0;
  if (gnutls_certificate_get_peers(session, &count) == nullptr || count <= kMaxVerifiedChainLength) return false;
  *failure = MethodFailure{kCertUntrustedCa, eap::EAP_E_AUTHENTICATION_FAILED,
                           std::string("The ") + methodName + " " + who + "'s certificate was refused: its chain is longer than " +
                               Decimal(kMaxVerifiedChainLength) + " certificates (" + Decimal(count) + " sent)",
                           std::string("Send the leaf and the intermediates up to the trusted CA, at most ") +
                               Decimal(kMaxVerifiedChainLength) + " certificates"};
  return true;
}

// Chain verification that also checks the purpose of the CAs in the chain.
int VerifyChain(gnutls_session_t session, bool server, unsigned int* status) {
  gnutls_typed_vdata_st purpose{};
  purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
  purpose.data = reinterpret_cast<unsigned char*>(
      const_cast<char*>(server ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT));
  purpose.size = 0;
  return gnutls_certificate_verify_peers(session, &purpose, 1, status);
}
}  // namespace

// The calendar date from days since 1970-01-01 (proleptic Gregorian, in 400-year eras of
// 146,097 days, each starting on 1 March so the leap day is its last), not gmtime: gmtime_r is
// POSIX, gmtime_s MSVC's, and plain gmtime shares one buffer between threads.
std::string UtcDate(time_t when) {
  if (when == static_cast<time_t>(-1)) return "an unreadable date";
  const long long seconds = static_cast<long long>(when);
  long long days = seconds / 86400;
  long long of_day = seconds % 86400;
  if (of_day < 0) {
    of_day += 86400;
    --days;
  }
  days += 719468;  // from 1970-01-01 to 0000-03-01
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const long long of_era = days - era * 146097;
  const long long year_of_era = (of_era - of_era / 1460 + of_era / 36524 - of_era / 146096) / 365;
  const long long of_year = of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const long long march_month = (5 * of_year + 2) / 153;
  const long long day = of_year - (153 * march_month + 2) / 5 + 1;
  const long long month = march_month < 10 ? march_month + 3 : march_month - 9;
  const long long year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return "an unreadable date";
  char text[128];  // room for what GCC's range analysis allows each field, not just the 23 used
  std::snprintf(text, sizeof(text), "%04lld-%02lld-%02lld %02lld:%02lld:%02lld UTC", year, month, day, of_day / 3600,
                of_day / 60 % 60, of_day % 60);
  return text;
}

bool VerifyServerCertificate(gnutls_session_t session, const std::vector<std::string>& names,
                             bool allowWeakRsa, const char* methodName, MethodFailure* failure) {
  Certificate leaf;
  if (!LoadLeaf(session, &leaf)) {
    *failure = ServerFailure(kCertUntrustedCa, kEapServerCertInvalid, methodName,
                             "the server sent no certificate", std::string());
    return false;
  }
  if (ChainTooLong(session, "server", methodName, failure)) {
    failure->reasonCode = kEapServerCertInvalid;
    return false;
  }
  unsigned int status = 0;
  int rc = VerifyChain(session, true, &status);
  if (rc < 0) {
    *failure = ServerFailure(kCertUntrustedCa, kEapServerCertInvalid, methodName,
                             std::string("it could not be verified: ") + gnutls_strerror(rc),
                             std::string());
    return false;
  }
  if (ChainFailure(WithoutPurpose(status), leaf.crt, "server", methodName, true, failure)) {
    return false;
  }
  if (PurposeFailure(session, status, leaf.crt, true, methodName, failure)) return false;
  if (WeakRsaFailure(leaf.crt, allowWeakRsa, true, methodName, failure)) return false;
  if (names.empty()) return true;
  for (const std::string& name : names) {
    if (gnutls_x509_crt_check_hostname2(leaf.crt, name.c_str(), 0) != 0) return true;
  }
  std::string expected;
  for (const std::string& name : names) expected += (expected.empty() ? "" : " or ") + name;
  *failure = ServerFailure(kCertNameMismatch, kEapServerCertInvalid, methodName,
                           "name mismatch: expected " + expected + ", certificate has " +
                               NamesOf(leaf.crt),
                           "Configure the server name the certificate carries, or fix the "
                           "server's certificate");
  return false;
}

bool VerifyClientCertificate(gnutls_session_t session, bool allowWeakRsa, const char* methodName,
                             MethodFailure* failure) {
  Certificate leaf;
  if (!LoadLeaf(session, &leaf)) {
    *failure = MethodFailure{kCertUntrustedCa, kEapUserCertNotFound,
                             std::string("The ") + methodName + " peer sent no certificate",
                             "Give the peer a client certificate and key"};
    return false;
  }
  if (ChainTooLong(session, "client", methodName, failure)) {
    failure->reasonCode = kEapUserCertRejected;
    return false;
  }
  unsigned int status = 0;
  int rc = VerifyChain(session, false, &status);
  if (rc < 0) {
    *failure = MethodFailure{kCertUntrustedCa, kEapUserCertRejected,
                             std::string("The ") + methodName +
                                 " client's certificate could not be verified: " +
                                 gnutls_strerror(rc),
                             std::string()};
    return false;
  }
  if (ChainFailure(WithoutPurpose(status), leaf.crt, "client", methodName, false, failure)) {
    return false;
  }
  if (PurposeFailure(session, status, leaf.crt, false, methodName, failure)) return false;
  return !WeakRsaFailure(leaf.crt, allowWeakRsa, false, methodName, failure);
}

}  // namespace tls
}  // namespace eaphost
