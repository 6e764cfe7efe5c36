#include "eaphost_instance.h"

#include "../common/utf16.h"

namespace eaphost {

bool EapHostInstance::Initialize(EapErrorInfo* error) {
  eap::DWORD result = api().EapHostPeerInitialize();
  if (result != eap::kErrorSuccess) {
    *error = HostError(result, "EapHostPeerInitialize",
                       "EapHostPeerInitialize failed with Win32 error " + std::to_string(result));
    error->origin = ErrorOrigin::kEapHost;
    return false;
  }
  initialized_ = true;
  return true;
}

void EapHostInstance::Close() {
  if (!initialized_) return;
  initialized_ = false;
  api().EapHostPeerUninitialize();
}

NotificationSink* EapHostInstance::NewSink(AddonState* state, uint32_t token) {
  auto sink = std::make_unique<NotificationSink>(NotificationSink{state, token});
  NotificationSink* raw = sink.get();
  sinks_.emplace(raw, std::move(sink));
  return raw;
}

void EapHostInstance::ReleaseSink(NotificationSink* sink) { sinks_.erase(sink); }

bool EapHostInstance::Check(eap::DWORD result, eap::EAP_ERROR* eapError, const char* call,
                            EapErrorInfo* error) const {
  if (result == eap::kErrorSuccess && eapError == nullptr) return true;
  EapErrorInfo copied = CopyEapError(eapError, result, call, ErrorOrigin::kEapHost);
  if (eapError != nullptr) api().EapHostPeerFreeEapError(eapError);
  if (result == eap::kErrorSuccess) return true;  // a stray error block with success: freed, ignored
  if (copied.rootCauseString.empty()) {
    copied.rootCauseString = Utf8ToUtf16(std::string(call) + " failed with Win32 error " + std::to_string(result));
  }
  *error = std::move(copied);
  return false;
}

Bytes EapHostInstance::TakeRuntimeBuffer(eap::BYTE* data, eap::DWORD size) const {
  if (data == nullptr) return Bytes();
  Bytes out(data, data + size);
  api().EapHostPeerFreeRuntimeMemory(data);
  return out;
}

bool EapHostInstance::RequireOpen(const char* call, EapErrorInfo* error) const {
  if (initialized_) return true;
  *error = HostError(eap::kErrorInvalidState, call, "the EAPHost instance is closed", "Closed");
  return false;
}

void EapHostSessionResource::Close() {
  EapErrorInfo ignored;
  End(&ignored);
}

bool EapHostSessionResource::End(EapErrorInfo* error) {
  if (ended_) return true;
  ended_ = true;
  if (!instance_->open()) return true;  // Uninitialize already ended it
  eap::EAP_ERROR* eapError = nullptr;
  eap::DWORD result = instance_->api().EapHostPeerEndSession(id_, &eapError);
  instance_->ReleaseSink(sink_);
  return instance_->Check(result, eapError, "EapHostPeerEndSession", error);
}

bool EapHostSessionResource::Usable(const char* call, EapErrorInfo* error) const {
  if (ended_) {
    *error = HostError(eap::kErrorInvalidState, call, "the session has ended", "Ended");
    return false;
  }
  return instance_->RequireOpen(call, error);
}

}  // namespace eaphost
