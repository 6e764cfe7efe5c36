// An opened EAPHost (real or portable) and its sessions, as host-thread resources.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "addon_state.h"
#include "eaphost_library.h"
#include "../hosts/peer_method_host.h"

namespace eaphost {

// Where EAPHost's NotificationHandler lands. Owned by the instance, so it outlives every
// session that could name it; EAPHost may call it from any thread.
struct NotificationSink {
  AddonState* state;
  uint32_t token;
};

class EapHostInstance : public HostResource {
 public:
  explicit EapHostInstance(std::unique_ptr<EapHostLibrary> library)
      : library_(std::move(library)) {}
  ~EapHostInstance() override { Close(); }

  bool Initialize(EapErrorInfo* error);
  void Close() override;  // Uninitialize; sessions still open were ended by EAPHost
  bool open() const { return initialized_; }
  const eap::EapHostPeerApi& api() const { return library_->api(); }
  NotificationSink* NewSink(AddonState* state, uint32_t token);
  // After EapHostPeerEndSession EAPHost no longer notifies the session: its sink can go.
  void ReleaseSink(NotificationSink* sink);

  // Copies an EAP_ERROR EAPHost returned, frees it with EapHostPeerFreeEapError (exactly
  // once) and reports whether the call succeeded.
  bool Check(eap::DWORD result, eap::EAP_ERROR* eapError, const char* call, EapErrorInfo* error) const;
  // Copies and frees (EapHostPeerFreeRuntimeMemory) a buffer EAPHost returned.
  Bytes TakeRuntimeBuffer(eap::BYTE* data, eap::DWORD size) const;
  bool RequireOpen(const char* call, EapErrorInfo* error) const;

 private:
  std::unique_ptr<EapHostLibrary> library_;
  bool initialized_ = false;
  std::unordered_map<NotificationSink*, std::unique_ptr<NotificationSink>> sinks_;
};

class EapHostSessionResource : public HostResource {
 public:
  EapHostSessionResource(std::shared_ptr<EapHostInstance> instance, eap::EAP_SESSIONID id,
                         NotificationSink* sink)
      : instance_(std::move(instance)), id_(id), sink_(sink) {}
  ~EapHostSessionResource() override { Close(); }
  void Close() override;
  bool End(EapErrorInfo* error);
  // Fails with a clear error when the session has ended or its EAPHost was closed.
  bool Usable(const char* call, EapErrorInfo* error) const;

  EapHostInstance& instance() { return *instance_; }
  eap::EAP_SESSIONID id() const { return id_; }

 private:
  std::shared_ptr<EapHostInstance> instance_;
  eap::EAP_SESSIONID id_;
  NotificationSink* sink_;
  bool ended_ = false;
};

}  // namespace eaphost
