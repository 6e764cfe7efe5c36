// The addon's named contract: for every argument object and result object the addon's calls
// take and give, a struct of the same name as its interface in lib/native/contract.ts, with the
// same members in the same order. Each binding reads its argument object into its struct beside
// itself (object.Get("field")); an optional field is a std::optional or has the default its
// comment gives. Handles, and fields that only JS can make or that the call reads into wiped
// storage itself, stay JS values here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <napi.h>

#include "../common/eap_error_info.h"
#include "../hosts/method_values.h"

namespace eaphost {

// ---- conversations (conversation_binding.cc) ----
struct ConversationSettings {
  eap::DWORD maxSendPacketSize = 1400;
  eap::DWORD retransmitTimeoutMs = 3000;
  eap::DWORD maxRetransmits = 4;
  std::vector<Bytes> connectionData;  // per method, parallel to the handles; empty: none
  bool stepsAside = false;
};

struct ConversationStep {
  std::string kind;  // 'send' | 'respond' | 'success' | 'failure' | 'discard'
  std::optional<Bytes> packet;
  eap::DWORD timeoutMs = 0;
  std::u16string identity;
  Attributes attributes;
  eap::DWORD failureReason = 0;
  eap::DWORD methodType = 0;
  std::optional<EapErrorInfo> error;
};

struct ConversationBeginArgs {
  Napi::Value methods;           // authenticator method handles
  Napi::Value settings;          // ConversationSettings, read by ConversationStartOf
  Napi::Value identityResponse;  // a Buffer, or undefined
  Napi::Value knownAnswer;       // [identity, rules], or undefined; read into wiped storage
};

struct ConversationBeginResult {
  Napi::Value conversation;
  std::string stopped;  // 'transport' | 'answer' | 'discard' | 'outcome'
  ConversationStep step;
};

struct ConversationRunArgs {
  Napi::Value conversation;
  std::optional<Bytes> response;
  std::optional<Attributes> answer;  // wiped once the authenticator has it
  bool timeout = false;
  Napi::Value knownAnswer;
};

struct ConversationRunResult {
  std::string stopped;
  ConversationStep step;
};

struct ConversationEndArgs {
  Napi::Value conversation;
};

// ---- RADIUS engine (radius_engine_binding.cc) ----
struct RadiusEngineOpenArgs {
  Napi::Value methods;   // authenticator method handles
  Napi::Value settings;  // ConversationSettings, read by ConversationStartOf
  std::optional<std::string> host;  // a literal address; none: no UDP socket, datagrams come from JS (RadSec)
  uint16_t port = 0;
  Napi::Value secret;   // read into the engine's SharedSecret (wiped)
  Napi::Value clients;  // RadiusEngineClient[], or undefined
  Napi::Value allowed;  // literal addresses, or undefined
  eap::DWORD idleTimeoutMs = 60000;
  eap::DWORD replyCacheMs = 30000;
  eap::DWORD maxConversations = 20000;
  eap::DWORD maxTlsConversations = 2048;
  bool requireMessageAuthenticator = true;
  Napi::Value tlsTypes;  // number[]
  Napi::Value users;     // [identity, rules][] read into wiped storage; undefined: the store is JS's
  eap::DWORD lookupTimeoutMs = 30000;
  bool records = false;
  Napi::Value onEvents;
};

struct RadiusEngineDatagramArgs {
  Bytes datagram;
  eap::DWORD link = 0;
  std::string address;
  uint16_t port = 0;
};

struct RadiusEngineAnswerArgs {
  eap::DWORD question = 0;
  Napi::Value known;  // [identity, rules], read into wiped storage (KnownAnswerOf)
  std::optional<std::string> failure;
};

}  // namespace eaphost
