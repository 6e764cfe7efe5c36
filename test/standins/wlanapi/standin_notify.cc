#include "standin_notify.h"

#include <cstring>
#include <vector>

#include "standin_ledger.h"
#include "standin_onex.h"

namespace eaphost {
namespace wlan_standin {

namespace {

// One callback, as Native Wifi makes it: the data is the stand-in's and gone once it returns.
void Deliver(const Registration& to, const GUID& interfaceGuid, DWORD source, DWORD code, std::vector<BYTE>* data) {
  if ((to.sources & source) == 0 || to.callback == nullptr) return;
  WLAN_NOTIFICATION_DATA notification{};
  notification.NotificationSource = source;
  notification.NotificationCode = code;
  notification.InterfaceGuid = interfaceGuid;
  notification.dwDataSize = static_cast<DWORD>(data->size());
  notification.pData = data->empty() ? nullptr : data->data();
  SetInCallback(true);
  to.callback(&notification, to.context);
  SetInCallback(false);
  std::memset(data->data(), 0xDD, data->size());  // a reader that kept the pointer reads garbage
}

}  // namespace

void NotifyAcm(const Registration& to, const GUID& interfaceGuid, DWORD code, const std::wstring& profileName,
               DWORD reason) {
  std::vector<BYTE> data(sizeof(WLAN_CONNECTION_NOTIFICATION_DATA), 0);
  WLAN_CONNECTION_NOTIFICATION_DATA fixed{};
  fixed.wlanConnectionMode = wlan_connection_mode_profile;
  std::size_t length = profileName.size() < WLAN_MAX_NAME_LENGTH ? profileName.size() : WLAN_MAX_NAME_LENGTH - 1;
  std::memcpy(fixed.strProfileName, profileName.data(), length * sizeof(wchar_t));
  fixed.dot11BssType = dot11_BSS_type_infrastructure;
  fixed.bSecurityEnabled = TRUE;
  fixed.wlanReasonCode = reason;
  std::memcpy(data.data(), &fixed, sizeof fixed);
  Deliver(to, interfaceGuid, WLAN_NOTIFICATION_SOURCE_ACM, code, &data);
}

void NotifyOnexResult(const Registration& to, const GUID& interfaceGuid, bool final, const ConversationResult& result) {
  std::vector<BYTE> data = OnexResultData(final, result);
  Deliver(to, interfaceGuid, WLAN_NOTIFICATION_SOURCE_ONEX, OnexResultUpdateCode(), &data);
}

}  // namespace wlan_standin
}  // namespace eaphost
