#include "teap_tlv.h"

#include <cstring>

namespace eaphost {
namespace teap {

namespace {
std::uint16_t Be16(const std::uint8_t* at) { return static_cast<std::uint16_t>(at[0] << 8 | at[1]); }

bool TakeStatus(ByteSpan value, std::uint16_t* into) {
  if (*into != 0 || value.size != 2) return false;
  std::uint16_t status = Be16(value.data);
  if (status != kStatusSuccess && status != kStatusFailure) return false;
  *into = status;
  return true;
}

void PutHeader(std::vector<std::uint8_t>* out, std::uint16_t type, std::size_t length) {
  out->push_back(static_cast<std::uint8_t>(type >> 8));
  out->push_back(static_cast<std::uint8_t>(type));
  out->push_back(static_cast<std::uint8_t>(length >> 8));
  out->push_back(static_cast<std::uint8_t>(length));
}
}  // namespace

bool ParseTlvs(ByteSpan data, Tlvs* out) {
  std::size_t at = 0;
  while (at < data.size) {
    if (data.size - at < 4) return false;
    const std::uint8_t* header = data.data + at;
    const bool mandatory = (header[0] & 0x80) != 0;
    const std::uint16_t type = static_cast<std::uint16_t>(Be16(header) & 0x3FFF);
    const std::size_t length = Be16(header + 2);
    if (length > data.size - at - 4) return false;
    const ByteSpan value{header + 4, length};
    switch (type) {
      case kTlvResult:
        if (!TakeStatus(value, &out->result)) return false;
        break;
      case kTlvIntermediateResult:
        // An Intermediate-Result may carry TLVs behind its status; only the status counts here.
        if (length < 2) return false;
        if (!TakeStatus(ByteSpan{value.data, 2}, &out->intermediateResult)) return false;
        break;
      case kTlvIdentityType:
        if (out->identityType != 0 || length != 2) return false;
        out->identityType = Be16(value.data);
        if (out->identityType != kIdentityTypeUser && out->identityType != kIdentityTypeMachine) return false;
        break;
      case kTlvCryptoBinding:
        if (out->hasCryptoBinding || length + 4 != kCryptoBindingSize) return false;
        out->hasCryptoBinding = true;
        std::memcpy(out->cryptoBinding, header, kCryptoBindingSize);
        break;
      case kTlvEapPayload:
        if (out->hasEapPayload || length < 4) return false;
        out->hasEapPayload = true;
        out->eapPayload = value;
        break;
      case kTlvBasicPasswordAuthReq:
        if (out->hasBasicPasswordAuthReq) return false;
        out->hasBasicPasswordAuthReq = true;
        break;
      case kTlvBasicPasswordAuthResp:
        if (out->hasBasicPasswordAuthResp) return false;
        out->hasBasicPasswordAuthResp = true;
        out->basicPasswordAuthResp = value;
        break;
      case kTlvNak:
        if (length < 6) return false;
        out->hasNak = true;
        out->nakType = Be16(value.data + 4);
        break;
      case kTlvError:
        if (length != 4) return false;
        out->hasError = true;
        out->errorCode = static_cast<std::uint32_t>(value.data[0]) << 24 |
                         static_cast<std::uint32_t>(value.data[1]) << 16 |
                         static_cast<std::uint32_t>(value.data[2]) << 8 | value.data[3];
        break;
      case kTlvAuthorityId:
        break;  // outer-TLV business; nothing to do inside the tunnel
      default:
        if (mandatory && !out->unknownMandatory) {
          out->unknownMandatory = true;
          out->unknownType = type;
        }
        break;
    }
    at += 4 + length;
  }
  return true;
}

void PutTlv(std::vector<std::uint8_t>* out, std::uint16_t type, ByteSpan value) {
  PutHeader(out, type, value.size);
  if (value.size != 0) out->insert(out->end(), value.data, value.data + value.size);
}

void PutStatus(std::vector<std::uint8_t>* out, std::uint16_t type, std::uint16_t status) {
  const std::uint8_t value[2] = {static_cast<std::uint8_t>(status >> 8), static_cast<std::uint8_t>(status)};
  PutTlv(out, static_cast<std::uint16_t>(kTlvMandatory | type), ByteSpan{value, 2});
}

void PutIdentityType(std::vector<std::uint8_t>* out, std::uint16_t identityType) {
  const std::uint8_t value[2] = {static_cast<std::uint8_t>(identityType >> 8),
                                 static_cast<std::uint8_t>(identityType)};
  PutTlv(out, kTlvIdentityType, ByteSpan{value, 2});
}

void PutNak(std::vector<std::uint8_t>* out, std::uint16_t nakType) {
  const std::uint8_t value[6] = {0, 0, 0, 0, static_cast<std::uint8_t>(nakType >> 8),
                                 static_cast<std::uint8_t>(nakType)};
  PutTlv(out, static_cast<std::uint16_t>(kTlvMandatory | kTlvNak), ByteSpan{value, 6});
}

void PutError(std::vector<std::uint8_t>* out, std::uint32_t code) {
  const std::uint8_t value[4] = {static_cast<std::uint8_t>(code >> 24), static_cast<std::uint8_t>(code >> 16),
                                 static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code)};
  PutTlv(out, static_cast<std::uint16_t>(kTlvMandatory | kTlvError), ByteSpan{value, 4});
}

bool PutBasicPasswordAuthResp(std::vector<std::uint8_t>* out, ByteSpan user, ByteSpan password) {
  if (user.size == 0 || user.size > 255 || password.size == 0 || password.size > 255) return false;
  PutHeader(out, static_cast<std::uint16_t>(kTlvMandatory | kTlvBasicPasswordAuthResp),
            2 + user.size + password.size);
  out->push_back(static_cast<std::uint8_t>(user.size));
  out->insert(out->end(), user.data, user.data + user.size);
  out->push_back(static_cast<std::uint8_t>(password.size));
  out->insert(out->end(), password.data, password.data + password.size);
  return true;
}

bool SplitBasicPasswordAuthResp(ByteSpan value, ByteSpan* user, ByteSpan* password) {
  if (value.size < 1) return false;
  const std::size_t userSize = value.data[0];
  if (userSize == 0 || value.size < 2 + userSize) return false;
  const std::size_t passwordSize = value.data[1 + userSize];
  if (passwordSize == 0 || value.size != 2 + userSize + passwordSize) return false;
  *user = ByteSpan{value.data + 1, userSize};
  *password = ByteSpan{value.data + 2 + userSize, passwordSize};
  return true;
}

}  // namespace teap
}  // namespace eaphost
