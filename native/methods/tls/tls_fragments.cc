#include "tls_fragments.h"

#include "../../common/secure_zero.h"
#include "../../common/tls_outcome.h"
#include "../support/method_error.h"

namespace eaphost {
namespace tls {

namespace {
constexpr std::size_t kLengthFieldSize = 4;

// A framing rule the other side broke: an invalid packet whose cause says so (tls_outcome.h), so
// a program tells it from a refused handshake without reading its words.
MethodFailure Framing(const std::string& why) {
  MethodFailure failure = InvalidPacket(why);
  failure.rootCauseGuid = TlsFailureGuid(TlsFailure{TlsFailReason::kFraming, TlsAlertFact{}});
  return failure;
}
}  // namespace

TlsFragments::TlsFragments(const char* methodName, std::size_t maxTypeData)
    : methodName_(methodName), maxTypeData_(maxTypeData) {}

TlsFragments::~TlsFragments() {
  ClearMessage();
  SecureZero(send_.data(), send_.size());
}

void TlsFragments::ClearMessage() {
  SecureZero(message_.data(), message_.size());
  // Freed, not only emptied: a conversation that goes idle after this message (a half-open
  // handshake waits after the ClientHello) holds no buffer for it.
  std::vector<std::uint8_t>().swap(message_);
}

TlsFragments::Received TlsFragments::Take(ByteSpan typeData, std::uint8_t* flags) {
  const std::string what = std::string("The ") + methodName_ + " packet";
  if (typeData.size < 1) throw Framing(what + " has no Flags octet");
  *flags = typeData.data[0];
  std::size_t at = 1;
  if ((*flags & kFlagLength) != 0) {
    if (typeData.size < at + kLengthFieldSize) {
      throw Framing(what + " sets the L flag but has no room for the TLS Message Length");
    }
    std::size_t declared = static_cast<std::size_t>(typeData.data[1]) << 24 |
                           static_cast<std::size_t>(typeData.data[2]) << 16 |
                           static_cast<std::size_t>(typeData.data[3]) << 8 | typeData.data[4];
    at += kLengthFieldSize;
    if (declared > kMaxMessageSize) {
      throw Framing(what + " announces a TLS message of " + Decimal(declared) +
                          " bytes; the limit is " + Decimal(kMaxMessageSize));
    }
    if (reassembling_ && lengthDeclared_ && declared != declaredLength_) {
      throw Framing(what + " changes the TLS Message Length from " +
                          Decimal(declaredLength_) + " to " + Decimal(declared) +
                          " in the middle of a message");
    }
    if (!reassembling_) {
      lengthDeclared_ = true;
      declaredLength_ = declared;
    }
  } else if (!reassembling_) {
    lengthDeclared_ = false;
  }
  std::size_t end = typeData.size;
  if (acceptOuterTlvs_ && (*flags & kFlagOuterTlvs) != 0) {
    if (typeData.size - at < kLengthFieldSize) {
      throw Framing(what + " sets the O flag but has no room for the Outer TLV Length");
    }
    const std::uint8_t* field = typeData.data + at;
    std::size_t outer = static_cast<std::size_t>(field[0]) << 24 | static_cast<std::size_t>(field[1]) << 16 |
                        static_cast<std::size_t>(field[2]) << 8 | field[3];
    at += kLengthFieldSize;
    if (outer > typeData.size - at) {
      throw Framing(what + " declares " + Decimal(outer) + " bytes of Outer TLVs but carries " +
                          Decimal(typeData.size - at));
    }
    end = typeData.size - outer;
    if (!outerTlvsSeen_) {
      outerTlvsSeen_ = true;
      outerTlvs_.assign(typeData.data + end, typeData.data + typeData.size);
    }
  }
  ByteSpan data{typeData.data + at, end - at};
  if ((*flags & kFlagStart) != 0) {
    if (reassembling_) throw Framing(what + " restarts the method inside a fragmented message");
    return Received::kStart;
  }
  if (data.size == 0) {
    if ((*flags & kFlagMore) != 0) {
      throw Framing(what + " sets the M flag but carries no data");
    }
    if (reassembling_) {
      throw Framing(what + " ends a fragmented message with an empty fragment");
    }
    return Received::kAck;
  }
  if (!reassembling_) ClearMessage();
  std::size_t limit = lengthDeclared_ ? declaredLength_ : kMaxMessageSize;
  if (data.size > limit - message_.size()) {
    throw Framing(what + " brings the TLS message past " +
                        (lengthDeclared_ ? "its declared length of " + Decimal(declaredLength_)
                                         : "the limit of " + Decimal(kMaxMessageSize)) +
                        " bytes");
  }
  message_.insert(message_.end(), data.data, data.data + data.size);
  if ((*flags & kFlagMore) != 0) {
    reassembling_ = true;
    return Received::kFragment;
  }
  reassembling_ = false;
  if (lengthDeclared_ && message_.size() != declaredLength_) {
    std::size_t got = message_.size();
    ClearMessage();
    throw Framing(what + " ends a TLS message of " + Decimal(got) +
                        " bytes that declared " + Decimal(declaredLength_));
  }
  lengthDeclared_ = false;
  return Received::kMessage;
}

void TlsFragments::Queue(std::vector<std::uint8_t> message) {
  SecureZero(send_.data(), send_.size());
  if (message.capacity() - message.size() > message.size() / 8) {
    // The records were appended one at a time, so the buffer has grown by doubling; it is
    // held until the other side acknowledges every fragment (or the conversation expires):
    // keep it at its size, and scrub the larger copy.
    std::vector<std::uint8_t> exact(message.begin(), message.end());
    SecureZero(message.data(), message.size());
    message.swap(exact);
  }
  send_ = std::move(message);
  sendPos_ = 0;
  firstSent_ = false;
}

void TlsFragments::WriteNext(TypeDataWriter* out, std::uint8_t version) {
  std::size_t remaining = send_.size() - sendPos_;
  std::size_t room = maxTypeData_ > 1 ? maxTypeData_ - 1 : 0;
  bool first = !firstSent_;
  bool fragmented = first && remaining > room;
  if (fragmented) room = room > kLengthFieldSize ? room - kLengthFieldSize : 0;
  if (room == 0) {
    throw MethodFailure{eap::kErrorBadLength, 0,
                        std::string("The ") + methodName_ +
                            " packets have no room for data at this maximum packet size",
                        "Raise the maximum send packet size"};
  }
  std::size_t chunk = remaining < room ? remaining : room;
  bool more = chunk < remaining;
  std::uint8_t flags = static_cast<std::uint8_t>(version & kVersionMask);
  if (more) flags |= kFlagMore;
  if (fragmented) flags |= kFlagLength;
  out->Put(flags);
  if (fragmented) {
    std::size_t total = send_.size();
    out->Put(static_cast<std::uint8_t>(total >> 24));
    out->Put(static_cast<std::uint8_t>(total >> 16));
    out->Put(static_cast<std::uint8_t>(total >> 8));
    out->Put(static_cast<std::uint8_t>(total));
  }
  out->Put(ByteSpan{send_.data() + sendPos_, chunk});
  sendPos_ += chunk;
  firstSent_ = true;
  if (!sending()) {
    SecureZero(send_.data(), send_.size());
    std::vector<std::uint8_t>().swap(send_);
    sendPos_ = 0;
    return;
  }
  // Only what is still to send is kept while the other side has to acknowledge this fragment
  // (a half-open handshake never does): the packet just written is the method host's to
  // repeat, not ours.
  std::vector<std::uint8_t> rest(send_.begin() + static_cast<std::ptrdiff_t>(sendPos_), send_.end());
  SecureZero(send_.data(), send_.size());
  send_.swap(rest);
  sendPos_ = 0;
}

void TlsFragments::WriteAck(TypeDataWriter* out, std::uint8_t version) {
  out->Put(static_cast<std::uint8_t>(version & kVersionMask));
}

}  // namespace tls
}  // namespace eaphost
