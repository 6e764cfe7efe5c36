// Who the project's method modules say they are: the EAP types they implement and the
// author id they register under with EAPHost (EAP_METHOD_TYPE.dwAuthorId).
#pragma once

#include "../../abi/eap_types.h"

namespace eaphost {

constexpr eap::DWORD kEaphostAuthorId = 32473;

constexpr eap::BYTE kEapTypeMd5Challenge = 4;  // RFC 3748 §5.4
constexpr eap::BYTE kEapTypeGtc = 6;           // RFC 3748 §5.6
constexpr eap::BYTE kEapTypeMsChapV2 = 26;     // draft-kamath-pppext-eap-mschapv2

// IETF types only: vendor-specific (expanded) types carry a vendor id and are not ours.
constexpr eap::EAP_METHOD_TYPE MethodTypeOf(eap::BYTE type) {
  return eap::EAP_METHOD_TYPE{eap::EAP_TYPE{type, 0, 0}, kEaphostAuthorId};
}

inline bool IsEapType(const eap::EAP_TYPE& candidate, eap::BYTE type) {
  return candidate.type == type && candidate.dwVendorId == 0 && candidate.dwVendorType == 0;
}

inline bool IsMethodType(const eap::EAP_METHOD_TYPE& candidate, eap::BYTE type) {
  return IsEapType(candidate.eapType, type) && candidate.dwAuthorId == kEaphostAuthorId;
}

}  // namespace eaphost
