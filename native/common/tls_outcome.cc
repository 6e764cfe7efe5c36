#include "tls_outcome.h"

#include <utility>

namespace eaphost {

namespace {
constexpr std::uint32_t kCauseData1 = 0xb7e3c0a4;
constexpr std::uint8_t kCauseData4[8] = {0x9c, 0x51, 0x6f, 0x0d, 0x2e, 0x8a, 0x4b, 0x13};
constexpr std::uint8_t kAlertPresent = 1;
constexpr std::uint8_t kAlertLocal = 2;

struct AlertName {
  std::uint8_t description;
  const char* name;
};

// RFC 8446 §6 and RFC 5246 §7.2 (the descriptions TLS 1.3 dropped are still sent by older peers).
constexpr AlertName kAlertNames[] = {
    {0, "close_notify"},
    {10, "unexpected_message"},
    {20, "bad_record_mac"},
    {21, "decryption_failed"},
    {22, "record_overflow"},
    {30, "decompression_failure"},
    {40, "handshake_failure"},
    {41, "no_certificate"},
    {42, "bad_certificate"},
    {43, "unsupported_certificate"},
    {44, "certificate_revoked"},
    {45, "certificate_expired"},
    {46, "certificate_unknown"},
    {47, "illegal_parameter"},
    {48, "unknown_ca"},
    {49, "access_denied"},
    {50, "decode_error"},
    {51, "decrypt_error"},
    {60, "export_restriction"},
    {70, "protocol_version"},
    {71, "insufficient_security"},
    {80, "internal_error"},
    {86, "inappropriate_fallback"},
    {90, "user_canceled"},
    {100, "no_renegotiation"},
    {109, "missing_extension"},
    {110, "unsupported_extension"},
    {111, "certificate_unobtainable"},
    {112, "unrecognized_name"},
    {113, "bad_certificate_status_response"},
    {114, "bad_certificate_hash_value"},
    {115, "unknown_psk_identity"},
    {116, "certificate_required"},
    {120, "no_application_protocol"},
};

void PutBigEndian(std::vector<std::uint8_t>* out, std::uint32_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out->push_back(static_cast<std::uint8_t>(value >> shift));
}

// Reads `bytes` big-endian bytes when that many are left.
bool TakeBigEndian(const eap::BYTE** at, std::size_t* left, int bytes, std::uint32_t* value) {
  if (*left < static_cast<std::size_t>(bytes)) return false;
  *value = 0;
  for (int i = 0; i < bytes; ++i) *value = *value << 8 | (*at)[i];
  *at += bytes;
  *left -= static_cast<std::size_t>(bytes);
  return true;
}
}  // namespace

eap::GUID TlsFailureGuid(const TlsFailure& failure) {
  eap::GUID guid{};
  guid.Data1 = kCauseData1;
  guid.Data2 = static_cast<std::uint16_t>(failure.reason);
  const std::uint8_t flags = static_cast<std::uint8_t>(
      (failure.alert.present ? kAlertPresent : 0) | (failure.alert.present && failure.alert.local ? kAlertLocal : 0));
  guid.Data3 = static_cast<std::uint16_t>(flags << 8 | (failure.alert.present ? failure.alert.description : 0));
  for (int i = 0; i < 8; ++i) guid.Data4[i] = kCauseData4[i];
  return guid;
}

bool DecodeTlsFailureGuid(const eap::GUID& guid, TlsFailure* failure) {
  if (guid.Data1 != kCauseData1) return false;
  for (int i = 0; i < 8; ++i) {
    if (guid.Data4[i] != kCauseData4[i]) return false;
  }
  const std::uint8_t flags = static_cast<std::uint8_t>(guid.Data3 >> 8);
  if (guid.Data2 == 0 || (flags & ~(kAlertPresent | kAlertLocal)) != 0) return false;
  failure->reason = static_cast<TlsFailReason>(guid.Data2);
  failure->alert.present = (flags & kAlertPresent) != 0;
  failure->alert.local = (flags & kAlertLocal) != 0;
  failure->alert.description = static_cast<std::uint8_t>(guid.Data3 & 0xff);
  return true;
}

const char* TlsFailReasonName(TlsFailReason reason) {
  switch (reason) {
    case TlsFailReason::kAlertReceived: return "alert-received";
    case TlsFailReason::kLocalFailure: return "local-failure";
    case TlsFailReason::kHelloRefused: return "hello-refused";
    case TlsFailReason::kEndedBeforeHandshake: return "ended-before-handshake";
    case TlsFailReason::kNoProgress: return "no-progress";
    case TlsFailReason::kFraming: return "framing";
    default: return "";
  }
}

std::string TlsAlertName(std::uint8_t description) {
  for (const AlertName& known : kAlertNames) {
    if (known.description == description) return known.name;
  }
  // std::to_string is kept out of code method modules link (method_error.h says why).
  std::string digits;
  unsigned value = description;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + value % 10));
    value /= 10;
  } while (value != 0);
  return "alert_" + digits;
}

std::vector<std::uint8_t> EncodeTlsOutcome(const TlsOutcome& outcome) {
  const std::size_t count = outcome.serverCertificates.size() < kMaxTlsOutcomeCertificates
                                ? outcome.serverCertificates.size()
                                : kMaxTlsOutcomeCertificates;
  std::vector<std::uint8_t> out;
  PutBigEndian(&out, kTlsOutcomeVendorId, 4);
  out.push_back(kTlsOutcomeVendorType);
  out.push_back(0);
  PutBigEndian(&out, outcome.version, 2);
  PutBigEndian(&out, static_cast<std::uint32_t>(count), 2);
  for (std::size_t i = 0; i < count; ++i) {
    const std::vector<std::uint8_t>& der = outcome.serverCertificates[i];
    PutBigEndian(&out, static_cast<std::uint32_t>(der.size()), 4);
    out.insert(out.end(), der.begin(), der.end());
  }
  PutBigEndian(&out, static_cast<std::uint32_t>(outcome.ocspStaple.size()), 4);
  out.insert(out.end(), outcome.ocspStaple.begin(), outcome.ocspStaple.end());
  return out;
}

bool DecodeTlsOutcome(const eap::EAP_ATTRIBUTE& attribute, TlsOutcome* outcome) {
  if (attribute.eaType != eap::eatVendorSpecific || attribute.pValue == nullptr) return false;
  const eap::BYTE* at = attribute.pValue;
  std::size_t left = attribute.dwLength;
  std::uint32_t vendor = 0, type = 0, version = 0, count = 0;
  if (!TakeBigEndian(&at, &left, 4, &vendor) || vendor != kTlsOutcomeVendorId || !TakeBigEndian(&at, &left, 2, &type) ||
      type != (static_cast<std::uint32_t>(kTlsOutcomeVendorType) << 8) || !TakeBigEndian(&at, &left, 2, &version) ||
      !TakeBigEndian(&at, &left, 2, &count) || count > kMaxTlsOutcomeCertificates) {
    return false;
  }
  TlsOutcome read;
  read.version = static_cast<std::uint16_t>(version);
  // `count` certificates, then the staple: each a length and its bytes.
  for (std::uint32_t i = 0; i <= count; ++i) {
    std::uint32_t size = 0;
    if (!TakeBigEndian(&at, &left, 4, &size) || size > left) return false;
    std::vector<std::uint8_t>& into = i < count ? read.serverCertificates.emplace_back() : read.ocspStaple;
    into.assign(at, at + size);
    at += size;
    left -= size;
  }
  if (left != 0) return false;
  *outcome = std::move(read);
  return true;
}

}  // namespace eaphost
