// The ONEX half of the stand-in's notifications: an ONEX_RESULT_UPDATE_DATA with its
// ONEX_EAP_ERROR and strings, laid out by native/abi/onex_types.h (dot1x.h's layouts), and the
// reason codes of a failed attempt. Apart from wlanapi.h, which cannot share a file with
// native/abi's EAP declarations.
#pragma once

#include <windows.h>

#include <vector>

#include "standin_conversation.h"

namespace eaphost {
namespace wlan_standin {

// The reason code connection_complete and the ONEX status carry for `result`
// (L2_REASON_CODE_SUCCESS on success).
DWORD CompletionReason(const ConversationResult& result);

// The data of one OneXNotificationTypeResultUpdate: in progress (`final` false), or the
// conversation's verdict with the peer's EAP error when it gave one.
std::vector<BYTE> OnexResultData(bool final, const ConversationResult& result);

// OneXNotificationTypeResultUpdate, the NotificationCode of the data above.
DWORD OnexResultUpdateCode();

}  // namespace wlan_standin
}  // namespace eaphost
