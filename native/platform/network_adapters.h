// The machine's network adapters as Windows names them (GetAdaptersAddresses from System32's
// iphlpapi.dll, loaded when first asked for, never imported): each adapter's friendly name in
// UTF-16 as the user sees it ("Ethernet", "イーサネット", "以太网"), its interface GUID and its
// IF_TYPE. A wired connect turns the name the user gives into the GUID Wired AutoConfig's records
// carry from this list, never from a console program's text, which is in the console's code page.
// The match itself is lib/'s (lib/profile/connect/wired-interface.ts). Elsewhere the call fails with
// ERROR_NOT_SUPPORTED.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../common/eap_error_info.h"

namespace eaphost {

struct NetworkAdapter {
  std::u16string friendlyName;
  std::string guid;     // "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", as AdapterName holds it
  uint32_t ifType = 0;  // IF_TYPE_ETHERNET_CSMACD 6, IF_TYPE_IEEE80211 71, IF_TYPE_SOFTWARE_LOOPBACK 24
};

bool ReadNetworkAdapters(std::vector<NetworkAdapter>* adapters, EapErrorInfo* error);

}  // namespace eaphost
