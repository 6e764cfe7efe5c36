#include "tls_config.h"

#include <algorithm>
#include <cstring>

#include "../support/method_error.h"
// The inner methods, from the method table (generated at build time).
#include "method_table.h"

namespace eaphost {
namespace tls {

namespace {
using CdType = ConnectionDataType;
using CdFlag = ConnectionDataFlag;

MethodFailure Malformed(const std::string& why) {
  return MethodFailure{eap::kErrorInvalidData, 0, "The method's connection data " + why,
                       "Make the connection data with this package's configuration builder "
                       "(format eCFG version 1)"};
}

std::string Text(ByteSpan value) {
  return std::string(reinterpret_cast<const char*>(value.data), value.size);
}

// A fixed-size value: exactly its declared size.
void NeedSize(CdType type, ByteSpan value) {
  const std::size_t size = ConnectionDataValueSize(type);
  if (value.size != size) {
    throw Malformed(std::string("has a ") + ConnectionDataTypeName(type) + " field of " + Decimal(value.size) +
                    " bytes; it must be " + Decimal(size));
  }
}

void NeedText(CdType type, ByteSpan value, std::size_t limit) {
  if (value.size == 0 || value.size > limit) {
    throw Malformed(std::string("has a ") + ConnectionDataTypeName(type) + " field of " + Decimal(value.size) +
                    " bytes; it must hold 1 to " + Decimal(limit));
  }
  if (std::memchr(value.data, 0, value.size) != nullptr) {
    throw Malformed(std::string("has a NUL octet inside its ") + ConnectionDataTypeName(type) + " field");
  }
}

// A fixed-size big-endian number (flags, sessionLifetime).
std::uint32_t Number(CdType type, ByteSpan value) {
  NeedSize(type, value);
  return ConnectionDataNumber(value.data, value.size);
}

// The number of a one-bit flag, for the errors that name it.
constexpr unsigned BitOf(std::uint32_t flag) {
  unsigned bit = 0;
  while (flag > 1) {
    flag >>= 1;
    ++bit;
  }
  return bit;
}

// Which tunnel may carry an inner type is the tunnel's question (CheckInnerMethodFor): the blob
// does not say which method it configures.
std::uint8_t InnerType(CdType field, std::uint8_t type) {
  if (!IsTeapInnerMethodType(type)) {
    throw Malformed(std::string("asks in its ") + ConnectionDataTypeName(field) + " field for inner EAP type " +
                    Decimal(type) +
                    "; the inner methods are 26 (EAP-MSCHAPv2), 6 (EAP-GTC), 4 (EAP-MD5) "
                    "and, in TEAP only, 13 (EAP-TLS)");
  }
  return type;
}

std::uint16_t TlsVersion(CdType type, ByteSpan value) {
  const std::uint16_t version = static_cast<std::uint16_t>(Number(type, value));
  if (version < kTls10 || version > kTls13) {
    throw Malformed(std::string("asks for ") + ConnectionDataTypeName(type) + " " + Decimal(version >> 8) + "." +
                    Decimal(version & 0xFF) +
                    " (wire version); only 3.3 (TLS 1.2) and 3.4 (TLS 1.3) are supported, and 3.1 (TLS 1.0) "
                    "and 3.2 (TLS 1.1) with the obsolete-TLS flag");
  }
  return version;
}

// location | name length | name | selector | thumbprint or subject (the certStore type's layout).
StoreCertificate StoreCertificateOf(ByteSpan value) {
  StoreCertificate out;
  if (value.size < 4) throw Malformed("has a certStore field of " + Decimal(value.size) + " bytes; too short");
  if (value.data[0] != 1 && value.data[0] != 2) {
    throw Malformed("names certStore location " + Decimal(value.data[0]) + "; 1 CurrentUser, 2 LocalMachine");
  }
  out.location = static_cast<StoreLocation>(value.data[0]);
  const std::size_t nameSize = value.data[1];
  if (nameSize == 0 || nameSize > kMaxStoreNameSize || value.size < 2 + nameSize + 2) {
    throw Malformed("has a certStore store name of " + Decimal(nameSize) + " bytes; it must hold 1 to " +
                    Decimal(kMaxStoreNameSize) + " and be followed by a selector");
  }
  const ByteSpan name{value.data + 2, nameSize};
  if (std::memchr(name.data, 0, name.size) != nullptr || std::memchr(name.data, '\\', name.size) != nullptr) {
    throw Malformed("has a NUL or a backslash inside its certStore store name");
  }
  out.store = Text(name);
  const std::uint8_t selector = value.data[2 + nameSize];
  const ByteSpan rest{value.data + 3 + nameSize, value.size - 3 - nameSize};
  if (selector == 1) {
    if (rest.size != kThumbprintSize) {
      throw Malformed("has a certStore thumbprint of " + Decimal(rest.size) + " bytes; a SHA-1 thumbprint is 20");
    }
    out.thumbprint.assign(rest.data, rest.data + rest.size);
  } else if (selector == 2) {
    if (rest.size > kMaxNameSize || std::memchr(rest.data, 0, rest.size) != nullptr) {
      throw Malformed("has a certStore subject of " + Decimal(rest.size) + " bytes; it must hold 1 to " +
                      Decimal(kMaxNameSize) + ", no NUL");
    }
    out.subject = Text(rest);
  } else {
    throw Malformed("selects the certStore certificate by " + Decimal(selector) + "; 1 thumbprint, 2 subject");
  }
  out.encoded.assign(value.data, value.data + value.size);
  out.given = true;
  return out;
}
}  // namespace

std::string StoreCertificateName(const StoreCertificate& ref) {
  std::string name = ref.location == StoreLocation::kLocalMachine ? "LocalMachine\\" : "CurrentUser\\";
  name += ref.store;
  if (ref.thumbprint.empty()) return name + ", subject containing \"" + ref.subject + "\"";
  static const char kDigits[] = "0123456789ABCDEF";
  name += ", thumbprint ";
  for (std::uint8_t b : ref.thumbprint) {
    name.push_back(kDigits[b >> 4]);
    name.push_back(kDigits[b & 15]);
  }
  return name;
}

namespace {

void ReadFlags(ByteSpan value, TlsConfig* out) {
  const std::uint32_t flags = Number(CdType::kFlags, value);
  if ((flags & ~CdFlag::kDeclared) != 0) {
    throw Malformed("sets flags " + Decimal(flags) + "; only bits 0 to " + Decimal(CdFlag::kLastBit) + " are defined");
  }
  constexpr std::uint32_t kBothKeyOrders = CdFlag::kTeapWindowsMsChapV2Keys | CdFlag::kTeapHostapMsChapV2Keys;
  if ((flags & kBothKeyOrders) == kBothKeyOrders) {
    throw Malformed("sets both TEAP key orders (flags bits " + Decimal(BitOf(CdFlag::kTeapWindowsMsChapV2Keys)) +
                    " and " + Decimal(BitOf(CdFlag::kTeapHostapMsChapV2Keys)) + ")");
  }
  auto set = [flags](std::uint32_t flag) { return (flags & flag) != 0; };
  out->insecure = set(CdFlag::kInsecure);
  out->requireCryptoBinding = set(CdFlag::kRequireCryptoBinding);
  out->allowWeakRsa = set(CdFlag::kAllowWeakRsa);
  out->fastReconnect = !set(CdFlag::kNoFastReconnect);
  out->crlChain = set(CdFlag::kCrlChain);
  out->allowStaleCrl = set(CdFlag::kAllowStaleCrl);
  out->ocspResponderFailOpen = set(CdFlag::kOcspResponderFailOpen);
  out->allowObsoleteTls = set(CdFlag::kAllowObsoleteTls);
  out->teapMsChapV2KeyOrder = set(CdFlag::kTeapWindowsMsChapV2Keys)  ? TeapKeyOrder::kWindows
                              : set(CdFlag::kTeapHostapMsChapV2Keys) ? TeapKeyOrder::kHostap
                                                                     : TeapKeyOrder::kAny;
  out->teapBasicPassword = set(CdFlag::kTeapBasicPassword);
  out->teapChaining = set(CdFlag::kTeapChaining);
  out->privateAttributes = set(CdFlag::kPrivateAttributes);
}

void ReadInnerMethods(ByteSpan value, TlsConfig* out) {
  if (value.size == 0 || value.size > kMaxInnerMethods) {
    throw Malformed("has an innerMethod field of " + Decimal(value.size) + " bytes; it must hold 1 to " +
                    Decimal(kMaxInnerMethods) + " EAP types");
  }
  for (std::size_t i = 0; i < value.size; ++i) {
    InnerType(CdType::kInnerMethod, value.data[i]);
    if (std::memchr(value.data, value.data[i], i) != nullptr) {
      throw Malformed("names inner EAP type " + Decimal(value.data[i]) + " twice");
    }
  }
  out->innerMethods.assign(value.data, value.data + value.size);
  out->innerMethod = value.data[0];
}

// One field's value into `out`, its bounds checked before it is read. No default: a type declared
// in seam/connection_data.js and not read here does not compile (-Wswitch).
void ReadField(CdType type, ByteSpan value, TlsConfig* out) {
  switch (type) {
    case CdType::kCa:
      NeedText(type, value, kMaxPemSize);
      out->ca = Text(value);
      break;
    case CdType::kServerName:
      NeedText(type, value, kMaxNameSize);
      out->serverNames.push_back(Text(value));
      break;
    case CdType::kFlags: ReadFlags(value, out); break;
    case CdType::kTlsMin: out->tlsMin = TlsVersion(type, value); break;
    case CdType::kTlsMax: out->tlsMax = TlsVersion(type, value); break;
    case CdType::kInnerMethod: ReadInnerMethods(value, out); break;
    case CdType::kTeapSecondInner:
      NeedSize(type, value);
      out->teapSecondInnerMethod = InnerType(type, value.data[0]);
      break;
    case CdType::kPhase2:
      NeedSize(type, value);
      if (value.data[0] < 1 || value.data[0] > 5) {
        throw Malformed("asks for TTLS phase 2 " + Decimal(value.data[0]) +
                        "; it must be 1 (PAP), 2 (CHAP), 3 (MS-CHAP), 4 (MS-CHAPv2) or 5 "
                        "(EAP)");
      }
      out->phase2 = static_cast<Phase2>(value.data[0]);
      out->phase2Given = true;
      break;
    case CdType::kCertificate:
      NeedText(type, value, kMaxPemSize);
      out->certificate = Text(value);
      break;
    case CdType::kPrivateKey:
      NeedText(type, value, kMaxPemSize);
      out->privateKey.Assign(value.data, value.size);
      break;
    case CdType::kPrivateKeyPassword:
      if (value.size > kMaxPemSize) throw Malformed("has an overlong privateKeyPassword");
      out->privateKeyPassword.Assign(value.data, value.size);
      break;
    case CdType::kAnonymousIdentity:
      NeedText(type, value, kMaxNameSize);
      out->anonymousIdentity = Text(value);
      break;
    case CdType::kPkcs12:
      if (value.size == 0 || value.size > kMaxPemSize) {
        throw Malformed("has a pkcs12 field of " + Decimal(value.size) + " bytes; it must hold 1 to " +
                        Decimal(kMaxPemSize));
      }
      out->pkcs12.Assign(value.data, value.size);
      break;
    case CdType::kSessionLifetime: {
      const std::uint32_t seconds = Number(type, value);
      if (seconds > kMaxSessionLifetime) {
        throw Malformed("asks for a session lifetime of " + Decimal(seconds) + " seconds; at most " +
                        Decimal(kMaxSessionLifetime) + " (7 days)");
      }
      out->sessionLifetime = seconds;
      break;
    }
    case CdType::kCrl:
      NeedText(type, value, kMaxPathSize);
      if (out->crlFiles.size() == kMaxCrlFiles) {
        throw Malformed("names more than " + Decimal(kMaxCrlFiles) + " CRL files");
      }
      out->crlFiles.push_back(Text(value));
      break;
    case CdType::kOcspResponse:
      NeedText(type, value, kMaxPathSize);
      out->ocspResponseFile = Text(value);
      break;
    case CdType::kOcsp:
      NeedSize(type, value);
      if (value.data[0] > 2) {
        throw Malformed("asks for ocsp mode " + Decimal(value.data[0]) + "; 0 off, 1 request, 2 require");
      }
      out->ocsp = static_cast<OcspMode>(value.data[0]);
      break;
    case CdType::kOcspResponder:
      NeedText(type, value, kMaxPathSize);
      out->ocspResponder = Text(value);
      break;
    case CdType::kCertStore: out->certStore = StoreCertificateOf(value); break;
    case CdType::kTicketKey:
      NeedSize(type, value);
      out->ticketKey.Assign(value.data, value.size);
      break;
  }
}

// What the fields say together, once all are read.
void CheckTogether(const TlsConfig& config) {
  if ((config.crlChain || config.allowStaleCrl) && config.crlFiles.empty()) {
    throw Malformed("sets a CRL flag (crlChain or allowStaleCrl) without a crl field");
  }
  if (config.ocspResponderFailOpen && config.ocspResponder.empty()) {
    throw Malformed("sets the OCSP fail-open flag without an ocspResponder field");
  }
  if (config.certStore.given &&
      (config.pkcs12.size() != 0 || !config.certificate.empty() || config.privateKey.size() != 0)) {
    throw Malformed("names a certStore certificate and a certificate or pkcs12 too; give one");
  }
  if (config.ticketKey.size() != 0 && config.sessionLifetime == 0) {
    throw Malformed("gives a ticketKey with a session lifetime of 0 (resumption off)");
  }
  if (config.tlsMin > config.tlsMax) {
    throw Malformed("asks for a minimum TLS version above its maximum");
  }
  // TLS 1.0 and 1.1 (RFC 8996) only when asked for by name: what `eaphost audit` probes with.
  if (config.tlsMin < kTls12 && !config.allowObsoleteTls) {
    throw Malformed("asks for TLS 1.0 or 1.1 without the obsolete-TLS flag (bit " +
                    Decimal(BitOf(CdFlag::kAllowObsoleteTls)) + ")");
  }
}

}  // namespace

void ParseTlsConfig(ByteSpan blob, TlsConfig* out) {
  if (blob.size == 0) return;
  if (blob.size > kMaxConnectionDataSize) {
    throw Malformed("is " + Decimal(blob.size) + " bytes; the limit is " + Decimal(kMaxConnectionDataSize));
  }
  if (blob.size < 5 || std::memcmp(blob.data, kConnectionDataMagic, 4) != 0) {
    throw Malformed("does not start with the \"eCFG\" magic");
  }
  if (blob.data[4] != kConnectionDataVersion) {
    throw Malformed("has format version " + Decimal(blob.data[4]) + "; this module reads 1");
  }
  std::uint32_t seen = 0;  // a bit per type (the declaration keeps them below 32)
  std::size_t at = 5;
  while (at < blob.size) {
    if (blob.size - at < kConnectionDataTlvHeader) {
      throw Malformed("ends inside a field header at offset " + Decimal(at));
    }
    const std::uint8_t number = blob.data[at];
    const std::size_t length = ConnectionDataNumber(blob.data + at + 1, 4);
    at += kConnectionDataTlvHeader;
    if (length > blob.size - at) {
      throw Malformed("has a field of type " + Decimal(number) + " claiming " + Decimal(length) + " bytes where " +
                      Decimal(blob.size - at) + " remain");
    }
    const ByteSpan value{blob.data + at, length};
    at += length;
    // Unknown types are refused, not skipped: a version-1 reader never guesses.
    if (!IsConnectionDataType(number)) {
      throw Malformed("has a field of unknown type " + Decimal(number));
    }
    const CdType type = static_cast<CdType>(number);
    if (!ConnectionDataRepeatable(type) && (seen & (1u << number)) != 0) {
      throw Malformed(std::string("has the ") + ConnectionDataTypeName(type) + " field twice");
    }
    seen |= 1u << number;
    ReadField(type, value, out);
  }
  CheckTogether(*out);
}

bool IsInnerMethodType(std::uint8_t type) {
#define EAPHOST_IS_INNER(name, inner) if (type == inner) return true;
  EAPHOST_INNER_METHOD_TABLE(EAPHOST_IS_INNER)
#undef EAPHOST_IS_INNER
  return false;
}

bool IsTeapInnerMethodType(std::uint8_t type) {
#define EAPHOST_IS_TEAP_INNER(name, inner) if (type == inner) return true;
  EAPHOST_TEAP_INNER_METHOD_TABLE(EAPHOST_IS_TEAP_INNER)
#undef EAPHOST_IS_TEAP_INNER
  return false;
}

void CheckInnerMethodFor(std::uint8_t tunnelType, const char* tunnelName, const TlsConfig& config) {
  // EAP-TLS carries nothing, and as TEAP's inner method it is given TEAP's configuration.
  if (tunnelType != kEapTypeTeap && tunnelType != kEapTypePeap && tunnelType != kEapTypeTtls) return;
  if (tunnelType != kEapTypeTeap && config.teapSecondInnerMethod != 0) {
    throw Malformed(std::string("gives ") + tunnelName + " a second inner method; only TEAP chains inner methods");
  }
  std::vector<std::uint8_t> types = config.innerMethods;
  if (config.teapSecondInnerMethod != 0) types.push_back(config.teapSecondInnerMethod);
  for (std::uint8_t type : types) {
    const bool carried = tunnelType == kEapTypeTeap ? IsTeapInnerMethodType(type) : IsInnerMethodType(type);
    if (carried) continue;
    throw Malformed(std::string("asks ") + tunnelName + " to carry inner EAP type " + Decimal(type) + "; it carries " +
                    (tunnelType == kEapTypeTeap ? EAPHOST_TEAP_INNER_METHOD_NAMES : EAPHOST_INNER_METHOD_NAMES));
  }
}

std::uint8_t InnerTypeAfterNak(const std::vector<std::uint8_t>& offered, std::uint8_t proposed, ByteSpan desired) {
  for (std::size_t i = 0; i < desired.size; ++i) {
    const std::uint8_t type = desired.data[i];
    if (type == proposed) continue;
    const bool allowed = offered.empty() ? IsInnerMethodType(type)
                                         : std::find(offered.begin(), offered.end(), type) != offered.end();
    if (allowed) return type;
  }
  return 0;
}

}  // namespace tls
}  // namespace eaphost
