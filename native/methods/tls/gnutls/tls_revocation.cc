#include "tls_revocation.h"

#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "../../../common/byte_span.h"
#include "../tls_crl_reason.h"
#include "../tls_errors.h"
#include "tls_verify.h"

namespace eaphost {
namespace tls {

namespace {
MethodFailure Unreadable(const char* methodName, const std::string& file, const std::string& why,
                         const char* kind = "CRL") {
  return MethodFailure{eap::kErrorInvalidData, 0,
                       std::string("The ") + methodName + " configuration cannot be used: the " + kind + " file " +
                           file + " " + why,
                       std::string("Give ") + (kind[0] == 'O' ? "an " : "a ") + kind +
                           " file that this process can read"};
}

constexpr unsigned int kSignatureProblems = GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND |
                                            GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_INSECURE_ALGORITHM;
}  // namespace

std::string DistinguishedName(gnutls_x509_crt_t crt, bool issuer) {
  OwnedDatum dn;
  int rc = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn.value, 0) : gnutls_x509_crt_get_dn3(crt, &dn.value, 0);
  if (rc < 0 || dn.value.size == 0) return "an unreadable name";
  return std::string(reinterpret_cast<const char*>(dn.value.data), dn.value.size);
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    if (i != 0) text += ':';
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 15];
  }
  return text;
}

std::string Naming(gnutls_x509_crt_t crt, const unsigned char* serial, std::size_t serialSize) {
  return DistinguishedName(crt, false) + " (serial " + Hex(serial, serialSize) + ")";
}

gnutls_x509_crt_t IssuerOf(const std::vector<gnutls_x509_crt_t>& chain, std::size_t index,
                           gnutls_x509_trust_list_t trust, gnutls_x509_crt_t* copy) {
  gnutls_x509_crt_t crt = chain[index];
  if (index + 1 < chain.size() && gnutls_x509_crt_check_issuer(crt, chain[index + 1]) != 0) {
    return chain[index + 1];
  }
  if (trust == nullptr || gnutls_x509_trust_list_get_issuer(trust, crt, copy, GNUTLS_TL_GET_COPY) < 0) {
    return nullptr;
  }
  return *copy;
}

std::string CrlFileStamps(const std::vector<std::string>& files, const char* methodName, const char* kind) {
  std::string stamps;
  for (const std::string& file : files) {
    // u8path: the configuration's paths are UTF-8 on every OS (Windows' own API is UTF-16).
    const std::filesystem::path path = std::filesystem::u8path(file);
    std::error_code failed;
    const std::uintmax_t size = std::filesystem::file_size(path, failed);
    if (failed) throw Unreadable(methodName, file, "cannot be found", kind);
    const auto modified = std::filesystem::last_write_time(path, failed);
    if (failed) throw Unreadable(methodName, file, "cannot be found", kind);
    // The path, then what changes when the file is replaced or rewritten.
    stamps += file;
    stamps.push_back('\0');
    const long long parts[2] = {static_cast<long long>(size),
                                static_cast<long long>(modified.time_since_epoch().count())};
    stamps.append(reinterpret_cast<const char*>(parts), sizeof(parts));
  }
  return stamps;
}

RevocationLists::RevocationLists(const std::vector<std::string>& files, const char* methodName) {
  try {
    for (const std::string& file : files) {
      OwnedDatum content;
      int rc = gnutls_load_file(file.c_str(), &content.value);
      if (rc < 0) throw Unreadable(methodName, file, std::string("cannot be read (") + gnutls_strerror(rc) + ")");
      const bool pem = content.value.size >= 10 && std::memcmp(content.value.data, "-----BEGIN", 10) == 0;
      gnutls_x509_crl_t* list = nullptr;
      unsigned int count = 0;
      rc = gnutls_x509_crl_list_import2(&list, &count, &content.value,
                                        pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, 0);
      if (rc < 0 || count == 0) {
        throw Unreadable(methodName, file, std::string("holds no CRL (") + gnutls_strerror(rc < 0 ? rc : 0) + ")");
      }
      for (unsigned int i = 0; i < count; ++i) crls_.push_back(list[i]);
      TlsLibraryFree(list);
    }
  } catch (...) {
    for (gnutls_x509_crl_t crl : crls_) gnutls_x509_crl_deinit(crl);
    throw;
  }
}

RevocationLists::~RevocationLists() {
  for (gnutls_x509_crl_t crl : crls_) gnutls_x509_crl_deinit(crl);
}

bool RevocationLists::Check(gnutls_session_t session, gnutls_certificate_credentials_t credentials,
                            bool server, bool wholeChain, bool allowStale, const char* methodName,
                            MethodFailure* failure) const {
  const char* who = server ? "server" : "client";
  const std::string refused = std::string("The ") + methodName + " " + who + "'s certificate was refused: ";
  unsigned int count = 0;
  const gnutls_datum_t* sent = gnutls_certificate_get_peers(session, &count);
  if (sent == nullptr || count == 0) return true;  // nothing was presented: verification said so
  std::vector<OwnedCrt> parsed(count);
  std::vector<gnutls_x509_crt_t> chain;
  for (unsigned int i = 0; i < count; ++i) {
    if (gnutls_x509_crt_init(&parsed[i].crt) < 0 ||
        gnutls_x509_crt_import(parsed[i].crt, &sent[i], GNUTLS_X509_FMT_DER) < 0) {
      *failure = MethodFailure{kCertUntrustedCa, server ? kEapServerCertInvalid : kEapUserCertRejected,
                               refused + "a certificate of its chain cannot be read", std::string()};
      return false;
    }
    chain.push_back(parsed[i].crt);
  }
  gnutls_x509_trust_list_t trust = nullptr;
  gnutls_certificate_get_trust_list(credentials, &trust);
  const std::time_t now = std::time(nullptr);
  const std::size_t checked = wholeChain ? chain.size() : 1;
  for (std::size_t index = 0; index < checked; ++index) {
    gnutls_x509_crt_t crt = chain[index];
    if (gnutls_x509_crt_check_issuer(crt, crt) != 0) break;  // a self-issued CA: nothing revokes it
    OwnedCrt copy;
    gnutls_x509_crt_t issuer = IssuerOf(chain, index, trust, &copy.crt);
    if (issuer == nullptr) break;
    unsigned char serial[64];
    size_t serialSize = sizeof(serial);
    if (gnutls_x509_crt_get_serial(crt, serial, &serialSize) < 0) serialSize = 0;
    const std::string named = (index == 0 ? "" : "a CA of its chain, ") + Naming(crt, serial, serialSize);
    // The CRLs its issuer signed; the newest one decides.
    gnutls_x509_crl_t chosen = nullptr;
    std::time_t chosenIssued = 0;
    for (gnutls_x509_crl_t crl : crls_) {
      if (gnutls_x509_crl_check_issuer(crl, issuer) == 0) continue;
      unsigned int status = 0;
      if (gnutls_x509_crl_verify(crl, &issuer, 1, 0, &status) < 0 || (status & kSignatureProblems) != 0) continue;
      const std::time_t issued = gnutls_x509_crl_get_this_update(crl);
      if (chosen == nullptr || issued > chosenIssued) {
        chosen = crl;
        chosenIssued = issued;
      }
    }
    const std::string issuerName = DistinguishedName(issuer, false);
    if (chosen == nullptr) {
      *failure = MethodFailure{kCryptNoRevocationCheck, server ? kEapServerCertInvalid : kEapUserCertRejected,
                               refused + named + ": no configured CRL is signed by its issuer " + issuerName +
                                   ", so its revocation cannot be checked",
                               "Give the CRL of " + issuerName + " (crl, --crl)"};
      return false;
    }
    const std::time_t next = gnutls_x509_crl_get_next_update(chosen);
    if (chosenIssued != static_cast<std::time_t>(-1) && chosenIssued > now) {
      *failure = MethodFailure{kCryptRevocationOffline, server ? kEapServerCertInvalid : kEapUserCertRejected,
                               refused + named + ": the CRL of " + issuerName + " is issued in the future (" +
                                   UtcDate(chosenIssued) + ")",
                               "Check the clocks of this machine and of the CA"};
      return false;
    }
    if (!allowStale && next != static_cast<std::time_t>(-1) && next < now) {
      *failure = MethodFailure{kCryptRevocationOffline, server ? kEapServerCertInvalid : kEapUserCertRejected,
                               refused + named + ": the CRL of " + issuerName + " is stale (its nextUpdate was " +
                                   UtcDate(next) + ")",
                               "Fetch a fresh CRL from the CA (or, knowingly, allow a stale CRL: allowStaleCrl, "
                               "--crl-allow-stale)"};
      return false;
    }
    for (unsigned int entry = 0;; ++entry) {
      unsigned char listed[64];
      size_t listedSize = sizeof(listed);
      time_t revokedAt = 0;
      int rc = gnutls_x509_crl_get_crt_serial(chosen, static_cast<unsigned int>(entry), listed, &listedSize, &revokedAt);
      if (rc < 0) break;
      if (listedSize != serialSize || std::memcmp(listed, serial, serialSize) != 0) continue;
      std::string reason;
      OwnedDatum der;
      if (gnutls_x509_crl_export2(chosen, GNUTLS_X509_FMT_DER, &der.value) >= 0) {
        reason = CrlEntryReason(ByteSpan{der.value.data, der.value.size}, ByteSpan{serial, serialSize});
      }
      *failure = MethodFailure{kCertRevoked,
                               server ? kEapServerCertRevoked : kEapUserCertRevoked,
                               refused + named + " was revoked on " + UtcDate(revokedAt) +
                                   (reason.empty() ? std::string() : " (reason: " + reason + ")") +
                                   " by the CRL of " + issuerName,
                               server ? "The server's certificate must be replaced by its CA"
                                      : "Issue the client a new certificate"};
      return false;
    }
  }
  return true;
}

}  // namespace tls
}  // namespace eaphost
