#include "wlan_connect.h"

// The portable EAP types before the SDK's: <wlanapi.h> brings <eaptypes.h>, whose macros would
// otherwise rename them.
#include "../common/eap_error_info.h"
#include "../common/utf16.h"

#include <windows.h>
#include <wlanapi.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wlan_api_win32.h"

namespace eaphost {

namespace {

using wlan::Code;
using wlan::Names;
using wlan::WlanApi;
using wlan::Wide;

const char* AcmName(DWORD code) {
  switch (code) {
    case wlan_notification_acm_connection_start: return "connection_start";
    case wlan_notification_acm_connection_complete: return "connection_complete";
    case wlan_notification_acm_connection_attempt_fail: return "connection_attempt_fail";
    case wlan_notification_acm_disconnecting: return "disconnecting";
    case wlan_notification_acm_disconnected: return "disconnected";
    case wlan_notification_acm_interface_removal: return "interface_removal";
    case wlan_notification_acm_network_not_available: return "network_not_available";
    case wlan_notification_acm_profiles_exhausted: return "profiles_exhausted";
    default: return nullptr;
  }
}

// What the WLAN callback reaches: the attempt's interface and profile, and where its copies go.
// It outlives every callback: the attempt's thread frees it only after unregistering and
// closing the handle.
struct CallbackContext {
  GUID interfaceGuid{};
  std::string profileName;  // ours, as WLAN_CONNECTION_NOTIFICATION_DATA.strProfileName names it
  WlanConnectControl* control = nullptr;
  const WlanNoticeSink* sink = nullptr;
  std::mutex mutex;  // guards the fields below, written from the callback's thread
  bool completed = false;
  DWORD wlanReasonCode = 0;
  uint32_t malformed = 0;
  uint32_t ignored = 0;
  // Another profile's attempt is between its connection_start and its connection_complete: the
  // ONEX notifications (which name no profile) are its, not ours.
  bool otherInFlight = false;
  // Our own connection_start has come: before it, an ONEX notification is an attempt's that
  // started before we registered (an auto-connect in flight), whose start we never saw.
  bool ourStarted = false;
};

void AcmNotice(const WLAN_NOTIFICATION_DATA& data, WlanNotice* notice) {
  notice->source = "acm";
  notice->code = data.NotificationCode;
  const char* name = AcmName(data.NotificationCode);
  notice->name = name != nullptr ? name : "acm_" + std::to_string(data.NotificationCode);
  bool connection = data.NotificationCode == wlan_notification_acm_connection_start ||
                    data.NotificationCode == wlan_notification_acm_connection_complete ||
                    data.NotificationCode == wlan_notification_acm_connection_attempt_fail ||
                    data.NotificationCode == wlan_notification_acm_disconnecting ||
                    data.NotificationCode == wlan_notification_acm_disconnected;
  if (!connection) return;
  // strProfileXml may follow, of any length: only the fixed part is read.
  constexpr DWORD kFixed = offsetof(WLAN_CONNECTION_NOTIFICATION_DATA, strProfileXml);
  if (data.pData == nullptr || data.dwDataSize < kFixed) {
    notice->problem = "WLAN_CONNECTION_NOTIFICATION_DATA needs " + std::to_string(kFixed) +
                      " bytes, the notification has " + std::to_string(data.dwDataSize);
    return;
  }
  WLAN_CONNECTION_NOTIFICATION_DATA fixed;
  std::memcpy(&fixed, data.pData, kFixed);
  notice->hasConnection = true;
  notice->wlanReasonCode = fixed.wlanReasonCode;
  std::size_t length = WideLength(reinterpret_cast<const eap::WCHAR*>(fixed.strProfileName), WLAN_MAX_NAME_LENGTH);
  notice->profileName = Utf16ToUtf8(std::u16string(fixed.strProfileName, fixed.strProfileName + length));
}

// Whether a notice belongs to our attempt, and the bookkeeping of other profiles' attempts. An
// ACM connection notice names its profile; one that could not be read (too short) is kept as
// ours, so its problem is seen. An ONEX notice names none: it is ours unless another profile's
// attempt started and has not completed (Native Wifi runs one attempt on an interface at a time),
// and only once our own connection_start came: one before it is an attempt already in flight.
bool Ours(CallbackContext* context, const WlanNotice& notice) {
  if (notice.source == "acm") {
    if (!notice.hasConnection) return true;
    if (context->profileName.empty() || notice.profileName == context->profileName) {
      if (notice.code == wlan_notification_acm_connection_start) {
        context->otherInFlight = false;
        context->ourStarted = true;
      }
      return true;
    }
    if (notice.code == wlan_notification_acm_connection_start) context->otherInFlight = true;
    if (notice.code == wlan_notification_acm_connection_complete) context->otherInFlight = false;
    return false;
  }
  return context->ourStarted && !context->otherInFlight;
}

// Runs on Native Wifi's thread: copies, hands on what is ours, and returns. It never calls back
// into wlanapi (WlanCloseHandle or WlanRegisterNotification here would deadlock or abort).
void CALLBACK OnNotification(PWLAN_NOTIFICATION_DATA data, PVOID opaque) {
  auto* context = static_cast<CallbackContext*>(opaque);
  if (data == nullptr || context == nullptr) return;
  if (!IsEqualGUID(data->InterfaceGuid, context->interfaceGuid)) return;
  WlanNotice notice;
  if (data->NotificationSource == WLAN_NOTIFICATION_SOURCE_ACM) {
    AcmNotice(*data, &notice);
  } else if (data->NotificationSource == WLAN_NOTIFICATION_SOURCE_ONEX) {
    DecodeOnexNotice(data->NotificationCode, data->pData, data->dwDataSize, &notice);
  } else {
    return;
  }
  bool final = notice.source == "acm" && notice.code == wlan_notification_acm_connection_complete && notice.hasConnection;
  {
    std::lock_guard<std::mutex> lock(context->mutex);
    if (!Ours(context, notice)) {
      ++context->ignored;
      return;
    }
    if (!notice.problem.empty()) ++context->malformed;
    if (final) {
      context->completed = true;
      context->wlanReasonCode = notice.wlanReasonCode;
    }
  }
  (*context->sink)(std::move(notice));
  if (final) context->control->Finish();
}

// The profile name a temporary profile's notifications carry: the WLANProfile's own <name>
// element (the schema's first child), its XML escapes undone. Empty when it cannot be found (the
// attempt then takes every profile's notifications as ours, as before names were matched).
std::string TemporaryProfileName(const std::string& xml) {
  std::size_t root = xml.find("<WLANProfile");
  std::size_t open = root == std::string::npos ? root : xml.find("<name>", root);
  if (open == std::string::npos) return std::string();
  open += 6;
  std::size_t close = xml.find("</name>", open);
  if (close == std::string::npos) return std::string();
  static const struct {
    const char* escape;
    char text;
  } kEscapes[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string name;
  for (std::size_t at = open; at < close;) {
    if (xml[at] != '&') {
      name += xml[at++];
      continue;
    }
    bool known = false;
    for (const auto& entry : kEscapes) {
      std::size_t length = std::strlen(entry.escape);
      if (xml.compare(at, length, entry.escape) == 0) {
        name += entry.text;
        at += length;
        known = true;
        break;
      }
    }
    if (!known) return std::string();  // a character reference: not worth guessing
  }
  return name;
}

// WlanQueryInterface(wlan_intf_opcode_current_connection): the interface's connection now. Any
// error counts as not connected (reports give ERROR_INVALID_STATE for that; the page is silent)
// and is kept raw in the outcome.
void QueryCurrentConnection(WlanApi& api, const GUID& guid, WlanConnectOutcome* out) {
  DWORD size = 0;
  PVOID data = nullptr;
  DWORD code = api.queryInterface_(api.handle(), &guid, wlan_intf_opcode_current_connection, nullptr, &size, &data,
                                   nullptr);
  out->queried = true;
  out->queryError = code;
  if (code != ERROR_SUCCESS) return;
  if (data != nullptr && size >= sizeof(WLAN_CONNECTION_ATTRIBUTES)) {
    const auto* attributes = static_cast<const WLAN_CONNECTION_ATTRIBUTES*>(data);
    out->hasCurrent = true;
    out->currentState = static_cast<uint32_t>(attributes->isState);
    out->currentStateName = wlan::StateName(attributes->isState);
    const wchar_t* name = attributes->strProfileName;
    std::size_t length = WideLength(reinterpret_cast<const eap::WCHAR*>(name), WLAN_MAX_NAME_LENGTH);
    out->currentProfile = Utf16ToUtf8(std::u16string(name, name + length));
  } else {
    out->queryError = ERROR_INVALID_DATA;  // fewer bytes than WLAN_CONNECTION_ATTRIBUTES
  }
  if (data != nullptr) api.free_(data);
}

std::string ProcessSessionNote(WlanConnectOutcome* out) {
  DWORD session = 0;
  if (!ProcessIdToSessionId(GetCurrentProcessId(), &session)) return std::string();
  out->hasSession = true;
  out->session = session;
  return session == 0 ? " (this process runs in session 0, as a service: it has no interactive user)" : "";
}

}  // namespace

void RunWlanConnect(const WlanConnectRequest& args, WlanConnectControl& control, const WlanNoticeSink& sink,
                    WlanConnectOutcome* out) {
  std::string sessionNote = ProcessSessionNote(out);
  EapErrorInfo error;
  WlanApi api;
  std::vector<std::pair<GUID, WlanInterface>> found;
  auto failed = [out](const EapErrorInfo& info) {
    out->win32Error = info.win32Error;
    out->call = info.call;
    out->message = Utf16ToUtf8(info.rootCauseString);
  };
  if (!api.Open(&error) || !api.Interfaces(&found, &error)) return failed(error);
  const std::pair<GUID, WlanInterface>* chosen = nullptr;
  for (const auto& entry : found) {
    if (args.interfaceName.empty() || Names(entry.second, args.interfaceName)) {
      chosen = &entry;
      break;
    }
  }
  if (chosen == nullptr) {
    out->noInterface = true;
    out->win32Error = ERROR_NOT_FOUND;
    out->call = "WlanEnumInterfaces";
    out->message = args.interfaceName.empty() ? "Windows lists no WLAN interface"
                                              : "no WLAN interface named " + args.interfaceName + " (Windows lists " +
                                                    std::to_string(found.size()) + ")";
    return;
  }
  out->interfaceGuid = chosen->second.guid;
  out->interfaceDescription = chosen->second.description;

  auto context = std::make_unique<CallbackContext>();
  context->interfaceGuid = chosen->first;
  context->profileName = args.profileName.empty() ? TemporaryProfileName(args.profileXml) : args.profileName;
  context->control = &control;
  context->sink = &sink;
  // Registered before WlanConnect, so the attempt's first notification cannot be missed.
  DWORD code = api.registerNotification_(api.handle(), WLAN_NOTIFICATION_SOURCE_ACM | WLAN_NOTIFICATION_SOURCE_ONEX,
                                          TRUE, &OnNotification, context.get(), nullptr, nullptr);
  if (code != ERROR_SUCCESS) {
    out->win32Error = code;
    out->call = "WlanRegisterNotification";
    out->message = "Windows refused to send WLAN notifications (Win32 error " + Code(code) + ")";
    return;
  }

  bool temporary = args.profileName.empty();
  std::wstring profile = Wide(temporary ? args.profileXml : args.profileName);
  WLAN_CONNECTION_PARAMETERS parameters{};
  parameters.wlanConnectionMode = temporary ? wlan_connection_mode_temporary_profile : wlan_connection_mode_profile;
  parameters.strProfile = profile.c_str();
  parameters.dot11BssType = dot11_BSS_type_infrastructure;
  code = api.connect_(api.handle(), &chosen->first, &parameters, nullptr);
  if (code != ERROR_SUCCESS) {
    out->win32Error = code;
    out->call = "WlanConnect";
    out->message = "Windows refused to start the connection (Win32 error " + Code(code) + ")";
    if (code == ERROR_INVALID_PARAMETER && !temporary) {
      // A per-user profile is invisible to a process without that user (a service): Windows
      // answers 87, the same as for a malformed request.
      LPWSTR xml = nullptr;
      DWORD flags = 0;
      if (api.getProfile_(api.handle(), &chosen->first, profile.c_str(), nullptr, &xml, &flags, nullptr) ==
          ERROR_SUCCESS) {
        out->perUserProfile = (flags & WLAN_PROFILE_USER) != 0;
        api.free_(xml);
      }
      if (out->perUserProfile) {
        out->message += ": the profile is a per-user one, which a process without that user cannot use; install it for "
                        "all users" + sessionNote;
      }
    }
  } else {
    out->timedOut = !control.WaitFinished(args.timeoutMs) && !control.cancelled();
    out->cancelled = control.cancelled();
    // No connection_complete of ours in time: Windows may send none when the interface is
    // already connected to the profile. Its current connection says.
    if (out->timedOut) {
      QueryCurrentConnection(api, chosen->first, out);
      out->alreadyConnected = out->hasCurrent && out->currentState == wlan_interface_state_connected &&
                              !context->profileName.empty() && out->currentProfile == context->profileName;
    }
    // Not connected in time: stop Windows trying, so the attempt ends with the call.
    if ((out->timedOut && !out->alreadyConnected) || out->cancelled) {
      api.disconnect_(api.handle(), &chosen->first, nullptr);
    }
  }
  // Unregistered and closed here, on the thread that registered, never from the callback; the
  // context outlives both.
  api.registerNotification_(api.handle(), WLAN_NOTIFICATION_SOURCE_NONE, TRUE, nullptr, nullptr, nullptr, nullptr);
  api.CloseHandle();
  std::lock_guard<std::mutex> lock(context->mutex);
  out->completed = context->completed;
  out->wlanReasonCode = context->wlanReasonCode;
  out->malformed = context->malformed;
  out->ignored = context->ignored;
}

}  // namespace eaphost
