#include "eaphost_memory.h"

#include "../common/secure_zero.h"

namespace eaphost {

namespace {

// Bounds a count EAPHost reported before walking its array: past it, pointers leak (bounded)
// rather than being read from memory that is not the array.
constexpr eap::DWORD kMaxElements = 4096;

void FreeConfigMemory(const eap::EapHostPeerApi& api, void* pointer) { ConfigMemoryOwner owner(api, pointer); }

std::size_t WideUnits(const eap::WCHAR* text) {
  std::size_t n = 0;
  while (text[n] != 0) ++n;
  return n;
}

void FreeMethodInfo(const eap::EapHostPeerApi& api, eap::EAP_METHOD_INFO* info, int depth) {
  // Tunnel methods nest one inner method; deeper chains are not walked (a bounded leak).
  if (info->pInnerMethodInfo != nullptr && depth < 4) {
    FreeMethodInfo(api, info->pInnerMethodInfo, depth + 1);
    FreeConfigMemory(api, info->pInnerMethodInfo);
    info->pInnerMethodInfo = nullptr;
  }
  FreeConfigMemory(api, info->pwszAuthorName);
  FreeConfigMemory(api, info->pwszFriendlyName);
  info->pwszAuthorName = info->pwszFriendlyName = nullptr;
}

}  // namespace

void FreeInputFields(const eap::EapHostPeerApi& api, eap::EAP_CONFIG_INPUT_FIELD_ARRAY* array) {
  if (array->pFields == nullptr) return;
  for (eap::DWORD i = 0; i < array->dwNumberOfFields && i < kMaxElements; ++i) {
    eap::EAP_CONFIG_INPUT_FIELD_DATA& field = array->pFields[i];
    if (field.pwszData != nullptr) SecureZero(field.pwszData, WideUnits(field.pwszData) * sizeof(eap::WCHAR));
    FreeConfigMemory(api, field.pwszData);
    FreeConfigMemory(api, field.pwszLabel);
    field.pwszData = field.pwszLabel = nullptr;
  }
  FreeConfigMemory(api, array->pFields);
  array->pFields = nullptr;
}

void FreeMethodInfos(const eap::EapHostPeerApi& api, eap::EAP_METHOD_INFO_ARRAY* array) {
  if (array->pEapMethods == nullptr) return;
  for (eap::DWORD i = 0; i < array->dwNumberOfMethods && i < kMaxElements; ++i) {
    FreeMethodInfo(api, &array->pEapMethods[i], 0);
  }
  FreeConfigMemory(api, array->pEapMethods);
  array->pEapMethods = nullptr;
}

void FreeMethodProperties(const eap::EapHostPeerApi& api, eap::EAP_METHOD_PROPERTY_ARRAY* array) {
  if (array->pMethodProperty == nullptr) return;
  for (eap::DWORD i = 0; i < array->dwNumberOfProperties && i < kMaxElements; ++i) {
    eap::EAP_METHOD_PROPERTY& property = array->pMethodProperty[i];
    // "The caller should free an empvString value only when the type is empvtString."
    if (property.eapMethodPropertyValueType == eap::empvtString) {
      FreeConfigMemory(api, property.eapMethodPropertyValue.empvString.value);
      property.eapMethodPropertyValue.empvString.value = nullptr;
    }
  }
  FreeConfigMemory(api, array->pMethodProperty);
  array->pMethodProperty = nullptr;
}

}  // namespace eaphost
