// Drives an authenticator method module by the documented call sequence:
//   EapMethodAuthenticatorGetInfo -> Initialize -> BeginSession ->
//   loop { SendPacket -> ReceivePacket -> (RESPOND: GetAttributes / SetAttributes) } ->
//   RESULT: GetResult -> EndSession -> ... -> Shutdown -> unload.
// Calls out of sequence are refused with kErrorInvalidState naming call and state.
#pragma once

#include <memory>
#include <string>

#include "peer_method_host.h"  // Bytes, Attributes

namespace eaphost {

struct AuthenticatorMethodResult {
  bool success = false;
  eap::DWORD failureReason = 0;
  Attributes attributes;
};

// Opening rule as for PeerMethod: with a type, EapMethodAuthenticatorGetInfo is asked for
// exactly that EAP_METHOD_TYPE; without one it gets a zeroed type, and a refusal whose
// EAP_ERROR names the method's type is retried once with that type.
class AuthenticatorMethod {
 public:
  static std::shared_ptr<AuthenticatorMethod> Open(const std::string& path, EapErrorInfo* error);
  static std::shared_ptr<AuthenticatorMethod> Open(std::shared_ptr<MethodLibrary> library,
                                                   EapErrorInfo* error);
  static std::shared_ptr<AuthenticatorMethod> Open(const std::string& path,
                                                   const eap::EAP_METHOD_TYPE& type,
                                                   EapErrorInfo* error);
  static std::shared_ptr<AuthenticatorMethod> Open(std::shared_ptr<MethodLibrary> library,
                                                   const eap::EAP_METHOD_TYPE& type,
                                                   EapErrorInfo* error);
  ~AuthenticatorMethod();  // Shutdown, then the library unloads with the last reference

  const eap::EAP_METHOD_TYPE& type() const { return type_; }
  const eap::EAP_AUTHENTICATOR_METHOD_ROUTINES& routines() const { return routines_; }
  EapErrorInfo TakeError(eap::EAP_ERROR* error, eap::DWORD win32Error, const char* call);
  void FreeMemory(void* memory);

 private:
  AuthenticatorMethod() = default;
  static std::shared_ptr<AuthenticatorMethod> OpenAs(std::shared_ptr<MethodLibrary> library,
                                                     const eap::EAP_METHOD_TYPE& type,
                                                     bool probe, EapErrorInfo* error);
  std::shared_ptr<MethodLibrary> library_;
  eap::EAP_METHOD_TYPE type_{};
  eap::EAP_AUTHENTICATOR_METHOD_ROUTINES routines_{};
  bool initialized_ = false;
};

class AuthenticatorMethodSession {
 public:
  enum class State { kCreated, kStarted, kSent, kAwaitingAttributes, kResult, kEnded };
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
  bool GetAttributes(Attributes* attributes, EapErrorInfo* error);
  bool SetAttributes(const Attributes& attributes,
                     eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action, EapErrorInfo* error);
  bool GetResult(AuthenticatorMethodResult* result, EapErrorInfo* error);
  bool EndSession(EapErrorInfo* error);

  State state() const { return state_; }

 private:
  std::shared_ptr<AuthenticatorMethod> method_;
  eap::EAP_SESSION_HANDLE handle_ = nullptr;
  eap::DWORD maxSendPacketSize_ = 0;
  State state_ = State::kCreated;
  bool resultTaken_ = false;  // in kResult: GetResult runs once, then only EndSession
  bool Refuse(const char* call, const char* rule, EapErrorInfo* error) const;
  bool Advance(const char* call, eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action,
               EapErrorInfo* error);
};

}  // namespace eaphost
