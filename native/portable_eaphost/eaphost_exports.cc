// The EapHostPeer* runtime exports (eappprxy.dll) with their Windows signatures: session
// lifecycle, packets, results, status, identity and memory release. Each export checks its
// arguments, copies ABI input into owned C++ values, calls the PeerRuntime/PeerConversation,
// and copies the answer into memory the caller frees with the matching EapHostPeerFree*.
// UI context and response attributes are in eaphost_exports_ui.cc, the configuration API in
// eaphost_config_exports.cc.
#include <utility>

#include "export_support.h"
#include "runtime_memory.h"

using eap::BYTE;
using eap::DWORD;
using eap::EAP_ERROR;
using eaphost::Bytes;
using eaphost::EapErrorInfo;
using eaphost::HostError;
using namespace eaphost::portable;

EAP_EXPORT DWORD EAP_API EapHostPeerInitialize() {
  try {
    PeerRuntime::Instance().Initialize();
  } catch (...) {
    return eap::kErrorNotEnoughMemory;
  }
  return eap::kErrorSuccess;
}

EAP_EXPORT void EAP_API EapHostPeerUninitialize() {
  try {
    PeerRuntime::Instance().Uninitialize();
  } catch (...) {
    // Nothing can be reported from a void function; sessions already taken are gone.
  }
}

EAP_EXPORT DWORD EAP_API EapHostPeerBeginSession(
    DWORD dwFlags, eap::EAP_METHOD_TYPE eapType, const eap::EapAttributes* const pAttributeArray,
    eap::HANDLE hTokenImpersonateUser, DWORD dwSizeofConnectionData,
    const BYTE* const pConnectionData, DWORD dwSizeofUserData, const BYTE* const pUserData,
    DWORD dwMaxSendPacketSize, const eap::GUID* const pConnectionId, eap::NotificationHandler func,
    void* pContextData, eap::EAP_SESSIONID* pSessionId, EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerBeginSession";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pSessionId == nullptr) return InvalidParameter(kCall, "pSessionId is null", ppEapError);
    *pSessionId = 0;
    if (pConnectionId == nullptr) {
      return InvalidParameter(kCall, "pConnectionId is null", ppEapError);
    }
    if (!ValidAttributes(pAttributeArray)) {
      return InvalidParameter(kCall, "pAttributeArray is malformed", ppEapError);
    }
    PeerRuntime& runtime = PeerRuntime::Instance();
    EapErrorInfo error;
    if (!runtime.CheckInitialized(kCall, &error)) return ReportError(error, ppEapError);
    BeginSessionRequest request;
    if (!CopyIn(pConnectionData, dwSizeofConnectionData, &request.connectionData) ||
        !CopyIn(pUserData, dwSizeofUserData, &request.userData)) {
      return InvalidParameter(kCall, "a data pointer is null but its size is not 0", ppEapError);
    }
    request.flags = dwFlags;
    request.methodType = eapType;
    request.attributes = CopyAttributesIn(pAttributeArray);
    request.maxSendPacketSize = dwMaxSendPacketSize;
    request.connectionId = *pConnectionId;
    request.notificationHandler = func;
    request.notificationContext = pContextData;
    // EAPHost hands the user's token to the method, which may act as that user (a TLS peer's
    // CurrentUser store); valid while the caller's session lasts, as EAPHost's contract has it.
    request.userToken = hTokenImpersonateUser;
    DWORD id = 0;
    if (!runtime.BeginSession(&request, &id, &error)) return ReportError(error, ppEapError);
    *pSessionId = id;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerProcessReceivedPacket(
    eap::EAP_SESSIONID sessionHandle, DWORD cbReceivePacket, const BYTE* const pReceivePacket,
    eap::EapHostPeerResponseAction* pEapOutput, EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerProcessReceivedPacket";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pEapOutput == nullptr) return InvalidParameter(kCall, "pEapOutput is null", ppEapError);
    *pEapOutput = eap::EapHostPeerResponseDiscard;
    if (cbReceivePacket != 0 && pReceivePacket == nullptr) {
      return InvalidParameter(kCall, "pReceivePacket is null", ppEapError);
    }
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    if (session == nullptr) return ReportError(error, ppEapError);
    if (!session->ProcessReceivedPacket(pReceivePacket, cbReceivePacket, pEapOutput, &error)) {
      return ReportError(error, ppEapError);
    }
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerGetSendPacket(eap::EAP_SESSIONID sessionHandle,
                                                  DWORD* pcbSendPacket, BYTE** ppSendPacket,
                                                  EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerGetSendPacket";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pcbSendPacket == nullptr || ppSendPacket == nullptr) {
      return InvalidParameter(kCall, "pcbSendPacket or ppSendPacket is null", ppEapError);
    }
    *pcbSendPacket = 0;
    *ppSendPacket = nullptr;
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    if (session == nullptr || !session->GetSendPacket(ppSendPacket, pcbSendPacket, &error)) {
      return ReportError(error, ppEapError);
    }
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerGetResult(eap::EAP_SESSIONID sessionHandle,
                                              eap::EapHostPeerMethodResultReason reason,
                                              eap::EapHostPeerMethodResult* ppResult,
                                              EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerGetResult";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (ppResult == nullptr) return InvalidParameter(kCall, "ppResult is null", ppEapError);
    *ppResult = eap::EapHostPeerMethodResult{};
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    PeerGetResultOut result;
    if (session == nullptr || !session->GetResult(reason, &result, &error)) {
      return ReportError(error, ppEapError);
    }
    struct Wipe {  // the copy may hold keys and user data
      eaphost::PeerMethodResult* r;
      ~Wipe() {
        SecureClear(&r->connectionData);
        SecureClear(&r->userData);
        for (auto& a : r->attributes) SecureClear(&a.value);
      }
    } wipe{&result.method};
    const eaphost::PeerMethodResult& method = result.method;
    eap::EapHostPeerMethodResult out{};
    out.fIsSuccess = method.success ? eap::kTrue : eap::kFalse;
    out.dwFailureReasonCode = method.failureReasonCode;
    out.fSaveConnectionData = method.saveConnectionData ? eap::kTrue : eap::kFalse;
    out.fSaveUserData = method.saveUserData ? eap::kTrue : eap::kFalse;
    out.isolationState = eap::ISOLATION_STATE_UNKNOWN;
    bool allocated = true;
    if (!method.connectionData.empty()) {
      out.pConnectionData = NewBuffer(method.connectionData);
      out.dwSizeofConnectionData = static_cast<eap::UINT32>(method.connectionData.size());
      allocated = allocated && out.pConnectionData != nullptr;
    }
    if (!method.userData.empty()) {
      out.pUserData = NewBuffer(method.userData);
      out.dwSizeofUserData = static_cast<eap::UINT32>(method.userData.size());
      allocated = allocated && out.pUserData != nullptr;
    }
    if (!method.attributes.empty()) {
      out.pAttribArray = NewAttributesBlock(method.attributes);
      allocated = allocated && out.pAttribArray != nullptr;
    }
    out.pEapMethodInfo = NewMethodInfo(result.registration);
    allocated = allocated && out.pEapMethodInfo != nullptr;
    if (method.hasError) {
      out.pEapError = NewEapError(method.error);
      allocated = allocated && out.pEapError != nullptr;
    }
    if (!allocated) {
      FreeCallerMemory(out.pConnectionData);
      FreeCallerMemory(out.pUserData);
      FreeCallerMemory(out.pAttribArray);
      FreeCallerMemory(out.pEapMethodInfo);
      FreeCallerMemory(out.pEapError);
      return OutOfMemory(kCall, ppEapError);
    }
    // The result's own EAP_ERROR is the caller's, unlike everything else in the result: the
    // EapHostPeerMethodResult page says it must be released with EapHostPeerFreeEapError.
    RecordAllocation(out.pEapError, true);
    *ppResult = out;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerGetAuthStatus(eap::EAP_SESSIONID sessionHandle,
                                                  eap::EapHostPeerAuthParams authParam,
                                                  DWORD* pcbAuthData, BYTE** ppAuthData,
                                                  EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerGetAuthStatus";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pcbAuthData == nullptr || ppAuthData == nullptr) {
      return InvalidParameter(kCall, "pcbAuthData or ppAuthData is null", ppEapError);
    }
    *pcbAuthData = 0;
    *ppAuthData = nullptr;
    EapErrorInfo error;
    auto session = FindLiveSession(sessionHandle, kCall, &error);
    if (session == nullptr) return ReportError(error, ppEapError);
    Bytes data;
    switch (authParam) {
      case eap::EapHostPeerAuthStatus: {
        eap::EAPHOST_AUTH_INFO info = session->AuthInfo();
        const BYTE* raw = reinterpret_cast<const BYTE*>(&info);
        data.assign(raw, raw + sizeof(info));
        break;
      }
      case eap::EapHostPeerIdentity: {
        // The identity as a NUL-terminated UTF-16 string, as EAPHost returns it.
        std::u16string identity = session->Identity();
        identity.push_back(u'\0');
        const BYTE* raw = reinterpret_cast<const BYTE*>(identity.data());
        data.assign(raw, raw + identity.size() * sizeof(char16_t));
        break;
      }
      default:
        return ReportError(HostError(eap::kErrorNotSupported, kCall,
                                     "EapHostPeerAuthParams " +
                                         std::to_string(static_cast<int>(authParam)) +
                                         " is not supported by the portable EAPHost"),
                           ppEapError);
    }
    BYTE* out = NewBuffer(data);
    if (out == nullptr) return OutOfMemory(kCall, ppEapError);
    *pcbAuthData = static_cast<DWORD>(data.size());
    *ppAuthData = out;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerEndSession(eap::EAP_SESSIONID sessionHandle,
                                               EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerEndSession";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    PeerRuntime& runtime = PeerRuntime::Instance();
    EapErrorInfo error;
    if (!runtime.CheckInitialized(kCall, &error) || !runtime.EndSession(sessionHandle, &error)) {
      return ReportError(error, ppEapError);
    }
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerClearConnection(eap::GUID* pConnectionId,
                                                    EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerClearConnection";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pConnectionId == nullptr) {
      return InvalidParameter(kCall, "pConnectionId is null", ppEapError);
    }
    PeerRuntime& runtime = PeerRuntime::Instance();
    EapErrorInfo error;
    if (!runtime.CheckInitialized(kCall, &error) ||
        !runtime.ClearConnection(*pConnectionId, &error)) {
      return ReportError(error, ppEapError);
    }
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerGetIdentity(
    DWORD dwVersion, DWORD dwFlags, eap::EAP_METHOD_TYPE eapMethodType,
    DWORD dwSizeofConnectionData, const BYTE* pConnectionData, DWORD dwSizeofUserData,
    const BYTE* pUserData, eap::HANDLE /*hTokenImpersonateUser*/, eap::BOOL* pfInvokeUI,
    DWORD* pdwSizeOfUserDataOut, BYTE** ppUserDataOut, eap::LPWSTR* ppwszIdentity,
    EAP_ERROR** ppEapError, BYTE** ppvReserved) {
  constexpr const char* kCall = "EapHostPeerGetIdentity";
  if (ppvReserved != nullptr) *ppvReserved = nullptr;
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pfInvokeUI == nullptr || pdwSizeOfUserDataOut == nullptr || ppUserDataOut == nullptr ||
        ppwszIdentity == nullptr) {
      return InvalidParameter(kCall, "an output pointer is null", ppEapError);
    }
    *pfInvokeUI = eap::kFalse;
    *pdwSizeOfUserDataOut = 0;
    *ppUserDataOut = nullptr;
    *ppwszIdentity = nullptr;
    if (dwVersion != 0) {
      ContractViolation("EapHostPeerGetIdentity: dwVersion is " + std::to_string(dwVersion) + "; its page says 0");
      return InvalidParameter(kCall, "dwVersion must be 0", ppEapError);
    }
    PeerRuntime& runtime = PeerRuntime::Instance();
    EapErrorInfo error;
    if (!runtime.CheckInitialized(kCall, &error)) return ReportError(error, ppEapError);
    Bytes connectionData, userData;
    struct Wipe {
      Bytes* bytes;
      ~Wipe() { SecureClear(bytes); }
    } wipeUserData{&userData};
    if (!CopyIn(pConnectionData, dwSizeofConnectionData, &connectionData) ||
        !CopyIn(pUserData, dwSizeofUserData, &userData)) {
      return InvalidParameter(kCall, "a data pointer is null but its size is not 0", ppEapError);
    }
    eaphost::PeerIdentity identity;
    Wipe wipeUserDataOut{&identity.userDataOut};
    if (!runtime.GetIdentity(dwFlags, eapMethodType, connectionData, userData, &identity,
                             &error)) {
      return ReportError(error, ppEapError);
    }
    BYTE* userDataOut = identity.userDataOut.empty() ? nullptr : NewBuffer(identity.userDataOut);
    eap::LPWSTR name = identity.invokeUI ? nullptr : NewWideString(identity.identity);
    if ((!identity.userDataOut.empty() && userDataOut == nullptr) ||
        (!identity.invokeUI && name == nullptr)) {
      FreeCallerMemory(userDataOut);
      FreeCallerMemory(name);
      return OutOfMemory(kCall, ppEapError);
    }
    *pfInvokeUI = identity.invokeUI ? eap::kTrue : eap::kFalse;
    *pdwSizeOfUserDataOut = static_cast<DWORD>(identity.userDataOut.size());
    *ppUserDataOut = userDataOut;
    *ppwszIdentity = name;
    return eap::kErrorSuccess;
  });
}

// One allocator serves every buffer and error this library returns (runtime_memory.h); the
// ownership ledger checks each free against the function the reference pages name, so a
// caller that would corrupt Windows' heap fails here, loudly.
EAP_EXPORT void EAP_API EapHostPeerFreeEapError(EAP_ERROR* pEapError) {
  ReleaseForCaller(pEapError, FreeFunction::kEapError);
}

EAP_EXPORT void EAP_API EapHostPeerFreeRuntimeMemory(BYTE* pData) {
  ReleaseForCaller(pData, FreeFunction::kRuntimeMemory);
}
