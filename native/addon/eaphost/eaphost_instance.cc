#include "eaphost_instance.h"

#include "../../common/utf16.h"
#include "../../platform/eaphost_memory.h"
#include "../../platform/eaphost_process.h"

namespace eaphost {

bool EapHostInstance::Initialize(EapErrorInfo* error) {
  if (!AcquireEapHostInitialization(api(), error)) return false;
  initialized_ = true;
  return true;
}

void EapHostInstance::Close() {
  if (!initialized_) return;
  // Each open session ends and its connection is cleared before EAPHost is uninitialized, as
  // the SDK's sample supplicant does (ClearConnection, then Uninitialize).
  while (!sessions_.empty()) {
    EapErrorInfo ignored;
    (*sessions_.begin())->End(&ignored);  // removes itself
  }
  while (!connections_.empty()) {
    EapErrorInfo ignored;
    ClearConnection(connections_.begin()->first, &ignored);
  }
  initialized_ = false;
  // Only the last instance of this EAPHost in the process uninitializes it: the call ends
  // every session of the process, the other instances' included.
  ReleaseEapHostInitialization(api());
}

NotificationSink* EapHostInstance::RegisterConnection(const eap::GUID& connectionId, AddonState* state,
                                                      uint32_t token) {
  Connection& connection = connections_[connectionId];
  ++connection.sessions;
  connection.sinks.push_back(std::make_unique<NotificationSink>(NotificationSink{state, token}));
  return connection.sinks.back().get();
}

bool EapHostInstance::ReleaseConnection(const eap::GUID& connectionId, EapErrorInfo* error) {
  auto connection = connections_.find(connectionId);
  if (connection == connections_.end()) return true;  // already cleared by the caller
  if (--connection->second.sessions > 0) return true;
  return ClearConnection(connectionId, error);
}

bool EapHostInstance::ClearConnection(const eap::GUID& connectionId, EapErrorInfo* error) {
  eap::GUID id = connectionId;  // the export takes a non-const GUID*
  eap::EAP_ERROR* eapError = nullptr;
  eap::DWORD result = initialized_ ? api().EapHostPeerClearConnection(&id, &eapError) : eap::kErrorSuccess;
  // Only now can no callback reach the connection's sinks.
  connections_.erase(id);
  return Check(result, eapError, "EapHostPeerClearConnection", error);
}

void EapHostInstance::RemoveSession(EapHostSessionResource* session) { sessions_.erase(session); }

bool EapHostInstance::Check(eap::DWORD result, eap::EAP_ERROR* eapError, const char* call,
                            EapErrorInfo* error) const {
  if (result == eap::kErrorSuccess && eapError == nullptr) return true;
  RuntimeErrorOwner owner(api(), eapError);
  EapErrorInfo copied = CopyEapError(eapError, result, call, ErrorOrigin::kEapHost);
  owner.reset();
  if (result == eap::kErrorSuccess) return true;  // a stray error block with success: freed, ignored
  if (copied.rootCauseString.empty()) {
    copied.rootCauseString = Utf8ToUtf16(std::string(call) + " failed with Win32 error " + std::to_string(result));
  }
  *error = std::move(copied);
  return false;
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
  instance_->RemoveSession(this);
  if (!instance_->open()) return true;  // its instance closed: Close ended it first
  eap::EAP_ERROR* eapError = nullptr;
  eap::DWORD result = instance_->api().EapHostPeerEndSession(id_, &eapError);
  bool ended = instance_->Check(result, eapError, "EapHostPeerEndSession", error);
  // The registration outlives the session (BeginSession's page): clear it, then its sink goes.
  EapErrorInfo clearError;
  bool cleared = instance_->ReleaseConnection(connectionId_, &clearError);
  if (ended && !cleared) *error = std::move(clearError);
  return ended && cleared;
}

bool EapHostSessionResource::Usable(const char* call, EapErrorInfo* error) const {
  if (ended_) {
    *error = HostError(eap::kErrorInvalidState, call, "the session has ended", "Ended");
    return false;
  }
  return instance_->RequireOpen(call, error);
}

}  // namespace eaphost
