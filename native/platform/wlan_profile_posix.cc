// Native Wifi exists only on Windows; NetworkManager profiles are lib/profile's own.
#include "wlan_profile.h"

namespace eaphost {

bool ListWlanInterfaces(std::vector<WlanInterface>*, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "WlanEnumInterfaces", "Native Wifi (wlanapi.dll) exists only on Windows");
  return false;
}

bool SetWlanProfile(const WlanProfileRequest&, std::vector<WlanInterface>*, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "WlanSetProfile", "Native Wifi (wlanapi.dll) exists only on Windows");
  return false;
}

}  // namespace eaphost
