// The peer's result on the host thread (EapHostPeerGetResult) and its conversion to JS:
// eapHostSessionCall's getResult runs it alone, the conversation driver after an outcome.
#pragma once

#include <napi.h>

#include "eaphost_call.h"

namespace eaphost {

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
// The result's fields as the builders take them (ResultShape::kResult after `packed`), its
// attributes from byte `at` of the packed Buffer: the driver's result carries them too.
constexpr size_t kResultFieldCount = 16;
void ResultFields(Napi::Env env, ResultOut& out, size_t at, napi_value* fields);
Napi::Value ResultToJs(Napi::Env env, ResultOut& out);

}  // namespace eaphost
