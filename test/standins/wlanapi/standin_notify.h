// The notifications of one stand-in connection attempt, built with Windows' layouts
// (wlanapi.h's WLAN_CONNECTION_NOTIFICATION_DATA; dot1x.h's ONEX structures through
// native/abi/onex_types.h) and delivered on the attempt's own thread, as Native Wifi delivers
// them on a thread of its own.
#pragma once

#include <windows.h>
#include <wlanapi.h>

#include <string>

#include "standin_conversation.h"

namespace eaphost {
namespace wlan_standin {

struct Registration {
  DWORD sources = WLAN_NOTIFICATION_SOURCE_NONE;
  WLAN_NOTIFICATION_CALLBACK callback = nullptr;
  PVOID context = nullptr;
};

void NotifyAcm(const Registration& to, const GUID& interfaceGuid, DWORD code, const std::wstring& profileName,
               DWORD reason);
// An ONEX result update: in progress (`final` false), or the conversation's verdict.
void NotifyOnexResult(const Registration& to, const GUID& interfaceGuid, bool final, const ConversationResult& result);

}  // namespace wlan_standin
}  // namespace eaphost
