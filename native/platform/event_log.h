// Reading a Windows event log channel through the documented event API (wevtapi.dll: EvtQuery,
// EvtNext, EvtRender as XML, EvtClose), for the outcomes Windows writes only there (Wired
// AutoConfig's 802.1X results: docs/WINDOWS-CONTRACT.md). wevtapi.dll is loaded from System32
// when first asked for, never imported, so the addon loads where it is missing; every other OS
// answers with a typed error. Records come back as the event's XML text, bounded in count and
// size, for lib/ to read; nothing here interprets them.
#pragma once

#include <string>
#include <vector>

#include "../common/eap_error_info.h"

namespace eaphost {

// The most records one call returns, and the largest rendering of one record accepted: a
// channel's events are a few kilobytes; a larger one is refused rather than truncated.
constexpr eap::DWORD kMaxEventLogRecords = 1024;
constexpr std::size_t kMaxEventXmlBytes = 1 << 20;

// What to read: the channel (e.g. 'Microsoft-Windows-Wired-AutoConfig/Operational'), an XPath
// event query on it ('*' for every record), newest first or oldest first, and how many at most
// (1..kMaxEventLogRecords).
struct EventLogQuery {
  std::string channel;
  std::string query;
  bool reverse = false;
  eap::DWORD maxEvents = 0;
};

// The channel's records that match the XPath query, oldest first (newest first when reversed),
// at most query.maxEvents of them. A channel that does not exist, a query Windows refuses or an
// oversized record is a failure with the Win32 error and the call that gave it.
bool QueryEventLog(const EventLogQuery& query, std::vector<std::string>* records, EapErrorInfo* error);

}  // namespace eaphost
