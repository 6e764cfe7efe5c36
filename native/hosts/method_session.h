// What the peer and authenticator method sessions share: the method, its session handle, the
// call-order state and its refusal, the begin and end of a method session, and the attribute
// array a method hands back. Each side keeps its own states and the calls between (see
// peer_method_session.cc, authenticator_method_host.cc); both name Created, Started and Ended.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "method_call.h"
#include "method_values.h"

namespace eaphost {

template <typename Method, typename State>
class MethodSession {
 public:
  MethodSession(const MethodSession&) = delete;
  MethodSession& operator=(const MethodSession&) = delete;

  State state() const { return state_; }
  const std::shared_ptr<Method>& method() const { return method_; }

 protected:
  using StateNamer = const char* (*)(State);
  MethodSession(std::shared_ptr<Method> method, StateNamer stateName)
      : method_(std::move(method)), stateName_(stateName) {}
  ~MethodSession() = default;

  bool Refuse(const char* call, const char* rule, EapErrorInfo* error) const {
    Report(error, OutOfOrder(call, stateName_(state_), rule));
    return false;
  }

  // BeginSession: `begin(packetSize, handle*, EAP_ERROR**)` calls the method once there is one
  // and the session has not begun; the packet size is the caller's (1400, fitting a 1500-byte
  // MTU with headers, when it gives none), never more than an EAP packet can be.
  template <typename Begin>
  bool BeginWith(const char* call, eap::DWORD maxSendPacketSize, Begin begin, EapErrorInfo* error) {
    if (!method_) {
      Report(error, HostError(eap::kErrorInvalidParameter, call, "the session has no method"));
      return false;
    }
    if (state_ != State::kCreated) return Refuse(call, "a session begins only once", error);
    constexpr eap::DWORD kDefaultSendPacketSize = 1400;
    eap::DWORD packetSize = std::min(maxSendPacketSize == 0 ? kDefaultSendPacketSize : maxSendPacketSize,
                                     kMaxEapPacketSize);
    eap::EAP_SESSION_HANDLE handle = nullptr;
    eap::EAP_ERROR* raw = nullptr;
    eap::DWORD result = begin(packetSize, &handle, &raw);
    if (!MethodSucceeded(*method_, result, raw, call, error)) return false;
    handle_ = handle;
    maxSendPacketSize_ = packetSize;
    state_ = State::kStarted;
    return true;
  }

  // EndSession: whatever the method says, the session is over; a session never begun has
  // nothing for the method to end. `end(EAP_ERROR**)` calls the method's end routine.
  template <typename End>
  bool EndWith(const char* call, End end, EapErrorInfo* error) {
    if (state_ == State::kEnded) return Refuse(call, "the session has already ended", error);
    bool begun = state_ != State::kCreated;
    state_ = State::kEnded;
    if (!begun) return true;
    eap::EAP_ERROR* raw = nullptr;
    eap::DWORD result = end(&raw);
    handle_ = nullptr;
    return MethodSucceeded(*method_, result, raw, call, error);
  }

  // An attribute array the method fills in (`get(EapAttributes*, EAP_ERROR**)`): copied, then
  // given back to the method's free function.
  template <typename Get>
  bool TakeAttributes(const char* call, Get get, Attributes* attributes, EapErrorInfo* error) {
    eap::EapAttributes raw{};
    eap::EAP_ERROR* rawError = nullptr;
    eap::DWORD result = get(&raw, &rawError);
    if (!MethodSucceeded(*method_, result, rawError, call, error)) return false;
    Report(attributes, CopyAttributes(&raw));
    method_->FreeMemory(raw.pAttribs);
    return true;
  }

  std::shared_ptr<Method> method_;
  eap::EAP_SESSION_HANDLE handle_ = nullptr;
  eap::DWORD maxSendPacketSize_ = 0;
  State state_ = State::kCreated;

 private:
  StateNamer stateName_;
};

}  // namespace eaphost
