#include "wlan_profile.h"

#include <windows.h>
#include <objbase.h>
#include <wlanapi.h>

#include <string>

#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "../common/xml_document.h"
#include "../hosts/library_os.h"

namespace eaphost {

namespace {

// Client version 2: the Vista-and-later API, the one WlanSetProfileEapXmlUserData needs.
constexpr DWORD kClientVersion = 2;
// WlanSetProfileEapXmlUserData: the calling user's credentials (not
// WLAN_SET_EAPHOST_DATA_ALL_USERS, which needs an administrator and shares one password).
constexpr DWORD kEapUserDataForCaller = 0;

std::string Code(DWORD code) { return std::to_string(code); }

// The entry points, resolved from System32's wlanapi.dll for one call and released with it.
class WlanApi {
 public:
  ~WlanApi() {
    if (handle_ != nullptr && close_ != nullptr) close_(handle_, nullptr);
    if (module_ != nullptr) library_os::CloseLibrary(module_);
  }

  bool Open(EapErrorInfo* error) {
    DWORD code = 0;
    module_ = library_os::OpenSystemLibrary(L"wlanapi.dll", &code);
    if (module_ == nullptr) {
      *error = HostError(code, "LoadLibraryExW",
                         "wlanapi.dll could not be loaded from System32 (Win32 error " + Code(code) +
                             "): Native Wifi is not installed (Server editions without the Wireless LAN Service)");
      return false;
    }
    if (!Find(&open_, "WlanOpenHandle", error) || !Find(&close_, "WlanCloseHandle", error) ||
        !Find(&enum_, "WlanEnumInterfaces", error) || !Find(&free_, "WlanFreeMemory", error) ||
        !Find(&setProfile_, "WlanSetProfile", error) ||
        !Find(&setEapUserData_, "WlanSetProfileEapXmlUserData", error) ||
        !Find(&reasonText_, "WlanReasonCodeToString", error)) {
      return false;
    }
    DWORD negotiated = 0;
    code = open_(kClientVersion, nullptr, &negotiated, &handle_);
    if (code != ERROR_SUCCESS) {
      handle_ = nullptr;
      *error = HostError(code, "WlanOpenHandle",
                         "the WLAN AutoConfig service did not answer (Win32 error " + Code(code) +
                             (code == ERROR_SERVICE_NOT_ACTIVE ? ": the service is not running" : "") + ")");
      return false;
    }
    return true;
  }

  bool Interfaces(std::vector<std::pair<GUID, WlanInterface>>* out, EapErrorInfo* error) {
    PWLAN_INTERFACE_INFO_LIST list = nullptr;
    DWORD code = enum_(handle_, nullptr, &list);
    if (code != ERROR_SUCCESS) {
      *error = HostError(code, "WlanEnumInterfaces", "the WLAN interfaces could not be listed (Win32 error " + Code(code) + ")");
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
                       "Windows refused the WLAN profile on " + where + " (Win32 error " + Code(code) +
                           ", WLAN reason code " + Code(reason) + ": " + ReasonText(reason) + ")");
    error->reasonCode = reason;
    return false;
  }

  bool SetEapUserData(const GUID& guid, const std::wstring& name, const std::wstring& xml, const std::string& where,
                      EapErrorInfo* error) {
    DWORD code = setEapUserData_(handle_, &guid, name.c_str(), kEapUserDataForCaller, xml.c_str(), nullptr);
    if (code == ERROR_SUCCESS) return true;
    *error = HostError(code, "WlanSetProfileEapXmlUserData",
                       "Windows refused the EAP user data for the profile on " + where + " (Win32 error " + Code(code) +
                           (code == ERROR_BAD_PROFILE ? ": the profile is not an 802.1X profile Windows accepted" : "") +
                           ")");
    return false;
  }

  static std::string GuidText(const GUID& guid) {
    wchar_t text[40] = {};
    int length = StringFromGUID2(guid, text, 40);
    if (length <= 1) return std::string();
    return Utf16ToUtf8(std::u16string(text, text + length - 1));
  }

 private:
  template <typename Pointer>
  bool Find(Pointer* target, const char* name, EapErrorInfo* error) {
    *target = reinterpret_cast<Pointer>(library_os::FindExport(module_, name));
    if (*target != nullptr) return true;
    *error = HostError(ERROR_PROC_NOT_FOUND, "GetProcAddress", std::string("wlanapi.dll has no ") + name);
    return false;
  }

  std::string ReasonText(DWORD reason) const {
    wchar_t text[512] = {};
    if (reasonText_(reason, 512, text, nullptr) != ERROR_SUCCESS) return "no text for it";
    std::size_t length = WideLength(reinterpret_cast<const eap::WCHAR*>(text), 512);
    return Utf16ToUtf8(std::u16string(text, text + length));
  }

  static const char* StateName(WLAN_INTERFACE_STATE state) {
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

  void* module_ = nullptr;
  HANDLE handle_ = nullptr;
  decltype(&::WlanOpenHandle) open_ = nullptr;
  decltype(&::WlanCloseHandle) close_ = nullptr;
  decltype(&::WlanEnumInterfaces) enum_ = nullptr;
  decltype(&::WlanFreeMemory) free_ = nullptr;
  decltype(&::WlanSetProfile) setProfile_ = nullptr;
  decltype(&::WlanSetProfileEapXmlUserData) setEapUserData_ = nullptr;
  decltype(&::WlanReasonCodeToString) reasonText_ = nullptr;
};

std::wstring Wide(const std::string& utf8) {
  std::u16string text = Utf8ToUtf16(utf8);
  std::wstring wide(text.begin(), text.end());
  SecureZeroContents(text);
  return wide;
}

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// The interface a caller names: its GUID (braces optional, any case) or its description.
bool Names(const WlanInterface& entry, const std::string& name) {
  std::string guid = Upper(name);
  if (!guid.empty() && guid.front() != '{') guid = "{" + guid + "}";
  return Upper(entry.guid) == guid || entry.description == name;
}

}  // namespace

bool ListWlanInterfaces(std::vector<WlanInterface>* interfaces, EapErrorInfo* error) {
  WlanApi api;
  std::vector<std::pair<GUID, WlanInterface>> found;
  if (!api.Open(error) || !api.Interfaces(&found, error)) return false;
  for (auto& entry : found) interfaces->push_back(std::move(entry.second));
  return true;
}

bool SetWlanProfile(const WlanProfileRequest& request, std::vector<WlanInterface>* installed, EapErrorInfo* error) {
  // Windows parses the profile with MSXML too; refusing malformed text here names the parser's
  // reason, where WlanSetProfile would answer only ERROR_BAD_PROFILE.
  std::string problem;
  eap::IXMLDOMDocument2* document = xml::MakeDocument(request.profileXml, &problem);
  if (document == nullptr) {
    *error = HostError(ERROR_BAD_PROFILE, "IXMLDOMDocument2::loadXML", "the WLAN profile is not well-formed XML: " + problem);
    return false;
  }
  document->Release();

  WlanApi api;
  std::vector<std::pair<GUID, WlanInterface>> found;
  if (!api.Open(error) || !api.Interfaces(&found, error)) return false;
  std::vector<std::pair<GUID, WlanInterface>> chosen;
  for (auto& entry : found) {
    if (request.interfaceName.empty() || Names(entry.second, request.interfaceName)) chosen.push_back(entry);
  }
  if (chosen.empty()) {
    *error = HostError(ERROR_NOT_FOUND, "WlanEnumInterfaces",
                       request.interfaceName.empty()
                           ? "no WLAN interface: Windows lists none to set the profile on"
                           : "no WLAN interface named " + request.interfaceName + " (Windows lists " +
                                 std::to_string(found.size()) + ")");
    return false;
  }
  std::wstring profile = Wide(request.profileXml);
  std::wstring name = Wide(request.profileName);
  std::wstring userData = Wide(request.eapUserDataXml);
  WipeOnExit<std::wstring> wipeUserData(userData);
  for (const auto& entry : chosen) {
    std::string where = entry.second.description + " " + entry.second.guid;
    if (!api.SetProfile(entry.first, profile, where, error)) return false;
    if (!userData.empty() && !api.SetEapUserData(entry.first, name, userData, where, error)) return false;
    installed->push_back(entry.second);
  }
  return true;
}

}  // namespace eaphost
