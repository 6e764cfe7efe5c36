// Native Wifi's entry points, resolved from System32's wlanapi.dll (wlan_profile_win32.cc,
// wlan_connect_win32.cc): never imported, so the addon loads where the Wireless LAN Service is
// absent and says so when asked. Loaded once and kept for the process's life, never
// FreeLibrary'd: Native Wifi may still be finishing a notification callback into the module
// when WlanCloseHandle returns on another thread, and a module unloaded under it would crash.
#pragma once

#include <windows.h>
#include <objbase.h>
#include <wlanapi.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "../common/eap_error_info.h"
#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "../hosts/library_os.h"
#include "wlan_profile.h"

namespace eaphost {
namespace wlan {

// Client version 2: the Vista-and-later API, the one WlanSetProfileEapXmlUserData needs.
inline constexpr DWORD kClientVersion = 2;
// WlanSetProfileEapXmlUserData: the calling user's credentials (not
// WLAN_SET_EAPHOST_DATA_ALL_USERS, which needs an administrator and shares one password).
inline constexpr DWORD kEapUserDataForCaller = 0;

inline std::string Code(DWORD code) { return std::to_string(code); }

// WLAN_INTERFACE_STATE in words.
inline const char* StateName(WLAN_INTERFACE_STATE state) {
  switch (state) {
    case wlan_interface_state_not_ready: return "not ready";
    case wlan_interface_state_connected: return "connected";
    case wlan_interface_state_ad_hoc_network_formed: return "ad hoc network formed";
    case wlan_interface_state_disconnecting: return "disconnecting";
    case wlan_interface_state_disconnected: return "disconnected";
    case wlan_interface_state_associating: return "associating";
    case wlan_interface_state_discovering: return "discovering";
    case wlan_interface_state_authenticating: return "authenticating";
    default: return "unknown";
  }
}

// System32's wlanapi.dll, loaded at the first use and never released (a load that failed is
// tried again at the next use: the service may have been installed since).
inline void* WlanModule(DWORD* code) {
  static std::mutex mutex;
  static void* module = nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  if (module == nullptr) module = library_os::OpenSystemLibrary(L"wlanapi.dll", code);
  return module;
}

// The entry points, resolved from the process's one wlanapi.dll; the client handle is the
// instance's.
class WlanApi {
 public:
  ~WlanApi() { CloseHandle(); }

  // WlanCloseHandle waits for a notification callback in progress: after it nothing calls back.
  void CloseHandle() {
    if (handle_ != nullptr && close_ != nullptr) close_(handle_, nullptr);
    handle_ = nullptr;
  }

  bool Open(EapErrorInfo* error) {
    DWORD code = 0;
    module_ = WlanModule(&code);
    if (module_ == nullptr) {
      *error = HostError(code, "LoadLibraryExW",
                         "wlanapi.dll could not be loaded from System32: Native Wifi is not installed (Server editions without the Wireless LAN Service)");
      return false;
    }
    if (!Find(&open_, "WlanOpenHandle", error) || !Find(&close_, "WlanCloseHandle", error) ||
        !Find(&enum_, "WlanEnumInterfaces", error) || !Find(&free_, "WlanFreeMemory", error) ||
        !Find(&setProfile_, "WlanSetProfile", error) ||
        !Find(&setEapUserData_, "WlanSetProfileEapXmlUserData", error) ||
        !Find(&reasonText_, "WlanReasonCodeToString", error) ||
        !Find(&registerNotification_, "WlanRegisterNotification", error) ||
        !Find(&connect_, "WlanConnect", error) || !Find(&disconnect_, "WlanDisconnect", error) ||
        !Find(&getProfile_, "WlanGetProfile", error) || !Find(&queryInterface_, "WlanQueryInterface", error)) {
      return false;
    }
    DWORD negotiated = 0;
    code = open_(kClientVersion, nullptr, &negotiated, &handle_);
    if (code != ERROR_SUCCESS) {
      handle_ = nullptr;
      *error = HostError(code, "WlanOpenHandle",
                         std::string("the WLAN AutoConfig service did not answer") +
                             (code == ERROR_SERVICE_NOT_ACTIVE ? ": the service is not running" : ""));
      return false;
    }
    return true;
  }

  bool Interfaces(std::vector<std::pair<GUID, WlanInterface>>* out, EapErrorInfo* error) {
    PWLAN_INTERFACE_INFO_LIST list = nullptr;
    DWORD code = enum_(handle_, nullptr, &list);
    if (code != ERROR_SUCCESS) {
      *error = HostError(code, "WlanEnumInterfaces", "the WLAN interfaces could not be listed");
      return false;
    }
    for (DWORD i = 0; list != nullptr && i < list->dwNumberOfItems; ++i) {
      const WLAN_INTERFACE_INFO& info = list->InterfaceInfo[i];
      WlanInterface entry;
      entry.guid = GuidText(info.InterfaceGuid);
      const wchar_t* description = info.strInterfaceDescription;
      std::size_t length = WideLength(reinterpret_cast<const eap::WCHAR*>(description), WLAN_MAX_NAME_LENGTH);
      entry.description = Utf16ToUtf8(std::u16string(description, description + length));
      entry.state = StateName(info.isState);
      out->emplace_back(info.InterfaceGuid, std::move(entry));
    }
    if (list != nullptr) free_(list);
    return true;
  }

  bool SetProfile(const GUID& guid, const std::wstring& xml, const std::string& where, EapErrorInfo* error) {
    DWORD reason = 0;
    DWORD code = setProfile_(handle_, &guid, 0, xml.c_str(), nullptr, TRUE, nullptr, &reason);
    if (code == ERROR_SUCCESS) return true;
    *error = HostError(code, "WlanSetProfile",
                       "Windows refused the WLAN profile on " + where + " (WLAN reason code " + Code(reason) + ": " + ReasonText(reason) + ")");
    error->reasonCode = reason;
    return false;
  }

  bool SetEapUserData(const GUID& guid, const std::wstring& name, const std::wstring& xml, const std::string& where,
                      EapErrorInfo* error) {
    DWORD code = setEapUserData_(handle_, &guid, name.c_str(), kEapUserDataForCaller, xml.c_str(), nullptr);
    if (code == ERROR_SUCCESS) return true;
    *error = HostError(code, "WlanSetProfileEapXmlUserData",
                       "Windows refused the EAP user data for the profile on " + where +
                           (code == ERROR_BAD_PROFILE ? ": the profile is not an 802.1X profile Windows accepted" : ""));
    return false;
  }

  static std::string GuidText(const GUID& guid) {
    wchar_t text[40] = {};
    int length = StringFromGUID2(guid, text, 40);
    if (length <= 1) return std::string();
    return Utf16ToUtf8(std::u16string(text, text + length - 1));
  }

  // The connect path's entry points (wlan_connect_win32.cc), on the same handle.
  HANDLE handle() const { return handle_; }
  decltype(&::WlanRegisterNotification) registerNotification_ = nullptr;
  decltype(&::WlanConnect) connect_ = nullptr;
  decltype(&::WlanDisconnect) disconnect_ = nullptr;
  decltype(&::WlanGetProfile) getProfile_ = nullptr;
  decltype(&::WlanFreeMemory) free_ = nullptr;
  decltype(&::WlanQueryInterface) queryInterface_ = nullptr;

  std::string ReasonText(DWORD reason) const {
    wchar_t text[512] = {};
    if (reasonText_(reason, 512, text, nullptr) != ERROR_SUCCESS) return "no text for it";
    std::size_t length = WideLength(reinterpret_cast<const eap::WCHAR*>(text), 512);
    return Utf16ToUtf8(std::u16string(text, text + length));
  }

 private:
  template <typename Pointer>
  bool Find(Pointer* target, const char* name, EapErrorInfo* error) {
    return library_os::FindTypedExport(module_, "wlanapi.dll", name, target, error);
  }

  void* module_ = nullptr;
  HANDLE handle_ = nullptr;
  decltype(&::WlanOpenHandle) open_ = nullptr;
  decltype(&::WlanCloseHandle) close_ = nullptr;
  decltype(&::WlanEnumInterfaces) enum_ = nullptr;
  decltype(&::WlanSetProfile) setProfile_ = nullptr;
  decltype(&::WlanSetProfileEapXmlUserData) setEapUserData_ = nullptr;
  decltype(&::WlanReasonCodeToString) reasonText_ = nullptr;
};

inline std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// The interface a caller names: its GUID (braces optional, any case) or its description.
inline bool Names(const WlanInterface& entry, const std::string& name) {
  std::string guid = Upper(name);
  if (!guid.empty() && guid.front() != '{') guid = "{" + guid + "}";
  return Upper(entry.guid) == guid || entry.description == name;
}

inline std::wstring Wide(const std::string& utf8) {
  std::u16string text = Utf8ToUtf16(utf8);
  std::wstring wide(text.begin(), text.end());
  SecureZeroContents(text);
  return wide;
}

}  // namespace wlan
}  // namespace eaphost
