#include "peer_runtime.h"

#include <algorithm>
#include <utility>

#include "../hosts/eap_packet.h"
#include "ownership_ledger.h"
#include "runtime_memory.h"

namespace eaphost {
namespace portable {

namespace {

// The smallest packet a method could answer with: header plus type octet.
constexpr eap::DWORD kMinSendPacketSize = static_cast<eap::DWORD>(kEapHeaderLength + 1);

bool SameEapType(const eap::EAP_TYPE& a, const eap::EAP_TYPE& b) {
  return a.type == b.type && a.dwVendorId == b.dwVendorId && a.dwVendorType == b.dwVendorType;
}

// The legacy Nak's list (RFC 3748 §5.3.1): the session's method first, then every other
// peer method installed here, each type once.
std::vector<eap::BYTE> NakTypes(const MethodRegistry& registry, const eap::EAP_METHOD_TYPE& mine) {
  std::vector<eap::BYTE> types{mine.eapType.type};
  for (const auto& registration : registry.methods()) {
    eap::BYTE type = registration.type.eapType.type;
    if (registration.peerDllPath.empty()) continue;
    if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
  }
  return types;
}

}  // namespace

PeerRuntime& PeerRuntime::Instance() {
  // A function-local static: destroyed when the library unloads, ending any sessions a caller
  // forgot, before the method modules they hold are unloaded.
  static PeerRuntime runtime;
  return runtime;
}

PeerRuntime::~PeerRuntime() {
  EndAll(TakeSessions(nullptr), nullptr);
  // At unload nothing can abort usefully (the caller's process is exiting): say it loudly.
  if (!registrations_.empty()) {
    ReportAtExit(std::to_string(registrations_.size()) +
                 " connection(s) registered through EapHostPeerBeginSession were never cleared with "
                 "EapHostPeerClearConnection before the process exited");
  }
}

void PeerRuntime::Initialize() {
  std::lock_guard<std::mutex> lock(stateMutex_);
  ++initCount_;
}

void PeerRuntime::Uninitialize() {
  // EapHostPeerUninitialize "uninitializes all EAPHost authentication sessions" of the process
  // (its page), however many callers initialized: no reference count survives it. A caller that
  // uninitializes while another still has sessions ends those too, as Windows would.
  {
    std::lock_guard<std::mutex> lock(stateMutex_);
    if (initCount_ == 0) return;
    initCount_ = 0;
    registry_.reset();  // a re-initialization sees manifest changes
  }
  EndAll(TakeSessions(nullptr), nullptr);
  {
    // The modules are shut down once their last user lets go (here, unless a configuration
    // call holds one).
    std::map<std::string, std::shared_ptr<PeerMethod>> kept;
    {
      std::lock_guard<std::mutex> lock(methodsMutex_);
      kept.swap(kept_);
    }
  }
  std::size_t registered = 0;
  {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    registered = registrations_.size();
    registrations_.clear();
  }
  if (registered != 0) {
    ContractViolation(std::to_string(registered) +
                      " connection(s) registered through EapHostPeerBeginSession were never cleared with "
                      "EapHostPeerClearConnection before EapHostPeerUninitialize, which ends every session of the "
                      "process");
  }
  CheckNoRuntimeMemoryOutstanding("EapHostPeerUninitialize");
}

bool PeerRuntime::Initialized() {
  std::lock_guard<std::mutex> lock(stateMutex_);
  return initCount_ > 0;
}

bool PeerRuntime::CheckInitialized(const char* call, EapErrorInfo* error) {
  if (Initialized()) return true;
  if (error != nullptr) {
    *error = HostError(eap::kErrorInvalidState, call, "EapHostPeerInitialize has not been called");
  }
  return false;
}

bool PeerRuntime::Registry(std::shared_ptr<const MethodRegistry>* registry, EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(stateMutex_);
  if (registry_ != nullptr) {
    *registry = registry_;
    return true;
  }
  auto loaded = std::make_shared<MethodRegistry>();
  if (!MethodRegistry::LoadDefault(loaded.get(), error)) return false;
  // Uninitialized callers (the configuration API) get a fresh read each time.
  if (initCount_ > 0) registry_ = loaded;
  *registry = std::move(loaded);
  return true;
}

bool PeerRuntime::OpenRegisteredMethod(const eap::EAP_METHOD_TYPE& type, const char* call,
                                       std::shared_ptr<const MethodRegistry>* registry,
                                       const MethodRegistration** registration,
                                       std::shared_ptr<PeerMethod>* method, EapErrorInfo* error) {
  if (!Registry(registry, error)) return false;
  const MethodRegistration* found = (*registry)->Find(type);
  if (found == nullptr || found->peerDllPath.empty()) {
    if (error != nullptr) {
      *error = HostError(eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED, call,
                         "no peer method is installed for " + DescribeMethodType(type));
      error->methodType = type;
    }
    return false;
  }
  *registration = found;

  // One module may serve several types, each with its own routines: the key is both.
  const std::string key = found->peerDllPath + "|" + DescribeMethodType(found->type);
  bool keep = Initialized();
  std::lock_guard<std::mutex> lock(methodsMutex_);
  std::shared_ptr<PeerMethod> open = methods_[key].lock();
  if (open == nullptr) {
    open = PeerMethod::Open(found->peerDllPath, found->type, error);
    if (open == nullptr) {
      if (error != nullptr && error->methodType.eapType.type == 0) error->methodType = type;
      return false;
    }
    methods_[key] = open;
  }
  if (keep) kept_.emplace(key, open);
  // Drop cache entries whose modules have been shut down since.
  for (auto it = methods_.begin(); it != methods_.end();) {
    it = it->second.expired() ? methods_.erase(it) : std::next(it);
  }
  if (!SameEapType(open->type(), found->type.eapType)) {
    if (error != nullptr) {
      *error = HostError(eap::kErrorInvalidData, call,
                         found->peerDllPath + " implements EAP type " +
                             std::to_string(open->type().type) + ", but is registered for " +
                             DescribeMethodType(type));
      error->methodType = type;
    }
    return false;
  }
  *method = std::move(open);
  return true;
}

bool PeerRuntime::BeginSession(BeginSessionRequest* request, eap::DWORD* sessionId,
                               EapErrorInfo* error) {
  constexpr const char* kCall = "EapHostPeerBeginSession";
  struct ZeroizeOnExit {
    Bytes* bytes;
    ~ZeroizeOnExit() { SecureClear(bytes); }
  } zeroizeUserData{&request->userData};

  if (request->maxSendPacketSize < kMinSendPacketSize) {
    if (error != nullptr) {
      *error = HostError(eap::kErrorInvalidParameter, kCall,
                         "dwMaxSendPacketSize must be at least " +
                             std::to_string(kMinSendPacketSize));
    }
    return false;
  }
  std::shared_ptr<const MethodRegistry> registry;
  const MethodRegistration* registration = nullptr;
  std::shared_ptr<PeerMethod> method;
  if (!OpenRegisteredMethod(request->methodType, kCall, &registry, &registration, &method,
                            error)) {
    return false;
  }

  // EAPHost answers Identity requests itself, with what the method says its identity is.
  PeerIdentity identity;
  if (!method->GetIdentity(request->flags, request->connectionData, request->userData, &identity,
                           error)) {
    return false;
  }
  ZeroizeOnExit zeroizeIdentityData{&identity.userDataOut};
  if (identity.invokeUI) {
    if (error != nullptr) {
      *error = HostError(eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN, kCall,
                         "the method needs UI to obtain an identity: call EapHostPeerGetIdentity "
                         "and pass the user data it returns to EapHostPeerBeginSession");
      error->methodType = request->methodType;
    }
    return false;
  }
  // The method may have rewritten the user data (e.g. after UI); that is what it expects back.
  const Bytes& userData = identity.userDataOut.empty() ? request->userData : identity.userDataOut;

  auto session = std::make_unique<PeerMethodSession>(method);
  if (!session->BeginSession(request->flags, request->attributes, request->connectionData,
                             userData, request->maxSendPacketSize, error, request->userToken)) {
    return false;
  }

  ConversationSetup setup;
  setup.method = *registration;
  setup.nakTypes = NakTypes(*registry, request->methodType);
  setup.identity = std::move(identity.identity);
  setup.connectionId = request->connectionId;
  setup.notificationHandler = request->notificationHandler;
  setup.notificationContext = request->notificationContext;
  setup.maxSendPacketSize = request->maxSendPacketSize;
  auto conversation = std::make_shared<PeerConversation>(std::move(setup), std::move(session));

  std::lock_guard<std::mutex> lock(sessionsMutex_);
  if (request->notificationHandler != nullptr) {
    // The latest handler and context, as a new BeginSession gives them.
    registrations_[request->connectionId] =
        Registration{request->connectionId, request->notificationHandler, request->notificationContext};
  }
  // Ids grow and skip 0 and ids still in use, so a stale id never reaches a new session until
  // the 32-bit counter wraps.
  do {
    ++lastSessionId_;
  } while (lastSessionId_ == 0 || sessions_.count(lastSessionId_) != 0);
  sessions_[lastSessionId_] = std::move(conversation);
  sessionsByConnection_[request->connectionId].push_back(lastSessionId_);
  *sessionId = lastSessionId_;
  return true;
}

std::shared_ptr<PeerConversation> PeerRuntime::FindSession(eap::DWORD sessionId, const char* call,
                                                           EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(sessionsMutex_);
  auto it = sessions_.find(sessionId);
  if (it != sessions_.end()) return it->second;
  if (error != nullptr) {
    *error = HostError(eap::kErrorInvalidHandle, call,
                       "no EAPHost session with id " + std::to_string(sessionId));
  }
  return nullptr;
}

bool PeerRuntime::EndSession(eap::DWORD sessionId, EapErrorInfo* error) {
  std::shared_ptr<PeerConversation> conversation;
  {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    auto it = sessions_.find(sessionId);
    if (it == sessions_.end()) {
      if (error != nullptr) {
        *error = HostError(eap::kErrorInvalidHandle, "EapHostPeerEndSession",
                           "no EAPHost session with id " + std::to_string(sessionId));
      }
      return false;
    }
    conversation = std::move(it->second);
    sessions_.erase(it);
    ForgetSessionOfConnection(conversation->connectionId(), sessionId);
  }
  // Outside the table lock: ending waits for a call in progress on this session.
  bool ended = conversation->End(error);
  EndSessionMemory(sessionId);
  // The connection outlives the session until ClearConnection, and EAPHost may notify it at
  // any time until then: the stand-in does so once now, so a caller that freed the callback's
  // context with the session finds out here rather than on Windows.
  Registration registration{};
  {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    auto registered = registrations_.find(conversation->connectionId());
    if (registered != registrations_.end()) registration = registered->second;
  }
  if (registration.handler != nullptr) registration.handler(registration.connectionId, registration.context);
  return ended;
}

bool PeerRuntime::ClearConnection(const eap::GUID& connectionId, EapErrorInfo* error) {
  {
    std::lock_guard<std::mutex> lock(sessionsMutex_);
    registrations_.erase(connectionId);
  }
  return EndAll(TakeSessions(&connectionId), error);
}

std::vector<PeerRuntime::TakenSession> PeerRuntime::TakeSessions(const eap::GUID* connectionId) {
  std::vector<TakenSession> taken;
  std::lock_guard<std::mutex> lock(sessionsMutex_);
  if (connectionId == nullptr) {
    for (auto& [id, conversation] : sessions_) taken.emplace_back(id, std::move(conversation));
    sessions_.clear();
    // Ended in the order they began, whatever the table's.
    std::sort(taken.begin(), taken.end(),
              [](const TakenSession& a, const TakenSession& b) { return a.first < b.first; });
    sessionsByConnection_.clear();
    return taken;
  }
  auto ids = sessionsByConnection_.find(*connectionId);
  if (ids == sessionsByConnection_.end()) return taken;
  for (eap::DWORD id : ids->second) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) continue;
    taken.emplace_back(id, std::move(it->second));
    sessions_.erase(it);
  }
  sessionsByConnection_.erase(ids);
  return taken;
}

void PeerRuntime::ForgetSessionOfConnection(const eap::GUID& connectionId, eap::DWORD sessionId) {
  auto ids = sessionsByConnection_.find(connectionId);
  if (ids == sessionsByConnection_.end()) return;
  ids->second.erase(std::remove(ids->second.begin(), ids->second.end(), sessionId), ids->second.end());
  if (ids->second.empty()) sessionsByConnection_.erase(ids);
}

bool PeerRuntime::EndAll(std::vector<TakenSession> sessions, EapErrorInfo* error) {
  // Every session ends even when one fails; the first failure is the one reported.
  bool ok = true;
  for (auto& [id, conversation] : sessions) {
    EapErrorInfo endError;
    bool ended = conversation->End(&endError);
    EndSessionMemory(id);
    if (!ended && ok) {
      ok = false;
      if (error != nullptr) *error = std::move(endError);
    }
  }
  return ok;
}

bool PeerRuntime::GetIdentity(eap::DWORD flags, const eap::EAP_METHOD_TYPE& methodType,
                              const Bytes& connectionData, const Bytes& userData,
                              PeerIdentity* identity, EapErrorInfo* error) {
  std::shared_ptr<const MethodRegistry> registry;
  const MethodRegistration* registration = nullptr;
  std::shared_ptr<PeerMethod> method;
  if (!OpenRegisteredMethod(methodType, "EapHostPeerGetIdentity", &registry, &registration,
                            &method, error)) {
    return false;
  }
  return method->GetIdentity(flags, connectionData, userData, identity, error);
}

bool PeerRuntime::GetRegisteredPeerMethods(std::vector<MethodRegistration>* methods,
                                           EapErrorInfo* error) {
  std::shared_ptr<const MethodRegistry> registry;
  if (!Registry(&registry, error)) return false;
  methods->clear();
  for (const auto& registration : registry->methods()) {
    if (!registration.peerDllPath.empty()) methods->push_back(registration);
  }
  return true;
}

}  // namespace portable
}  // namespace eaphost
