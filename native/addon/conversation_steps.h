// The steps of a conversation that more than one binding runs on the host thread, and their
// conversion to JS: the peer's exchange (ProcessReceivedPacket, then GetSendPacket on Send),
// the peer's result, and the embedded authenticator's step. The single calls
// (eapHostExchange, eapHostGetResult, authenticatorReceive …) and the combined round trip
// (eapHostConverse) are made of these, so both report the same values and errors.
#pragma once

#include <napi.h>

#include "../hosts/authenticator_host.h"
#include "eaphost_call.h"

namespace eaphost {

struct ExchangeOut {
  int32_t action = 0;
  Bytes packet;  // the response, when the action is Send
};
bool ExchangeOnHost(EapHostCall& host, const Bytes& packet, ExchangeOut* out, EapErrorInfo* error);
Napi::Object ExchangeToJs(Napi::Env env, ExchangeOut& out);

struct ResultOut {
  bool success = false;
  eap::DWORD failureReasonCode = 0;
  bool saveConnectionData = false, saveUserData = false;
  Bytes connectionData, userData;
  Attributes attributes;
  int32_t isolationState = 0;
  bool hasMethod = false;
  eap::EAP_METHOD_TYPE methodType{};
  std::u16string methodName, authorName;
  bool hasError = false;
  EapErrorInfo error;
};
bool GetResultOnHost(EapHostCall& host, eap::EapHostPeerMethodResultReason reason, ResultOut* out,
                     EapErrorInfo* error);
Napi::Value ResultToJs(Napi::Env env, ResultOut& out);

// An outcome (Success/Failure) is final: the authenticator's method session ends in the same
// job, not in another trip to the host thread.
bool FinishIfDone(AuthenticatorHost& host, const AuthenticatorStep& step);
Napi::Value StepToJs(Napi::Env env, AuthenticatorStep& step);

}  // namespace eaphost
