// EapHostPeerGetResult: the session's outcome. What it points to (blobs, the attributes holding
// the MSK, the method info) is EAPHost's until EndSession, as the SDK's sample supplicant treats
// it: copied here, never freed (eaphost_memory.h). The one exception is the result's own
// EAP_ERROR, which the EapHostPeerMethodResult page says the caller releases with
// EapHostPeerFreeEapError (and GEANTLink does): copied, then freed at once.
#include <algorithm>
#include <iterator>

#include "../common/utf16.h"
#include "eaphost_memory.h"
#include "eaphost_result_binding.h"
#include "js_convert.h"

namespace eaphost {

bool GetResultOnHost(EapHostCall& host, eap::EapHostPeerMethodResultReason reason, ResultOut* out,
                     EapErrorInfo* error) {
  eap::EapHostPeerMethodResult result{};
  eap::DWORD rc = host.api().EapHostPeerGetResult(host.id(), reason, &result, host.error());
  out->success = result.fIsSuccess != 0;
  out->failureReasonCode = result.dwFailureReasonCode;
  out->saveConnectionData = result.fSaveConnectionData != 0;
  out->saveUserData = result.fSaveUserData != 0;
  out->connectionData = host.Take(result.pConnectionData, result.dwSizeofConnectionData);
  out->userData = host.Take(result.pUserData, result.dwSizeofUserData);
  if (result.pAttribArray != nullptr) out->attributes = CopyAttributes(result.pAttribArray);
  out->isolationState = result.isolationState;
  if (result.pEapMethodInfo != nullptr) {
    out->hasMethod = true;
    out->methodType = result.pEapMethodInfo->eaptype;
    out->methodName = WideToU16(result.pEapMethodInfo->pwszFriendlyName);
    out->authorName = WideToU16(result.pEapMethodInfo->pwszAuthorName);
  }
  RuntimeErrorOwner resultError(host.api(), result.pEapError);
  if (result.pEapError != nullptr) {
    out->hasError = true;
    out->error = CopyEapError(result.pEapError, result.pEapError->dwWinError, "EapHostPeerGetResult",
                              ErrorOrigin::kEapHost);
  }
  return host.Check(rc, error);
}

void ResultFields(Napi::Env env, ResultOut& out, size_t at, napi_value* fields) {
  // Empty blobs go as undefined, for the builder to make (a Buffer made here costs a backing
  // store of its own even when empty).
  napi_value undefined = env.Undefined();
  auto blob = [&](const Bytes& bytes) -> napi_value { return bytes.empty() ? undefined : ToBuffer(env, bytes); };
  auto number = [&](double value) -> napi_value { return Napi::Number::New(env, value); };
  bool method = out.hasMethod;
  const napi_value made[kResultFieldCount] = {
      Napi::Boolean::New(env, out.success), number(out.failureReasonCode), Napi::Boolean::New(env, out.saveConnectionData),
      blob(out.connectionData), Napi::Boolean::New(env, out.saveUserData), blob(out.userData),
      number(static_cast<double>(at)), number(static_cast<double>(out.attributes.size())), number(out.isolationState),
      out.hasError ? MakeEapError(env, out.error) : undefined, method ? number(out.methodType.eapType.type) : undefined,
      method ? number(out.methodType.eapType.dwVendorId) : undefined,
      method ? number(out.methodType.eapType.dwVendorType) : undefined,
      method ? number(out.methodType.dwAuthorId) : undefined, method ? RecurringText(env, out.methodName) : undefined,
      method ? RecurringText(env, out.authorName) : undefined};
  std::copy(std::begin(made), std::end(made), fields);
}

Napi::Value ResultToJs(Napi::Env env, ResultOut& out) {
  napi_value fields[1 + kResultFieldCount];
  PackedAttributes packed = PackAttributes(env, {&out.attributes});
  fields[0] = packed.buffer;
  ResultFields(env, out, packed.at, fields + 1);
  return MakeShaped(env, ResultShape::kResult, fields, std::size(fields));
}

}  // namespace eaphost
