#include "ttls_inner_eap.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/method_catalog.h"
#include "../support/method_packet.h"
#include "../tls/tls_config.h"

namespace eaphost {
namespace ttls {

namespace {
constexpr eap::BYTE kTypeIdentity = 1;
constexpr eap::BYTE kTypeNotification = 2;
constexpr eap::BYTE kTypeNak = 3;
constexpr std::size_t kMaxInnerIdentity = 253;
constexpr std::size_t kMaxInnerPacket = 65535;
// Inner packets ride in AVPs inside TLS records the outer framing fragments: no link limit
// applies to them but EAP's own Length field.
constexpr std::size_t kInnerMaxSendPacketSize = kMaxInnerPacket;

std::vector<std::uint8_t> Packet(eap::BYTE code, eap::BYTE identifier, eap::BYTE type,
                                 const std::vector<std::uint8_t>& typeData) {
  std::size_t length = kEapTypedHeaderSize + typeData.size();
  if (length > kMaxInnerPacket) throw InternalFailure("an inner EAP packet outgrew its Length field");
  std::vector<std::uint8_t> packet(length);
  packet[0] = code;
  packet[1] = identifier;
  packet[2] = static_cast<std::uint8_t>(length >> 8);
  packet[3] = static_cast<std::uint8_t>(length);
  packet[4] = type;
  if (!typeData.empty()) std::memcpy(packet.data() + kEapTypedHeaderSize, typeData.data(), typeData.size());
  return packet;
}

// The header of an inner packet, checked against the bytes that carried it; Type-Data is
// what follows Type up to Length. False when malformed.
bool ReadInner(ByteSpan packet, MethodPacketView* view) {
  if (packet.size < kEapHeaderSize) return false;
  std::size_t length = static_cast<std::size_t>(packet.data[2]) << 8 | packet.data[3];
  if (length < kEapHeaderSize || length > packet.size) return false;
  view->code = packet.data[0];
  view->identifier = packet.data[1];
  view->length = length;
  if (length == kEapHeaderSize) {
    view->type = 0;
    view->typeData = ByteSpan{};
    return view->code == eap::EapCodeSuccess || view->code == eap::EapCodeFailure;
  }
  view->type = packet.data[4];
  view->typeData = ByteSpan{packet.data + kEapTypedHeaderSize, length - kEapTypedHeaderSize};
  return view->code == eap::EapCodeRequest || view->code == eap::EapCodeResponse;
}
}  // namespace

bool JoinEapMessage(const std::vector<Avp>& avps, std::vector<std::uint8_t>* packet) {
  bool found = false;
  for (const Avp& avp : avps) {
    if (avp.code != kAvpEapMessage || avp.vendor != 0) continue;
    if (packet->size() + avp.data.size > kMaxInnerPacket) {
      throw InvalidPacket("The EAP-TTLS EAP-Message AVPs hold more than one EAP packet can");
    }
    packet->insert(packet->end(), avp.data.data, avp.data.data + avp.data.size);
    found = true;
  }
  return found;
}

void PutEapMessage(std::vector<std::uint8_t>* avps, const std::vector<std::uint8_t>& packet) {
  PutAvp(avps, kAvpEapMessage, 0, ByteSpan{packet.data(), packet.size()});
}

// ---- peer ----------------------------------------------------------------------------------

InnerEapPeer::InnerEapPeer(const PeerCredentials* credentials, eap::BYTE innerType)
    : context_(PeerContext{credentials, kInnerMaxSendPacketSize, ByteSpan{}}),
      innerType_(innerType) {}

std::vector<std::uint8_t> InnerEapPeer::IdentityResponse() const {
  const std::string& identity = context_.credentials->identity;
  // The implicit request has no Identifier; 0 as other implementations use.
  return Packet(eap::EapCodeResponse, 0, kTypeIdentity,
                std::vector<std::uint8_t>(identity.begin(), identity.end()));
}

std::vector<std::uint8_t> InnerEapPeer::Process(ByteSpan packet) {
  MethodPacketView view;
  if (!ReadInner(packet, &view) || view.code == eap::EapCodeResponse) {
    throw InvalidPacket("The EAP-TTLS server sent a malformed inner EAP packet");
  }
  if (view.code == eap::EapCodeSuccess) return {};
  if (view.code == eap::EapCodeFailure) {
    innerFailureSeen_ = true;
    return {};
  }
  if (view.type == kTypeIdentity) {
    return IdentityResponse();  // an explicit Identity request, answered like the implicit one
  }
  if (view.type == kTypeNotification) {
    return Packet(eap::EapCodeResponse, view.identifier, kTypeNotification, {});
  }
  if (view.type != innerType_) {
    return Packet(eap::EapCodeResponse, view.identifier, kTypeNak, {innerType_});
  }
  if (!inner_) inner_ = InnerMethod(innerType_).makePeer(context_);
  TypeDataWriter response;
  if (inner_->Process(view, &response) == PeerAction::kDiscard) return {};
  return Packet(eap::EapCodeResponse, view.identifier, innerType_, response.bytes());
}

void InnerEapPeer::Conclude(bool hostSuccess, PeerVerdict* verdict) {
  if (!inner_) {
    verdict->success = false;
    verdict->hasError = false;
    return;
  }
  inner_->Conclude(hostSuccess && !innerFailureSeen_, verdict);
}

// ---- authenticator -------------------------------------------------------------------------

InnerEapAuthenticator::Step InnerEapAuthenticator::Failed(eap::DWORD reason) {
  failureReason_ = reason != 0 ? reason : eap::EAP_E_AUTHENTICATION_FAILED;
  return Step::kFailed;
}

InnerEapAuthenticator::Step InnerEapAuthenticator::Receive(ByteSpan packet,
                                                           std::vector<std::uint8_t>* request) {
  MethodPacketView view;
  if (!ReadInner(packet, &view) || view.code != eap::EapCodeResponse) {
    throw InvalidPacket("The EAP-TTLS peer sent a malformed inner EAP packet");
  }
  if (!inner_) {
    if (view.type != kTypeIdentity || view.typeData.size > kMaxInnerIdentity) {
      throw InvalidPacket("The EAP-TTLS peer did not open phase 2 with its EAP-Response/Identity");
    }
    identity_.assign(reinterpret_cast<const char*>(view.typeData.data), view.typeData.size);
    inner_ = InnerMethod(innerType_).makeAuthenticator(
        AuthenticatorContext{identity_, kInnerMaxSendPacketSize, ByteSpan{}});
    return AfterInner(AuthenticatorAction::kSend, request);
  }
  if (view.identifier != identifier_) {
    throw InvalidPacket("The EAP-TTLS peer's inner response answers another request");
  }
  if (!answered_ && view.type == kTypeNak) {
    eap::BYTE wanted = tls::InnerTypeAfterNak(offered_, innerType_, view.typeData);
    if (wanted != 0) {
      answered_ = true;  // one switch: a second Nak fails
      innerType_ = wanted;
      inner_ = InnerMethod(innerType_).makeAuthenticator(
          AuthenticatorContext{identity_, kInnerMaxSendPacketSize, ByteSpan{}});
      return AfterInner(AuthenticatorAction::kSend, request);
    }
  }
  answered_ = true;
  if (view.type != innerType_) {
    // A Nak that names no other inner method we may switch to, or another type.
    return Failed(eap::EAP_E_AUTHENTICATION_FAILED);
  }
  return AfterInner(inner_->Receive(view), request);
}

std::vector<MethodAttribute> InnerEapAuthenticator::WantedAttributes() {
  return inner_ ? inner_->WantedAttributes() : std::vector<MethodAttribute>();
}

InnerEapAuthenticator::Step InnerEapAuthenticator::TakeAttributes(
    const eap::EapAttributes& given, std::vector<std::uint8_t>* request) {
  if (!inner_) throw InternalFailure("EAP-TTLS was given attributes before the inner method ran");
  return AfterInner(inner_->TakeAttributes(given), request);
}

InnerEapAuthenticator::Step InnerEapAuthenticator::AfterInner(AuthenticatorAction action,
                                                              std::vector<std::uint8_t>* request) {
  switch (action) {
    case AuthenticatorAction::kSend: {
      TypeDataWriter typeData;
      inner_->MakeRequest(&typeData);
      ++identifier_;
      *request = Packet(eap::EapCodeRequest, identifier_, innerType_, typeData.bytes());
      return Step::kSend;
    }
    case AuthenticatorAction::kRespond: return Step::kRespond;
    case AuthenticatorAction::kDiscard:
      throw InvalidPacket("The EAP-TTLS peer's inner response was malformed");
    case AuthenticatorAction::kResult: break;
  }
  AuthenticatorVerdict verdict;
  inner_->Conclude(&verdict);
  return verdict.success ? Step::kSucceeded : Failed(verdict.failureReason);
}

}  // namespace ttls
}  // namespace eaphost
