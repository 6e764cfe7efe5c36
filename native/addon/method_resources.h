// Method modules driven directly (no EAPHost in between), as host-thread resources.
#pragma once

#include <memory>

#include "addon_state.h"
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

using PeerMethodResource = Held<PeerMethod>;
using PeerSessionResource = Held<PeerMethodSession, std::unique_ptr<PeerMethodSession>>;
using AuthenticatorMethodResource = Held<AuthenticatorMethod>;
using AuthenticatorSessionResource = Held<AuthenticatorMethodSession, std::unique_ptr<AuthenticatorMethodSession>>;
using AuthenticatorHostResource = Held<AuthenticatorHost, std::unique_ptr<AuthenticatorHost>>;

}  // namespace eaphost
