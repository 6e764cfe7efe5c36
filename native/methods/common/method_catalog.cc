#include "method_catalog.h"

#include "../gtc/gtc_method.h"
#include "../md5/md5_method.h"
#include "../mschapv2/mschapv2_method.h"
#include "method_error.h"

namespace eaphost {

const MethodDescriptor* const kMethodCatalog[kMethodCount] = {
    &md5::kDescriptor,
    &gtc::kDescriptor,
    &mschapv2::kDescriptor,
};

std::size_t FindMethod(eap::BYTE type) {
  for (std::size_t i = 0; i < kMethodCount; ++i) {
    if (kMethodCatalog[i]->type == type) return i;
  }
  return kMethodCount;
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
