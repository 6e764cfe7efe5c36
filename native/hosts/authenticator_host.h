// An EAP authenticator (RFC 3748 / RFC 4137 "standalone authenticator") over authenticator
// method modules. It is a step machine with no callbacks and no clock of its own: the caller
// feeds it responses and timeouts and gets back what to do next, so the same code serves the
// embedded in-process authenticator and the RADIUS server mode, and never blocks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "authenticator_method_host.h"

namespace eaphost {

struct AuthenticatorConfig {
  // Methods to propose, in order of preference; the first is proposed after Identity, and a
  // legacy Nak may select a later one the peer asks for.
  std::vector<std::shared_ptr<AuthenticatorMethod>> methods;
  // Each method's configuration (BeginSession's connection data), by the same index; missing
  // or empty entries mean "no configuration".
  std::vector<Bytes> connectionData;
  eap::DWORD maxSendPacketSize = 1400;
  eap::DWORD retransmitTimeoutMs = 3000;  // returned with each Send step
  eap::DWORD maxRetransmits = 4;          // then the conversation fails (RFC 4137 MaxRetrans)
};

struct AuthenticatorStep {
  enum class Kind {
    kSend,     // transmit `packet` (an EAP-Request) and call Timeout() after timeoutMs
    kRespond,  // the method needs attributes: look up `identity`, answer with SetAttributes()
    kSuccess,  // transmit `packet` (EAP-Success); `attributes` are the method's (e.g. MSK)
    kFailure,  // transmit `packet` (EAP-Failure)
    kDiscard,  // the response was ignored (wrong Id, malformed, duplicate); keep waiting
  };
  Kind kind = Kind::kDiscard;
  Bytes packet;
  // kSend from a Receive that lent its request: `packet` is empty and the request is the host's
  // OutstandingRequest(), to be read before the host's next call.
  bool requestLent = false;
  eap::DWORD timeoutMs = 0;
  std::u16string identity;
  Attributes attributes;  // kRespond: what the method asked for; kSuccess: result attributes
  eap::DWORD failureReason = 0;
  eap::BYTE methodType = 0;  // the EAP type in use once chosen
  // kFailure caused by a method error (or retransmissions exhausted): what went wrong. The
  // conversation is over either way; the peer still gets its EAP-Failure.
  bool hasError = false;
  EapErrorInfo error;
  // kSuccess / kFailure: what the method said the conversation established (TLS version,
  // resumption, inner method); all zero when it said nothing.
  ConversationFacts facts;
};

class AuthenticatorHost {
 public:
  explicit AuthenticatorHost(AuthenticatorConfig config);
  ~AuthenticatorHost();

  // Starts the conversation: returns the EAP-Request/Identity to send. When `identityResponse`
  // is non-empty, the Identity exchange already happened elsewhere (a RADIUS NAS did it): the
  // host takes that EAP-Response/Identity as the answer and returns the method's first request.
  bool Begin(const Bytes& identityResponse, AuthenticatorStep* step, EapErrorInfo* error);
  // The peer's response, read in place (the host keeps nothing of it past the call). With
  // `lendRequest`, a next request stays only the host's (the copy kept for retransmission) and
  // the caller reads it through OutstandingRequest(): for a caller that hands it straight on.
  bool Receive(const eap::BYTE* response, std::size_t size, AuthenticatorStep* step, EapErrorInfo* error,
               bool lendRequest = false);
  bool Receive(const Bytes& response, AuthenticatorStep* step, EapErrorInfo* error) {
    return Receive(response.data(), response.size(), step, error);
  }
  // The request last sent (what a retransmission resends), valid until the host's next call.
  const Bytes& OutstandingRequest() const;
  // The attributes a Respond step asked for; `lendRequest` as Receive's.
  bool SetAttributes(const Attributes& attributes, AuthenticatorStep* step, EapErrorInfo* error,
                     bool lendRequest = false);
  // The retransmission timer fired: resend the last request, or fail after maxRetransmits.
  bool Timeout(AuthenticatorStep* step, EapErrorInfo* error);
  bool End(EapErrorInfo* error);

  const std::u16string& identity() const { return identity_; }

 private:
  bool ReceiveResponse(const eap::BYTE* response, std::size_t size, AuthenticatorStep* step, EapErrorInfo* error);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::u16string identity_;
};

}  // namespace eaphost
