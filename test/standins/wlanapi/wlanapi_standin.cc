// A stand-in for Windows' wlanapi.dll (Native Wifi), for the Wine lane only: installed in the
// prefix's System32 with the override wlanapi=n (scripts/wine/lib.sh install_standin), so the
// addon's own loading path (wlan_api_win32.h) reaches it as it reaches Windows' DLL.
//
// Without EAPHOST_WLAN_STANDIN in the environment it answers as Wine's own wlanapi.dll does: a
// handle opens, no interface is listed, the profile calls are not implemented. With it, the
// file it names (standin_network.h) gives one interface whose WlanConnect runs a real EAP
// conversation (standin_conversation.h) and reports it as Native Wifi's ACM and ONEX
// notifications (standin_notify.h). The same file may script what Windows does around an
// attempt (another profile's attempt first, an interface connected already) and name a record
// file of the calls made (standin_network.h). It is never shipped and never built into a
// prebuild.
//
// What it keeps of Windows' contract, it enforces: a handle used after WlanCloseHandle,
// WlanCloseHandle from inside the notification callback, memory WlanFreeMemory did not give, a
// non-null reserved argument: each aborts the process with the call's name on stderr.
#include <windows.h>
#include <wlanapi.h>

#include <cstddef>
#include <cwchar>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "../../../native/common/secure_zero.h"
#include "standin_conversation.h"
#include "standin_ledger.h"
#include "standin_notify.h"
#include "standin_onex.h"
#include "standin_store.h"

using eaphost::wlan_standin::CheckClient;
using eaphost::wlan_standin::NetworkInterface;
using eaphost::wlan_standin::Registration;
using eaphost::wlan_standin::TheInterface;
using eaphost::wlan_standin::Violation;
namespace ledger = eaphost::wlan_standin;
namespace standin = eaphost::wlan_standin;

namespace {

// The client versions Windows negotiates: 1 (XP SP2/SP3's API) and 2 (Vista and later).
constexpr DWORD kHighestClientVersion = 2;

void NoReserved(const char* call, const void* reserved) {
  if (reserved != nullptr) Violation(call, "pReserved must be NULL");
}

struct ReasonText {
  DWORD code;
  const wchar_t* text;
};

// The reason codes the stand-in gives (l2cmn.h / wlanapi.h values; Debian's mingw-w64 names
// none of them), in its own words.
constexpr ReasonText kReasonTexts[] = {
    {0, L"The operation succeeded."},                                   // L2_REASON_CODE_SUCCESS
    {0x80001, L"The profile is invalid according to the schema."},  // WLAN_REASON_CODE_INVALID_PROFILE_SCHEMA
    {0x50003, L"The 802.1X authentication needed the user, and no user interface is allowed."},  // ONEX_UI_DISABLED
    {0x50005, L"The 802.1X authentication failed: the network sent an EAP-Failure."},  // ONEX_EAP_FAILURE_RECEIVED
};

// Each client's notification registration and its attempt's thread. The thread is joined
// before the registration changes and before the handle closes: after either, nothing calls back.
struct Client {
  Registration registration;
  std::thread attempt;
};
std::mutex clientsMutex;
std::map<HANDLE, Client>& Clients() {
  static auto* clients = new std::map<HANDLE, Client>();
  return *clients;
}

void JoinAttempt(HANDLE handle) {
  std::thread attempt;
  {
    std::lock_guard<std::mutex> lock(clientsMutex);
    auto found = Clients().find(handle);
    if (found == Clients().end()) return;
    attempt = std::move(found->second.attempt);
  }
  if (attempt.joinable()) attempt.join();
}

bool OurInterface(const NetworkInterface& network, const GUID* guid) {
  return guid != nullptr && IsEqualGUID(*guid, network.guid);
}

// The profile's EapHostConfig element, as the 802.1X service hands it to EAPHost.
std::wstring EapHostConfig(const std::wstring& profile) {
  std::size_t start = profile.find(L"<EapHostConfig");
  std::size_t end = profile.find(L"</EapHostConfig>");
  if (start == std::wstring::npos || end == std::wstring::npos || end < start) return std::wstring();
  return profile.substr(start, end + 16 - start);
}

// Another profile's attempt, as an auto-connect already in flight reports it: its start (unless
// it started before the client registered), its final ONEX result (which names no profile), then
// its end with `reason`.
void ReportOtherAttempt(const Registration& to, const GUID& interfaceGuid, const std::wstring& name, DWORD reason,
                        bool startSeen) {
  if (startSeen) NotifyAcm(to, interfaceGuid, wlan_notification_acm_connection_start, name, 0);
  standin::ConversationResult other;
  other.success = reason == 0;
  other.eapFailureReceived = reason == 0x50005;  // ONEX_EAP_FAILURE_RECEIVED
  NotifyOnexResult(to, interfaceGuid, true, other);
  if (reason != 0) NotifyAcm(to, interfaceGuid, wlan_notification_acm_connection_attempt_fail, name, reason);
  NotifyAcm(to, interfaceGuid, wlan_notification_acm_connection_complete, name, reason);
}

void RunAttempt(Registration to, GUID interfaceGuid, std::wstring autoConnect, DWORD autoConnectReason,
                bool autoConnectStartSeen, std::wstring name, std::wstring profile, std::wstring userData) {
  if (!autoConnect.empty()) ReportOtherAttempt(to, interfaceGuid, autoConnect, autoConnectReason, autoConnectStartSeen);
  standin::SetCurrentConnection(std::wstring());
  NotifyAcm(to, interfaceGuid, wlan_notification_acm_connection_start, name, 0);
  standin::ConversationResult progress;
  NotifyOnexResult(to, interfaceGuid, false, progress);
  standin::ConversationResult result = standin::RunConversation(EapHostConfig(profile), userData);
  NotifyOnexResult(to, interfaceGuid, true, result);
  DWORD reason = standin::CompletionReason(result);
  if (!result.success) NotifyAcm(to, interfaceGuid, wlan_notification_acm_connection_attempt_fail, name, reason);
  if (result.success) standin::SetCurrentConnection(name);
  NotifyAcm(to, interfaceGuid, wlan_notification_acm_connection_complete, name, reason);
  eaphost::SecureZeroContents(userData);
}

}  // namespace

extern "C" {

DWORD WINAPI WlanOpenHandle(DWORD dwClientVersion, PVOID pReserved, PDWORD pdwNegotiatedVersion,
                            PHANDLE phClientHandle) {
  NoReserved("WlanOpenHandle", pReserved);
  if (pdwNegotiatedVersion == nullptr || phClientHandle == nullptr) return ERROR_INVALID_PARAMETER;
  if (dwClientVersion == 0 || dwClientVersion > kHighestClientVersion) return ERROR_NOT_SUPPORTED;
  standin::Record("WlanOpenHandle " + std::to_string(dwClientVersion));
  *pdwNegotiatedVersion = dwClientVersion;
  *phClientHandle = ledger::OpenClient();
  return ERROR_SUCCESS;
}

DWORD WINAPI WlanCloseHandle(HANDLE hClientHandle, PVOID pReserved) {
  NoReserved("WlanCloseHandle", pReserved);
  if (ledger::InCallback()) Violation("WlanCloseHandle", "called from inside a notification callback");
  CheckClient("WlanCloseHandle", hClientHandle);
  JoinAttempt(hClientHandle);
  {
    std::lock_guard<std::mutex> lock(clientsMutex);
    Clients().erase(hClientHandle);
  }
  ledger::CloseClient("WlanCloseHandle", hClientHandle);
  return ERROR_SUCCESS;
}

PVOID WINAPI WlanAllocateMemory(DWORD dwMemorySize) { return ledger::Allocate(dwMemorySize); }

VOID WINAPI WlanFreeMemory(PVOID pMemory) { ledger::Free(pMemory); }

DWORD WINAPI WlanEnumInterfaces(HANDLE hClientHandle, PVOID pReserved, PWLAN_INTERFACE_INFO_LIST* ppInterfaceList) {
  NoReserved("WlanEnumInterfaces", pReserved);
  CheckClient("WlanEnumInterfaces", hClientHandle);
  if (ppInterfaceList == nullptr) return ERROR_INVALID_PARAMETER;
  // The SDK declares InterfaceInfo[1], mingw-w64 InterfaceInfo[]: room for one entry either way.
  auto* list = static_cast<PWLAN_INTERFACE_INFO_LIST>(
      ledger::Allocate(offsetof(WLAN_INTERFACE_INFO_LIST, InterfaceInfo) + sizeof(WLAN_INTERFACE_INFO)));
  if (list == nullptr) return ERROR_NOT_ENOUGH_MEMORY;
  if (std::shared_ptr<const NetworkInterface> network = TheInterface()) {
    list->dwNumberOfItems = 1;
    WLAN_INTERFACE_INFO& info = list->InterfaceInfo[0];
    info.InterfaceGuid = network->guid;
    std::size_t length = network->description.size() < WLAN_MAX_NAME_LENGTH ? network->description.size()
                                                                            : WLAN_MAX_NAME_LENGTH - 1;
    std::wmemcpy(info.strInterfaceDescription, network->description.data(), length);
    info.isState = wlan_interface_state_disconnected;
  }
  *ppInterfaceList = list;
  return ERROR_SUCCESS;
}

DWORD WINAPI WlanSetProfile(HANDLE hClientHandle, const GUID* pInterfaceGuid, DWORD dwFlags, LPCWSTR strProfileXml,
                            LPCWSTR strAllUserProfileSecurity, BOOL bOverwrite, PVOID pReserved,
                            DWORD* pdwReasonCode) {
  (void)strAllUserProfileSecurity;
  NoReserved("WlanSetProfile", pReserved);
  CheckClient("WlanSetProfile", hClientHandle);
  if (pdwReasonCode != nullptr) *pdwReasonCode = 0;  // L2_REASON_CODE_SUCCESS
  std::shared_ptr<const NetworkInterface> network = TheInterface();
  if (network == nullptr) return ERROR_CALL_NOT_IMPLEMENTED;
  if (!OurInterface(*network, pInterfaceGuid) || strProfileXml == nullptr || pdwReasonCode == nullptr) {
    return ERROR_INVALID_PARAMETER;
  }
  std::wstring name = standin::ProfileName(strProfileXml);
  standin::Record("WlanSetProfile " + std::to_string(dwFlags) + " " + standin::Narrow(name));
  if (name.empty() || EapHostConfig(strProfileXml).empty()) {
    *pdwReasonCode = 0x80001;  // WLAN_REASON_CODE_INVALID_PROFILE_SCHEMA
    return ERROR_BAD_PROFILE;
  }
  standin::StoredProfile existing;
  if (!bOverwrite && standin::FindProfile(name, &existing)) return ERROR_ALREADY_EXISTS;
  standin::StoreProfile(name, strProfileXml);
  return ERROR_SUCCESS;
}

DWORD WINAPI WlanGetProfile(HANDLE hClientHandle, const GUID* pInterfaceGuid, LPCWSTR strProfileName, PVOID pReserved,
                            LPWSTR* pstrProfileXml, DWORD* pdwFlags, PDWORD pdwGrantedAccess) {
  NoReserved("WlanGetProfile", pReserved);
  CheckClient("WlanGetProfile", hClientHandle);
  if (pstrProfileXml == nullptr) return ERROR_INVALID_PARAMETER;
  std::shared_ptr<const NetworkInterface> network = TheInterface();
  standin::StoredProfile stored;
  if (network == nullptr || !OurInterface(*network, pInterfaceGuid) || strProfileName == nullptr ||
      !standin::FindProfile(strProfileName, &stored)) {
    return ERROR_NOT_FOUND;
  }
  auto* xml = static_cast<wchar_t*>(ledger::Allocate((stored.xml.size() + 1) * sizeof(wchar_t)));
  if (xml == nullptr) return ERROR_NOT_ENOUGH_MEMORY;
  std::wmemcpy(xml, stored.xml.c_str(), stored.xml.size() + 1);
  *pstrProfileXml = xml;
  if (pdwFlags != nullptr) *pdwFlags = 0;  // an all-user profile
  if (pdwGrantedAccess != nullptr) *pdwGrantedAccess = STANDARD_RIGHTS_READ | FILE_READ_DATA;  // WLAN_READ_ACCESS
  eaphost::SecureZeroContents(stored.eapUserData);
  return ERROR_SUCCESS;
}

DWORD WINAPI WlanSetProfileEapXmlUserData(HANDLE hClientHandle, const GUID* pInterfaceGuid, LPCWSTR strProfileName,
                                          DWORD dwFlags, LPCWSTR strEapXmlUserData, PVOID pReserved) {
  NoReserved("WlanSetProfileEapXmlUserData", pReserved);
  CheckClient("WlanSetProfileEapXmlUserData", hClientHandle);
  std::shared_ptr<const NetworkInterface> network = TheInterface();
  if (network == nullptr) return ERROR_CALL_NOT_IMPLEMENTED;
  // The flags raw (0: the calling user; 1 WLAN_SET_EAPHOST_DATA_ALL_USERS), then the profile.
  standin::Record("WlanSetProfileEapXmlUserData " + std::to_string(dwFlags) + " " +
                  standin::Narrow(strProfileName != nullptr ? strProfileName : L""));
  if (!OurInterface(*network, pInterfaceGuid) || strProfileName == nullptr || strEapXmlUserData == nullptr) {
    return ERROR_INVALID_PARAMETER;
  }
  return standin::StoreEapUserData(strProfileName, strEapXmlUserData) ? ERROR_SUCCESS : ERROR_NOT_FOUND;
}

DWORD WINAPI WlanReasonCodeToString(DWORD dwReasonCode, DWORD dwBufferSize, PWCHAR pStringBuffer, PVOID pReserved) {
  NoReserved("WlanReasonCodeToString", pReserved);
  if (pStringBuffer == nullptr || dwBufferSize == 0) return ERROR_INVALID_PARAMETER;
  for (const ReasonText& entry : kReasonTexts) {
    if (entry.code != dwReasonCode) continue;
    std::size_t length = std::wcslen(entry.text);
    if (length >= dwBufferSize) return ERROR_INSUFFICIENT_BUFFER;
    std::wmemcpy(pStringBuffer, entry.text, length + 1);
    return ERROR_SUCCESS;
  }
  return ERROR_NOT_FOUND;
}

DWORD WINAPI WlanRegisterNotification(HANDLE hClientHandle, DWORD dwNotifSource, BOOL bIgnoreDuplicate,
                                      WLAN_NOTIFICATION_CALLBACK funcCallback, PVOID pCallbackContext,
                                      PVOID pReserved, PDWORD pdwPrevNotifSource) {
  (void)bIgnoreDuplicate;
  NoReserved("WlanRegisterNotification", pReserved);
  if (ledger::InCallback()) Violation("WlanRegisterNotification", "called from inside a notification callback");
  CheckClient("WlanRegisterNotification", hClientHandle);
  if (dwNotifSource != WLAN_NOTIFICATION_SOURCE_NONE && funcCallback == nullptr) return ERROR_INVALID_PARAMETER;
  JoinAttempt(hClientHandle);
  std::lock_guard<std::mutex> lock(clientsMutex);
  Registration& registration = Clients()[hClientHandle].registration;
  if (pdwPrevNotifSource != nullptr) *pdwPrevNotifSource = registration.sources;
  registration = dwNotifSource == WLAN_NOTIFICATION_SOURCE_NONE ? Registration{}
                                                                : Registration{dwNotifSource, funcCallback, pCallbackContext};
  return ERROR_SUCCESS;
}

DWORD WINAPI WlanConnect(HANDLE hClientHandle, const GUID* pInterfaceGuid,
                         const PWLAN_CONNECTION_PARAMETERS pConnectionParameters, PVOID pReserved) {
  NoReserved("WlanConnect", pReserved);
  CheckClient("WlanConnect", hClientHandle);
  std::shared_ptr<const NetworkInterface> network = TheInterface();
  if (network == nullptr) return ERROR_NOT_FOUND;
  if (!OurInterface(*network, pInterfaceGuid) || pConnectionParameters == nullptr ||
      pConnectionParameters->strProfile == nullptr) {
    return ERROR_INVALID_PARAMETER;
  }
  standin::StoredProfile stored;
  std::wstring name;
  if (pConnectionParameters->wlanConnectionMode == wlan_connection_mode_profile) {
    name = pConnectionParameters->strProfile;
    // Windows answers an unknown profile name with ERROR_INVALID_PARAMETER too.
    if (!standin::FindProfile(name, &stored)) return ERROR_INVALID_PARAMETER;
  } else if (pConnectionParameters->wlanConnectionMode == wlan_connection_mode_temporary_profile) {
    stored.xml = pConnectionParameters->strProfile;
    name = standin::ProfileName(stored.xml);
    if (EapHostConfig(stored.xml).empty()) return ERROR_BAD_PROFILE;
  } else {
    return ERROR_INVALID_PARAMETER;
  }
  // The mode raw (0 wlan_connection_mode_profile, 1 temporary_profile), then the profile.
  standin::Record("WlanConnect " + std::to_string(static_cast<int>(pConnectionParameters->wlanConnectionMode)) + " " +
                  standin::Narrow(name));
  JoinAttempt(hClientHandle);
  // Connected to that profile already: Windows may report nothing at all, and here nothing is.
  if (network->silent || (!name.empty() && standin::CurrentConnection() == name)) {
    eaphost::SecureZeroContents(stored.eapUserData);
    return ERROR_SUCCESS;
  }
  std::lock_guard<std::mutex> lock(clientsMutex);
  Client& client = Clients()[hClientHandle];
  client.attempt = std::thread(RunAttempt, client.registration, network->guid, network->autoConnectProfile,
                               network->autoConnectReason, network->autoConnectStartSeen, std::move(name),
                               std::move(stored.xml),
                               std::move(stored.eapUserData));
  return ERROR_SUCCESS;
}

DWORD WINAPI WlanDisconnect(HANDLE hClientHandle, const GUID* pInterfaceGuid, PVOID pReserved) {
  NoReserved("WlanDisconnect", pReserved);
  CheckClient("WlanDisconnect", hClientHandle);
  std::shared_ptr<const NetworkInterface> network = TheInterface();
  if (network == nullptr) return ERROR_NOT_FOUND;
  if (!OurInterface(*network, pInterfaceGuid)) return ERROR_INVALID_PARAMETER;
  standin::Record("WlanDisconnect");
  // The stand-in's attempt runs to its end on its own; the interface is left disconnected.
  standin::SetCurrentConnection(std::wstring());
  return ERROR_SUCCESS;
}

DWORD WINAPI WlanQueryInterface(HANDLE hClientHandle, const GUID* pInterfaceGuid, WLAN_INTF_OPCODE OpCode,
                                PVOID pReserved, PDWORD pdwDataSize, PVOID* ppData,
                                PWLAN_OPCODE_VALUE_TYPE pWlanOpcodeValueType) {
  NoReserved("WlanQueryInterface", pReserved);
  CheckClient("WlanQueryInterface", hClientHandle);
  if (pdwDataSize == nullptr || ppData == nullptr) return ERROR_INVALID_PARAMETER;
  std::shared_ptr<const NetworkInterface> network = TheInterface();
  if (network == nullptr) return ERROR_NOT_FOUND;
  if (!OurInterface(*network, pInterfaceGuid)) return ERROR_INVALID_PARAMETER;
  standin::Record("WlanQueryInterface " + std::to_string(static_cast<int>(OpCode)));
  // Only the current connection is answered; as Windows, ERROR_INVALID_STATE when not connected.
  if (OpCode != wlan_intf_opcode_current_connection) return ERROR_NOT_SUPPORTED;
  std::wstring profile = standin::CurrentConnection();
  if (profile.empty()) return ERROR_INVALID_STATE;
  auto* attributes = static_cast<PWLAN_CONNECTION_ATTRIBUTES>(ledger::Allocate(sizeof(WLAN_CONNECTION_ATTRIBUTES)));
  if (attributes == nullptr) return ERROR_NOT_ENOUGH_MEMORY;
  attributes->isState = wlan_interface_state_connected;
  attributes->wlanConnectionMode = wlan_connection_mode_profile;
  std::size_t length = profile.size() < WLAN_MAX_NAME_LENGTH ? profile.size() : WLAN_MAX_NAME_LENGTH - 1;
  std::wmemcpy(attributes->strProfileName, profile.data(), length);
  attributes->wlanAssociationAttributes.dot11BssType = dot11_BSS_type_infrastructure;
  attributes->wlanSecurityAttributes.bSecurityEnabled = TRUE;
  attributes->wlanSecurityAttributes.bOneXEnabled = TRUE;
  *pdwDataSize = sizeof(WLAN_CONNECTION_ATTRIBUTES);
  *ppData = attributes;
  if (pWlanOpcodeValueType != nullptr) *pWlanOpcodeValueType = wlan_opcode_value_type_query_only;
  return ERROR_SUCCESS;
}

}  // extern "C"
