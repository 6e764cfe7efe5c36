// One call into EAPHost (the instance or one of its sessions), as the call seam hands it to a
// binding's body: the function table, the session id, and ownership of what EAPHost returns.
// Its EAP_ERROR is copied and freed with EapHostPeerFreeEapError exactly once (Check); the
// session calls' buffers are EAPHost's until EndSession, so Take copies them and frees nothing
// (eaphost_memory.h says why).
#pragma once

#include <optional>

#include "eaphost_instance.h"
#include "../../platform/eaphost_memory.h"
#include "../runtime/host_call.h"

namespace eaphost {

class EapHostCall {
 public:
  EapHostCall(EapHostInstance& instance, eap::EAP_SESSIONID id, const char* call)
      : instance_(instance), id_(id), call_(call) {}
  EapHostCall(const EapHostCall&) = delete;
  EapHostCall(EapHostCall&& other) noexcept
      : instance_(other.instance_), id_(other.id_), call_(other.call_), eapError_(other.eapError_) {
    other.eapError_ = nullptr;
  }
  // An EAP_ERROR no Check() consumed (an exception on the way) is still freed.
  ~EapHostCall() { RuntimeErrorOwner(api(), eapError_); }

  const eap::EapHostPeerApi& api() const { return instance_.api(); }
  EapHostInstance& instance() { return instance_; }
  eap::EAP_SESSIONID id() const { return id_; }
  // The EAP_ERROR** every EapHostPeer* call takes.
  eap::EAP_ERROR** error() { return &eapError_; }
  // Converts the call's outcome: true on success; otherwise *error names `call` (default: the
  // call this seam was opened for). The EAP_ERROR is freed either way.
  bool Check(eap::DWORD result, EapErrorInfo* error, const char* call = nullptr) {
    eap::EAP_ERROR* taken = eapError_;
    eapError_ = nullptr;
    return instance_.Check(result, taken, call != nullptr ? call : call_, error);
  }
  // A copy of a buffer a session call returned; EAPHost frees it at EndSession.
  Bytes Take(const eap::BYTE* data, eap::DWORD size) const { return CopySessionBuffer(data, size); }

 private:
  EapHostInstance& instance_;
  eap::EAP_SESSIONID id_;
  const char* call_;
  eap::EAP_ERROR* eapError_ = nullptr;
};

template <>
struct ResourceAccess<EapHostInstance> {
  static constexpr const char* kHandle = "an EAPHost handle";
  static EapErrorInfo Released(const char* call) {
    return HostError(eap::kErrorInvalidState, call, "the EAPHost instance is closed", "Closed");
  }
  static std::optional<EapHostCall> Open(EapHostInstance& instance, const char* call, EapErrorInfo* error) {
    if (!instance.RequireOpen(call, error)) return std::nullopt;
    return std::optional<EapHostCall>(std::in_place, instance, 0, call);
  }
};

template <>
struct ResourceAccess<EapHostSessionResource> {
  static constexpr const char* kHandle = "an EAPHost session handle";
  static EapErrorInfo Released(const char* call) {
    return HostError(eap::kErrorInvalidState, call, "the session has ended", "Ended");
  }
  static std::optional<EapHostCall> Open(EapHostSessionResource& session, const char* call, EapErrorInfo* error) {
    if (!session.Usable(call, error)) return std::nullopt;
    return std::optional<EapHostCall>(std::in_place, session.instance(), session.id(), call);
  }
};

}  // namespace eaphost
