// libFuzzer target: the Diameter AVPs EAP-TTLS carries in its tunnel (RFC 5281 §10) and the
// inner EAP packets of phase-2 EAP (§11.2.4) carried in their EAP-Message AVPs. Every AVP the
// parser returns must lie inside the input; the inner packet then goes to both sides' inner EAP
// handling (with EAP-MSCHAPv2 from the catalog inside), twice, so the second pass reaches the
// inner method. Typed failures (MethodFailure) are the expected answer to bad input; anything
// else — a crash, a sanitizer report, another exception — is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "../native/methods/support/method_error.h"
#include "../native/methods/ttls/ttls_avp.h"
#include "../native/methods/ttls/ttls_inner_eap.h"

namespace {
using eaphost::ByteSpan;
using eaphost::MethodFailure;
using eaphost::ttls::InnerEapAuthenticator;
using eaphost::ttls::InnerEapPeer;

void DriveInnerEap(const std::vector<std::uint8_t>& packet) {
  ByteSpan span{packet.data(), packet.size()};
  eaphost::PeerCredentials credentials;
  credentials.identity = "fuzz";
  credentials.password.Assign(reinterpret_cast<const std::uint8_t*>("secret"), 6);
  credentials.present = true;
  InnerEapPeer peer(&credentials, 26);
  for (int pass = 0; pass < 2; ++pass) {
    try {
      peer.Process(span);
    } catch (const MethodFailure&) {
      break;
    }
  }
  InnerEapAuthenticator authenticator(26, {});  // none configured: follows a Nak as the default server does
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<std::uint8_t> request;
    try {
      if (authenticator.Receive(span, &request) != InnerEapAuthenticator::Step::kSend) break;
    } catch (const MethodFailure&) {
      break;
    }
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<eaphost::ttls::Avp> avps;
  if (!eaphost::ttls::ParseAvps(ByteSpan{data, size}, &avps)) return 0;
  for (const eaphost::ttls::Avp& avp : avps) {
    if (avp.data.data < data || avp.data.data + avp.data.size > data + size) std::abort();
  }
  std::vector<std::uint8_t> packet;
  try {
    if (!eaphost::ttls::JoinEapMessage(avps, &packet)) return 0;
  } catch (const MethodFailure&) {
    return 0;
  }
  DriveInnerEap(packet);
  return 0;
}
