// Owned EAP_ATTRIBUTES copies both ways across the method ABI (declared in method_values.h).
#include "method_values.h"

namespace eaphost {

namespace {
// Attribute arrays come from foreign code: sanity bounds so a garbage count or length cannot
// make us read (or allocate) without limit. Real arrays are a handful of small values.
constexpr eap::DWORD kMaxAttributes = 4096;
constexpr eap::DWORD kMaxAttributeLength = 1u << 20;
}  // namespace

AttributeArray::AttributeArray(const Attributes& source) {
  items_.reserve(source.size());
  for (const Attribute& attribute : source) {
    eap::EAP_ATTRIBUTE item{};
    item.eaType = attribute.type;
    item.dwLength = static_cast<eap::DWORD>(attribute.value.size());
    // The ABI field is not const, but every call that takes an array takes it as const.
    item.pValue = attribute.value.empty() ? nullptr
                                          : const_cast<eap::BYTE*>(attribute.value.data());
    items_.push_back(item);
  }
  array_.dwNumberOfAttributes = static_cast<eap::DWORD>(items_.size());
  array_.pAttribs = items_.empty() ? nullptr : items_.data();
}

Attributes CopyAttributes(const eap::EAP_ATTRIBUTES* attributes) {
  Attributes copy;
  if (attributes == nullptr || attributes->pAttribs == nullptr) return copy;
  eap::DWORD count = attributes->dwNumberOfAttributes;
  if (count > kMaxAttributes) count = kMaxAttributes;
  copy.reserve(count);
  for (eap::DWORD i = 0; i < count; ++i) {
    const eap::EAP_ATTRIBUTE& item = attributes->pAttribs[i];
    Attribute attribute{item.eaType, Bytes()};
    // A null value is an empty attribute whatever dwLength claims.
    if (item.pValue != nullptr && item.dwLength > 0) {
      eap::DWORD length = item.dwLength < kMaxAttributeLength ? item.dwLength : kMaxAttributeLength;
      attribute.value.assign(item.pValue, item.pValue + length);
    }
    copy.push_back(std::move(attribute));
  }
  return copy;
}

}  // namespace eaphost
