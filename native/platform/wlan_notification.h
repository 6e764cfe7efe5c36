// One Native Wifi notification as the connect path keeps it: copied out of the
// WLAN_NOTIFICATION_DATA inside the callback (whose memory Windows reclaims when the callback
// returns), bounded, and decoded into plain values that cross to JS. The ONEX half is portable
// (native/abi/onex_types.h), so its bounds are the same code on every OS.
//
// Never trusted: every ONEX_VARIABLE_BLOB's dwOffset + dwSize is checked against the
// notification's dwDataSize before a byte is read, offsets counting from the structure that holds
// the blob. A notification that breaks a bound is kept as a problem, never read past.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace eaphost {

struct WlanNotice {
  std::string source;  // 'acm' | 'onex'
  uint32_t code = 0;   // WLAN_NOTIFICATION_DATA.NotificationCode
  std::string name;    // the code's name, e.g. 'connection_complete', 'result_update'
  // ACM connection notifications (WLAN_CONNECTION_NOTIFICATION_DATA)
  bool hasConnection = false;
  std::string profileName;
  uint32_t wlanReasonCode = 0;
  // ONEX result updates (ONEX_RESULT_UPDATE_DATA)
  bool hasOnexStatus = false;
  uint32_t authStatus = 0;  // ONEX_AUTH_STATUS
  uint32_t onexReason = 0;  // ONEX_REASON_CODE
  uint32_t onexError = 0;   // Win32
  bool backendEngaged = false;
  bool hasEapError = false;
  uint32_t eapWinError = 0;
  uint32_t eapReasonCode = 0;  // EAP_E_*
  uint32_t eapType = 0;
  uint32_t eapAuthorId = 0;
  std::string rootCause;  // ONEX_EAP_ERROR's RootCauseString, when it carried one
  std::string repair;
  // ONEX auth restarts: ONEX_AUTH_RESTART_REASON
  bool hasRestartReason = false;
  uint32_t restartReason = 0;
  // What was wrong with a notification whose sizes did not hold together.
  std::string problem;
};

// The longest string copied out of a notification, in UTF-16 units.
constexpr std::size_t kNoticeTextLimit = 1024;

// Reads an ONEX notification (WLAN_NOTIFICATION_SOURCE_ONEX) of `size` bytes at `data` into
// `notice`. A null `data` with a non-zero size, or a structure larger than `size`, sets
// notice->problem and reads nothing further.
void DecodeOnexNotice(uint32_t code, const void* data, uint32_t size, WlanNotice* notice);

}  // namespace eaphost
