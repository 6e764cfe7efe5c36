// The peer's result on the host thread (EapHostPeerGetResult) and its conversion to JS:
// eapHostGetResult runs it alone, the conversation driver after an outcome.
#pragma once

#include <napi.h>

#include "eaphost_call.h"
#include "../generated/result_shapes.h"

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
// A peer call that threw a refused TLS handshake of this package's methods (the error's cause
// GUID says so): the chain the server sent, read from the session's result (the portable EAPHost
// keeps one for such a failure), put on the error, which then carries it to JS as
// `tls.serverCertificates`. Nothing is added when the EAPHost keeps no result.
void AttachRefusedChain(EapHostCall& host, EapErrorInfo* error);
// The result's fields through their writer, its attributes from byte `at` of the shape's packed
// slab: the driver's result carries them too.
void WriteResult(Napi::Env env, EapHostResultWriter out, const ResultOut& result, size_t at);
Napi::Value ResultToJs(Napi::Env env, ResultOut& out);

}  // namespace eaphost
