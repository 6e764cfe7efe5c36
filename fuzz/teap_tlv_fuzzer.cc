// libFuzzer target: TEAP's TLVs (RFC 9930 §4.2) as both sides parse them, the EAP packet of an
// EAP-Payload TLV, and a Basic-Password-Auth-Resp's two length-prefixed fields.
#include <cstddef>
#include <cstdint>

#include "../native/methods/teap/teap_method.h"
#include "../native/methods/teap/teap_tlv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  eaphost::teap::Tlvs tlvs;
  if (!eaphost::teap::ParseTlvs(eaphost::ByteSpan{data, size}, &tlvs)) return 0;
  if (tlvs.hasEapPayload) {
    eaphost::teap::InnerPacket packet;
    if (eaphost::teap::ReadInnerPacket(tlvs.eapPayload, &packet) &&
        packet.typeData.data + packet.typeData.size > tlvs.eapPayload.data + tlvs.eapPayload.size) {
      __builtin_trap();  // the inner packet must stay inside its TLV
    }
  }
  if (tlvs.hasBasicPasswordAuthResp) {
    eaphost::ByteSpan user, password;
    eaphost::teap::SplitBasicPasswordAuthResp(tlvs.basicPasswordAuthResp, &user, &password);
  }
  return 0;
}
