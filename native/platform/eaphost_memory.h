// Ownership of what EAPHost returns, as types (docs/WINDOWS-CONTRACT.md has the evidence for
// each rule). One owner type per free function, so nothing can be freed with the wrong
// function or twice:
//   RuntimeErrorOwner   EapHostPeerFreeEapError     EAP_ERRORs of the session calls
//   ConfigErrorOwner    EapHostPeerFreeErrorMemory  configuration API and GetIdentity errors
//   RuntimeMemoryOwner  EapHostPeerFreeRuntimeMemory GetIdentity's identity and user data
//   ConfigMemoryOwner   EapHostPeerFreeMemory        configuration API memory, inner pointers first
// What the session calls return (GetSendPacket, GetUIContext, GetAuthStatus,
// GetResponseAttributes, GetResult and everything inside it but its pEapError, which is a
// RuntimeErrorOwner's) is EAPHost's until EndSession:
// it is copied (CopySessionBuffer) and never freed here. If Windows turned out to expect a
// free, the cost is a leak bounded by the session, never a double free.
#pragma once

#include <cstddef>
#include <utility>

#include "../abi/eap_host_peer_abi.h"
#include "../common/eap_error_info.h"
#include "../hosts/method_values.h"

namespace eaphost {

template <typename Arg, void(EAP_API* eap::EapHostPeerApi::*Free)(Arg*)>
class EapHostOwner {
 public:
  explicit EapHostOwner(const eap::EapHostPeerApi& api, void* pointer = nullptr)
      : api_(&api), pointer_(pointer) {}
  ~EapHostOwner() { reset(); }
  EapHostOwner(const EapHostOwner&) = delete;
  EapHostOwner& operator=(const EapHostOwner&) = delete;
  EapHostOwner(EapHostOwner&& other) noexcept : api_(other.api_), pointer_(other.pointer_) { other.pointer_ = nullptr; }

  void reset() {
    if (pointer_ == nullptr) return;
    void* pointer = pointer_;
    pointer_ = nullptr;
    (api_->*Free)(static_cast<Arg*>(pointer));
  }
  // Hands the pointer on to an owner of the same free function; it is no longer this one's.
  void* release() { return std::exchange(pointer_, nullptr); }

 private:
  const eap::EapHostPeerApi* api_;
  void* pointer_;
};

using RuntimeErrorOwner = EapHostOwner<eap::EAP_ERROR, &eap::EapHostPeerApi::EapHostPeerFreeEapError>;
using ConfigErrorOwner = EapHostOwner<eap::EAP_ERROR, &eap::EapHostPeerApi::EapHostPeerFreeErrorMemory>;
using RuntimeMemoryOwner = EapHostOwner<eap::BYTE, &eap::EapHostPeerApi::EapHostPeerFreeRuntimeMemory>;
using ConfigMemoryOwner = EapHostOwner<eap::BYTE, &eap::EapHostPeerApi::EapHostPeerFreeMemory>;

// A copy of a buffer EAPHost owns (a session call's output): never freed here.
inline Bytes CopySessionBuffer(const eap::BYTE* data, eap::DWORD size) {
  return data == nullptr ? Bytes() : Bytes(data, data + size);
}

// The configuration API's nested results, freed as their pages say: every inner pointer
// first, innermost first, then the array; field data (passwords) wiped before it goes.
void FreeInputFields(const eap::EapHostPeerApi& api, eap::EAP_CONFIG_INPUT_FIELD_ARRAY* array);
void FreeMethodInfos(const eap::EapHostPeerApi& api, eap::EAP_METHOD_INFO_ARRAY* array);
void FreeMethodProperties(const eap::EapHostPeerApi& api, eap::EAP_METHOD_PROPERTY_ARRAY* array);

}  // namespace eaphost
