// TEAPv1 (type 55; RFC 9930): a TLS tunnel carrying TLVs — inner EAP methods in EAP-Payload
// TLVs (EAP-MSCHAPv2 by default, EAP-GTC or EAP-MD5 when configured, taken from this module's
// catalog), or Basic-Password-Auth — each one bound to the tunnel by a Crypto-Binding TLV after
// its Intermediate-Result, and the Result TLV ending the conversation.
#pragma once

#include <memory>

#include "../method.h"
#include "../support/method_identity.h"
#include "../tls/tls_flow.h"

namespace eaphost {
namespace teap {

extern const MethodDescriptor kDescriptor;

constexpr tls::TlsMethodInfo kInfo{kEapTypeTeap, kMethodTitleTeap, 1, true};

// Inner EAP types the TEAP conversation itself handles (RFC 3748 §5).
constexpr std::uint8_t kTypeIdentity = 1;
constexpr std::uint8_t kTypeNak = 3;

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context);
std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context);

// The EAP packet at the start of an EAP-Payload TLV: Code, Identifier, Length (at least a
// typed header, at most the TLV's value), Type.
struct InnerPacket {
  std::uint8_t code = 0;
  std::uint8_t identifier = 0;
  std::uint8_t type = 0;
  ByteSpan typeData{nullptr, 0};
};
bool ReadInnerPacket(ByteSpan payload, InnerPacket* out);
// An EAP-Payload TLV holding Code | Identifier | Length | Type | typeData.
void PutEapPayload(std::vector<std::uint8_t>* out, std::uint8_t code, std::uint8_t identifier,
                   std::uint8_t type, ByteSpan typeData);

}  // namespace teap
}  // namespace eaphost
