#include "method_catalog.h"

#include "method_error.h"

namespace eaphost {

std::size_t FindMethod(eap::BYTE type) {
  for (std::size_t i = 0; i < kMethodCount; ++i) {
    if (kMethodCatalog[i]->type == type) return i;
  }
  return kMethodCount;
}

const MethodDescriptor& InnerMethod(eap::BYTE type) {
  std::size_t index = FindMethod(type);
  if (index == kMethodCount) {
    throw InternalFailure("the inner EAP type " + Decimal(type) + " is not in this module");
  }
  return *kMethodCatalog[index];
}

std::string DescribeCatalog() {
  std::string text = "types ";
  for (std::size_t i = 0; i < kMethodCount; ++i) {
    if (i != 0) text += i + 1 == kMethodCount ? " and " : ", ";
    text += Decimal(kMethodCatalog[i]->type) + " (" + kMethodCatalog[i]->name + ")";
  }
  return text;
}

}  // namespace eaphost
