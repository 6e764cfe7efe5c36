// The configuration-API exports this project uses (eappcfg.dll on Windows). They need no
// EapHostPeerInitialize, as on Windows where they live in a different DLL.
#include "export_support.h"
#include "runtime_memory.h"

using eap::BYTE;
using eap::DWORD;
using eap::EAP_ERROR;
using eaphost::EapErrorInfo;
using eaphost::MethodRegistration;
using namespace eaphost::portable;

EAP_EXPORT DWORD EAP_API EapHostPeerGetMethods(eap::EAP_METHOD_INFO_ARRAY* pEapMethodInfoArray,
                                               EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerGetMethods";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pEapMethodInfoArray == nullptr) {
      return InvalidParameter(kCall, "pEapMethodInfoArray is null", ppEapError);
    }
    *pEapMethodInfoArray = eap::EAP_METHOD_INFO_ARRAY{};
    std::vector<MethodRegistration> methods;
    EapErrorInfo error;
    if (!PeerRuntime::Instance().GetRegisteredPeerMethods(&methods, &error)) {
      return ReportError(error, ppEapError);
    }
    if (methods.empty()) return eap::kErrorSuccess;
    std::vector<const MethodRegistration*> pointers;
    for (const auto& method : methods) pointers.push_back(&method);
    eap::EAP_METHOD_INFO* array = NewMethodInfoArray(pointers);
    if (array == nullptr) return OutOfMemory(kCall, ppEapError);
    pEapMethodInfoArray->dwNumberOfMethods = static_cast<DWORD>(methods.size());
    pEapMethodInfoArray->pEapMethods = array;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT void EAP_API EapHostPeerFreeMemory(BYTE* pData) { ReleaseForCaller(pData, FreeFunction::kMemory); }

EAP_EXPORT void EAP_API EapHostPeerFreeErrorMemory(EAP_ERROR* pEapError) {
  ReleaseForCaller(pEapError, FreeFunction::kErrorMemory);
}
