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

// A session's beginning (eaphost_session_begin.h reads it), for eapHostBeginSession and for a
// conversation whose peer is begun in the same job.
struct SessionCredentials {
  Napi::Value method;    // a loaded peer method's handle: it makes the user blob
  Napi::Value identity;  // read into wiped storage
  Napi::Value password;  // read into wiped storage
};

struct SessionBeginning {
  eap::DWORD type = 0;
  eap::DWORD vendorId = 0;
  eap::DWORD vendorType = 0;
  eap::DWORD authorId = 0;
  eap::DWORD flags = 0;
  eap::DWORD maxSendPacketSize = 0;
  std::optional<Attributes> attributes;
  std::optional<Bytes> connectionData;
  std::optional<Bytes> userData;    // wiped once EAPHost has it
  std::optional<std::string> connectionId;  // none: one is made
  Napi::Value credentials;          // SessionCredentials, or undefined
};

struct EapHostBeginSessionArgs {
  Napi::Value host;
  Napi::Value begin;  // SessionBeginning
};

// The conversation's peer in this process: an EAPHost session, given (`session`) or begun in the
// job (`host` and `begin`), ended in the job once it has the outcome's result when asked.
struct ConversationPeer {
  Napi::Value session;
  Napi::Value host;
  Napi::Value begin;  // SessionBeginning
  bool endWhenConcluded = false;
};

struct ConversationBeginArgs {
  Napi::Value methods;           // authenticator method handles
  Napi::Value settings;          // ConversationSettings, read by ConversationStartOf
  Napi::Value identityResponse;  // a Buffer, or undefined
  Napi::Value knownAnswer;       // { identity, rules }, or undefined; read into wiped storage
  Napi::Value peer;              // ConversationPeer, or undefined
  eap::DWORD budget = 0;         // responses of the peer the job may hand to the authenticator
  bool keepPackets = false;      // every packet passed comes back (`packets`)
};

struct ConversationRunArgs {
  Napi::Value conversation;          // undefined for the peer's half alone
  std::optional<Bytes> response;     // the peer's, for the authenticator
  bool timeout = false;              // the retransmission timer fired
  std::optional<Bytes> request;      // a remote authenticator's, for the peer alone
  std::optional<Bytes> outcome;      // a remote authenticator's Success/Failure, for the peer alone
  Napi::Value knownAnswer;           // alone: the user store's answer to the question asked
  Napi::Value peer;
  eap::DWORD budget = 0;
  bool keepPackets = false;
};

// The peer's last act in the job: on a request, its action and (Send) response; on the outcome,
// its action and (Result) result.
struct ConversationPeerAct {
  eap::DWORD action = 0;
  std::optional<Bytes> packet;
  Napi::Value result;  // EapHostResult, or undefined
};

struct ConversationResult {
  Napi::Value conversation;  // conversationBegin's, unless the job closed it
  std::string stopped;       // 'transport' | 'answer' | 'discard' | 'peer' | 'outcome' | 'error'
  std::optional<ConversationStep> step;
  eap::DWORD rounds = 0;     // responses the peer handed to the authenticator in the job
  Napi::Value packets;       // with keepPackets and a peer: Buffer[], the authenticator's first
  std::optional<ConversationPeerAct> peer;
  std::optional<EapErrorInfo> error;  // a later part's failure ('error')
  Napi::Value session;       // the session the job began: { handle?, sessionId, notificationToken, connectionId? }
  std::optional<EapErrorInfo> endError;
};

struct ConversationEndArgs {
  Napi::Value conversation;
};

}  // namespace eaphost
