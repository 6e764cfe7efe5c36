// The module's exported ABI: the functions EAPHost (or this project's method host) finds by
// name — these eight, and the configuration routines in method_config_exports.cc. Everything
// else in the module is internal; on POSIX the build hides all other symbols
// (eap_methods.map), on Windows eap_methods.def lists exactly these.
#include <string>
#include <type_traits>

#include "../abi/eap_method_abi.h"
#include "../methods/support/credential_blob.h"
#include "method_adapter.h"
#include "../methods/support/method_catalog.h"
#include "../methods/support/method_error.h"
#include "../methods/support/method_identity.h"
#include "../methods/support/method_memory.h"

namespace {
using eaphost::Decimal;
using eaphost::kMethodCatalog;
using eaphost::kMethodCount;
using eaphost::MethodFailure;
using eaphost::ModuleType;

std::string DescribeType(const eap::EAP_TYPE& type) {
  return "type " + Decimal(type.type) + " (vendor " + Decimal(type.dwVendorId) +
         ", vendor type " + Decimal(type.dwVendorType) + ")";
}

MethodFailure NotInstalled(const std::string& asked) {
  return MethodFailure{eap::kErrorNotSupported, eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED,
                       "This module implements EAP " + eaphost::DescribeCatalog() +
                           " under author " + Decimal(eaphost::kEaphostAuthorId) +
                           "; it was asked for " + asked,
                       "Register this module only for the types it implements"};
}

// The catalog entry for a method type the caller asks about, or a failure naming what we serve.
std::size_t MethodIndexFor(const eap::EAP_METHOD_TYPE& type) {
  std::size_t index = eaphost::FindMethod(type.eapType.type);
  if (index == kMethodCount || !eaphost::IsMethodType(type, type.eapType.type)) {
    throw NotInstalled(DescribeType(type.eapType) + " under author " + Decimal(type.dwAuthorId));
  }
  return index;
}
}  // namespace

EAP_EXPORT eap::DWORD EAP_API EapPeerGetInfo(eap::EAP_TYPE* pEapType,
                                             eap::EAP_PEER_METHOD_ROUTINES* pEapInfo,
                                             eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, ModuleType(), "EapPeerGetInfo", [&]() -> eap::DWORD {
    if (pEapType == nullptr || pEapInfo == nullptr) {
      throw MethodFailure{eap::kErrorInvalidParameter, 0,
                          "EapPeerGetInfo needs pEapType and pEapInfo", std::string()};
    }
    std::size_t index = eaphost::FindMethod(pEapType->type);
    if (index == kMethodCount || !eaphost::IsEapType(*pEapType, pEapType->type)) {
      throw NotInstalled(DescribeType(*pEapType));
    }
    eaphost::FillPeerRoutines(index, pEapInfo);
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT void EAP_API EapPeerFreeMemory(void* pUIContextData) {
  eaphost::FreeMethodMemory(pUIContextData);
}

EAP_EXPORT void EAP_API EapPeerFreeErrorMemory(eap::EAP_ERROR* pEapError) {
  eaphost::FreeEapError(pEapError);
}

EAP_EXPORT eap::DWORD EAP_API EapPeerQueryCredentialInputFields(
    eap::HANDLE /*hUserImpersonationToken*/, eap::EAP_METHOD_TYPE eapMethodType, eap::DWORD /*dwFlags*/,
    eap::DWORD /*dwEapConnDataSize*/, eap::BYTE* /*pbEapConnData*/,
    eap::EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldsArray, eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, ModuleType(), "EapPeerQueryCredentialInputFields",
                               [&]() -> eap::DWORD {
    MethodIndexFor(eapMethodType);
    eaphost::QueryCredentialInputFields(pEapConfigInputFieldsArray);
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerQueryUserBlobFromCredentialInputFields(
    eap::HANDLE /*hUserImpersonationToken*/, eap::EAP_METHOD_TYPE eapMethodType, eap::DWORD /*dwFlags*/,
    eap::DWORD /*dwEapConnDataSize*/, eap::BYTE* /*pbEapConnData*/,
    const eap::EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldArray,
    eap::DWORD* pdwUsersBlobSize, eap::BYTE** ppUserBlob, eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, ModuleType(),
                               "EapPeerQueryUserBlobFromCredentialInputFields",
                               [&]() -> eap::DWORD {
    MethodIndexFor(eapMethodType);
    eaphost::QueryCredentialBlob(pEapConfigInputFieldArray, pdwUsersBlobSize, ppUserBlob);
    return eap::kErrorSuccess;
  });
}

// The SDK declares this one without WINAPI (cdecl): on 32-bit Windows a __stdcall export here
// would unbalance the caller's stack.
EAP_EXPORT eap::DWORD EAP_CDECL EapMethodAuthenticatorGetInfo(
    eap::EAP_METHOD_TYPE* pEapType, eap::EAP_AUTHENTICATOR_METHOD_ROUTINES* pEapInfo,
    eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, ModuleType(), "EapMethodAuthenticatorGetInfo",
                               [&]() -> eap::DWORD {
    if (pEapType == nullptr || pEapInfo == nullptr) {
      throw MethodFailure{eap::kErrorInvalidParameter, 0,
                          "EapMethodAuthenticatorGetInfo needs pEapType and pEapInfo",
                          std::string()};
    }
    eaphost::FillAuthenticatorRoutines(MethodIndexFor(*pEapType), pEapInfo);
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT void EAP_API EapMethodAuthenticatorFreeMemory(void* pUIContextData) {
  eaphost::FreeMethodMemory(pUIContextData);
}

EAP_EXPORT void EAP_API EapMethodAuthenticatorFreeErrorMemory(eap::EAP_ERROR* pEapError) {
  eaphost::FreeEapError(pEapError);
}

// Each export has exactly the type hosts look it up as (calling convention included, which
// only 32-bit Windows would otherwise notice).
static_assert(std::is_same<decltype(&EapPeerGetInfo), eap::PFN_EapPeerGetInfo>::value, "");
static_assert(std::is_same<decltype(&EapPeerFreeMemory), eap::PFN_EapPeerFreeMemory>::value, "");
static_assert(std::is_same<decltype(&EapPeerFreeErrorMemory),
                           eap::PFN_EapPeerFreeErrorMemory>::value, "");
static_assert(std::is_same<decltype(&EapPeerQueryCredentialInputFields),
                           eap::PFN_EapPeerQueryCredentialInputFields>::value, "");
static_assert(std::is_same<decltype(&EapPeerQueryUserBlobFromCredentialInputFields),
                           eap::PFN_EapPeerQueryUserBlobFromCredentialInputFields>::value, "");
static_assert(std::is_same<decltype(&EapMethodAuthenticatorGetInfo),
                           eap::PFN_EapMethodAuthenticatorGetInfo>::value, "");
static_assert(std::is_same<decltype(&EapMethodAuthenticatorFreeMemory),
                           eap::PFN_EapMethodAuthenticatorFreeMemory>::value, "");
static_assert(std::is_same<decltype(&EapMethodAuthenticatorFreeErrorMemory),
                           eap::PFN_EapMethodAuthenticatorFreeErrorMemory>::value, "");
