// The network the stand-in wlanapi.dll pretends to reach, read from the file named by
// EAPHOST_WLAN_STANDIN (a test writes it): one WLAN interface, and behind it the embedded
// authenticator (native/hosts/AuthenticatorHost over one method module) with its users. Lines,
// each a keyword and its values, byte strings in hex:
//   interface <GUID as {…}> <description, the rest of the line>
//   method <type> <vendorId> <vendorType> <authorId> <module path, the rest of the line>
//   connection-data <the authenticator method's connection data>
//   user <one packed known answer, lib/core/users.ts KnownAnswer>
// and, for the tests that script Windows' behaviour:
//   record <path of a file the stand-in appends each call to, one line each: the call's name, its
//          flag or mode values raw, then the profile name it named, if any>
//   auto-connect <wlanReasonCode, hex> <profile name, the rest of the line>: before each of our
//          attempts, that profile's attempt is reported first (connection_start, a final ONEX
//          result, connection_attempt_fail when the reason is not 0, connection_complete)
//   in-flight <wlanReasonCode, hex> <profile name>: as auto-connect, but that attempt started before
//          the client registered for notifications: its connection_start is never reported
//   connected <profile name, the rest of the line>: the interface is connected to that profile
//          (WlanQueryInterface says so; WlanConnect to it sends no notification)
//   silent: WlanConnect takes the attempt and reports nothing (an attempt Windows never finishes)
#pragma once

#include <windows.h>

#include <memory>
#include <string>

#include "../../../native/abi/eap_types.h"
#include "../../../native/hosts/known_answer.h"
#include "standin_store.h"

namespace eaphost {
namespace wlan_standin {

struct Network {
  GUID interfaceGuid{};
  std::wstring description;
  std::string methodPath;
  eap::EAP_METHOD_TYPE methodType{};
  Bytes connectionData;
  KnownAnswerTable users;
  std::string recordPath;
  std::wstring autoConnectProfile;
  DWORD autoConnectReason = 0;
  bool autoConnectStartSeen = true;  // false for `in-flight`
  std::wstring connectedProfile;
  bool silent = false;
  ~Network();
};

// The network of the file EAPHOST_WLAN_STANDIN names now; null without the variable.
std::shared_ptr<const Network> TheNetwork();

}  // namespace wlan_standin
}  // namespace eaphost
