// Native Wifi exists only on Windows; NetworkManager's connect is lib/profile/connect's own.
#include "wlan_connect.h"

#include "../abi/eap_platform.h"

namespace eaphost {

void RunWlanConnect(const WlanConnectRequest&, WlanConnectControl&, const WlanNoticeSink&, WlanConnectOutcome* out) {
  out->win32Error = eap::kErrorNotSupported;
  out->call = "WlanOpenHandle";
  out->message = "Native Wifi (wlanapi.dll) exists only on Windows";
}

}  // namespace eaphost
