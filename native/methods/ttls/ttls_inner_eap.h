// EAP-TTLS phase 2 EAP (RFC 5281 §11.2.4): whole inner EAP packets travel in EAP-Message AVPs.
// The inner methods are the catalog's (EAP-MSCHAPv2, EAP-GTC, EAP-MD5), never second copies.
// The peer opens phase 2 with its EAP-Response/Identity unasked (the implicit Identity request,
// §11.2.1); the authenticator answers it with the configured inner method's first request,
// and follows a Nak to another inner method once unless the configuration named its method.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../method.h"
#include "ttls_avp.h"

namespace eaphost {
namespace ttls {

// The inner EAP packet in `avps` (EAP-Message AVPs joined in order); false when there is none.
bool JoinEapMessage(const std::vector<Avp>& avps, std::vector<std::uint8_t>* packet);
// Appends `packet` as one EAP-Message AVP.
void PutEapMessage(std::vector<std::uint8_t>* avps, const std::vector<std::uint8_t>& packet);

class InnerEapPeer {
 public:
  InnerEapPeer(const PeerCredentials* credentials, eap::BYTE innerType);
  // The EAP-Response/Identity that opens phase 2.
  std::vector<std::uint8_t> IdentityResponse() const;
  // One inner packet from the server; the response to send back, or empty (an inner
  // EAP-Success / EAP-Failure, or a request the inner method discards).
  std::vector<std::uint8_t> Process(ByteSpan packet);
  // The inner method's verdict once the outer exchange ended.
  void Conclude(bool hostSuccess, PeerVerdict* verdict);

 private:
  PeerContext context_;
  const eap::BYTE innerType_;
  std::unique_ptr<PeerMethod> inner_;
  bool innerFailureSeen_ = false;
};

class InnerEapAuthenticator {
 public:
  enum class Step { kSend, kRespond, kSucceeded, kFailed };
  // `offered`: the inner methods the configuration named (a Nak is followed to another of
  // them), or none (the default's rule: tls::InnerTypeAfterNak).
  InnerEapAuthenticator(eap::BYTE innerType, const std::vector<std::uint8_t>& offered)
      : innerType_(innerType), offered_(offered) {}
  // One inner packet from the peer. kSend: `request` holds the next inner EAP-Request.
  Step Receive(ByteSpan packet, std::vector<std::uint8_t>* request);
  std::vector<MethodAttribute> WantedAttributes();
  Step TakeAttributes(const eap::EapAttributes& given, std::vector<std::uint8_t>* request);
  eap::DWORD failureReason() const { return failureReason_; }
  // The inner method's EAP type (after a Nak, the one the peer took).
  eap::BYTE type() const { return innerType_; }
  // The identity the peer's EAP-Response/Identity gave (the one the user store is asked about).
  const std::string& identity() const { return identity_; }

 private:
  Step AfterInner(AuthenticatorAction action, std::vector<std::uint8_t>* request);
  Step Failed(eap::DWORD reason);

  eap::BYTE innerType_;
  const std::vector<std::uint8_t> offered_;
  std::string identity_;
  bool answered_ = false;  // the inner method got a response: too late for a Nak
  std::unique_ptr<AuthenticatorMethod> inner_;
  eap::BYTE identifier_ = 0;
  eap::DWORD failureReason_ = 0;
};

}  // namespace ttls
}  // namespace eaphost
