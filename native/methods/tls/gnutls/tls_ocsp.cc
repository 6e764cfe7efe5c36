#include "tls_ocsp.h"

#include "gnutls_headers.h"

#include <cstring>
#include <ctime>
#include <vector>

#include "../../../common/root_causes.h"
#include "../tls_crl_reason.h"
#include "../tls_errors.h"
#include "tls_gnutls_library.h"
#include "tls_revocation.h"
#include "tls_verify.h"

namespace eaphost {
namespace tls {

namespace {
// How far a responder's clock may run ahead of ours (thisUpdate in the future), as OpenSSL's
// OCSP_check_validity takes a few minutes of skew.
constexpr std::time_t kClockSkew = 300;

struct Response {
  gnutls_ocsp_resp_t resp = nullptr;
  ~Response() {
    if (resp != nullptr) gnutls_ocsp_resp_deinit(resp);
  }
};
}  // namespace

namespace {
// RFC 6960 §4.2.1's OCSPResponseStatus, by name and number.
std::string ResponseStatusName(int status) {
  const char* name = nullptr;
  switch (status) {
    case GNUTLS_OCSP_RESP_MALFORMEDREQUEST: name = "malformedRequest"; break;
    case GNUTLS_OCSP_RESP_INTERNALERROR: name = "internalError"; break;
    case GNUTLS_OCSP_RESP_TRYLATER: name = "tryLater"; break;
    case GNUTLS_OCSP_RESP_SIGREQUIRED: name = "sigRequired"; break;
    case GNUTLS_OCSP_RESP_UNAUTHORIZED: name = "unauthorized"; break;
    default: break;
  }
  const std::string number = Decimal(status < 0 ? 99 : static_cast<unsigned>(status));
  return name == nullptr ? "responseStatus " + number : std::string(name) + " (responseStatus " + number + ")";
}

// GnuTLS asks for the response each time a peer sends status_request (TLS 1.2) or asks in its
// TLS 1.3 ClientHello; it frees the copy it is given.
int StapledResponse(gnutls_session_t, void* context, gnutls_datum_t* response) {
  const auto* bytes = static_cast<const std::vector<std::uint8_t>*>(context);
  response->data = static_cast<unsigned char*>(TlsLibraryAllocate(bytes->size()));
  if (response->data == nullptr) return GNUTLS_E_MEMORY_ERROR;
  std::memcpy(response->data, bytes->data(), bytes->size());
  response->size = static_cast<unsigned int>(bytes->size());
  return 0;
}
}  // namespace

void StapleOcspResponse(gnutls_certificate_credentials_t credentials, const std::string& file, const char* methodName,
                        std::vector<std::uint8_t>* keep) {
  auto unusable = [&](const std::string& why) {
    return MethodFailure{eap::kErrorInvalidData, 0,
                         std::string("The ") + methodName + " configuration cannot be used: the OCSP response file " +
                             file + " " + why,
                         "Give the DER OCSP response of the server's own certificate (openssl ocsp -respout)",
                         kCauseOcspStapleUnusable};
  };
  OwnedDatum content;
  int rc = gnutls_load_file(file.c_str(), &content.value);
  if (rc < 0) throw unusable(std::string("cannot be read (") + gnutls_strerror(rc) + ")");
  Response response;
  if (gnutls_ocsp_resp_init(&response.resp) < 0) throw std::bad_alloc();
  if (gnutls_ocsp_resp_import(response.resp, &content.value) < 0) throw unusable("holds no DER OCSP response");
  // An unsuccessful response (RFC 6960 §4.2.1: tryLater, malformedRequest, …) is the responder's
  // refusal to answer, about no certificate at all: said as that, not as a mismatch.
  const int status = gnutls_ocsp_resp_get_status(response.resp);
  if (status != GNUTLS_OCSP_RESP_SUCCESSFUL) {
    throw unusable("is not a successful OCSP response: the responder answered " + ResponseStatusName(status) +
                   ", about no certificate (staple a response whose responseStatus is successful)");
  }
  gnutls_datum_t own{nullptr, 0};
  OwnedCrt leaf;
  if (gnutls_certificate_get_crt_raw(credentials, 0, 0, &own) < 0 || gnutls_x509_crt_init(&leaf.crt) < 0 ||
      gnutls_x509_crt_import(leaf.crt, &own, GNUTLS_X509_FMT_DER) < 0) {
    throw unusable("has no certificate to be stapled to");
  }
  if (gnutls_ocsp_resp_check_crt(response.resp, 0, leaf.crt) < 0) {
    throw unusable("is about another certificate than the server's (" + DistinguishedName(leaf.crt, false) + ")");
  }
  keep->assign(content.value.data, content.value.data + content.value.size);
  rc = gnutls_certificate_set_ocsp_status_request_function2(credentials, 0, &StapledResponse, keep);
  if (rc < 0) throw unusable(std::string("cannot be stapled (") + gnutls_strerror(rc) + ")");
}

void RequestOcspStaple(gnutls_session_t session) {
  gnutls_ocsp_status_request_enable_client(session, nullptr, 0, nullptr);
}

bool JudgeOcspResponse(const gnutls_datum_t& der, gnutls_x509_crt_t certificate, gnutls_x509_crt_t issuer,
                       bool server, const std::string& source, const char* methodName, MethodFailure* failure) {
  const std::string refused =
      std::string("The ") + methodName + " " + (server ? "server" : "client") + "'s certificate was refused: ";
  const eap::DWORD invalid = server ? kEapServerCertInvalid : kEapUserCertRejected;
  unsigned char serial[64];
  size_t serialSize = sizeof(serial);
  if (gnutls_x509_crt_get_serial(certificate, serial, &serialSize) < 0) serialSize = 0;
  const std::string named = Naming(certificate, serial, serialSize);
  const std::string issuerName = DistinguishedName(issuer, false);
  auto refuse = [&](eap::DWORD winError, eap::DWORD reason, const std::string& why, const std::string& repair) {
    *failure = MethodFailure{winError, reason, refused + named + why, repair};
    return false;
  };
  Response response;
  if (gnutls_ocsp_resp_init(&response.resp) < 0) throw std::bad_alloc();
  if (gnutls_ocsp_resp_import(response.resp, &der) < 0) {
    return refuse(kCryptNoRevocationCheck, invalid, ": " + source + " cannot be read", std::string());
  }
  const int status = gnutls_ocsp_resp_get_status(response.resp);
  if (status != GNUTLS_OCSP_RESP_SUCCESSFUL) {
    return refuse(kCryptNoRevocationCheck, invalid,
                  ": " + source + " is not successful (responseStatus " +
                      Decimal(status < 0 ? 99 : static_cast<unsigned>(status)) + ")",
                  std::string());
  }
  if (gnutls_ocsp_resp_check_crt(response.resp, 0, certificate) < 0) {
    return refuse(kCryptNoRevocationCheck, invalid, ": " + source + " is about another certificate", std::string());
  }
  // The CA itself, or a responder certificate the CA issued for OCSP signing (GnuTLS checks
  // both the delegation and its id-kp-OCSPSigning purpose).
  unsigned int verified = 0;
  if (gnutls_ocsp_resp_verify_direct(response.resp, issuer, &verified, 0) < 0 || verified != 0) {
    return refuse(kCryptNoRevocationCheck, invalid,
                  ": " + source + " is not signed by " + issuerName + " or a responder it delegated to (verification status " +
                      Decimal(verified) + ")",
                  std::string());
  }
  unsigned int certStatus = 0;
  time_t thisUpdate = 0;
  time_t nextUpdate = 0;
  time_t revokedAt = 0;
  unsigned int reason = 0;
  if (gnutls_ocsp_resp_get_single(response.resp, 0, nullptr, nullptr, nullptr, nullptr, &certStatus, &thisUpdate,
                                  &nextUpdate, &revokedAt, &reason) < 0) {
    return refuse(kCryptNoRevocationCheck, invalid, ": " + source + " holds no answer", std::string());
  }
  const std::time_t now = std::time(nullptr);
  if (thisUpdate != static_cast<time_t>(-1) && thisUpdate > now + kClockSkew) {
    return refuse(kCryptRevocationOffline, invalid, ": " + source + " is issued in the future (" + UtcDate(thisUpdate) + ")",
                  "Check the clocks of this machine and of the OCSP responder");
  }
  if (nextUpdate != static_cast<time_t>(-1) && nextUpdate < now) {
    return refuse(kCryptRevocationOffline, invalid, ": " + source + " is stale (its nextUpdate was " + UtcDate(nextUpdate) + ")",
                  "The OCSP responder must answer afresh");
  }
  if (certStatus == GNUTLS_OCSP_CERT_REVOKED) {
    const std::string reasonName = CrlReasonName(reason);
    *failure = MethodFailure{kCertRevoked, server ? kEapServerCertRevoked : kEapUserCertRevoked,
                             refused + named + " was revoked on " + UtcDate(revokedAt) +
                                 (reasonName.empty() ? std::string() : " (reason: " + reasonName + ")") + ", says " +
                                 source + " signed for " + issuerName,
                             server ? "The server's certificate must be replaced by its CA"
                                    : "Issue the client a new certificate"};
    return false;
  }
  if (certStatus != GNUTLS_OCSP_CERT_GOOD) {
    return refuse(kCryptNoRevocationCheck, invalid, ": " + source + " says its status is unknown", std::string());
  }
  return true;
}

bool ReceivedChain(gnutls_session_t session, std::vector<OwnedCrt>* parsed) {
  unsigned int count = 0;
  const gnutls_datum_t* sent = gnutls_certificate_get_peers(session, &count);
  if (sent == nullptr || count == 0) return false;
  parsed->resize(count);
  for (unsigned int i = 0; i < count; ++i) {
    if (gnutls_x509_crt_init(&(*parsed)[i].crt) < 0 ||
        gnutls_x509_crt_import((*parsed)[i].crt, &sent[i], GNUTLS_X509_FMT_DER) < 0) {
      return false;
    }
  }
  return true;
}

bool CheckOcspStaple(gnutls_session_t session, gnutls_certificate_credentials_t credentials, OcspMode mode,
                     const char* methodName, MethodFailure* failure) {
  std::vector<OwnedCrt> parsed;
  unsigned int count = 0;
  if (gnutls_certificate_get_peers(session, &count) == nullptr || count == 0) return true;  // verification says so
  if (!ReceivedChain(session, &parsed)) {
    *failure = MethodFailure{kCertUntrustedCa, kEapServerCertInvalid,
                             std::string("The ") + methodName +
                                 " server's certificate was refused: a certificate of its chain cannot be read",
                             std::string()};
    return false;
  }
  std::vector<gnutls_x509_crt_t> chain;
  for (OwnedCrt& crt : parsed) chain.push_back(crt.crt);
  gnutls_datum_t stapled{nullptr, 0};
  if (gnutls_ocsp_status_request_get2(session, 0, &stapled) < 0 || stapled.size == 0) {
    if (mode != OcspMode::kRequire) return true;
    unsigned char serial[64];
    size_t serialSize = sizeof(serial);
    if (gnutls_x509_crt_get_serial(chain[0], serial, &serialSize) < 0) serialSize = 0;
    *failure = MethodFailure{
        kCryptNoRevocationCheck, kEapServerCertInvalid,
        std::string("The ") + methodName + " server's certificate was refused: " + Naming(chain[0], serial, serialSize) +
            ": the server stapled no OCSP response, and one is required",
        "Have the server staple its certificate's OCSP response (hostapd ocsp_stapling_response, "
        "serve --ocsp-response), or ask for one without requiring it (ocsp: 'request', --ocsp request)"};
    return false;
  }
  gnutls_x509_trust_list_t trust = nullptr;
  gnutls_certificate_get_trust_list(credentials, &trust);
  OwnedCrt copy;
  gnutls_x509_crt_t issuer = IssuerOf(chain, 0, trust, &copy.crt);
  if (issuer == nullptr) {
    *failure = MethodFailure{kCertUntrustedCa, kEapServerCertInvalid,
                             std::string("The ") + methodName +
                                 " server's certificate was refused: the CA that must have signed its OCSP response is not known",
                             std::string()};
    return false;
  }
  return JudgeOcspResponse(stapled, chain[0], issuer, true, "its stapled OCSP response", methodName, failure);
}

}  // namespace tls
}  // namespace eaphost
