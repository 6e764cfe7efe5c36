#include "tls_verify.h"

#include <gnutls/x509.h>

#include <ctime>

#include "tls_errors.h"

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

std::string UtcDate(time_t when) {
  if (when == static_cast<time_t>(-1)) return "an unreadable date";
  struct tm parts;
  if (gmtime_r(&when, &parts) == nullptr) return "an unreadable date";
  char text[32];
  if (std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &parts) == 0) return "?";
  return text;
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
}  // namespace

bool VerifyServerCertificate(gnutls_session_t session, const std::vector<std::string>& names,
                             const char* methodName, MethodFailure* failure) {
  Certificate leaf;
  if (!LoadLeaf(session, &leaf)) {
    *failure = ServerFailure(kCertUntrustedCa, kEapServerCertInvalid, methodName,
                             "the server sent no certificate", std::string());
    return false;
  }
  unsigned int status = 0;
  int rc = gnutls_certificate_verify_peers2(session, &status);
  if (rc < 0) {
    *failure = ServerFailure(kCertUntrustedCa, kEapServerCertInvalid, methodName,
                             std::string("it could not be verified: ") + gnutls_strerror(rc),
                             std::string());
    return false;
  }
  if (ChainFailure(status, leaf.crt, "server", methodName, true, failure)) return false;
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

bool VerifyClientCertificate(gnutls_session_t session, const char* methodName,
                             MethodFailure* failure) {
  Certificate leaf;
  if (!LoadLeaf(session, &leaf)) {
    *failure = MethodFailure{kCertUntrustedCa, kEapUserCertNotFound,
                             std::string("The ") + methodName + " peer sent no certificate",
                             "Give the peer a client certificate and key"};
    return false;
  }
  unsigned int status = 0;
  int rc = gnutls_certificate_verify_peers2(session, &status);
  if (rc < 0) {
    *failure = MethodFailure{kCertUntrustedCa, kEapUserCertRejected,
                             std::string("The ") + methodName +
                                 " client's certificate could not be verified: " +
                                 gnutls_strerror(rc),
                             std::string()};
    return false;
  }
  return !ChainFailure(status, leaf.crt, "client", methodName, false, failure);
}

}  // namespace tls
}  // namespace eaphost
