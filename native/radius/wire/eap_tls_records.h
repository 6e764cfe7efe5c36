// What an EAP-Response of a TLS-based method carries, read in place before the method sees it:
// whether it brings a TLS tunnel's records alone. The RADIUS engine weighs a step by it
// (server/radius_handler_eap.cc): which steps are worth a step thread (server/radius_step_pool.h).
//
// A full handshake costs its server one private-key operation and one key exchange, and both
// answer a handshake message the client sends in the clear: the ClientHello (TLS 1.2's
// ServerKeyExchange signature; TLS 1.3's CertificateVerify and key share) and TLS 1.2's
// ClientKeyExchange (its ECDHE or RSA key exchange; its encrypted Finished rides in a handshake
// record too). Everything after the handshake is the tunnel's symmetric work and the inner
// method's (MS-CHAPv2's hashes), a few tens of microseconds: handing such a step to a step thread
// and taking it back (a wake on each side) cost about as much as the step, 7 µs a step of the
// ~570 µs a PEAP authentication took (2026-11-29, `serve-vs-servers --methods peap`: every step
// handed over 0.565 and 0.57 ms an authentication, none 0.515 and 0.515).
//
// So a step of a type in laneStepTypes runs on the lane thread when its message is whole (no
// More-Fragments flag, and none on the message before it: the last fragment of a message need
// not begin with a record) and tiles into records of the tunnel's kinds alone: change_cipher_spec
// (20), alert (21) and application_data (23; TLS 1.3's encrypted handshake too). An empty one is a
// fragment's acknowledgement. Anything else (a handshake record, a record cut short, a TEAP Outer
// TLV, a Start flag) goes to a step thread as before. Only types whose authenticator signs nothing
// and checks no certificate past the handshake are listed (lib/session/authenticator.ts: PEAP,
// EAP-TTLS, TEAP without an inner EAP-TLS; an inner EAP-TLS signs in the tunnel), and EAP-TLS when
// no OCSP responder is asked, for its handshake steps alone (radius_lane_headroom.h). EAP-TLS has
// no tunnel: its application_data records are a TLS 1.3 client's encrypted Certificate,
// CertificateVerify and Finished, whose checks are the handshake's, so none of its messages is
// the tunnel's (kEapTypeTls), and each one is weighed as a handshake step.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../common/eap_tls_flags.h"

namespace eaphost::radius {

constexpr uint8_t kEapTypeTls = 13;   // RFC 5216: no tunnel, its records are the handshake's
constexpr uint8_t kEapTypeTeap = 55;  // RFC 9930 §4.1: its Flags may say Outer TLVs follow

// Whether `eap` (a whole EAP-Response of a TLS-based type) brings the tunnel's records alone;
// `previousMore`: the conversation's message before it had the More-Fragments flag.
inline bool TunnelRecordsOnly(const uint8_t* eap, size_t size, bool previousMore) {
  constexpr size_t kFlagsAt = 5;
  constexpr size_t kRecordHeader = 5;  // type, version (2), length (2)
  if (previousMore || size <= kFlagsAt || eap[4] == kEapTypeTls) return false;
  const uint8_t flags = eap[kFlagsAt];
  if ((flags & (tls::kFlagMore | tls::kFlagStart)) != 0) return false;
  if (eap[4] == kEapTypeTeap && (flags & tls::kFlagOuterTlvs) != 0) return false;
  size_t at = kFlagsAt + 1 + ((flags & tls::kFlagLength) != 0 ? 4 : 0);
  if (at > size) return false;
  while (at < size) {
    if (size - at < kRecordHeader) return false;
    const uint8_t type = eap[at];
    if (type != 20 && type != 21 && type != 23) return false;
    const size_t length = (static_cast<size_t>(eap[at + 3]) << 8) | eap[at + 4];
    if (length > size - at - kRecordHeader) return false;
    at += kRecordHeader + length;
  }
  return true;
}

// The More-Fragments flag of a TLS-based type's EAP-Response (false when it has no Flags).
inline bool MoreFragments(const uint8_t* eap, size_t size) { return size > 5 && (eap[5] & tls::kFlagMore) != 0; }

}  // namespace eaphost::radius
