// EAP-TLS framing (RFC 5216 §3.1, shared by PEAP and EAP-TTLS): the Flags octet
// (common/eap_tls_flags.h), the 4-byte TLS Message Length, fragments acknowledged by empty
// packets. Reassembly is bounded: a message may not exceed 64 KiB, a fragment with M set must
// carry data, and a declared length must be met exactly, so the other side can neither make us
// buffer without limit nor keep us acknowledging forever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../common/byte_span.h"
#include "../../common/eap_tls_flags.h"
#include "../method.h"

namespace eaphost {
namespace tls {

constexpr std::size_t kMaxMessageSize = 65536;

class TlsFragments {
 public:
  // `maxTypeData`: the most Type-Data (Flags included) one packet may carry.
  TlsFragments(const char* methodName, std::size_t maxTypeData);
  ~TlsFragments();

  enum class Received {
    kStart,     // S set: the authenticator starts the method
    kAck,       // no data: the other side acknowledges our fragment (or has nothing to say)
    kFragment,  // M set: more to come, answer with an ACK
    kMessage,   // the last fragment: message() holds the whole TLS message
  };
  // TEAP: the O flag is understood, and the Outer TLVs of the first packet that carries any are
  // kept (its Compound MAC covers them). Other methods treat the bit as reserved.
  void AcceptOuterTlvs() { acceptOuterTlvs_ = true; }
  const std::vector<std::uint8_t>& firstOuterTlvs() const { return outerTlvs_; }
  // Reads one packet's Type-Data; *flags receives its Flags octet. Throws MethodFailure on a
  // protocol violation.
  Received Take(ByteSpan typeData, std::uint8_t* flags);
  ByteSpan message() const { return ByteSpan{message_.data(), message_.size()}; }
  void ClearMessage();
  bool reassembling() const { return reassembling_; }

  // Queues a TLS message to send in fragments.
  void Queue(std::vector<std::uint8_t> message);
  bool sending() const { return sendPos_ < send_.size(); }
  // The next fragment (the whole message when it fits), with the version bits in its Flags.
  void WriteNext(TypeDataWriter* out, std::uint8_t version);
  static void WriteAck(TypeDataWriter* out, std::uint8_t version);

 private:
  const char* methodName_;
  std::size_t maxTypeData_;
  std::vector<std::uint8_t> message_;
  bool reassembling_ = false;
  bool lengthDeclared_ = false;
  std::size_t declaredLength_ = 0;
  std::vector<std::uint8_t> send_;
  std::size_t sendPos_ = 0;
  bool firstSent_ = false;
  bool acceptOuterTlvs_ = false;
  bool outerTlvsSeen_ = false;
  std::vector<std::uint8_t> outerTlvs_;  // the first fragment (with the L flag, when fragmented) is out
};

}  // namespace tls
}  // namespace eaphost
