// What a TLS handshake of a peer method came to, as typed data a host reads instead of words
// (hostap's src/crypto/tls.h does the same: enum tls_fail_reason, alert is_local / description).
// Two carriers, each for what only it can reach through the EAPHost ABI:
//
// - Why a handshake failed travels in the failure's EAP_ERROR::rootCauseGuid, the SDK's field
//   for "what went wrong" beside the words, which both a thrown failure (a method call's
//   EAP_ERROR) and a concluded one (EapPeerGetResult's) carry:
//     {b7e3c0a4-RRRR-FFDD-9c51-6f0d2e8a4b13}
//   RRRR the TlsFailReason, FF the alert's flags (bit 0: an alert; bit 1: this side's own),
//   DD its description (RFC 8446 §6). Data1 and Data4 are fixed: no other cause looks like it.
// - What the handshake established (the negotiated version, the chain the server sent) travels
//   in one private attribute of EapPeerGetResult's pAttribArray, on success and failure alike,
//   beside the refusal attribute's vendor (method_refusal.h):
//     eaType eatVendorSpecific, value:
//       Vendor-Id (4, big-endian) 32473 | Vendor-Type (1) 2 | Vendor-Length (1) 0
//       version (2, big-endian; 0: none negotiated) | certificate count (2, big-endian)
//       then per certificate: length (4, big-endian) | DER
//       then the OCSP response the server stapled: length (4, big-endian; 0: none) | DER
//   Vendor-Length 0 keeps it from ever passing for a RADIUS Vendor-Specific.
// The reason values are identifiers programs act on: never renumbered, never reused.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../abi/eap_types.h"

namespace eaphost {

enum class TlsFailReason : std::uint16_t {
  kNone = 0,
  // The other side sent a fatal alert (the alert is its, not local).
  kAlertReceived = 1,
  // This side refused what the other sent (a version it did not offer, a malformed record):
  // the alert is the one the TLS library names for its error, local.
  kLocalFailure = 2,
  // The server answered the ClientHello with EAP-Failure and no TLS alert: no version or
  // cipher suite in common, as servers limited to TLS 1.0/1.1 refuse.
  kHelloRefused = 3,
  // The authenticator ended the conversation after its own TLS messages, before the handshake
  // was complete.
  kEndedBeforeHandshake = 4,
  // The handshake made no progress over the steps allowed.
  kNoProgress = 5,
  // The other side's EAP-TLS framing broke RFC 5216 §2.1.5 (a message past its TLS Message Length
  // or 64 KiB, fragments that never end, a fragment with M set and no data): no TLS to judge.
  kFraming = 6,
};

struct TlsAlertFact {
  bool present = false;
  bool local = false;  // this side's own alert (hostap's is_local)
  std::uint8_t description = 0;
};

struct TlsFailure {
  TlsFailReason reason = TlsFailReason::kNone;
  TlsAlertFact alert;
};

// The cause GUID of `failure`, and back: false when `guid` is not a TLS cause.
eap::GUID TlsFailureGuid(const TlsFailure& failure);
bool DecodeTlsFailureGuid(const eap::GUID& guid, TlsFailure* failure);

// The stable names: "alert-received", "local-failure", "hello-refused",
// "ended-before-handshake", "no-progress", "framing" (empty for kNone or an unknown value); an alert's
// RFC 8446 §6 / RFC 5246 §7.2 name ("protocol_version"), or "alert_N" for one no RFC names.
const char* TlsFailReasonName(TlsFailReason reason);
std::string TlsAlertName(std::uint8_t description);

constexpr eap::DWORD kTlsOutcomeVendorId = 32473;
constexpr eap::BYTE kTlsOutcomeVendorType = 2;
// A chain longer than this is cut (a server sends a handful; the bound keeps a hostile one from
// making a result of unbounded size).
constexpr std::size_t kMaxTlsOutcomeCertificates = 256;

struct TlsOutcome {
  std::uint16_t version = 0;  // the wire value, 0x0303 for TLS 1.2; 0 when none was negotiated
  std::vector<std::vector<std::uint8_t>> serverCertificates;  // leaf first, as sent
  std::vector<std::uint8_t> ocspStaple;                       // empty: none stapled
};

std::vector<std::uint8_t> EncodeTlsOutcome(const TlsOutcome& outcome);
// True when `attribute` is a TLS outcome, well-formed, every length inside the value.
bool DecodeTlsOutcome(const eap::EAP_ATTRIBUTE& attribute, TlsOutcome* outcome);

}  // namespace eaphost
