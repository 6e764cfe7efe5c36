// Process-wide state of the portable EAPHost: whether it is initialized, the method
// registry (loaded lazily, so its errors can be reported as EAP_ERRORs), the open method
// modules, and the session table. The EapHostPeer* exports are thin translations onto this.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../abi/eap_host_peer_abi.h"
#include "../common/guid_key.h"
#include "../method_registry/method_registry.h"
#include "../hosts/peer_method_host.h"
#include "peer_conversation.h"

namespace eaphost {
namespace portable {

struct BeginSessionRequest {
  eap::DWORD flags = 0;
  eap::EAP_METHOD_TYPE methodType{};
  Attributes attributes;
  Bytes connectionData;
  Bytes userData;  // zeroized by BeginSession
  eap::DWORD maxSendPacketSize = 0;
  eap::GUID connectionId{};
  eap::NotificationHandler notificationHandler = nullptr;
  void* notificationContext = nullptr;
  eap::HANDLE userToken = nullptr;  // hTokenImpersonateUser, passed on to the method
};

class PeerRuntime {
 public:
  static PeerRuntime& Instance();
  ~PeerRuntime();  // ends whatever sessions the caller left open

  void Initialize();
  // Every session of the process ends and the registry is forgotten, however many
  // Initialize calls came before (EapHostPeerUninitialize's page: "all" sessions).
  void Uninitialize();
  // Fails with kErrorInvalidState, naming `call`, unless initialized.
  bool CheckInitialized(const char* call, EapErrorInfo* error);
  // Whether EapHostPeerInitialize is in effect.
  bool Initialized();

  bool BeginSession(BeginSessionRequest* request, eap::DWORD* sessionId, EapErrorInfo* error);
  // Null (with kErrorInvalidHandle in *error) for an unknown session.
  std::shared_ptr<PeerConversation> FindSession(eap::DWORD sessionId, const char* call,
                                                EapErrorInfo* error);
  bool EndSession(eap::DWORD sessionId, EapErrorInfo* error);
  bool ClearConnection(const eap::GUID& connectionId, EapErrorInfo* error);

  bool GetIdentity(eap::DWORD flags, const eap::EAP_METHOD_TYPE& methodType,
                   const Bytes& connectionData, const Bytes& userData, PeerIdentity* identity,
                   EapErrorInfo* error);
  // Works without Initialize: on Windows this belongs to the configuration API (eappcfg.dll).
  bool GetRegisteredPeerMethods(std::vector<MethodRegistration>* methods, EapErrorInfo* error);

 private:
  PeerRuntime() = default;
  // The registry of this initialization; loaded on first use.
  bool Registry(std::shared_ptr<const MethodRegistry>* registry, EapErrorInfo* error);
  // The registered peer module for `type`, opened once per DLL while any user holds it, and
  // while initialized, until EapHostPeerUninitialize.
  bool OpenRegisteredMethod(const eap::EAP_METHOD_TYPE& type, const char* call,
                            std::shared_ptr<const MethodRegistry>* registry,
                            const MethodRegistration** registration,
                            std::shared_ptr<PeerMethod>* method, EapErrorInfo* error);
  using TakenSession = std::pair<eap::DWORD, std::shared_ptr<PeerConversation>>;
  std::vector<TakenSession> TakeSessions(const eap::GUID* connectionId);
  // Ends each session and releases the memory EAPHost owned for it.
  static bool EndAll(std::vector<TakenSession> sessions, EapErrorInfo* error);

  // A connection registered by BeginSession (a GUID with a NotificationHandler): it stays
  // registered across sessions until ClearConnection, as the BeginSession page says.
  struct Registration {
    eap::GUID connectionId;
    eap::NotificationHandler handler;
    void* context;
  };

  std::mutex stateMutex_;  // initCount_, registry_
  int initCount_ = 0;
  std::shared_ptr<const MethodRegistry> registry_;

  std::mutex methodsMutex_;  // held while a module opens, so it is initialized only once
  std::map<std::string, std::weak_ptr<PeerMethod>> methods_;  // by DLL path and type
  // While initialized, every module a session opened stays open until EapHostPeerUninitialize,
  // as Windows' EAPHost service keeps a method it loaded: a caller whose sessions never overlap
  // (one begun, run and ended at a time) must not load, initialize and shut the module down
  // for each. Under methodsMutex_.
  std::map<std::string, std::shared_ptr<PeerMethod>> kept_;

  // Connections by GUID, so ending one session or clearing one connection touches only its own
  // entries: a caller may keep any number of sessions open (or leave them to a garbage
  // collector), and each end must not cost a pass over all of them.

  std::mutex sessionsMutex_;
  // By id, hashed: every EapHostPeer* call on a session looks it up, and with 64 sessions open
  // a tree's walk missed the cache at each step.
  std::unordered_map<eap::DWORD, std::shared_ptr<PeerConversation>> sessions_;
  eap::DWORD lastSessionId_ = 0;
  // Under sessionsMutex_: the registered connections, and each connection's open sessions.
  std::unordered_map<eap::GUID, Registration, GuidHash, GuidEqual> registrations_;
  std::unordered_map<eap::GUID, std::vector<eap::DWORD>, GuidHash, GuidEqual> sessionsByConnection_;
  void ForgetSessionOfConnection(const eap::GUID& connectionId, eap::DWORD sessionId);
};

}  // namespace portable
}  // namespace eaphost
