// The peer's exchange on the host thread (ProcessReceivedPacket, then GetSendPacket on Send): the
// conversation driver's peer half (conversation_binding.cc).
#pragma once

#include <napi.h>

#include "eaphost_call.h"

namespace eaphost {

struct ExchangeOut {
  int32_t action = 0;
  // The response, when the action is Send: where EAPHost keeps it (its until EndSession,
  // eaphost_memory.h), and a copy of it unless the caller reads it in place before then.
  const eap::BYTE* sent = nullptr;
  eap::DWORD sentSize = 0;
  Bytes packet;
};
bool ExchangeOnHost(EapHostCall& host, const Bytes& packet, ExchangeOut* out, EapErrorInfo* error,
                    bool copyResponse = true);

}  // namespace eaphost
