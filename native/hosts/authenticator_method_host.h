// Drives an authenticator method module by the documented call sequence:
//   EapMethodAuthenticatorGetInfo -> Initialize -> BeginSession ->
//   loop { SendPacket -> ReceivePacket -> (RESPOND: GetAttributes / SetAttributes) } ->
//   RESULT: GetResult -> EndSession -> ... -> Shutdown -> unload.
// Calls out of sequence are refused with kErrorInvalidState naming call and state.
#pragma once

#include <memory>
#include <string>

#include "../common/conversation_facts.h"
#include "method_module.h"
#include "method_session.h"
#include "method_values.h"

namespace eaphost {

struct AuthenticatorMethodResult {
  bool success = false;
  eap::DWORD failureReason = 0;
  Attributes attributes;
  // A failure the method explained (its refusal attribute, common/method_refusal.h, taken out
  // of `attributes`): which certificate it refused and why.
  bool hasError = false;
  EapErrorInfo error;
  // What the conversation established, when the method said (its facts attribute,
  // common/conversation_facts.h, taken out of `attributes`): TLS version, resumption, inner method.
  ConversationFacts facts;
};

// Opening rule as for PeerMethod (method_module.h).
class AuthenticatorMethod : public MethodModule<AuthenticatorSide> {
 public:
  static std::shared_ptr<AuthenticatorMethod> Open(const std::string& path, EapErrorInfo* error);
  static std::shared_ptr<AuthenticatorMethod> Open(const std::string& path,
                                                   const eap::EAP_METHOD_TYPE& type,
                                                   EapErrorInfo* error);

 private:
  friend class MethodModule<AuthenticatorSide>;
  AuthenticatorMethod() = default;
};

enum class AuthenticatorSessionState { kCreated, kStarted, kSent, kAwaitingAttributes, kResult, kEnded };

class AuthenticatorMethodSession : public MethodSession<AuthenticatorMethod, AuthenticatorSessionState> {
 public:
  using State = AuthenticatorSessionState;
  static const char* StateName(State state);

  explicit AuthenticatorMethodSession(std::shared_ptr<AuthenticatorMethod> method);
  ~AuthenticatorMethodSession();

  bool BeginSession(eap::DWORD flags, const std::u16string& identity,
                    const Attributes& attributes, const Bytes& connectionData,
                    eap::DWORD maxSendPacketSize, EapErrorInfo* error);
  bool SendPacket(eap::BYTE packetId, Bytes* packet, eap::EAP_AUTHENTICATOR_SEND_TIMEOUT* timeout,
                  EapErrorInfo* error);
  bool ReceivePacket(const Bytes& packet, eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action,
                     EapErrorInfo* error);
  // The same, over a packet the caller has already framed (no copy).
  bool ReceivePacket(const std::uint8_t* packet, std::size_t size,
                     eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action, EapErrorInfo* error);
  bool GetAttributes(Attributes* attributes, EapErrorInfo* error);
  bool SetAttributes(const Attributes& attributes,
                     eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action, EapErrorInfo* error);
  bool GetResult(AuthenticatorMethodResult* result, EapErrorInfo* error);
  bool EndSession(EapErrorInfo* error);

 private:
  bool resultTaken_ = false;  // in kResult: GetResult runs once, then only EndSession
  // A call whose answer is an action (`act(action*, EAP_ERROR**)`): the action decides the
  // next state and is reported in *action.
  template <typename Act>
  bool Acted(const char* call, Act act, eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action,
             EapErrorInfo* error);
};

}  // namespace eaphost
