// POSIX half of the EAPHost seam: there is no system EAPHost and no COM apartment.
#include "eaphost_library.h"

namespace eaphost {

std::unique_ptr<EapHostLibrary> EapHostLibrary::LoadSystem(EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "openEapHost",
                     "the Windows EAPHost (eappprxy.dll) exists only on Windows; use the portable backend");
  return nullptr;
}

ImpersonationToken::~ImpersonationToken() = default;
// No tokens here: the portable EAPHost's methods run as the process.
std::unique_ptr<ImpersonationToken> ImpersonationToken::OfCaller() { return std::make_unique<ImpersonationToken>(); }

bool EnterHostApartment(EapErrorInfo*) { return true; }
void LeaveHostApartment() {}

}  // namespace eaphost
