// Windows' Native Wifi profiles (wlanapi.dll): the interfaces the WLAN AutoConfig service
// manages, and a WLAN profile (with the user's EAP credentials) set on them. wlanapi.dll is
// loaded from System32 when first asked for, never imported: Server editions without the
// Wireless LAN Service, and every other OS, answer with a typed error instead of failing to
// load the addon. Nothing here runs unless a caller asks to install a profile.
#pragma once

#include <string>
#include <vector>

#include "../common/eap_error_info.h"
#include "../common/secure_zero.h"

namespace eaphost {

struct WlanInterface {
  std::string guid;  // "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}", as Windows prints it
  std::string description;
  std::string state;  // WLAN_INTERFACE_STATE: "connected", "disconnected", ...
};

// The profile (a WLANProfile document and its name), its EAP user data (an
// EapHostUserCredentials document, or empty; holds secrets, wiped with the request), and the one
// interface to set it on (empty: every one).
struct WlanProfileRequest {
  std::string profileXml;
  std::string profileName;
  std::string eapUserDataXml;
  std::string interfaceName;

  WlanProfileRequest() = default;
  WlanProfileRequest(const WlanProfileRequest&) = delete;
  WlanProfileRequest& operator=(const WlanProfileRequest&) = delete;
  ~WlanProfileRequest() { SecureZeroContents(eapUserDataXml); }
};

bool ListWlanInterfaces(std::vector<WlanInterface>* interfaces, EapErrorInfo* error);

// Sets the profile (overwriting one of the same name) for all users on each chosen interface,
// then the EAP user data for the calling user. The first failure stops it, with the Win32 error
// and, for WlanSetProfile, the WLAN_REASON_CODE and Windows' text for it. No interface to set
// it on is a failure (ERROR_NOT_FOUND), never a silent success.
bool SetWlanProfile(const WlanProfileRequest& request, std::vector<WlanInterface>* installed, EapErrorInfo* error);

}  // namespace eaphost
