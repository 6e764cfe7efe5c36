// EAP-TTLS (type 21; RFC 5281): a TLS tunnel carrying Diameter AVPs for phase 2 — PAP, CHAP,
// MS-CHAP, MS-CHAPv2 (their challenges from the TLS keys, "ttls challenge") or inner EAP
// (EAP-MSCHAPv2, EAP-GTC, EAP-MD5 from the catalog); MSK and EMSK from "ttls keying material"
// (RFC 9427 exporter on TLS 1.3).
#pragma once

#include <memory>

#include "../method.h"
#include "../support/method_identity.h"
#include "../tls/tls_flow.h"

namespace eaphost {
namespace ttls {

constexpr const char* kKeyLabel = "ttls keying material";
constexpr const char* kChallengeLabel = "ttls challenge";
extern const MethodDescriptor kDescriptor;

constexpr tls::TlsMethodInfo kInfo{kEapTypeTtls, kMethodTitleTtls};

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context);
std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context);

}  // namespace ttls
}  // namespace eaphost
