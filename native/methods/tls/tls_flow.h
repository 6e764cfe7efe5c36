// The part every TLS-based method shares, on both sides: EAP-TLS framing around a TlsEngine.
// A method (EAP-TLS, PEAP, EAP-TTLS) derives from these and only says what happens once the
// tunnel is up and what its application data means.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../method.h"
#include "tls_config.h"
#include "tls_engine.h"
#include "tls_fragments.h"

namespace eaphost {
namespace tls {

struct TlsMethodInfo {
  eap::BYTE type;
  const char* name;  // "EAP-TLS", "PEAP", "EAP-TTLS"
  // The version bits every packet carries: 0 for PEAPv0 and EAP-TTLSv0, 1 for TEAPv1, whose
  // packets may also carry Outer TLVs (RFC 9930 §4.1).
  eap::BYTE version = 0;
  bool outerTlvs = false;
};

class TlsPeerFlow : public PeerMethod {
 public:
  TlsPeerFlow(const PeerContext& context, const TlsConfig& config, const TlsMethodInfo& info,
              bool needOwnCertificate);
  PeerAction Process(const MethodPacketView& request, TypeDataWriter* response) final;
  // The TLS outcome (common/tls_outcome.h): the negotiated version and the server's chain, once
  // the handshake began.
  void ResultAttributes(std::vector<MethodAttribute>* out) const final;

 protected:
  // Once, when the handshake completes.
  virtual void OnEstablished() {}
  // Application data the authenticator sent in one EAP message; answer with SendInTunnel.
  virtual void OnTunnelData(std::vector<std::uint8_t>* plain) = 0;
  void SendInTunnel(ByteSpan plain) { engine_->Write(plain); }
  TlsEngine& engine() { return *engine_; }
  bool established() const { return engine_->established(); }
  // TEAP: the Outer TLVs of the authenticator's first message that had any.
  const std::vector<std::uint8_t>& receivedOuterTlvs() const { return fragments_.firstOuterTlvs(); }
  // The Identifier of the request being processed: PEAPv0's headerless inner packets take it.
  eap::BYTE packetIdentifier() const { return identifier_; }
  // An EAP-Failure that ended the TLS handshake, in words: fills `verdict` and returns true
  // when the handshake had begun and not completed. A server that answers our ClientHello with
  // nothing but EAP-Failure refused what it offered, most often the TLS versions (a server
  // limited to TLS 1.0/1.1), not any credential.
  bool HandshakeRefused(bool hostSuccess, PeerVerdict* verdict) const;
  // The verdict of a tunnel whose phase 2 did not succeed (PEAP, TEAP): the refused handshake,
  // else the inner method's own error, else `why` (a default sentence when empty).
  void ConcludeTunnelFailure(bool hostSuccess, const PeerVerdict& inner, const std::string& why,
                             PeerVerdict* verdict) const;
  const TlsMethodInfo info_;

 private:
  std::unique_ptr<TlsEngine> engine_;
  TlsFragments fragments_;
  bool started_ = false;
  bool serverSpoke_ = false;  // a TLS message of the server's arrived
  std::uint16_t tlsMin_;
  std::string heldAtTls12_;  // why the own key keeps the offer at TLS 1.2, if it does (before tlsMax_)
  std::uint16_t tlsMax_;     // what the ClientHello offers
  eap::BYTE identifier_ = 0;
};

class TlsAuthenticatorFlow : public AuthenticatorMethod {
 public:
  TlsAuthenticatorFlow(const AuthenticatorContext& context, const TlsConfig& config,
                       const TlsMethodInfo& info, bool requestClientCertificate);
  void MakeRequest(TypeDataWriter* request) final;
  AuthenticatorAction Receive(const MethodPacketView& response) final;
  std::vector<MethodAttribute> WantedAttributes() override { return {}; }
  AuthenticatorAction TakeAttributes(const eap::EapAttributes&) override {
    return Fail(InternalFailure(std::string(info_.name) + " asked for no attributes"));
  }
  // The negotiated version and whether the session resumed, once the handshake completed.
  ConversationFacts Facts() const override {
    ConversationFacts facts;
    facts.tlsVersion = engine_->NegotiatedVersion();
    facts.resumed = facts.tlsVersion != 0 && engine_->resumed();
    return facts;
  }
  bool HostReadsPrivateAttributes() const final { return hostReadsPrivate_; }

 protected:
  // The handshake is complete and the peer has everything we sent in it.
  virtual AuthenticatorAction OnTunnelUp() = 0;
  // Application data the peer sent in one EAP message.
  virtual AuthenticatorAction OnTunnelData(std::vector<std::uint8_t>* plain) = 0;
  // An empty response once the tunnel is up and nothing is being sent.
  virtual AuthenticatorAction OnPeerAck() {
    return Fail(InvalidPacket(std::string("The ") + info_.name +
                              " peer answered with an empty packet where data was due"));
  }
  // Encrypts into the tunnel; Flush() then sends what was written.
  void SendInTunnel(ByteSpan plain) { engine_->Write(plain); }
  AuthenticatorAction Flush();
  // The authentication fails: remembered for Conclude, and the host is told the result.
  AuthenticatorAction Fail(const MethodFailure& why);
  TlsEngine& engine() { return *engine_; }
  // TEAP: the Outer TLVs of the peer's first message that had any.
  const std::vector<std::uint8_t>& receivedOuterTlvs() const { return fragments_.firstOuterTlvs(); }
  bool failed() const { return failed_; }
  eap::DWORD failureReason() const { return failureReason_; }
  // After Fail: the verdict carries the failure's words, so the host can say which
  // certificate was refused and why (the ABI's result has room only for the code).
  void TellFailure(AuthenticatorVerdict* verdict) const {
    if (!failed_) return;
    verdict->hasError = true;
    verdict->error = failure_;
  }
  // The Identifier of the response being processed (that of the request it answers).
  eap::BYTE packetIdentifier() const { return identifier_; }
  const TlsMethodInfo info_;
  const std::string identity_;  // the outer identity
  const bool hostReadsPrivate_;  // flags bit12: the result carries the facts and refusal attributes

 private:
  std::unique_ptr<TlsEngine> engine_;
  TlsFragments fragments_;
  bool started_ = false;
  bool ackPending_ = false;
  bool tunnelUpPending_ = false;
  // The handshake was refused and the TLS alert that says why is on its way to the peer: its
  // next response, whatever it is, ends the method with `refusal_`.
  bool alertSent_ = false;
  MethodFailure refusal_{0, 0, std::string(), std::string()};
  bool failed_ = false;
  eap::DWORD failureReason_ = 0;
  MethodFailure failure_{0, 0, std::string(), std::string()};
  eap::BYTE identifier_ = 0;
};

// The verdict of a tunnel's inner authenticator method once it reached its result: true on
// success (its keys in *inner); on failure *failure says why (EAP_E_AUTHENTICATION_FAILED when
// the method gave no reason).
bool InnerSucceeded(AuthenticatorMethod& method, AuthenticatorVerdict* inner, eap::DWORD* failure);

// A TLS method's peer or authenticator, built from its context's connection data.
template <typename Method, typename Base, typename Context>
std::unique_ptr<Base> MakeWithTlsConfig(const Context& context) {
  TlsConfig config;
  ParseTlsConfig(context.connectionData, &config);
  return std::unique_ptr<Base>(new Method(context, config));
}

// The Type-Data room of one packet at a host's maximum packet size.
std::size_t TypeDataRoom(std::size_t maxSendPacketSize);

}  // namespace tls
}  // namespace eaphost
