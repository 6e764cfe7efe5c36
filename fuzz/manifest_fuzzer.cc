// The method manifest reader: the strict JSON parser and the manifest's own checks, on
// arbitrary text (the portable EAPHost reads this file from disk at every GetMethods).
#include <string>

#include "../native/method_registry/method_registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  eaphost::MethodRegistry registry;
  eaphost::EapErrorInfo error;
  eaphost::MethodRegistry::ParseManifest(text, "fuzz.json", "/nonexistent", &registry, &error);
  return 0;
}
