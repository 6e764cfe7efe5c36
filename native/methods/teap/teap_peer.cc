// The TEAP peer: answers the inner Identity request, runs the inner method the server proposes
// when it is the configured one (a Nak otherwise), answers Basic-Password-Auth with the user's
// credentials, and after each inner method checks the server's Crypto-Binding before it answers
// the Intermediate-Result with its own — refusing success when the binding does not verify.
//
// An inner EAP-MSCHAPv2's keys enter the key chain in one of two orders (teap_keys.h): the
// server's Compound MAC says which it used, and since both come from this tunnel's own keys,
// taking the one that verifies binds the inner method to the tunnel all the same.
//
// With a second inner method configured (EAP chaining as Windows sets it up: the machine's
// method, then the user's), an inner method the server starts for a user credential
// (Identity-Type 1, §4.2.3) is that one, one for a machine credential (2) the first; without
// an Identity-Type, the first inner method is the first configured and the next the second.
// Each answers a proposal of another method with a Nak naming its own.
//
// The inner method is made from the catalog with TEAP's own connection data: an inner EAP-TLS
// (RFC 9930 §3.3.1; Windows' machine authentication) reads its CA, server names, certificate
// and key there, and runs a TLS engine of its own inside this one's tunnel. The outer handshake
// never presents that certificate: it would travel in the clear under TLS 1.2, where the inner
// handshake keeps it inside the tunnel. An inner method that fails on its own (the server
// refused the inner certificate with a TLS alert) is answered with a failure Result, so the
// server ends the conversation with its own verdict.
#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/method_catalog.h"
#include "../tls/tls_keys.h"
#include "teap_keys.h"
#include "teap_method.h"
#include "teap_tlv.h"

namespace eaphost {
namespace teap {

namespace {

struct Scrubbed {
  std::vector<std::uint8_t> bytes;
  ~Scrubbed() { SecureZero(bytes.data(), bytes.size()); }
};

class TeapPeer final : public tls::TlsPeerFlow {
 public:
  TeapPeer(const PeerContext& context, const tls::TlsConfig& config)
      : TlsPeerFlow(context, config, kInfo, false),
        context_(PeerContext{context.credentials, 0xFFFF, ByteSpan{}, true, context.userToken}),
        firstType_(config.innerMethod),
        secondType_(config.teapSecondInnerMethod != 0 ? config.teapSecondInnerMethod : config.innerMethod),
        innerType_(config.innerMethod),
        orders_(config.teapMsChapV2KeyOrder) {
    // Kept for the inner method, which is made later (the context's copy lives only through
    // makePeer); it may hold a private key, which SecretBytes wipes.
    connectionData_.Assign(context.connectionData.data, context.connectionData.size);
    context_.connectionData = connectionData_.span();
  }

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override {
    if (hostSuccess && phase2Success_ && chain_) {
      verdict->success = true;
      ReleaseKeys(*chain_, engine(), &verdict->keys);
      return;
    }
    ConcludeTunnelFailure(hostSuccess, innerVerdict_, why_, verdict);
  }

 protected:
  void OnEstablished() override { chain_.reset(new KeyChain(engine())); }

  void OnTunnelData(std::vector<std::uint8_t>* plain) override {
    Tlvs tlvs;
    if (!ParseTlvs(ByteSpan{plain->data(), plain->size()}, &tlvs)) {
      throw InvalidPacket("The TEAP server sent malformed TLVs");
    }
    Scrubbed out;
    if (tlvs.unknownMandatory) {
      // RFC 9930 §4.2.5: a mandatory TLV we do not know is refused with a NAK TLV.
      PutNak(&out.bytes, tlvs.unknownType);
      why_ = "The TEAP server sent a mandatory TLV of unknown type " + Decimal(tlvs.unknownType);
      Send(out.bytes);
      return;
    }
    if (tlvs.result == kStatusFailure) {
      if (why_.empty()) why_ = "The TEAP server reported failure";
      ConcludeInner(false);
      PutStatus(&out.bytes, kTlvResult, kStatusFailure);
      Send(out.bytes);
      return;
    }
    if (tlvs.hasEapPayload) {
      AnswerEap(tlvs.eapPayload, tlvs.identityType, &out.bytes);
      if (innerFailed_) {
        Send(out.bytes);
        return;
      }
    }
    if (tlvs.hasBasicPasswordAuthReq) AnswerBasicPassword(&out.bytes);
    // §4.2.3: the server asked for a user or a machine credential; the answer says which one it
    // carries. This peer offers its credentials for either: the inner method's place says which
    // of them it uses (the first inner method's, then the second's).
    if (tlvs.identityType != 0 && (tlvs.hasEapPayload || tlvs.hasBasicPasswordAuthReq)) {
      PutIdentityType(&out.bytes, tlvs.identityType);
    }
    bool failed = false;
    bool compromised = false;  // a Crypto-Binding that does not verify (§3.9: Tunnel-Compromise)
    if (tlvs.intermediateResult != 0) {
      bool ok = tlvs.intermediateResult == kStatusSuccess && ConcludeInner(true);
      if (tlvs.intermediateResult == kStatusSuccess && !ok && why_.empty()) {
        why_ = "The TEAP server reported an inner success the inner method did not reach";
      }
      if (ok && !tlvs.hasCryptoBinding) {
        ok = false;
        why_ = "The TEAP server reported an inner success without a Crypto-Binding TLV";
      }
      if (ok) {
        ok = BindInner(tlvs.cryptoBinding);
        compromised = !ok;
      }
      PutStatus(&out.bytes, kTlvIntermediateResult, ok ? kStatusSuccess : kStatusFailure);
      if (ok) AnswerBinding(tlvs.cryptoBinding, &out.bytes);
      failed = !ok;
    } else if (tlvs.hasCryptoBinding) {
      // A Crypto-Binding with the final Result only: the last step's CMK (none: zero IMSK).
      if (chain_ && chain_->steps() == 0) chain_->Step(ByteSpan{nullptr, 0}, ByteSpan{nullptr, 0});
      bool ok = chain_ && CryptoBindingValid(*chain_, tlvs.cryptoBinding, kBindingRequest, ServerOuter(),
                                            ByteSpan{nullptr, 0});
      if (ok) {
        bound_ = true;
        AnswerBinding(tlvs.cryptoBinding, &out.bytes);
      } else {
        failed = true;
        compromised = true;
        why_ = "The TEAP server's Crypto-Binding TLV does not verify: the tunnel and the inner "
               "authentication may belong to different sessions";
      }
    }
    if (compromised) PutError(&out.bytes, kErrorTunnelCompromise);
    if (tlvs.result == kStatusSuccess) {
      const bool ok = !failed && bound_;
      if (!ok && why_.empty()) why_ = "The TEAP server reported success before any bound inner authentication";
      PutStatus(&out.bytes, kTlvResult, ok ? kStatusSuccess : kStatusFailure);
      phase2Success_ = ok;
    } else if (failed) {
      PutStatus(&out.bytes, kTlvResult, kStatusFailure);
    }
    Send(out.bytes);
  }

 private:
  void Send(const std::vector<std::uint8_t>& tlvs) { SendInTunnel(ByteSpan{tlvs.data(), tlvs.size()}); }
  ByteSpan ServerOuter() const {
    const std::vector<std::uint8_t>& outer = receivedOuterTlvs();
    return ByteSpan{outer.data(), outer.size()};
  }

  void AnswerEap(ByteSpan payload, std::uint16_t identityType, std::vector<std::uint8_t>* out) {
    InnerPacket request;
    if (!ReadInnerPacket(payload, &request) || request.code != eap::EapCodeRequest) {
      throw InvalidPacket("The TEAP server's EAP-Payload TLV holds no EAP request");
    }
    if (request.type == kTypeIdentity) {
      // A new Identity request starts the next inner method (EAP chaining).
      inner_.reset();
      innerDone_ = false;
      const bool second = identityType == kIdentityTypeUser || (identityType != kIdentityTypeMachine && innerStarts_ > 0);
      innerType_ = second ? secondType_ : firstType_;
      ++innerStarts_;
      const std::string& identity = context_.credentials->identity;
      PutEapPayload(out, eap::EapCodeResponse, request.identifier, kTypeIdentity,
                    ByteSpan{reinterpret_cast<const std::uint8_t*>(identity.data()), identity.size()});
      return;
    }
    if (request.type != innerType_) {
      const std::uint8_t wanted = innerType_;
      PutEapPayload(out, eap::EapCodeResponse, request.identifier, kTypeNak, ByteSpan{&wanted, 1});
      return;
    }
    MethodPacketView view{eap::EapCodeRequest, request.identifier, request.type, request.typeData.size + 5,
                          request.typeData};
    TypeDataWriter response;
    PeerAction action;
    try {
      if (!inner_) inner_ = InnerMethod(innerType_).makePeer(context_);
      action = inner_->Process(view, &response);
    } catch (const MethodFailure& failure) {
      InnerFailed(failure, out);
      return;
    }
    if (action == PeerAction::kDiscard) {
      throw InvalidPacket("The TEAP server's inner request was malformed");
    }
    PutEapPayload(out, eap::EapCodeResponse, request.identifier, request.type,
                  ByteSpan{response.bytes().data(), response.bytes().size()});
  }

  // The inner method refused to go on (a TLS alert, a certificate it does not trust, its own
  // configuration): its words are the verdict's, and a failure Result tells the server.
  void InnerFailed(const MethodFailure& failure, std::vector<std::uint8_t>* out) {
    innerDone_ = true;
    innerVerdict_ = PeerVerdict();
    innerVerdict_.hasError = true;
    innerVerdict_.failureReason = failure.reasonCode != 0 ? failure.reasonCode : eap::EAP_E_AUTHENTICATION_FAILED;
    innerVerdict_.error = failure;
    innerFailed_ = true;
    PutStatus(out, kTlvResult, kStatusFailure);
  }

  void AnswerBasicPassword(std::vector<std::uint8_t>* out) {
    const PeerCredentials& credentials = *context_.credentials;
    const ByteSpan user{reinterpret_cast<const std::uint8_t*>(credentials.identity.data()),
                        credentials.identity.size()};
    if (!PutBasicPasswordAuthResp(out, user, credentials.password.span())) {
      PutNak(out, kTlvBasicPasswordAuthReq);
      return;
    }
    basicPassword_ = true;
  }

  // The inner method's verdict, once: true when it succeeded (or Basic-Password-Auth ran).
  bool ConcludeInner(bool serverSuccess) {
    if (innerDone_) return innerVerdict_.success;
    innerDone_ = true;
    innerVerdict_ = PeerVerdict();
    if (inner_) {
      inner_->Conclude(serverSuccess, &innerVerdict_);
    } else {
      innerVerdict_.success = serverSuccess && basicPassword_;
    }
    return innerVerdict_.success;
  }

  bool BindInner(const std::uint8_t tlv[kCryptoBindingSize]) {
    if (!chain_) return false;
    const ByteSpan msk = innerVerdict_.keys.msk.span();
    const ByteSpan emsk = innerVerdict_.keys.emsk.span();
    if (!inner_) {
      KeyChain trial(*chain_);
      trial.StepWithoutInnerMethod();
      if (CryptoBindingValid(trial, tlv, kBindingRequest, ServerOuter(), ByteSpan{nullptr, 0})) {
        *chain_ = trial;
        bound_ = true;
        return true;
      }
    }
    for (MsChapV2KeyOrder order : {MsChapV2KeyOrder::kWindows, MsChapV2KeyOrder::kHostap}) {
      if ((order == MsChapV2KeyOrder::kWindows && orders_ == tls::TeapKeyOrder::kHostap) ||
          (order == MsChapV2KeyOrder::kHostap && orders_ == tls::TeapKeyOrder::kWindows)) {
        continue;  // the configuration allows only the other order
      }
      Scrubbed ordered;
      ordered.bytes = InnerMskFor(innerType_, msk, order);
      KeyChain trial(*chain_);
      trial.Step(ByteSpan{ordered.bytes.data(), ordered.bytes.size()}, emsk);
      if (CryptoBindingValid(trial, tlv, kBindingRequest, ServerOuter(), ByteSpan{nullptr, 0})) {
        *chain_ = trial;
        bound_ = true;
        return true;
      }
      if (!inner_ || innerType_ != 26) break;  // only EAP-MSCHAPv2 has two orders
    }
    why_ = "The TEAP server's Crypto-Binding TLV does not verify: the tunnel and the inner "
           "authentication may belong to different sessions";
    return false;
  }

  void AnswerBinding(const std::uint8_t request[kCryptoBindingSize], std::vector<std::uint8_t>* out) {
    std::uint8_t nonce[kNonceSize];
    std::memcpy(nonce, request + kNonceOffset, kNonceSize);
    nonce[kNonceSize - 1] |= 0x01;  // §4.2.13: a response's nonce is the request's with its low bit set
    std::uint8_t tlv[kCryptoBindingSize];
    BuildCryptoBinding(*chain_, nonce, kBindingResponse, ServerOuter(), ByteSpan{nullptr, 0}, tlv);
    out->insert(out->end(), tlv, tlv + kCryptoBindingSize);
  }

  SecretBytes connectionData_;
  PeerContext context_;
  const std::uint8_t firstType_;
  const std::uint8_t secondType_;
  std::uint8_t innerType_;  // the current inner method's
  unsigned innerStarts_ = 0;  // inner Identity requests answered
  const tls::TeapKeyOrder orders_;
  std::unique_ptr<KeyChain> chain_;
  std::unique_ptr<PeerMethod> inner_;
  PeerVerdict innerVerdict_;
  bool innerDone_ = false;
  bool innerFailed_ = false;  // the inner method threw; the failure Result has been sent
  bool basicPassword_ = false;
  bool bound_ = false;
  bool phase2Success_ = false;
  std::string why_;
};
}  // namespace

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context) {
  tls::TlsConfig config;
  tls::ParseTlsConfig(context.connectionData, &config);
  // The certificate and key are the inner EAP-TLS's (it parses the connection data itself):
  // the outer handshake holds none, so it cannot show them to a server that asks.
  config.certificate.clear();
  config.privateKey.Clear();
  config.privateKeyPassword.Clear();
  config.pkcs12.Clear();
  return std::unique_ptr<PeerMethod>(new TeapPeer(context, config));
}

}  // namespace teap
}  // namespace eaphost
