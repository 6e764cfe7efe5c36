// Value types every host and the addon share: owned bytes and owned EAP attributes, and the
// view that passes attributes into the ABI (method_attributes.cc).
#pragma once

#include <cstdint>
#include <vector>

#include "../abi/eap_method_abi.h"

namespace eaphost {

using Bytes = std::vector<std::uint8_t>;

struct Attribute {  // owned copy of an EAP_ATTRIBUTE
  eap::EAP_ATTRIBUTE_TYPE type;
  Bytes value;
};
using Attributes = std::vector<Attribute>;

// Owned view for passing Attributes into the ABI; valid while `source` lives.
class AttributeArray {
 public:
  explicit AttributeArray(const Attributes& source);
  const eap::EAP_ATTRIBUTES* get() const { return &array_; }
  // EapPeerSetResponseAttributes takes the array as writable (the SDK's declaration).
  eap::EAP_ATTRIBUTES* get() { return &array_; }

 private:
  std::vector<eap::EAP_ATTRIBUTE> items_;
  eap::EAP_ATTRIBUTES array_{};
};
Attributes CopyAttributes(const eap::EAP_ATTRIBUTES* attributes);

}  // namespace eaphost
