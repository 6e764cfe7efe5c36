#include "teap_method.h"

#include "../tls/tls_keys.h"
#include "teap_tlv.h"

namespace eaphost {
namespace teap {

const MethodDescriptor kDescriptor = {kEapTypeTeap, kMethodTitleTeap, true, MakePeer, MakeAuthenticator,
                                      tls::OuterIdentity};

bool ReadInnerPacket(ByteSpan payload, InnerPacket* out) {
  if (payload.size < 5) return false;
  // §4.2.10: the EAP packet may be followed by TLVs of its own; its Length says where it ends.
  const std::size_t length = static_cast<std::size_t>(payload.data[2] << 8 | payload.data[3]);
  if (length < 5 || length > payload.size) return false;
  out->code = payload.data[0];
  out->identifier = payload.data[1];
  out->type = payload.data[4];
  out->typeData = ByteSpan{payload.data + 5, length - 5};
  return true;
}

void PutEapPayload(std::vector<std::uint8_t>* out, std::uint8_t code, std::uint8_t identifier,
                   std::uint8_t type, ByteSpan typeData) {
  const std::size_t length = 5 + typeData.size;
  if (length > 0xFFFF) throw InternalFailure("A TEAP inner EAP packet outgrew its TLV");
  const std::uint16_t tlvType = static_cast<std::uint16_t>(kTlvMandatory | kTlvEapPayload);
  out->push_back(static_cast<std::uint8_t>(tlvType >> 8));
  out->push_back(static_cast<std::uint8_t>(tlvType));
  out->push_back(static_cast<std::uint8_t>(length >> 8));
  out->push_back(static_cast<std::uint8_t>(length));
  out->push_back(code);
  out->push_back(identifier);
  out->push_back(static_cast<std::uint8_t>(length >> 8));
  out->push_back(static_cast<std::uint8_t>(length));
  out->push_back(type);
  if (typeData.size != 0) out->insert(out->end(), typeData.data, typeData.data + typeData.size);
}

}  // namespace teap
}  // namespace eaphost
