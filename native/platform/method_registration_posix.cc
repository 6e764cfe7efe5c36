// No EAPHost registry, no Windows security descriptors here: method registration is Windows'.
#include "method_registration.h"

namespace eaphost {

namespace {

bool NotHere(const char* call, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, call, "registering a method with EAPHost is Windows-only");
  return false;
}

}  // namespace

bool ReadMachineKey(const std::u16string&, bool*, RegistryKeyState*, EapErrorInfo* error) {
  return NotHere("RegOpenKeyExW", error);
}
bool WriteMachineValues(const std::u16string&, const std::vector<RegistryValue>&, EapErrorInfo* error) {
  return NotHere("RegSetValueExW", error);
}
bool DeleteMachineValues(const std::u16string&, const std::vector<std::u16string>&, EapErrorInfo* error) {
  return NotHere("RegDeleteValueW", error);
}
bool DeleteMachineKey(const std::u16string&, EapErrorInfo* error) { return NotHere("RegDeleteKeyExW", error); }
bool ReadFileSecurity(const std::u16string&, FileSecurity*, EapErrorInfo* error) {
  return NotHere("GetNamedSecurityInfoW", error);
}
bool WriteFileSecurity(const std::u16string&, const std::u16string&, EapErrorInfo* error) {
  return NotHere("SetNamedSecurityInfoW", error);
}
bool ReadWindowsPlatform(WindowsPlatform*, EapErrorInfo* error) { return NotHere("IsWow64Process2", error); }

}  // namespace eaphost
