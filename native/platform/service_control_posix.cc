// Elsewhere than Windows there is no service control manager (service_control.h).
#include "service_control.h"

namespace eaphost {

namespace {

bool NotHere(const char* call, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, call, std::string(call) + " exists only on Windows");
  return false;
}

}  // namespace

bool ControlWindowsService(const std::u16string&, ServiceAction, uint32_t, ServiceState*, EapErrorInfo* error) {
  return NotHere("OpenSCManagerW", error);
}

bool DeleteAtReboot(const std::u16string&, EapErrorInfo* error) { return NotHere("MoveFileExW", error); }

}  // namespace eaphost
