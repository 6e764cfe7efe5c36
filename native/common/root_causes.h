// This project's own root causes: GUIDs a method puts in EAP_ERROR::rootCauseGuid (the SDK's
// field for "what went wrong", beside the words) for failures a host acts on, so the host reads
// the GUID, never the words.
#pragma once

#include "../abi/eap_types.h"

namespace eaphost {

// The authenticator's OCSP response file (the staple, the connection data's ocspResponse) cannot be
// used: unreadable, no OCSP response, unsuccessful, or about another certificate. Every TLS
// conversation fails until it is replaced; `eaphost serve` counts these (ocspStapleFailures).
// {6a97d152-8399-4337-b3a2-0f3eb907dff0}
constexpr eap::GUID kCauseOcspStapleUnusable = {
    0x6a97d152, 0x8399, 0x4337, {0xb3, 0xa2, 0x0f, 0x3e, 0xb9, 0x07, 0xdf, 0xf0}};

inline bool SameCause(const eap::GUID& a, const eap::GUID& b) {
  if (a.Data1 != b.Data1 || a.Data2 != b.Data2 || a.Data3 != b.Data3) return false;
  for (int i = 0; i < 8; ++i) {
    if (a.Data4[i] != b.Data4[i]) return false;
  }
  return true;
}

}  // namespace eaphost
