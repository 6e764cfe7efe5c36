#include "tls_flow.h"

#include "../../common/secure_zero.h"
#include "../../common/tls_outcome.h"
#include "../support/method_packet.h"
#include "tls_errors.h"

namespace eaphost {
namespace tls {

std::size_t TypeDataRoom(std::size_t maxSendPacketSize) {
  return maxSendPacketSize > kEapTypedHeaderSize ? maxSendPacketSize - kEapTypedHeaderSize : 0;
}

namespace {
// Scrubs decrypted tunnel data (inner passwords travel there) when it goes out of scope.
struct PlainBuffer {
  std::vector<std::uint8_t> bytes;
  ~PlainBuffer() { SecureZero(bytes.data(), bytes.size()); }
};

// "TLS 1.2" for 0x0303: the version's name as errors say it.
std::string VersionLabel(std::uint16_t version) {
  return "TLS 1." + std::to_string(static_cast<unsigned>((version & 0xFF) - 1));
}
}  // namespace

// ---- peer ----------------------------------------------------------------------------------

TlsPeerFlow::TlsPeerFlow(const PeerContext& context, const TlsConfig& config,
                         const TlsMethodInfo& info, bool needOwnCertificate)
    : info_(info),
      engine_(new TlsEngine(TlsEngineOptions{TlsRole::kClient, info.name, false, needOwnCertificate, context.userToken},
                            config)),
      fragments_(info.name, TypeDataRoom(context.maxSendPacketSize)),
      tlsMin_(config.tlsMin),
      tlsMax_(engine_->OfferedTlsMax(&heldAtTls12_)) {
  CheckInnerMethodFor(info.type, info.name, config);
  if (info.outerTlvs) fragments_.AcceptOuterTlvs();
}

bool TlsPeerFlow::HandshakeRefused(bool hostSuccess, PeerVerdict* verdict) const {
  if (hostSuccess || !started_ || engine_->established()) return false;
  const std::string offered = tlsMin_ == tlsMax_ ? VersionLabel(tlsMin_)
                              : VersionLabel(tlsMin_) + " to " + VersionLabel(tlsMax_).substr(4);
  verdict->hasError = true;
  verdict->failureReason = eap::EAP_E_AUTHENTICATION_FAILED;
  verdict->error = MethodFailure{
      kSecUnsupportedFunction, eap::EAP_E_AUTHENTICATION_FAILED,
      serverSpoke_
          ? std::string("The ") + info_.name +
                " server ended with EAP-Failure before the TLS handshake was complete"
          : std::string("The ") + info_.name + " server refused our TLS ClientHello (" + offered +
                ") with EAP-Failure and no TLS alert: it accepts none of the TLS versions "
                "offered (protocol version refused; a server limited to TLS 1.0/1.1 does this) "
                "or none of the cipher suites" +
                (heldAtTls12_.empty() ? std::string()
                                      : " (TLS 1.2 at most: the store certificate has " + heldAtTls12_ + ")"),
      serverSpoke_ ? std::string()
                   : std::string("Enable TLS 1.2 or 1.3 on the server; TLS 1.0 and 1.1 are "
                                 "obsolete (RFC 8996) and not offered"),
      TlsFailureGuid(TlsFailure{serverSpoke_ ? TlsFailReason::kEndedBeforeHandshake : TlsFailReason::kHelloRefused,
                                TlsAlertFact{}})};
  return true;
}

void TlsPeerFlow::ResultAttributes(std::vector<MethodAttribute>* out) const {
  if (!started_) return;
  TlsOutcome outcome;
  outcome.version = engine_->NegotiatedVersion();
  outcome.serverCertificates = engine_->PeerCertificates();
  outcome.ocspStaple = engine_->OcspStaple();
  out->push_back(MethodAttribute{eap::eatVendorSpecific, EncodeTlsOutcome(outcome)});
}

void TlsPeerFlow::ConcludeTunnelFailure(bool hostSuccess, const PeerVerdict& inner, const std::string& why,
                                        PeerVerdict* verdict) const {
  if (HandshakeRefused(hostSuccess, verdict)) return;
  verdict->hasError = true;
  if (inner.hasError) {
    verdict->failureReason = inner.failureReason;
    verdict->error = inner.error;
    return;
  }
  verdict->failureReason = eap::EAP_E_AUTHENTICATION_FAILED;
  verdict->error = MethodFailure{
      eap::EAP_E_AUTHENTICATION_FAILED, eap::EAP_E_AUTHENTICATION_FAILED,
      why.empty() ? std::string("The ") + info_.name + " server ended the authentication before phase 2 succeeded"
                  : why,
      std::string()};
}

bool InnerSucceeded(AuthenticatorMethod& method, AuthenticatorVerdict* inner, eap::DWORD* failure) {
  method.Conclude(inner);
  if (inner->success) return true;
  *failure = inner->failureReason != 0 ? inner->failureReason : eap::EAP_E_AUTHENTICATION_FAILED;
  return false;
}

PeerAction TlsPeerFlow::Process(const MethodPacketView& request, TypeDataWriter* response) {
  identifier_ = request.identifier;
  std::uint8_t flags = 0;
  TlsFragments::Received received = fragments_.Take(request.typeData, &flags);
  // Versions above 0 of PEAP and EAP-TTLS are not spoken: we always answer with the method's
  // one version (TEAP: 1).
  const std::uint8_t version = info_.version;
  if (fragments_.sending()) {
    if (received != TlsFragments::Received::kAck) {
      throw InvalidPacket(std::string("The ") + info_.name +
                          " server sent data while our fragmented message was unacknowledged");
    }
    fragments_.WriteNext(response, version);
    return PeerAction::kSend;
  }
  switch (received) {
    case TlsFragments::Received::kStart:
      if (started_) throw InvalidPacket(std::string("The ") + info_.name + " server started twice");
      started_ = true;
      engine_->Handshake();  // the ClientHello
      break;
    case TlsFragments::Received::kFragment:
      TlsFragments::WriteAck(response, version);
      return PeerAction::kSend;
    case TlsFragments::Received::kAck:
      throw InvalidPacket(std::string("The ") + info_.name +
                          " server sent an empty request while nothing of ours was pending");
    case TlsFragments::Received::kMessage: {
      if (!started_) {
        throw InvalidPacket(std::string("The ") + info_.name + " server sent TLS data before Start");
      }
      serverSpoke_ = true;
      engine_->Receive(fragments_.message());
      fragments_.ClearMessage();
      if (!engine_->established() && engine_->Handshake()) OnEstablished();
      if (engine_->established()) {
        PlainBuffer plain;
        engine_->ReadAll(&plain.bytes);
        if (!plain.bytes.empty()) OnTunnelData(&plain.bytes);
      }
      break;
    }
  }
  std::vector<std::uint8_t> out = engine_->TakeOutgoing();
  if (out.empty()) {
    TlsFragments::WriteAck(response, version);
  } else {
    fragments_.Queue(std::move(out));
    fragments_.WriteNext(response, version);
  }
  return PeerAction::kSend;
}

// ---- authenticator -------------------------------------------------------------------------

TlsAuthenticatorFlow::TlsAuthenticatorFlow(const AuthenticatorContext& context,
                                           const TlsConfig& config, const TlsMethodInfo& info,
                                           bool requestClientCertificate)
    : info_(info),
      identity_(context.identity),
      hostReadsPrivate_(config.privateAttributes),
      engine_(new TlsEngine(
          TlsEngineOptions{TlsRole::kServer, info.name, requestClientCertificate, false}, config)),
      fragments_(info.name, TypeDataRoom(context.maxSendPacketSize)) {
  CheckInnerMethodFor(info.type, info.name, config);
  if (info.outerTlvs) fragments_.AcceptOuterTlvs();
}

void TlsAuthenticatorFlow::MakeRequest(TypeDataWriter* request) {
  const std::uint8_t version = info_.version;
  if (!started_) {
    started_ = true;
    request->Put(static_cast<std::uint8_t>(kFlagStart | version));
  } else if (ackPending_) {
    ackPending_ = false;
    TlsFragments::WriteAck(request, version);
  } else if (fragments_.sending()) {
    fragments_.WriteNext(request, version);
  } else {
    TlsFragments::WriteAck(request, version);
  }
}

AuthenticatorAction TlsAuthenticatorFlow::Fail(const MethodFailure& why) {
  failed_ = true;
  failureReason_ = why.reasonCode != 0 ? why.reasonCode : eap::EAP_E_AUTHENTICATION_FAILED;
  failure_ = why;
  return AuthenticatorAction::kResult;
}

AuthenticatorAction TlsAuthenticatorFlow::Flush() {
  std::vector<std::uint8_t> out = engine_->TakeOutgoing();
  if (out.empty()) return Fail(InternalFailure(std::string(info_.name) + " had nothing to send"));
  fragments_.Queue(std::move(out));
  return AuthenticatorAction::kSend;
}

AuthenticatorAction TlsAuthenticatorFlow::Receive(const MethodPacketView& response) {
  identifier_ = response.identifier;
  if (alertSent_) return Fail(refusal_);
  try {
    std::uint8_t flags = 0;
    TlsFragments::Received received = fragments_.Take(response.typeData, &flags);
    if (fragments_.sending()) {
      if (received != TlsFragments::Received::kAck) {
        return Fail(InvalidPacket(std::string("The ") + info_.name +
                                  " peer sent data while our fragment was unacknowledged"));
      }
      return AuthenticatorAction::kSend;
    }
    switch (received) {
      case TlsFragments::Received::kStart:
        return Fail(InvalidPacket(std::string("The ") + info_.name + " peer sent a Start"));
      case TlsFragments::Received::kFragment:
        ackPending_ = true;
        return AuthenticatorAction::kSend;
      case TlsFragments::Received::kAck:
        if (tunnelUpPending_) {
          tunnelUpPending_ = false;
          return OnTunnelUp();
        }
        if (!engine_->established()) {
          return Fail(InvalidPacket(std::string("The ") + info_.name +
                                    " peer sent an empty packet during the handshake"));
        }
        return OnPeerAck();
      case TlsFragments::Received::kMessage:
        break;
    }
    engine_->Receive(fragments_.message());
    fragments_.ClearMessage();
    if (!engine_->established()) {
      if (!engine_->Handshake()) return Flush();
      tunnelUpPending_ = true;
    }
    PlainBuffer plain;
    engine_->ReadAll(&plain.bytes);
    if (tunnelUpPending_ && engine_->tls13()) {
      // TLS 1.3: the client's Finished ends the handshake, and what the server still has to
      // send (NewSessionTickets) travels in the same flight as the method's first message
      // (the EAP-TLS commitment, the first phase-2 request), as RFC 9190 §2.5 shows. EAP-TTLS
      // peers send their phase-2 data right behind their Finished.
      tunnelUpPending_ = false;
      if (!plain.bytes.empty()) return OnTunnelData(&plain.bytes);
      return OnTunnelUp();
    }
    if (engine_->HasOutgoing()) {
      // The last handshake flight (TLS 1.2: ChangeCipherSpec, Finished) goes first; the
      // tunnel counts as up once the peer acknowledges it.
      return Flush();
    }
    if (tunnelUpPending_) {
      tunnelUpPending_ = false;
      // EAP-TTLS peers send their phase-2 data right behind their Finished (TLS 1.3).
      if (!plain.bytes.empty()) return OnTunnelData(&plain.bytes);
      return OnTunnelUp();
    }
    if (!plain.bytes.empty()) return OnTunnelData(&plain.bytes);
    return Fail(InvalidPacket(std::string("The ") + info_.name +
                              " peer sent TLS records that carried nothing"));
  } catch (const MethodFailure& failure) {
    if (!engine_->established() && engine_->HasOutgoing()) {
      // A refused handshake: the alert goes out in a request of its own first, so the peer's
      // log says why before the EAP-Failure (as hostapd and FreeRADIUS do).
      try {
        refusal_ = failure;
        fragments_.Queue(engine_->TakeOutgoing());
        alertSent_ = true;
        return AuthenticatorAction::kSend;
      } catch (...) {
        // No memory for the alert: the EAP-Failure alone.
      }
    }
    return Fail(failure);
  }
}

}  // namespace tls
}  // namespace eaphost
