// No EAPHost registry, no Windows security descriptors here: method registration is Windows'.
#include "method_registration.h"

namespace eaphost {

namespace {

bool NoRegistry(const char* call, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, call, "registering a method with EAPHost is Windows-only");
  return false;
}

}  // namespace

bool ReadMachineKey(const std::u16string&, bool*, RegistryKeyState*, EapErrorInfo* error) {
  return NoRegistry("RegOpenKeyExW", error);
}
bool WriteMachineValues(const std::u16string&, const std::vector<RegistryValue>&, EapErrorInfo* error) {
  return NoRegistry("RegSetValueExW", error);
}
bool DeleteMachineValues(const std::u16string&, const std::vector<std::u16string>&, EapErrorInfo* error) {
  return NoRegistry("RegDeleteValueW", error);
}
bool DeleteMachineKey(const std::u16string&, EapErrorInfo* error) { return NoRegistry("RegDeleteKeyExW", error); }
bool ReadFileSecurity(const std::u16string&, FileSecurity*, EapErrorInfo* error) {
  return NoRegistry("GetNamedSecurityInfoW", error);
}
bool WriteFileSecurity(const std::u16string&, const std::u16string&, EapErrorInfo* error) {
  return NoRegistry("SetNamedSecurityInfoW", error);
}
bool ReadWindowsPlatform(WindowsPlatform*, EapErrorInfo* error) { return NoRegistry("IsWow64Process2", error); }

}  // namespace eaphost
