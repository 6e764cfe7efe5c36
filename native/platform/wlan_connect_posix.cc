// Native Wifi exists only on Windows; NetworkManager's connect is lib/profile/connect's own.
#include "wlan_connect.h"

namespace eaphost {

void RunWlanConnect(const WlanConnectArgs&, WlanConnectControl&, const WlanNoticeSink&, WlanConnectOutcome* out) {
  out->win32Error = eap::kErrorNotSupported;
  out->call = "WlanOpenHandle";
  out->message = "Native Wifi (wlanapi.dll) exists only on Windows";
}

}  // namespace eaphost
