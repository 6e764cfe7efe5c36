// Elsewhere than Windows there is no service control manager (service_control.h).
#include "service_control.h"

namespace eaphost {

namespace {

bool NoServiceControl(const char* call, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, call, std::string(call) + " exists only on Windows");
  return false;
}

}  // namespace

bool ControlWindowsService(const std::u16string&, ServiceAction, uint32_t, ServiceState*, EapErrorInfo* error) {
  return NoServiceControl("OpenSCManagerW", error);
}

bool DeleteAtReboot(const std::u16string&, EapErrorInfo* error) { return NoServiceControl("MoveFileExW", error); }

bool ReadPendingRenames(const std::u16string&, bool*, std::vector<uint8_t>*, EapErrorInfo* error) {
  return NoServiceControl("RegQueryValueExW", error);
}

bool WritePendingRenames(const std::u16string&, const std::vector<uint8_t>&, EapErrorInfo* error) {
  return NoServiceControl("RegSetValueExW", error);
}

}  // namespace eaphost
