// Method modules driven directly (no EAPHost in between), as host-thread resources, and their
// access through the call seam (host_call.h).
#pragma once

#include <memory>

#include "addon_state.h"
#include "host_call.h"
#include "../hosts/authenticator_host.h"
#include "../hosts/authenticator_method_host.h"
#include "../hosts/peer_method_host.h"

namespace eaphost {

// Holds one object until Close(); afterwards every call fails with a "closed" error.
template <typename T, typename Holder = std::shared_ptr<T>>
class Held : public HostResource {
 public:
  explicit Held(Holder held) : held_(std::move(held)) {}
  ~Held() override { Close(); }
  void Close() override { held_.reset(); }
  T* Get(const char* call, const char* what, EapErrorInfo* error) {
    if (held_) return held_.get();
    *error = HostError(eap::kErrorInvalidState, call, std::string("the ") + what + " is closed", "Closed");
    return nullptr;
  }
  const Holder& holder() const { return held_; }

 private:
  Holder held_;
};

// What a held object is called in TypeErrors (kHandle) and "closed" errors (kWhat).
template <typename T>
struct HeldNames;
template <>
struct HeldNames<PeerMethod> {
  static constexpr const char* kHandle = "a peer method handle";
  static constexpr const char* kWhat = "peer method";
};
template <>
struct HeldNames<PeerMethodSession> {
  static constexpr const char* kHandle = "a peer method session handle";
  static constexpr const char* kWhat = "peer method session";
};
template <>
struct HeldNames<AuthenticatorMethod> {
  static constexpr const char* kHandle = "an authenticator method handle";
  static constexpr const char* kWhat = "authenticator method";
};
template <>
struct HeldNames<AuthenticatorMethodSession> {
  static constexpr const char* kHandle = "an authenticator method session handle";
  static constexpr const char* kWhat = "authenticator method session";
};
template <>
struct HeldNames<AuthenticatorHost> {
  static constexpr const char* kHandle = "an authenticator handle";
  static constexpr const char* kWhat = "authenticator conversation";
};

template <typename T, typename Holder>
struct ResourceAccess<Held<T, Holder>> {
  static constexpr const char* kHandle = HeldNames<T>::kHandle;
  static T* Open(Held<T, Holder>& held, const char* call, EapErrorInfo* error) {
    return held.Get(call, HeldNames<T>::kWhat, error);
  }
};

using PeerMethodResource = Held<PeerMethod>;
using PeerSessionResource = Held<PeerMethodSession, std::unique_ptr<PeerMethodSession>>;
using AuthenticatorMethodResource = Held<AuthenticatorMethod>;
using AuthenticatorSessionResource = Held<AuthenticatorMethodSession, std::unique_ptr<AuthenticatorMethodSession>>;
using AuthenticatorHostResource = Held<AuthenticatorHost, std::unique_ptr<AuthenticatorHost>>;

}  // namespace eaphost
