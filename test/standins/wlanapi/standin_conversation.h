// The 802.1X exchange behind the stand-in's WlanConnect: the peer is the EAPHost in System32
// (eappcfg.dll for the profile's XML, eappprxy.dll for the session: under Wine, the stand-in
// EAPHost), driven as Windows' 802.1X service drives it; the network side is the embedded
// authenticator (native/hosts/AuthenticatorHost) over the method module and users of
// EAPHOST_WLAN_STANDIN's file. Packets go straight from one to the other: no radio, no EAPOL.
#pragma once

#include <windows.h>

#include <string>

namespace eaphost {
namespace wlan_standin {

struct ConversationResult {
  bool success = false;
  bool eapFailureReceived = false;  // the authenticator ended it with an EAP-Failure
  // The peer's EAP_ERROR, when it gave one (GetResult's pEapError, or a failed call's).
  bool hasEapError = false;
  DWORD winError = 0;
  DWORD reasonCode = 0;  // EAP_E_*
  DWORD type = 0, vendorId = 0, vendorType = 0, authorId = 0;  // the EAP_ERROR's EAP_METHOD_TYPE
  std::u16string rootCause;
  std::u16string repair;
};

// Runs one conversation to its end against TheNetwork() (standin_network.h). `configXml` is the profile's EapHostConfig element,
// `userDataXml` the EapHostUserCredentials stored for it (may be empty). The calling thread is
// entered into COM (MSXML) for the call.
ConversationResult RunConversation(const std::wstring& configXml, const std::wstring& userDataXml);

}  // namespace wlan_standin
}  // namespace eaphost
