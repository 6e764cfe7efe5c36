// What the Native Wifi side of the stand-in wlanapi.dll needs of its network
// (standin_network.h holds the rest): the one interface, and the profiles and EAP user data
// WlanSetProfile / WlanSetProfileEapXmlUserData store, in this process's memory (the DLL pins
// itself once configured, so they outlive the caller's FreeLibrary). Kept apart from the EAP
// headers: Windows' wlanapi.h and native/abi's EAP declarations do not compile together.
#pragma once

#include <windows.h>

#include <memory>
#include <string>

namespace eaphost {
namespace wlan_standin {

struct NetworkInterface {
  GUID guid{};
  std::wstring description;
  // Scripted behaviour (standin_network.h's `auto-connect` line): another profile's attempt
  // reported before each of ours, as an auto-connect already in flight; empty: none.
  std::wstring autoConnectProfile;
  DWORD autoConnectReason = 0;       // its connection_complete's wlanReasonCode
  bool autoConnectStartSeen = true;  // false (`in-flight`): it started before any registration
  bool silent = false;               // `silent`: WlanConnect reports nothing
};

// The interface of the file EAPHOST_WLAN_STANDIN names now (read again whenever the variable
// changes); null without the variable (the stand-in then lists no interface, as Wine's own
// wlanapi.dll). A file it cannot read is a test's mistake: it says so on stderr and aborts.
std::shared_ptr<const NetworkInterface> TheInterface();

struct StoredProfile {
  std::wstring xml;
  std::wstring eapUserData;  // EapHostUserCredentials as WlanSetProfileEapXmlUserData took it
};

// The profile's <name> (WLANProfile's first child of that name); empty when it has none.
std::wstring ProfileName(const std::wstring& xml);
void StoreProfile(const std::wstring& name, const std::wstring& xml);
bool StoreEapUserData(const std::wstring& name, const std::wstring& xml);
bool FindProfile(const std::wstring& name, StoredProfile* out);

// The profile the interface is connected to ("" when it is not): the network file's `connected`
// line when it is read, then what the attempts and WlanDisconnect leave.
std::wstring CurrentConnection();
void SetCurrentConnection(const std::wstring& profileName);

// Appends one line to the record file the network file's `record` line names (nothing without
// one): the calls a test reads back, never a secret.
void Record(const std::string& line);
// UTF-8 of a profile name or other text, for a record line.
std::string Narrow(const std::wstring& text);

}  // namespace wlan_standin
}  // namespace eaphost
