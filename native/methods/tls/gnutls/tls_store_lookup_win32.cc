#include "tls_store_lookup.h"

#include "../tls_errors.h"
#include "tls_store_rules.h"

namespace eaphost {
namespace tls {

namespace {
std::wstring Wide(const std::string& utf8) {
  if (utf8.empty()) return std::wstring();
  const int units = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  if (units <= 0) return std::wstring();
  std::wstring out(static_cast<std::size_t>(units), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), &out[0], units);
  return out;
}

std::string Thumbprint(PCCERT_CONTEXT certificate) {
  BYTE hash[20] = {};
  DWORD size = sizeof hash;
  if (!CertGetCertificateContextProperty(certificate, CERT_SHA1_HASH_PROP_ID, hash, &size) || size != sizeof hash) return "?";
  StoreCertificate ref;
  ref.thumbprint.assign(hash, hash + sizeof hash);
  const std::string named = StoreCertificateName(ref);
  return named.substr(named.rfind(' ') + 1);
}

// The candidates of a subject search, each freed on every way out.
struct Certificates {
  std::vector<PCCERT_CONTEXT> list;
  ~Certificates() {
    for (PCCERT_CONTEXT c : list) CertFreeCertificateContext(c);
  }
};

bool HasKeyProperty(PCCERT_CONTEXT certificate) {
  DWORD size = 0;
  return CertGetCertificateContextProperty(certificate, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) ||
         CertGetCertificateContextProperty(certificate, CERT_NCRYPT_KEY_HANDLE_PROP_ID, nullptr, &size);
}

constexpr DWORD kErrorNoToken = 1008;  // ERROR_NO_TOKEN

// The token's user SID, as bytes; empty when it cannot be read.
std::string TokenUserSid(HANDLE token) {
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  if (size == 0 || size > 4096) return std::string();
  std::vector<unsigned char> buffer(size);
  if (!GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) return std::string();
  const PSID sid = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;
  if (sid == nullptr || !IsValidSid(sid)) return std::string();
  const auto* bytes = static_cast<const char*>(sid);
  return std::string(bytes, bytes + GetLengthSid(sid));
}

bool ProcessIsLocalSystem() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
  const std::string sid = TokenUserSid(token);
  CloseHandle(token);
  return !sid.empty() && IsWellKnownSid(const_cast<char*>(sid.data()), WinLocalSystemSid);
}

}  // namespace

StoreUserScope::StoreUserScope(const StoreCertificate& ref, eap::HANDLE userToken, const StoreRefusal& refuse) {
  const bool currentUser = ref.location != StoreLocation::kLocalMachine;
  const StoreUser user = StoreUserFor(currentUser, userToken != nullptr, currentUser && userToken == nullptr && ProcessIsLocalSystem());
  if (user == StoreUser::kRefuseService) {
    throw refuse(kErrorNoToken,
                 "cannot be looked up: this process runs as LocalSystem and was given no user token "
                 "(hTokenImpersonateUser), so CurrentUser would be the service account's store, not the user's",
                 "Begin the session with the user's token (not a machine authentication), or keep the certificate "
                 "in a LocalMachine store");
  }
  if (user != StoreUser::kImpersonate) return;
  token_ = static_cast<HANDLE>(userToken);
  asUser_ = std::make_unique<ThreadAsUser>(token_);
  const DWORD code = asUser_->error();
  if (code == 0) return;
  asUser_.reset();
  throw refuse(code, "cannot be looked up as the session's user: ImpersonateLoggedOnUser failed (" + Hex32(code) + ")",
               "Pass a token that may be impersonated (TOKEN_QUERY | TOKEN_DUPLICATE, SecurityImpersonation)");
}

ThreadAsUser::ThreadAsUser(HANDLE token) {
  if (token == nullptr) return;
  HANDLE previous = nullptr;
  if (OpenThreadToken(GetCurrentThread(), TOKEN_IMPERSONATE, TRUE, &previous)) previous_ = previous;
  if (!ImpersonateLoggedOnUser(token)) {
    const DWORD code = GetLastError();
    error_ = code != 0 ? code : kErrorNoToken;
    if (previous_ != nullptr) CloseHandle(previous_);
    previous_ = nullptr;
    return;
  }
  impersonating_ = true;
}

ThreadAsUser::~ThreadAsUser() {
  // Back to what the thread had: its own impersonation, or the process's token.
  if (impersonating_ && !SetThreadToken(nullptr, previous_)) RevertToSelf();
  if (previous_ != nullptr) CloseHandle(previous_);
}

std::string StoreUserKey(const StoreCertificate& ref, eap::HANDLE userToken) {
  if (ref.location == StoreLocation::kLocalMachine || userToken == nullptr) return std::string();
  const HANDLE token = static_cast<HANDLE>(userToken);
  TOKEN_STATISTICS statistics{};
  DWORD size = 0;
  if (!GetTokenInformation(token, TokenStatistics, &statistics, sizeof statistics, &size)) {
    // No logon session to name: this token's own handle keeps its credentials apart from any other's.
    const auto handle = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(token));
    return StoreUserCacheKey(TokenUserSid(token) + "?", static_cast<std::uint32_t>(handle),
                             static_cast<std::uint32_t>(handle >> 32));
  }
  return StoreUserCacheKey(TokenUserSid(token), statistics.AuthenticationId.LowPart,
                           static_cast<std::uint32_t>(statistics.AuthenticationId.HighPart));
}

std::string Hex32(DWORD value) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string text = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) text.push_back(kDigits[(value >> shift) & 15]);
  return text;
}

MethodFailure StoreRefusal::operator()(eap::DWORD winError, const std::string& what, const std::string& repair) const {
  return MethodFailure{winError, kEapUserCertNotFound,
                       std::string("The ") + methodName + " peer's store certificate (" + StoreCertificateName(ref) + ") " + what,
                       repair};
}

OpenStore::OpenStore(const StoreCertificate& ref, const StoreRefusal& refuse) {
  const DWORD location = ref.location == StoreLocation::kLocalMachine ? CERT_SYSTEM_STORE_LOCAL_MACHINE
                                                                      : CERT_SYSTEM_STORE_CURRENT_USER;
  const std::wstring name = Wide(ref.store);
  handle_ = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, location | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG,
                          name.c_str());
  if (handle_ == nullptr) {
    const DWORD code = GetLastError();
    throw refuse(code != 0 ? code : kCryptNotFound, "cannot be looked up: CertOpenStore failed (" + Hex32(code) + ")",
                 "Name a store that exists (My is the personal store)");
  }
}

OpenStore::~OpenStore() { CertCloseStore(handle_, 0); }

PCCERT_CONTEXT FindStoreCertificate(HCERTSTORE store, const StoreCertificate& ref, const StoreRefusal& refuse) {
  if (!ref.thumbprint.empty()) {
    CRYPT_HASH_BLOB hash{static_cast<DWORD>(ref.thumbprint.size()), const_cast<BYTE*>(ref.thumbprint.data())};
    PCCERT_CONTEXT found = CertFindCertificateInStore(store, kCertificateEncoding, 0, CERT_FIND_SHA1_HASH, &hash, nullptr);
    if (found == nullptr) {
      throw refuse(kCryptNotFound, "is not there: the store holds no certificate with that thumbprint",
                   "Import the certificate with its key into that store, or give the thumbprint of one it holds");
    }
    return found;
  }
  // By subject: among the certificates whose subject contains the text (CertFindCertificateInStore
  // compares case-insensitively), those valid now and linked to a key; exactly one, or a refusal
  // that lists them, never a guess.
  const std::wstring subject = Wide(ref.subject);
  Certificates matching;
  std::size_t seen = 0;
  for (PCCERT_CONTEXT at = CertFindCertificateInStore(store, kCertificateEncoding, 0, CERT_FIND_SUBJECT_STR_W, subject.c_str(), nullptr);
       at != nullptr; at = CertFindCertificateInStore(store, kCertificateEncoding, 0, CERT_FIND_SUBJECT_STR_W, subject.c_str(), at)) {
    ++seen;
    if (CertVerifyTimeValidity(nullptr, at->pCertInfo) == 0 && HasKeyProperty(at)) {
      matching.list.push_back(CertDuplicateCertificateContext(at));
    }
  }
  if (matching.list.empty()) {
    throw refuse(seen == 0 ? kCryptNotFound : kCryptNoKeyProperty,
                 seen == 0 ? std::string("is not there: no certificate's subject contains that text")
                           : "matches " + Decimal(seen) + " certificate(s), none valid now with a private key",
                 "Import the certificate with its key into that store, or name another");
  }
  if (matching.list.size() > 1) {
    std::string thumbprints;
    for (PCCERT_CONTEXT c : matching.list) thumbprints += (thumbprints.empty() ? "" : ", ") + Thumbprint(c);
    throw refuse(kCryptNotFound, "is ambiguous: " + Decimal(matching.list.size()) +
                                     " certificates valid now with a private key match (" + thumbprints + ")",
                 "Name the certificate by its thumbprint");
  }
  PCCERT_CONTEXT only = matching.list.front();
  matching.list.clear();
  return only;
}

// 802.1X runs before the network does: the chain is built from what is cached, with no URL
// fetched and no Windows Update root download (docs/WINDOWS-CONTRACT.md, "Certificates from
// the store").
constexpr DWORD kStoreChainFlags = CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL | CERT_CHAIN_DISABLE_AUTH_ROOT_AUTO_UPDATE;

std::vector<std::vector<unsigned char>> StoreChainOf(PCCERT_CONTEXT certificate) {
  std::vector<std::vector<unsigned char>> chain;
  chain.emplace_back(certificate->pbCertEncoded, certificate->pbCertEncoded + certificate->cbCertEncoded);
  CERT_CHAIN_PARA para{};
  para.cbSize = sizeof para;
  PCCERT_CHAIN_CONTEXT built = nullptr;
  if (!CertGetCertificateChain(nullptr, certificate, nullptr, certificate->hCertStore, &para,
                               kStoreChainFlags, nullptr, &built) || built == nullptr) {
    return chain;
  }
  if (built->cChain > 0 && built->rgpChain[0] != nullptr) {
    const CERT_SIMPLE_CHAIN& simple = *built->rgpChain[0];
    for (DWORD i = 1; i < simple.cElement; ++i) {
      const CERT_CHAIN_ELEMENT& element = *simple.rgpElement[i];
      if (i + 1 == simple.cElement && (element.TrustStatus.dwInfoStatus & CERT_TRUST_IS_SELF_SIGNED) != 0) break;
      chain.emplace_back(element.pCertContext->pbCertEncoded,
                         element.pCertContext->pbCertEncoded + element.pCertContext->cbCertEncoded);
    }
  }
  CertFreeCertificateChain(built);
  return chain;
}

}  // namespace tls
}  // namespace eaphost
