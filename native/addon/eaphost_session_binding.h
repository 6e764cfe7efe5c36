// The peer's exchange on the host thread (ProcessReceivedPacket, then GetSendPacket on Send) and
// its conversion to JS: eapHostExchange runs it alone, eapHostConverse as the first part of a
// round trip, so both report the same values and errors.
#pragma once

#include <napi.h>

#include "eaphost_call.h"

namespace eaphost {

struct ExchangeOut {
  int32_t action = 0;
  Bytes packet;  // the response, when the action is Send
};
bool ExchangeOnHost(EapHostCall& host, const Bytes& packet, ExchangeOut* out, EapErrorInfo* error);
Napi::Object ExchangeToJs(Napi::Env env, ExchangeOut& out);

}  // namespace eaphost
