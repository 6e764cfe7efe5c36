#include "wlan_profile.h"

#include <windows.h>
#include <objbase.h>
#include <wlanapi.h>

#include <string>

#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "../common/xml_document.h"
#include "../hosts/library_os.h"
#include "wlan_api_win32.h"

namespace eaphost {

namespace {

using wlan::Code;
using wlan::Names;
using wlan::Wide;
using wlan::WlanApi;

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
