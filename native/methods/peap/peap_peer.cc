// The PEAPv0 peer: answers the inner Identity request with the user's identity, runs the inner
// method, and answers the Result TLV with its own — with a Cryptobinding TLV when the server sent
// one (and refusing success without one when the configuration requires it).
#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/method_catalog.h"
#include "../tls/tls_flow.h"
#include "../tls/tls_keys.h"
#include "peap_keys.h"
#include "peap_method.h"
#include "peap_tlv.h"

namespace eaphost {
namespace peap {

namespace {

class PeapPeer final : public tls::TlsPeerFlow {
 public:
  PeapPeer(const PeerContext& context, const tls::TlsConfig& config)
      : TlsPeerFlow(context, config, kInfo, false),
        context_(PeerContext{context.credentials, 0xFFFF, ByteSpan{}, false, context.userToken}),
        innerType_(config.innerMethod),
        requireBinding_(config.requireCryptoBinding) {}

  ~PeapPeer() override {
    SecureZero(ipmk_, sizeof(ipmk_));
    SecureZero(cmk_, sizeof(cmk_));
  }

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override {
    if (hostSuccess && phase2Success_) {
      verdict->success = true;
      DeriveSessionKeys(engine(), bound_, ipmk_, &verdict->keys);
      return;
    }
    ConcludeTunnelFailure(hostSuccess, innerVerdict_, why_, verdict);
  }

 protected:
  void OnTunnelData(std::vector<std::uint8_t>* plain) override {
    const std::vector<std::uint8_t>& data = *plain;
    // Extensions packets keep their header; so does an Identity request from some servers.
    bool headed = data.size() >= 5 && data[0] == eap::EapCodeRequest &&
                  static_cast<std::size_t>(data[2] << 8 | data[3]) == data.size() &&
                  (data[4] == kEapTypeExtensions || (data[4] == kTypeIdentity && data.size() == 5));
    std::uint8_t identifier = headed ? data[1] : packetIdentifier();
    ByteSpan body = headed ? ByteSpan{data.data() + 4, data.size() - 4}
                           : ByteSpan{data.data(), data.size()};
    if (body.size == 0) throw InvalidPacket("The PEAP server sent an empty phase-2 packet");
    std::uint8_t type = body.data[0];
    ByteSpan typeData{body.data + 1, body.size - 1};
    std::vector<std::uint8_t> answer;
    if (type == kEapTypeExtensions) {
      if (!headed) throw InvalidPacket("The PEAP server sent an Extensions packet without its header");
      AnswerExtensions(identifier, typeData, &answer);
    } else if (type == kTypeIdentity) {
      answer.push_back(kTypeIdentity);
      const std::string& identity = context_.credentials->identity;
      answer.insert(answer.end(), identity.begin(), identity.end());
    } else if (type != innerType_) {
      answer = {kTypeNak, innerType_};
    } else {
      if (!inner_) inner_ = InnerMethod(innerType_).makePeer(context_);
      MethodPacketView view{eap::EapCodeRequest, identifier, type, body.size + 4, typeData};
      TypeDataWriter response;
      if (inner_->Process(view, &response) == PeerAction::kDiscard) return;
      answer.push_back(type);
      answer.insert(answer.end(), response.bytes().begin(), response.bytes().end());
    }
    SendInTunnel(ByteSpan{answer.data(), answer.size()});
    SecureZero(answer.data(), answer.size());
  }

 private:
  void AnswerExtensions(std::uint8_t identifier, ByteSpan tlvs, std::vector<std::uint8_t>* answer) {
    TlvSet set;
    if (!ParseTlvs(tlvs, &set)) throw InvalidPacket("The PEAP server sent malformed TLVs");
    if (!set.hasResult) throw InvalidPacket("The PEAP server sent TLVs without a Result TLV");
    std::uint16_t status = kResultFailure;
    bool bind = false;
    // MS-PEAP fast reconnect: on a resumed TLS session the server may skip phase 2 and send
    // its Result TLV at once; the tunnel keys alone (an all-zero inner key) then bind it.
    const bool fastReconnect = set.result == kResultSuccess && !inner_ && engine().resumed();
    if (fastReconnect) {
      innerVerdict_ = PeerVerdict();
      innerVerdict_.success = true;
    } else if (set.result == kResultSuccess && inner_) {
      innerVerdict_ = PeerVerdict();
      inner_->Conclude(true, &innerVerdict_);
    }
    if (set.result == kResultSuccess && (inner_ || fastReconnect)) {
      if (!innerVerdict_.success) {
        why_ = "The PEAP server reported success, but the inner method did not complete";
      } else if (set.hasCryptobinding) {
        bind = Bind(set);
        if (!bind) why_ = "The PEAP server's Cryptobinding TLV does not verify: the tunnel and the "
                          "inner authentication may belong to different sessions";
      } else if (requireBinding_) {
        why_ = "The PEAP server sent no Cryptobinding TLV and the configuration requires one";
      } else {
        status = kResultSuccess;
      }
      if (bind) status = kResultSuccess;
    } else if (set.result == kResultSuccess) {
      why_ = "The PEAP server reported success before any inner authentication";
    } else if (inner_) {
      innerVerdict_ = PeerVerdict();
      inner_->Conclude(false, &innerVerdict_);
    }
    if (set.unknownMandatory) {
      status = kResultFailure;
      why_ = "The PEAP server sent a mandatory TLV of unknown type " + Decimal(set.unknownType);
    }
    phase2Success_ = status == kResultSuccess;
    std::vector<std::uint8_t> tlvsOut;
    PutResultTlv(&tlvsOut, status);
    if (bind && status == kResultSuccess &&
        !PutCryptobindingTlv(&tlvsOut, set.cryptobinding + 8, 1, cmk_)) {
      throw InternalFailure("PEAP cryptobinding failed");
    }
    bound_ = bind && status == kResultSuccess;
    std::size_t length = 5 + tlvsOut.size();
    *answer = {eap::EapCodeResponse, identifier, static_cast<std::uint8_t>(length >> 8),
               static_cast<std::uint8_t>(length), kEapTypeExtensions};
    answer->insert(answer->end(), tlvsOut.begin(), tlvsOut.end());
  }

  // The server's Compound MAC decides which tunnel key it used: the one cut from the 128-byte
  // key material (RFC 9427, wpa_supplicant, our authenticator) or, on TLS 1.3, hostapd 2.10's
  // from a 64-byte export. Both come from this tunnel's own keys, so accepting either binds the
  // inner method to this tunnel all the same.
  bool Bind(const TlvSet& set) {
    std::uint8_t material[tls::kKeyMaterialSize];
    tls::DeriveKeyMaterial(engine(), kEapTypePeap, kKeyLabel, material);
    auto bindWith = [&](const std::uint8_t* tk) {
      if (!inner_) {
        // Fast reconnect: no inner method, so no compound step; the IPMK and CMK are cut straight
        // from the tunnel key, as hostapd and Windows do.
        std::memcpy(ipmk_, tk, kIpmkSize);
        std::memcpy(cmk_, tk + kIpmkSize, kCmkSize);
      } else if (!CompoundKeys(tk, innerVerdict_.keys.msk.span(), ipmk_, cmk_)) {
        return false;
      }
      return CryptobindingValid(set.cryptobinding, 0, cmk_);
    };
    bool ok = bindWith(material);
    if (!ok && engine().tls13()) {
      tls::DeriveTunnelKeyMaterial(engine(), kEapTypePeap, kKeyLabel, material);
      ok = bindWith(material);
    }
    SecureZero(material, sizeof(material));
    return ok;
  }

  PeerContext context_;
  const std::uint8_t innerType_;
  const bool requireBinding_;
  std::unique_ptr<PeerMethod> inner_;
  PeerVerdict innerVerdict_;
  bool phase2Success_ = false;
  bool bound_ = false;
  std::string why_;
  std::uint8_t ipmk_[kIpmkSize] = {};
  std::uint8_t cmk_[kCmkSize] = {};
};
}  // namespace

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context) {
  tls::TlsConfig config;
  tls::ParseTlsConfig(context.connectionData, &config);
  return std::unique_ptr<PeerMethod>(new PeapPeer(context, config));
}

}  // namespace peap
}  // namespace eaphost
