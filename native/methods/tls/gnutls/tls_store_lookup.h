// Finding the peer's store certificate (TlsConfig::certStore) on Windows: the store, the one
// certificate the configuration names, and the chain it is sent with. The key it holds is
// tls_store_key_win32.cc's. Each handle is freed with its own function (docs/WINDOWS-CONTRACT.md,
// "Certificates from the store").
#pragma once

#include "../../../abi/eap_platform.h"  // windows.h first
#include <wincrypt.h>

#include <memory>
#include <string>
#include <vector>

#include "../../support/method_error.h"
#include "../tls_config.h"

namespace eaphost {
namespace tls {

constexpr DWORD kCertificateEncoding = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING;
constexpr eap::DWORD kCryptNotFound = 0x80092004;       // CRYPT_E_NOT_FOUND
constexpr eap::DWORD kCryptNoKeyProperty = 0x8009200B;  // CRYPT_E_NO_KEY_PROPERTY

// "0x8009200B": a Windows error as the refusals write it.
std::string Hex32(DWORD value);

// The refusal naming the method, the store and the certificate.
struct StoreRefusal {
  const char* methodName;
  const StoreCertificate& ref;
  MethodFailure operator()(eap::DWORD winError, const std::string& what, const std::string& repair) const;
};

// This thread as `token`'s user (ImpersonateLoggedOnUser) until the object goes, then as it was:
// its own impersonation token, or the process's. A null token changes nothing. error() is
// GetLastError's when the impersonation failed (the thread is then unchanged).
class ThreadAsUser {
 public:
  explicit ThreadAsUser(HANDLE token);
  ~ThreadAsUser();
  ThreadAsUser(const ThreadAsUser&) = delete;
  ThreadAsUser& operator=(const ThreadAsUser&) = delete;
  DWORD error() const { return error_; }

 private:
  bool impersonating_ = false;
  HANDLE previous_ = nullptr;  // the thread's own impersonation token, if it had one
  DWORD error_ = 0;
};

// The look-up of a CurrentUser store, as the user whose store it is (tls_store_rules.h,
// StoreUserFor): impersonates `userToken` (EapPeerBeginSession's hTokenImpersonateUser) on this
// thread until it goes; throws the refusal (ERROR_NO_TOKEN) when LocalSystem would open its own
// CurrentUser store for want of a token. userToken() is the token the scope impersonates (null
// when it runs as the process): whoever uses the key later (signing) runs as that user too.
class StoreUserScope {
 public:
  StoreUserScope(const StoreCertificate& ref, eap::HANDLE userToken, const StoreRefusal& refuse);
  HANDLE userToken() const { return asUser_ ? token_ : nullptr; }

 private:
  HANDLE token_ = nullptr;
  std::unique_ptr<ThreadAsUser> asUser_;
};

// The SID of the user a look-up of `ref` runs as with `userToken`, and the token's logon session
// (empty: the process), so credentials holding one user's store key are never shared with another
// user's session, nor with another logon session of the same user (StoreUserCacheKey).
std::string StoreUserKey(const StoreCertificate& ref, eap::HANDLE userToken);

// An open system store, closed (CertCloseStore) when it goes; contexts found in it outlive it.
class OpenStore {
 public:
  // Throws the refusal when the store cannot be opened.
  OpenStore(const StoreCertificate& ref, const StoreRefusal& refuse);
  ~OpenStore();
  OpenStore(const OpenStore&) = delete;
  OpenStore& operator=(const OpenStore&) = delete;
  HCERTSTORE get() const { return handle_; }

 private:
  HCERTSTORE handle_ = nullptr;
};

// The one certificate `ref` names, as a context of the caller's (CertFreeCertificateContext):
// by thumbprint, or the only one whose subject contains the text and that is valid now with a
// private key. Throws the refusal otherwise (absent, or ambiguous, listing the thumbprints).
PCCERT_CONTEXT FindStoreCertificate(HCERTSTORE store, const StoreCertificate& ref, const StoreRefusal& refuse);

// The certificate, then the intermediates the chain engine finds (in the certificate's own store
// and the system's), without the self-signed root: what the server needs to reach its trust
// anchor. Only what is cached locally is used (no AIA fetch while loading a key).
std::vector<std::vector<unsigned char>> StoreChainOf(PCCERT_CONTEXT certificate);

}  // namespace tls
}  // namespace eaphost
