// Who the project's method modules say they are: the EAP types they implement and the
// author id they register under with EAPHost (EAP_METHOD_TYPE.dwAuthorId). The types come from
// the method table (native/methods/methods.json).
#pragma once

#include "../../abi/eap_types.h"
// kEapType<Method> for every row of native/methods/methods.json, generated at build time.
#include "method_table.h"

namespace eaphost {

constexpr eap::DWORD kEaphostAuthorId = 32473;

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
