// An opened EAPHost (real or portable) and its sessions, as host-thread resources.
#pragma once

#include <atomic>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "../../common/guid_key.h"
#include "../runtime/addon_state.h"
#include "../../platform/eaphost_library.h"
#include "../../hosts/peer_method_host.h"

namespace eaphost {

// Where EAPHost's NotificationHandler lands. Owned by the instance's record of the connection
// it was registered for, and freed only after EapHostPeerClearConnection: EAPHost may call it
// from any thread, and after EndSession too, for as long as the connection is registered.
struct NotificationSink {
  AddonState* state;
  uint32_t token;
};

class EapHostSessionResource;

class EapHostInstance : public HostResource {
 public:
  explicit EapHostInstance(std::unique_ptr<EapHostLibrary> library)
      : library_(std::move(library)) {}
  ~EapHostInstance() override { Close(); }

  // One user of the process's EAPHost initialization (eaphost_process.h).
  bool Initialize(EapErrorInfo* error);
  // Ends this instance's sessions, clears its connections, then gives its use back.
  void Close() override;
  bool open() const { return initialized_; }
  const eap::EapHostPeerApi& api() const { return library_->api(); }
  // A sink for a session about to begin on `connectionId`; the connection is held for it.
  NotificationSink* RegisterConnection(const eap::GUID& connectionId, AddonState* state, uint32_t token);
  // The session on `connectionId` ended (or never began): when no other session uses the
  // connection, EapHostPeerClearConnection ends its registration, and only then are its
  // sinks freed, so no callback can reach a freed sink.
  bool ReleaseConnection(const eap::GUID& connectionId, EapErrorInfo* error);
  // EapHostPeerClearConnection asked for by the caller.
  bool ClearConnection(const eap::GUID& connectionId, EapErrorInfo* error);
  void AddSession(EapHostSessionResource* session) { sessions_.insert(session); }
  void RemoveSession(EapHostSessionResource* session);

  // Copies an EAP_ERROR EAPHost returned, frees it with EapHostPeerFreeEapError (exactly
  // once) and reports whether the call succeeded.
  bool Check(eap::DWORD result, eap::EAP_ERROR* eapError, const char* call, EapErrorInfo* error) const;
  bool RequireOpen(const char* call, EapErrorInfo* error) const;

 private:
  struct Connection {
    int sessions = 0;
    std::vector<std::unique_ptr<NotificationSink>> sinks;
  };

  std::unique_ptr<EapHostLibrary> library_;
  std::atomic<bool> initialized_{false};  // read by UI threads too
  // Looked up by key, not by a pass: ending one session must not cost a pass over every session
  // still open (a program may leave thousands to the garbage collector).
  std::unordered_map<eap::GUID, Connection, GuidHash, GuidEqual> connections_;
  std::unordered_set<EapHostSessionResource*> sessions_;  // open, ended by Close before Uninitialize
};

class EapHostSessionResource : public HostResource {
 public:
  EapHostSessionResource(std::shared_ptr<EapHostInstance> instance, eap::EAP_SESSIONID id,
                         const eap::GUID& connectionId, std::unique_ptr<ImpersonationToken> token)
      : instance_(std::move(instance)), id_(id), connectionId_(connectionId), token_(std::move(token)) {
    instance_->AddSession(this);
  }
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
  eap::GUID connectionId_;
  std::unique_ptr<ImpersonationToken> token_;  // BeginSession's; closed with the session
  bool ended_ = false;
};

}  // namespace eaphost
