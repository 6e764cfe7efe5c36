// The eap_methods module's exported ABI: the eight functions EAPHost (or this project's method
// host) finds by name. Everything else in the module is internal; on POSIX the build hides
// all other symbols, on Windows eap_methods.def lists exactly these.
#include <string>

#include "../../abi/eap_method_abi.h"
#include "../common/method_error.h"
#include "../common/method_identity.h"
#include "../common/method_memory.h"
#include "md5_authenticator.h"
#include "md5_peer.h"
#include "md5_user_blob.h"

namespace {
const eap::EAP_METHOD_TYPE kMethodType = eaphost::MethodTypeOf(eaphost::kEapTypeMd5Challenge);

std::string DescribeType(const eap::EAP_TYPE& type) {
  return "type " + eaphost::Decimal(type.type) + " (vendor " + eaphost::Decimal(type.dwVendorId) +
         ", vendor type " + eaphost::Decimal(type.dwVendorType) + ")";
}
}  // namespace

EAP_EXPORT eap::DWORD EAP_API EapPeerGetInfo(eap::EAP_TYPE* pEapType,
                                             eap::EAP_PEER_METHOD_ROUTINES* pEapInfo,
                                             eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, kMethodType, "EapPeerGetInfo", [&]() -> eap::DWORD {
    if (pEapType == nullptr || pEapInfo == nullptr) {
      return eaphost::RaiseError(ppEapError, kMethodType, eap::kErrorInvalidParameter, 0,
                                 "EapPeerGetInfo needs pEapType and pEapInfo");
    }
    if (!eaphost::IsEapType(*pEapType, eaphost::kEapTypeMd5Challenge)) {
      return eaphost::RaiseError(
          ppEapError, kMethodType, eap::kErrorNotSupported, eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED,
          "This module implements EAP-MD5 (type 4, vendor 0); it was asked for " +
              DescribeType(*pEapType),
          "Register this module only for EAP type 4");
    }
    eaphost::md5::FillPeerRoutines(pEapInfo);
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
    eap::HANDLE hUserImpersonationToken, eap::EAP_METHOD_TYPE eapMethodType, eap::DWORD dwFlags,
    eap::DWORD dwEapConnDataSize, eap::BYTE* pbEapConnData,
    eap::EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldsArray, eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(
      ppEapError, kMethodType, "EapPeerQueryCredentialInputFields", [&]() -> eap::DWORD {
        return eaphost::md5::QueryCredentialInputFields(eapMethodType,
                                                        pEapConfigInputFieldsArray, ppEapError);
      });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerQueryUserBlobFromCredentialInputFields(
    eap::HANDLE hUserImpersonationToken, eap::EAP_METHOD_TYPE eapMethodType, eap::DWORD dwFlags,
    eap::DWORD dwEapConnDataSize, eap::BYTE* pbEapConnData,
    const eap::EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldArray,
    eap::DWORD* pdwUsersBlobSize, eap::BYTE** ppUserBlob, eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(
      ppEapError, kMethodType, "EapPeerQueryUserBlobFromCredentialInputFields",
      [&]() -> eap::DWORD {
        return eaphost::md5::QueryUserBlobFromCredentialInputFields(
            eapMethodType, pEapConfigInputFieldArray, pdwUsersBlobSize, ppUserBlob, ppEapError);
      });
}

EAP_EXPORT eap::DWORD EAP_API EapMethodAuthenticatorGetInfo(
    eap::EAP_METHOD_TYPE* pEapType, eap::EAP_AUTHENTICATOR_METHOD_ROUTINES* pEapInfo,
    eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(
      ppEapError, kMethodType, "EapMethodAuthenticatorGetInfo", [&]() -> eap::DWORD {
        if (pEapType == nullptr || pEapInfo == nullptr) {
          return eaphost::RaiseError(ppEapError, kMethodType, eap::kErrorInvalidParameter, 0,
                                     "EapMethodAuthenticatorGetInfo needs pEapType and pEapInfo");
        }
        if (!eaphost::IsMethodType(*pEapType, eaphost::kEapTypeMd5Challenge)) {
          return eaphost::RaiseError(
              ppEapError, kMethodType, eap::kErrorNotSupported,
              eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED,
              "This module implements EAP-MD5 (type 4, vendor 0) under author " +
                  eaphost::Decimal(eaphost::kEaphostAuthorId) + "; it was asked for " +
                  DescribeType(pEapType->eapType) + " under author " +
                  eaphost::Decimal(pEapType->dwAuthorId),
              "Register this module only for EAP type 4, author " +
                  eaphost::Decimal(eaphost::kEaphostAuthorId));
        }
        eaphost::md5::FillAuthenticatorRoutines(pEapInfo);
        return eap::kErrorSuccess;
      });
}

EAP_EXPORT void EAP_API EapMethodAuthenticatorFreeMemory(void* pUIContextData) {
  eaphost::FreeMethodMemory(pUIContextData);
}

EAP_EXPORT void EAP_API EapMethodAuthenticatorFreeErrorMemory(eap::EAP_ERROR* pEapError) {
  eaphost::FreeEapError(pEapError);
}
