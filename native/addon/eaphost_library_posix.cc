// POSIX half of the EAPHost seam: there is no system EAPHost and no COM apartment.
#include "eaphost_library.h"

namespace eaphost {

std::unique_ptr<EapHostLibrary> EapHostLibrary::LoadSystem(EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "openEapHost",
                     "the Windows EAPHost (eappprxy.dll) exists only on Windows; use the portable backend");
  return nullptr;
}

bool EnterHostApartment(EapErrorInfo*) { return true; }
void LeaveHostApartment() {}

}  // namespace eaphost
