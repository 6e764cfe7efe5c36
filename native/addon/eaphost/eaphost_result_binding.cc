// EapHostPeerGetResult: the session's outcome. What it points to (blobs, the attributes holding
// the MSK, the method info) is EAPHost's until EndSession, as the SDK's sample supplicant treats
// it: copied here, never freed (eaphost_memory.h). The one exception is the result's own
// EAP_ERROR, which the EapHostPeerMethodResult page says the caller releases with
// EapHostPeerFreeEapError (and GEANTLink does): copied, then freed at once.
#include "../../common/tls_outcome.h"
#include "../../common/utf16.h"
#include "../../platform/eaphost_memory.h"
#include "eaphost_result_binding.h"
#include "../runtime/js_convert.h"

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

void AttachRefusedChain(EapHostCall& host, EapErrorInfo* error) {
  TlsFailure failure;
  if (!DecodeTlsFailureGuid(error->rootCauseGuid, &failure)) return;
  ResultOut result;
  EapErrorInfo unanswered;
  // An EAPHost that keeps no result after a thrown failure answers with an error: no chain then.
  if (!GetResultOnHost(host, eap::EapHostPeerMethodResultFromMethod, &result, &unanswered)) return;
  for (const Attribute& attribute : result.attributes) {
    eap::EAP_ATTRIBUTE raw{attribute.type, static_cast<eap::DWORD>(attribute.value.size()),
                           const_cast<eap::BYTE*>(attribute.value.data())};
    TlsOutcome outcome;
    if (!DecodeTlsOutcome(raw, &outcome)) continue;
    error->serverCertificates = std::move(outcome.serverCertificates);
    error->ocspStaple = std::move(outcome.ocspStaple);
    return;
  }
}

void WriteResult(Napi::Env env, EapHostResultWriter out, const ResultOut& result, size_t at) {
  // Empty blobs go as undefined, for the builder to make (a Buffer made here costs a backing
  // store of its own even when empty).
  auto blob = [&](const Bytes& bytes) -> napi_value { return bytes.empty() ? env.Undefined() : ToBuffer(env, bytes); };
  out.success(result.success);
  out.failureReasonCode(result.failureReasonCode);
  out.saveConnectionData(result.saveConnectionData);
  out.connectionData(blob(result.connectionData));
  out.saveUserData(result.saveUserData);
  out.userData(blob(result.userData));
  out.attributes(at, result.attributes.size());
  out.isolationState(result.isolationState);
  if (result.hasError) out.error(result.error);
  // A TLS-based method of this package reports its handshake's outcome in one private
  // attribute (common/tls_outcome.h); any other method, and Windows' own, report none.
  for (const Attribute& attribute : result.attributes) {
    eap::EAP_ATTRIBUTE raw{attribute.type, static_cast<eap::DWORD>(attribute.value.size()),
                           const_cast<eap::BYTE*>(attribute.value.data())};
    TlsOutcome outcome;
    if (!DecodeTlsOutcome(raw, &outcome)) continue;
    EapHostTlsWriter tls = out.tls();
    tls.version(outcome.version);
    if (!outcome.ocspStaple.empty()) tls.ocspStaple(ToBuffer(env, outcome.ocspStaple));
    if (!outcome.serverCertificates.empty()) tls.serverCertificates(ToBufferArray(env, outcome.serverCertificates));
    break;
  }
  if (result.hasMethod) {
    EapHostMethodWriter method = out.method();
    method.type(result.methodType.eapType.type);
    method.vendorId(result.methodType.eapType.dwVendorId);
    method.vendorType(result.methodType.eapType.dwVendorType);
    method.authorId(result.methodType.dwAuthorId);
    method.friendlyName(RecurringText(env, result.methodName));
    method.authorName(RecurringText(env, result.authorName));
  }
}

Napi::Value ResultToJs(Napi::Env env, ResultOut& out) {
  ResultShapeWriter shaped(env);
  PackedAttributes packed = PackAttributes(env, {&out.attributes});
  shaped.packed(packed.buffer);
  WriteResult(env, shaped, out, packed.at);
  return shaped.Make();
}

}  // namespace eaphost
