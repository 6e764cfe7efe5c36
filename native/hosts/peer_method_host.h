// Drives a peer method module by the documented call sequence:
//   EapPeerGetInfo -> EapPeerInitialize -> [EapPeerGetIdentity] -> EapPeerBeginSession ->
//   loop { EapPeerProcessRequestPacket -> EapPeerGetResponsePacket
//          (-> Get/SetUIContext, Get/SetResponseAttributes) } ->
//   EapPeerGetResult -> EapPeerEndSession -> ... -> EapPeerShutdown -> unload.
// A call out of sequence is refused here (kErrorInvalidState, naming call and state) and never
// reaches the method. Every EAP_ERROR a method returns is copied and freed at once with that
// module's EapPeerFreeErrorMemory; every buffer it returns is copied and freed with
// EapPeerFreeMemory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../abi/eap_method_abi.h"
#include "../common/eap_error_info.h"
#include "method_library.h"
#include "method_module.h"
#include "method_session.h"
#include "method_values.h"

namespace eaphost {

struct CredentialField {
  eap::EAP_CONFIG_INPUT_FIELD_TYPE type;
  eap::DWORD flags = 0;
  std::u16string label;
  std::u16string data;  // zeroized by the owner after use when it is a secret
  eap::DWORD minLength = 0;
  eap::DWORD maxLength = 0;
};

struct PeerIdentity {
  bool invokeUI = false;
  Bytes userDataOut;
  std::u16string identity;
};

struct PeerMethodOutput {
  eap::EapPeerMethodResponseAction action;
  bool allowNotifications;
};

struct PeerMethodResult {
  bool success = false;
  eap::DWORD failureReasonCode = 0;
  bool saveConnectionData = false;
  Bytes connectionData;
  bool saveUserData = false;
  Bytes userData;
  Attributes attributes;
  bool hasError = false;
  EapErrorInfo error;  // the result's pEapError, copied and freed
};

// One loaded and initialized peer method. Shared by its sessions: EapPeerShutdown runs and
// the library unloads when the last shared_ptr goes.
//
// Open with a type asks EapPeerGetInfo for exactly that EAP type (openedAs() keeps its dwAuthorId for
// the credential queries). Open without a type probes: EapPeerGetInfo gets a zeroed EAP_TYPE; a
// method that accepts it must report its type in the routines' pEapType. A method that refuses
// it (most accept only their own type) is asked once more for the EAP_METHOD_TYPE its
// EAP_ERROR names; when the error names none, Open fails with that error and the caller must
// pass the type. Prefer the typed overloads wherever the type is known (registry, manifest).
class PeerMethod : public MethodModule<PeerSide>, public std::enable_shared_from_this<PeerMethod> {
 public:
  static std::shared_ptr<PeerMethod> Open(const std::string& path, EapErrorInfo* error);
  static std::shared_ptr<PeerMethod> Open(const std::string& path,
                                          const eap::EAP_METHOD_TYPE& type, EapErrorInfo* error);

  bool QueryCredentialInputFields(eap::DWORD flags, const Bytes& connectionData,
                                  std::vector<CredentialField>* fields, EapErrorInfo* error);
  bool QueryUserBlobFromCredentialInputFields(eap::DWORD flags, const Bytes& connectionData,
                                              const std::vector<CredentialField>& fields,
                                              Bytes* userBlob, EapErrorInfo* error);
  bool GetIdentity(eap::DWORD flags, const Bytes& connectionData, const Bytes& userData,
                   PeerIdentity* identity, EapErrorInfo* error);

 private:
  friend class MethodModule<PeerSide>;
  PeerMethod() = default;
};

enum class PeerSessionState { kCreated, kStarted, kProcessed, kAwaitingUI, kAwaitingAttributes, kResult, kEnded };

// One authentication through a PeerMethod, guarded by the call-order state machine.
class PeerMethodSession : public MethodSession<PeerMethod, PeerSessionState> {
 public:
  using State = PeerSessionState;
  static const char* StateName(State state);

  explicit PeerMethodSession(std::shared_ptr<PeerMethod> method);
  ~PeerMethodSession();  // ends the method session if still open

  // `userToken`: the user's token, handed to the method as EAPHost does (hTokenImpersonateUser);
  // null when the caller gave none.
  bool BeginSession(eap::DWORD flags, const Attributes& attributes, const Bytes& connectionData,
                    const Bytes& userData, eap::DWORD maxSendPacketSize, EapErrorInfo* error,
                    eap::HANDLE userToken = nullptr);
  // The method's ABI takes the packet non-const: the method works on the caller's buffer and may
  // leave it changed, so the caller passes a copy it owns (and may keep it afterwards).
  bool ProcessRequestPacket(Bytes* packet, PeerMethodOutput* output, EapErrorInfo* error);
  bool GetResponsePacket(Bytes* packet, EapErrorInfo* error);
  bool GetResult(eap::EapPeerMethodResultReason reason, PeerMethodResult* result,
                 EapErrorInfo* error);
  bool GetUIContext(Bytes* context, EapErrorInfo* error);
  bool SetUIContext(const Bytes& context, PeerMethodOutput* output, EapErrorInfo* error);
  bool GetResponseAttributes(Attributes* attributes, EapErrorInfo* error);
  bool SetResponseAttributes(const Attributes& attributes, PeerMethodOutput* output,
                             EapErrorInfo* error);
  bool EndSession(EapErrorInfo* error);

 private:
  // A call whose answer is an action (`act(EapPeerMethodOutput*, EAP_ERROR**)`): the action
  // decides the next state and is reported in *output.
  template <typename Act>
  bool Acted(const char* call, Act act, PeerMethodOutput* output, EapErrorInfo* error);
  eap::EapPeerMethodResponseAction lastAction_ = eap::EapPeerMethodResponseActionNone;
};

}  // namespace eaphost
