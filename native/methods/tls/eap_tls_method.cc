// EAP-TLS on the TLS flow: the peer presents its certificate; with TLS 1.3 the server's one
// application byte 0x00 (RFC 9190 §2.5) says the handshake is over and no more will follow. A
// peer also takes the close_notify that drafts of RFC 9190 ended with: it says the same.
#include "eap_tls_method.h"

#include "../support/method_identity.h"
#include "tls_errors.h"
#include "tls_flow.h"
#include "tls_keys.h"

namespace eaphost {
namespace tls {

namespace {
constexpr TlsMethodInfo kInfo{kEapTypeTls, kMethodTitleTls};
constexpr const char* kLabel = "client EAP encryption";
constexpr std::uint8_t kCommitment = 0x00;

TlsConfig ConfigFrom(ByteSpan connectionData) {
  TlsConfig config;
  ParseTlsConfig(connectionData, &config);
  return config;
}

class EapTlsPeer final : public TlsPeerFlow {
 public:
  EapTlsPeer(const PeerContext& context, const TlsConfig& config)
      : TlsPeerFlow(context, config, kInfo, true), boundByTunnel_(context.keysBoundByTunnel) {}

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override {
    // A resumed TLS 1.3 handshake has no certificate left to verify: the server's Finished,
    // made with the resumption secret, is its proof, and hostapd sends EAP-Success right after
    // our Finished without a commitment message (as wpa_supplicant accepts). Inside TEAP the
    // tunnel's Crypto-Binding, keyed with this handshake's keys, proves the server finished it;
    // hostapd 2.10 sends no commitment message there (it asks whether the outer method is EAP-TLS).
    // A close_notify (draft-era servers) authenticates that nothing follows, as the byte does.
    bool complete = established() && (!engine().tls13() || committed_ || engine().closed() ||
                                      engine().resumed() || boundByTunnel_);
    if (hostSuccess && complete) {
      DeriveMethodKeys(engine(), kEapTypeTls, kLabel, &verdict->keys);
      verdict->success = true;
      return;
    }
    if (HandshakeRefused(hostSuccess, verdict)) return;
    verdict->hasError = true;
    if (!hostSuccess && established()) {
      verdict->failureReason = kEapUserCertRejected;
      verdict->error = MethodFailure{kEapUserCertRejected, kEapUserCertRejected,
                                     "The EAP-TLS server ended with EAP-Failure after the TLS "
                                     "handshake: it did not accept the client certificate",
                                     "Check that the server trusts the client certificate's CA"};
    } else if (hostSuccess) {
      verdict->failureReason = eap::EAP_E_AUTHENTICATION_FAILED;
      verdict->error = MethodFailure{eap::EAP_E_AUTHENTICATION_FAILED,
                                     eap::EAP_E_AUTHENTICATION_FAILED,
                                     "The EAP-TLS server sent EAP-Success before the TLS "
                                     "handshake was complete; it never proved itself",
                                     std::string()};
    } else {
      verdict->failureReason = eap::EAP_E_AUTHENTICATION_FAILED;
      verdict->error = MethodFailure{eap::EAP_E_AUTHENTICATION_FAILED,
                                     eap::EAP_E_AUTHENTICATION_FAILED,
                                     "The EAP-TLS server ended with EAP-Failure before the TLS "
                                     "handshake was complete",
                                     std::string()};
    }
  }

 protected:
  void OnTunnelData(std::vector<std::uint8_t>* plain) override {
    if (!engine().tls13() || committed_ || plain->size() != 1 || (*plain)[0] != kCommitment) {
      throw InvalidPacket("The EAP-TLS server sent application data other than the TLS 1.3 "
                          "commitment byte 0x00");
    }
    committed_ = true;
  }

 private:
  bool committed_ = false;
  const bool boundByTunnel_;
};

class EapTlsAuthenticator final : public TlsAuthenticatorFlow {
 public:
  EapTlsAuthenticator(const AuthenticatorContext& context, const TlsConfig& config)
      : TlsAuthenticatorFlow(context, config, kInfo, true) {}

  void Conclude(AuthenticatorVerdict* verdict) override {
    if (succeeded_ && !failed()) {
      DeriveMethodKeys(engine(), kEapTypeTls, kLabel, &verdict->keys);
      verdict->success = true;
      return;
    }
    verdict->failureReason = failed() ? failureReason() : eap::EAP_E_AUTHENTICATION_FAILED;
    TellFailure(verdict);
  }

 protected:
  AuthenticatorAction OnTunnelUp() override {
    if (!engine().tls13()) {
      succeeded_ = true;
      return AuthenticatorAction::kResult;
    }
    const std::uint8_t commitment[1] = {kCommitment};
    SendInTunnel(ByteSpan{commitment, 1});
    committed_ = true;
    return Flush();
  }

  AuthenticatorAction OnTunnelData(std::vector<std::uint8_t>*) override {
    return Fail(InvalidPacket("The EAP-TLS peer sent application data"));
  }

  AuthenticatorAction OnPeerAck() override {
    if (!committed_) return TlsAuthenticatorFlow::OnPeerAck();
    succeeded_ = true;
    return AuthenticatorAction::kResult;
  }

 private:
  bool committed_ = false;
  bool succeeded_ = false;
};

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context) {
  return std::unique_ptr<PeerMethod>(new EapTlsPeer(context, ConfigFrom(context.connectionData)));
}

std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context) {
  return std::unique_ptr<AuthenticatorMethod>(
      new EapTlsAuthenticator(context, ConfigFrom(context.connectionData)));
}
}  // namespace

const MethodDescriptor kDescriptor = {kEapTypeTls, kMethodTitleTls, false, MakePeer, MakeAuthenticator,
                                      OuterIdentity};

}  // namespace tls
}  // namespace eaphost
