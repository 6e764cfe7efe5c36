// The rest of the configuration API: credential input fields and the user blob made from them,
// method properties (each forwarded to the registered method module, its results copied into
// this library's memory), and the interactive-UI calls. The portable EAPHost has no user
// interface and its sessions never hand out a UI context a method could answer, so those calls
// refuse with ERROR_NOT_SUPPORTED: credentials are given before a session begins.
#include <cstring>
#include <type_traits>

#include "config_method_module.h"
#include "export_support.h"
#include "runtime_memory.h"

using eap::BYTE;
using eap::DWORD;
using eap::EAP_ERROR;
using namespace eaphost;
using namespace eaphost::portable;

namespace {

constexpr std::size_t kMaxFieldUnits = 4096;  // labels and data of one credential field
constexpr DWORD kMaxFields = 64;
constexpr DWORD kMaxProperties = 256;

std::size_t WideLength(const eap::WCHAR* text) {
  if (text == nullptr) return 0;
  std::size_t n = 0;
  while (n <= kMaxFieldUnits && text[n] != 0) ++n;
  return n;
}

// The method's field array as ONE block of this library's memory: the fields, then every
// string they point to. Null when out of memory or a string is over kMaxFieldUnits.
eap::EAP_CONFIG_INPUT_FIELD_DATA* CopyFields(const eap::EAP_CONFIG_INPUT_FIELD_ARRAY& fields) {
  if (fields.dwNumberOfFields > kMaxFields || (fields.dwNumberOfFields != 0 && fields.pFields == nullptr)) return nullptr;
  std::size_t units = 0;
  for (DWORD i = 0; i < fields.dwNumberOfFields; ++i) {
    std::size_t label = WideLength(fields.pFields[i].pwszLabel), data = WideLength(fields.pFields[i].pwszData);
    if (label > kMaxFieldUnits || data > kMaxFieldUnits) return nullptr;
    units += label + data + 2;
  }
  std::size_t head = fields.dwNumberOfFields * sizeof(eap::EAP_CONFIG_INPUT_FIELD_DATA);
  auto* out = static_cast<eap::EAP_CONFIG_INPUT_FIELD_DATA*>(AllocateCallerMemory(head + units * sizeof(eap::WCHAR)));
  if (out == nullptr) return nullptr;
  auto* strings = reinterpret_cast<eap::WCHAR*>(reinterpret_cast<BYTE*>(out) + head);
  auto copy = [&strings](const eap::WCHAR* text) -> eap::LPWSTR {
    if (text == nullptr) return nullptr;
    std::size_t n = WideLength(text);
    eap::LPWSTR at = strings;
    std::memcpy(at, text, n * sizeof(eap::WCHAR));
    at[n] = 0;
    strings += n + 1;
    return at;
  };
  for (DWORD i = 0; i < fields.dwNumberOfFields; ++i) {
    out[i] = fields.pFields[i];
    out[i].pwszLabel = copy(fields.pFields[i].pwszLabel);
    out[i].pwszData = copy(fields.pFields[i].pwszData);
    // The page tells the caller to free these first, innermost first.
    RecordInnerPointer(out, out[i].pwszLabel);
    RecordInnerPointer(out, out[i].pwszData);
  }
  return out;
}

eap::EAP_METHOD_PROPERTY* CopyProperties(const eap::EAP_METHOD_PROPERTY_ARRAY& properties) {
  DWORD count = properties.dwNumberOfProperties;
  if (count > kMaxProperties || (count != 0 && properties.pMethodProperty == nullptr)) return nullptr;
  std::size_t strings = 0;
  for (DWORD i = 0; i < count; ++i) {
    const eap::EAP_METHOD_PROPERTY& p = properties.pMethodProperty[i];
    if (p.eapMethodPropertyValueType == eap::empvtString) {
      const auto& s = p.eapMethodPropertyValue.empvString;
      if (s.length > 65536 || (s.length != 0 && s.value == nullptr)) return nullptr;
      strings += s.length;
    }
  }
  std::size_t head = count * sizeof(eap::EAP_METHOD_PROPERTY);
  auto* out = static_cast<eap::EAP_METHOD_PROPERTY*>(AllocateCallerMemory(head + strings));
  if (out == nullptr) return nullptr;
  BYTE* next = reinterpret_cast<BYTE*>(out) + head;
  for (DWORD i = 0; i < count; ++i) {
    out[i] = properties.pMethodProperty[i];
    if (out[i].eapMethodPropertyValueType == eap::empvtString) {
      auto& s = out[i].eapMethodPropertyValue.empvString;
      if (s.length != 0) std::memcpy(next, s.value, s.length);
      s.value = s.length != 0 ? next : nullptr;
      next += s.length;
      RecordInnerPointer(out, s.value);  // "free an empvString value only when the type is empvtString"
    }
  }
  return out;
}

// EAPHOST_PEER_API_VERSION: the dwVersion the interactive-UI queries' pages document.
constexpr DWORD kEapHostPeerApiVersion = 1;

void RequireVersion(const char* call, DWORD dwVersion, DWORD documented) {
  if (dwVersion != documented) {
    ContractViolation(std::string(call) + ": dwVersion is " + std::to_string(dwVersion) + "; its page says " +
                      std::to_string(documented));
  }
}

// The interactive-UI exports: once ppEapError is taken (TakeErrorOut), `prepare` clears the
// outputs the caller gave and checks what the page documents, then the call is refused.
template <typename Prepare>
DWORD NoUserInterface(const char* call, EAP_ERROR** ppEapError, Prepare prepare) {
  if (!TakeErrorOut(ppEapError)) return eap::kErrorInvalidParameter;
  prepare();
  EapErrorInfo error = HostError(eap::kErrorNotSupported, call,
                                 "the portable EAPHost has no user interface, and its methods "
                                 "never ask for one; give the configuration as XML and the credentials before the "
                                 "session begins");
  error.reasonCode = eap::EAP_E_EAPHOST_METHOD_OPERATION_NOT_SUPPORTED;
  return ReportError(error, ppEapError);
}

// An optional output the caller gave is cleared before the call is refused.
template <typename T>
void ClearOutput(T* output) {
  if (output != nullptr) *output = T{};
}

}  // namespace

EAP_EXPORT DWORD EAP_API EapHostPeerQueryCredentialInputFields(eap::HANDLE hUserImpersonationToken,
                                                               eap::EAP_METHOD_TYPE eapMethodType, DWORD dwFlags,
                                                               DWORD dwEapConnDataSize, const BYTE* pbEapConnData,
                                                               eap::EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldArray,
                                                               EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerQueryCredentialInputFields";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pEapConfigInputFieldArray == nullptr || (dwEapConnDataSize != 0 && pbEapConnData == nullptr)) {
      return InvalidParameter(kCall, "pEapConfigInputFieldArray is required, and pbEapConnData when its size is not 0", ppEapError);
    }
    *pEapConfigInputFieldArray = eap::EAP_CONFIG_INPUT_FIELD_ARRAY{};
    EapErrorInfo error;
    eap::PFN_EapPeerQueryCredentialInputFields query = nullptr;
    auto module = ConfigMethodModule::Open(eapMethodType, EAP_PEER_QUERY_CREDENTIAL_INPUT_FIELDS_NAME, kCall, &error, &query);
    if (!module) return ReportError(error, ppEapError);
    Bytes connectionData(pbEapConnData, pbEapConnData + dwEapConnDataSize);
    eap::EAP_CONFIG_INPUT_FIELD_ARRAY fields{};
    EAP_ERROR* methodError = nullptr;
    DWORD rc = query(hUserImpersonationToken, eapMethodType, dwFlags, dwEapConnDataSize,
                     connectionData.empty() ? nullptr : connectionData.data(), &fields, &methodError);
    SecureClear(&connectionData);
    if (!module->Check(rc, methodError, "EapPeerQueryCredentialInputFields", &error)) {
      module->Free(fields.pFields);
      return ReportError(error, ppEapError);
    }
    eap::EAP_CONFIG_INPUT_FIELD_DATA* copy = CopyFields(fields);
    module->Free(fields.pFields);
    if (copy == nullptr && fields.dwNumberOfFields != 0) {
      return ReportError(HostError(eap::kErrorInvalidData, kCall, "the method's credential fields are malformed or too large"),
                         ppEapError);
    }
    pEapConfigInputFieldArray->dwVersion = fields.dwVersion;
    pEapConfigInputFieldArray->dwNumberOfFields = fields.dwNumberOfFields;
    pEapConfigInputFieldArray->pFields = copy;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerQueryUserBlobFromCredentialInputFields(
    eap::HANDLE hUserImpersonationToken, eap::EAP_METHOD_TYPE eapMethodType, DWORD dwFlags, DWORD dwEapConnDataSize,
    const BYTE* pbEapConnData, const eap::EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldArray, DWORD* pdwUserBlobSize,
    BYTE** ppbUserBlob, EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerQueryUserBlobFromCredentialInputFields";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pEapConfigInputFieldArray == nullptr || pdwUserBlobSize == nullptr || ppbUserBlob == nullptr ||
        (dwEapConnDataSize != 0 && pbEapConnData == nullptr)) {
      return InvalidParameter(kCall, "the field array, pdwUserBlobSize and ppbUserBlob are required", ppEapError);
    }
    *pdwUserBlobSize = 0;
    *ppbUserBlob = nullptr;
    EapErrorInfo error;
    eap::PFN_EapPeerQueryUserBlobFromCredentialInputFields query = nullptr;
    auto module = ConfigMethodModule::Open(eapMethodType, EAP_PEER_QUERY_USER_BLOB_NAME, kCall, &error, &query);
    if (!module) return ReportError(error, ppEapError);
    Bytes connectionData(pbEapConnData, pbEapConnData + dwEapConnDataSize);
    DWORD size = 0;
    BYTE* blob = nullptr;
    EAP_ERROR* methodError = nullptr;
    DWORD rc = query(hUserImpersonationToken, eapMethodType, dwFlags, dwEapConnDataSize,
                     connectionData.empty() ? nullptr : connectionData.data(), pEapConfigInputFieldArray, &size, &blob,
                     &methodError);
    SecureClear(&connectionData);
    if (!module->Check(rc, methodError, "EapPeerQueryUserBlobFromCredentialInputFields", &error)) {
      module->Free(blob);
      return ReportError(error, ppEapError);
    }
    BYTE* copy = nullptr;
    if (blob != nullptr && size != 0) {
      copy = static_cast<BYTE*>(AllocateCallerMemory(size));
      if (copy != nullptr) std::memcpy(copy, blob, size);
    }
    module->Free(blob);  // the method's free wipes its copy: the blob holds the password
    if (copy == nullptr && size != 0) return OutOfMemory(kCall, ppEapError);
    *ppbUserBlob = copy;
    *pdwUserBlobSize = copy == nullptr ? 0 : size;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerGetMethodProperties(DWORD dwVersion, DWORD dwFlags, eap::EAP_METHOD_TYPE eapMethodType,
                                                        eap::HANDLE hUserImpersonationToken, DWORD dwEapConnDataSize,
                                                        const BYTE* pbEapConnData, DWORD dwUserDataSize,
                                                        const BYTE* pbUserData,
                                                        eap::EAP_METHOD_PROPERTY_ARRAY* pMethodPropertyArray,
                                                        EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerGetMethodProperties";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pMethodPropertyArray == nullptr || (dwEapConnDataSize != 0 && pbEapConnData == nullptr) ||
        (dwUserDataSize != 0 && pbUserData == nullptr)) {
      return InvalidParameter(kCall, "pMethodPropertyArray is required, and each buffer whose size is not 0", ppEapError);
    }
    *pMethodPropertyArray = eap::EAP_METHOD_PROPERTY_ARRAY{};
    RequireVersion(kCall, dwVersion, 0);
    EapErrorInfo error;
    eap::PFN_EapPeerGetMethodProperties query = nullptr;
    auto module = ConfigMethodModule::Open(eapMethodType, EAP_PEER_GET_METHOD_PROPERTIES_NAME, kCall, &error, &query);
    if (!module) return ReportError(error, ppEapError);
    eap::EAP_METHOD_PROPERTY_ARRAY properties{};
    EAP_ERROR* methodError = nullptr;
    DWORD rc = query(dwVersion, dwFlags, eapMethodType, hUserImpersonationToken, dwEapConnDataSize, pbEapConnData,
                     dwUserDataSize, pbUserData, &properties, &methodError);
    if (!module->Check(rc, methodError, "EapPeerGetMethodProperties", &error)) {
      module->Free(properties.pMethodProperty);
      return ReportError(error, ppEapError);
    }
    eap::EAP_METHOD_PROPERTY* copy = CopyProperties(properties);
    module->Free(properties.pMethodProperty);
    if (copy == nullptr && properties.dwNumberOfProperties != 0) {
      return ReportError(HostError(eap::kErrorInvalidData, kCall, "the method's property array is malformed or too large"),
                         ppEapError);
    }
    pMethodPropertyArray->dwNumberOfProperties = properties.dwNumberOfProperties;
    pMethodPropertyArray->pMethodProperty = copy;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerQueryInteractiveUIInputFields(DWORD dwVersion, DWORD /*dwFlags*/, DWORD /*dwSizeofUIContextData*/,
                                                                  const BYTE* /*pUIContextData*/,
                                                                  eap::EAP_INTERACTIVE_UI_DATA* pEapInteractiveUIData,
                                                                  EAP_ERROR** ppEapError, void** /*ppvReserved*/) {
  constexpr const char* kCall = "EapHostPeerQueryInteractiveUIInputFields";
  return NoUserInterface(kCall, ppEapError, [&] {
    ClearOutput(pEapInteractiveUIData);
    RequireVersion(kCall, dwVersion, kEapHostPeerApiVersion);
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerQueryUIBlobFromInteractiveUIInputFields(
    DWORD dwVersion, DWORD /*dwFlags*/, DWORD /*dwSizeofUIContextData*/, const BYTE* /*pUIContextData*/,
    const eap::EAP_INTERACTIVE_UI_DATA* pEapInteractiveUIData, DWORD* pdwSizeOfDataFromInteractiveUI,
    BYTE** ppDataFromInteractiveUI, EAP_ERROR** ppEapError, void** /*ppvReserved*/) {
  constexpr const char* kCall = "EapHostPeerQueryUIBlobFromInteractiveUIInputFields";
  return NoUserInterface(kCall, ppEapError, [&] {
    ClearOutput(pdwSizeOfDataFromInteractiveUI);
    ClearOutput(ppDataFromInteractiveUI);
    RequireVersion(kCall, dwVersion, kEapHostPeerApiVersion);
    // The answer is the user's response: a *Resp type (EapCredResp, EapCredExpiryResp, EapCredLogonResp).
    if (pEapInteractiveUIData != nullptr && pEapInteractiveUIData->dwDataType % 2 == 0) {
      ContractViolation(std::string(kCall) + ": the answer's dwDataType is a request type (" +
                        std::to_string(static_cast<int>(pEapInteractiveUIData->dwDataType)) +
                        "); an answer is EapCredResp, EapCredExpiryResp or EapCredLogonResp");
    }
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerInvokeConfigUI(eap::HWND /*hwndParent*/, DWORD /*dwFlags*/, eap::EAP_METHOD_TYPE /*eapMethodType*/,
                                                   DWORD /*dwSizeOfConfigIn*/, const BYTE* /*pConfigIn*/, DWORD* pdwSizeOfConfigOut,
                                                   BYTE** ppConfigOut, EAP_ERROR** ppEapError) {
  return NoUserInterface("EapHostPeerInvokeConfigUI", ppEapError, [&] {
    ClearOutput(pdwSizeOfConfigOut);
    ClearOutput(ppConfigOut);
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerInvokeIdentityUI(DWORD dwVersion, eap::EAP_METHOD_TYPE /*eapMethodType*/, DWORD /*dwFlags*/,
                                                     eap::HWND /*hwndParent*/, DWORD /*dwSizeofConnectionData*/,
                                                     const BYTE* /*pConnectionData*/, DWORD /*dwSizeofUserData*/,
                                                     const BYTE* /*pUserData*/, DWORD* pdwSizeOfUserDataOut,
                                                     BYTE** ppUserDataOut, eap::LPWSTR* ppwszIdentity,
                                                     EAP_ERROR** ppEapError, void** /*ppvReserved*/) {
  constexpr const char* kCall = "EapHostPeerInvokeIdentityUI";
  return NoUserInterface(kCall, ppEapError, [&] {
    ClearOutput(pdwSizeOfUserDataOut);
    ClearOutput(ppUserDataOut);
    ClearOutput(ppwszIdentity);
    RequireVersion(kCall, dwVersion, 0);
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerInvokeInteractiveUI(eap::HWND /*hwndParent*/, DWORD /*dwSizeofUIContextData*/,
                                                        const BYTE* /*pUIContextData*/, DWORD* pdwSizeOfDataFromInteractiveUI,
                                                        BYTE** ppDataFromInteractiveUI, EAP_ERROR** ppEapError) {
  return NoUserInterface("EapHostPeerInvokeInteractiveUI", ppEapError, [&] {
    ClearOutput(pdwSizeOfDataFromInteractiveUI);
    ClearOutput(ppDataFromInteractiveUI);
  });
}

#define EAP_SAME_EXPORT_TYPE(name) \
  static_assert(std::is_same<decltype(&name), eap::PFN_##name>::value, #name " differs from its PFN_ type");
EAP_SAME_EXPORT_TYPE(EapHostPeerQueryCredentialInputFields)
EAP_SAME_EXPORT_TYPE(EapHostPeerQueryUserBlobFromCredentialInputFields)
EAP_SAME_EXPORT_TYPE(EapHostPeerGetMethodProperties)
EAP_SAME_EXPORT_TYPE(EapHostPeerQueryInteractiveUIInputFields)
EAP_SAME_EXPORT_TYPE(EapHostPeerQueryUIBlobFromInteractiveUIInputFields)
EAP_SAME_EXPORT_TYPE(EapHostPeerInvokeConfigUI)
EAP_SAME_EXPORT_TYPE(EapHostPeerInvokeIdentityUI)
EAP_SAME_EXPORT_TYPE(EapHostPeerInvokeInteractiveUI)
#undef EAP_SAME_EXPORT_TYPE
