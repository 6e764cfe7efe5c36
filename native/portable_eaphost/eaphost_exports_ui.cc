// The EapHostPeer* exports that pass a method's UI context and response attributes between
// the supplicant and the method session (InvokeUI and Respond actions).
#include "export_support.h"
#include "runtime_memory.h"

using eap::BYTE;
using eap::DWORD;
using eap::EAP_ERROR;
using eaphost::Attributes;
using eaphost::Bytes;
using eaphost::EapErrorInfo;
using namespace eaphost::portable;

EAP_EXPORT DWORD EAP_API EapHostPeerGetUIContext(eap::EAP_SESSIONID sessionHandle,
                                                 DWORD* pdwSizeOfUIContextData,
                                                 BYTE** ppUIContextData, EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerGetUIContext";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pdwSizeOfUIContextData == nullptr || ppUIContextData == nullptr) {
      return InvalidParameter(kCall, "an output pointer is null", ppEapError);
    }
    *pdwSizeOfUIContextData = 0;
    *ppUIContextData = nullptr;
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    Bytes context;
    if (session == nullptr || !session->GetUIContext(&context, &error)) {
      return ReportError(error, ppEapError);
    }
    BYTE* out = NewBuffer(context);
    DWORD size = static_cast<DWORD>(context.size());
    SecureClear(&context);
    if (out == nullptr) return OutOfMemory(kCall, ppEapError);
    *pdwSizeOfUIContextData = size;
    *ppUIContextData = out;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerSetUIContext(eap::EAP_SESSIONID sessionHandle,
                                                 DWORD dwSizeOfUIContextData,
                                                 const BYTE* const pUIContextData,
                                                 eap::EapHostPeerResponseAction* pEapOutput,
                                                 EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerSetUIContext";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pEapOutput == nullptr) return InvalidParameter(kCall, "pEapOutput is null", ppEapError);
    *pEapOutput = eap::EapHostPeerResponseDiscard;
    Bytes context;
    if (!CopyIn(pUIContextData, dwSizeOfUIContextData, &context)) {
      return InvalidParameter(kCall, "pUIContextData is null but its size is not 0", ppEapError);
    }
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    bool ok = session != nullptr && session->SetUIContext(context, pEapOutput, &error);
    SecureClear(&context);  // UI results are typically credentials
    return ok ? eap::kErrorSuccess : ReportError(error, ppEapError);
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerGetResponseAttributes(eap::EAP_SESSIONID sessionHandle,
                                                          eap::EapAttributes* pAttribs,
                                                          EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerGetResponseAttributes";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pAttribs == nullptr) return InvalidParameter(kCall, "pAttribs is null", ppEapError);
    *pAttribs = eap::EapAttributes{};
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    Attributes attributes;
    if (session == nullptr || !session->GetResponseAttributes(&attributes, &error)) {
      return ReportError(error, ppEapError);
    }
    // The caller owns the header; the array and its values are one runtime allocation.
    eap::EAP_ATTRIBUTE* array = NewAttributeArray(attributes);
    DWORD count = static_cast<DWORD>(attributes.size());
    for (auto& attribute : attributes) SecureClear(&attribute.value);
    if (count != 0 && array == nullptr) return OutOfMemory(kCall, ppEapError);
    pAttribs->dwNumberOfAttributes = count;
    pAttribs->pAttribs = array;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerSetResponseAttributes(
    eap::EAP_SESSIONID sessionHandle, const eap::EapAttributes* const pAttribs,
    eap::EapHostPeerResponseAction* pEapOutput, EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerSetResponseAttributes";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pEapOutput == nullptr) return InvalidParameter(kCall, "pEapOutput is null", ppEapError);
    *pEapOutput = eap::EapHostPeerResponseDiscard;
    if (!ValidAttributes(pAttribs)) {
      return InvalidParameter(kCall, "pAttribs is malformed", ppEapError);
    }
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    if (session == nullptr) return ReportError(error, ppEapError);
    Attributes attributes = CopyAttributesIn(pAttribs);
    bool ok = session->SetResponseAttributes(attributes, pEapOutput, &error);
    for (auto& attribute : attributes) SecureClear(&attribute.value);
    return ok ? eap::kErrorSuccess : ReportError(error, ppEapError);
  });
}
