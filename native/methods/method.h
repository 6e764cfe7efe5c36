// What one EAP method is, without the Windows ABI around it: a peer side that turns requests
// into responses and finally a verdict with keys, and an authenticator side that makes
// requests, judges responses (asking the host for the user's secret through RESPOND when it
// needs one) and reaches a verdict. peer_adapter.cc and authenticator_adapter.cc wrap these in
// the EapPeer* / EapMethodAuthenticator* routine tables once, for every method: argument and
// handle checks, call order, packet headers and sizes, EAP_ERRORs and memory ownership live
// there, so a method file holds only its EAP logic.
//
// A method reports a failure by throwing MethodFailure; the adapter turns it into the EAP_ERROR
// of the routine that was running. A malformed packet the method should ignore (RFC 3748 §4.1)
// is not a failure: it returns kDiscard.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../abi/eap_types.h"
#include "../common/byte_span.h"
#include "../common/conversation_facts.h"
#include "support/method_error.h"
#include "support/method_packet.h"
#include "support/secret_bytes.h"

namespace eaphost {

// The Type-Data of a packet being built. The adapter writes the header (Code, Identifier,
// Length, Type) around it and checks the total against the host's maximum packet size. A
// writer made with headroom leaves that many bytes in front of the Type-Data, so the adapter
// writes the header there and takes the whole packet (TakePacket) instead of copying the
// Type-Data behind a header of its own.
class TypeDataWriter {
 public:
  TypeDataWriter() = default;
  explicit TypeDataWriter(std::size_t headroom) : headroom_(headroom) {
    bytes_.reserve(headroom + kTypicalTypeDataSize);  // most packets never grow the buffer
    bytes_.assign(headroom, 0);
  }
  TypeDataWriter(const TypeDataWriter&) = delete;
  TypeDataWriter& operator=(const TypeDataWriter&) = delete;
  void Put(std::uint8_t byte) {
    Room(1);
    bytes_.push_back(byte);
  }
  void Put(ByteSpan span) {
    Room(span.size);
    bytes_.insert(bytes_.end(), span.data, span.data + span.size);
  }
  void Put(const std::string& text) {
    Room(text.size());
    bytes_.insert(bytes_.end(), text.begin(), text.end());
  }
  void PutBigEndian16(std::uint16_t value) {
    Put(static_cast<std::uint8_t>(value >> 8));
    Put(static_cast<std::uint8_t>(value & 0xFF));
  }
  // The Type-Data written so far (the headroom is not part of it).
  std::size_t size() const { return bytes_.size() - headroom_; }
  std::uint8_t* at(std::size_t offset) { return bytes_.data() + headroom_ + offset; }
  // Wipes what was written: responses can carry a password (EAP-GTC).
  ~TypeDataWriter();
  // The Type-Data of a writer without headroom.
  std::vector<std::uint8_t>& bytes() { return bytes_; }
  // The headroom then the Type-Data, handed over whole; the writer is left empty. The caller
  // owns the wiping from then on.
  std::vector<std::uint8_t> TakePacket() {
    std::vector<std::uint8_t> packet;
    packet.swap(bytes_);
    headroom_ = 0;
    return packet;
  }

 private:
  static constexpr std::size_t kTypicalTypeDataSize = 128;
  // Makes room for `more` bytes, wiping the buffer it leaves: what was written may be secret,
  // and a vector growing by itself frees its old buffer unwiped.
  void Room(std::size_t more) {
    if (bytes_.capacity() - bytes_.size() < more) Grow(more);
  }
  void Grow(std::size_t more);
  std::size_t headroom_ = 0;
  std::vector<std::uint8_t> bytes_;
};

// Keys a method derived (RFC 5247 §1.2). Empty when the method derives none. The Session-Id
// names the session rather than keying it (not secret), and travels with the keys because it
// is derived from the same exchange and released only on success.
struct MethodKeys {
  SecretBytes msk;
  SecretBytes emsk;
  std::vector<std::uint8_t> sessionId;
  // TLS-based methods say whether the TLS session was resumed (reported as
  // eatFastRoamedSession); other methods say nothing.
  bool saysResumed = false;
  bool resumed = false;
};

// ---- peer ----------------------------------------------------------------------------------

struct PeerCredentials {
  std::string identity;  // UTF-8
  SecretBytes password;  // UTF-8
  bool present = false;
};

struct PeerContext {
  const PeerCredentials* credentials;  // owned by the adapter, from BeginSession's user blob
  std::size_t maxSendPacketSize;       // whole EAP packet, header included
  // The connection data EAPHost stores per network profile (the method's configuration: for
  // TLS methods the trusted CA, server names, TLS bounds, inner method). Only valid during
  // makePeer: a method keeps what it needs.
  ByteSpan connectionData;
  // A tunnel carries this method and takes its success only with a MAC the server made from
  // this method's own keys (TEAP's Crypto-Binding, RFC 9930 §4.2.13): the server's proof of
  // the method's end comes from there, not from the method's last message.
  bool keysBoundByTunnel = false;
  // The user's token EapPeerBeginSession was given (hTokenImpersonateUser), valid for the
  // session: a method that opens the user's resources (a TLS peer's CurrentUser store) does so
  // as that user. Null when the host passed none.
  eap::HANDLE userToken = nullptr;
};

// An attribute in a request to the host (GetAttributes) or its answer (SetAttributes), or of a
// result.
struct MethodAttribute {
  eap::EAP_ATTRIBUTE_TYPE type;
  std::vector<std::uint8_t> value;
};

enum class PeerAction { kSend, kDiscard };

struct PeerVerdict {
  bool success = false;
  eap::DWORD failureReason = 0;  // EAP_E_* when !success
  bool hasError = false;         // the method knows why (e.g. the server's failure code)
  MethodFailure error{0, 0, std::string(), std::string()};
  MethodKeys keys;               // only on success
};

// The verdict of a method that proves nothing about the server and derives no keys
// (MD5-Challenge, GTC): the outcome is what the host saw, and a failure is the password's.
inline void ConcludeFromHost(bool hostSuccess, PeerVerdict* verdict) {
  verdict->success = hostSuccess;
  if (!hostSuccess) verdict->failureReason = eap::EAP_E_USER_NAME_PASSWORD_REJECTED;
}

class PeerMethod {
 public:
  virtual ~PeerMethod() = default;
  // A Request of this method's Type (the adapter has checked Code and Type). kSend after
  // writing the response's Type-Data; kDiscard to drop the request silently.
  virtual PeerAction Process(const MethodPacketView& request, TypeDataWriter* response) = 0;
  // The outcome once the host has seen EAP-Success or EAP-Failure (hostSuccess). A method
  // that authenticates the server returns failure when the server never proved itself.
  virtual void Conclude(bool hostSuccess, PeerVerdict* verdict) = 0;
  // Attributes the result carries besides the keys, on success and failure alike (a TLS-based
  // method's outcome, common/tls_outcome.h). None by default.
  virtual void ResultAttributes(std::vector<MethodAttribute>* /*out*/) const {}
};

// ---- authenticator -------------------------------------------------------------------------

struct AuthenticatorContext {
  std::string identity;  // UTF-8, from the host's Identity exchange
  std::size_t maxSendPacketSize;
  // The authenticator's configuration for this method (for TLS methods: server certificate,
  // key, CA for client certificates). Only valid during makeAuthenticator.
  ByteSpan connectionData;
};

enum class AuthenticatorAction { kDiscard, kSend, kRespond, kResult };

struct AuthenticatorVerdict {
  bool success = false;
  eap::DWORD failureReason = 0;
  // The method knows why it refused (a certificate it named, the reason, the date): the words
  // reach the host as a refusal attribute (common/method_refusal.h).
  bool hasError = false;
  MethodFailure error{0, 0, std::string(), std::string()};
  MethodKeys keys;  // only on success
};

class AuthenticatorMethod {
 public:
  virtual ~AuthenticatorMethod() = default;
  // The Type-Data of the next request (the first one, or the one kSend asked for).
  virtual void MakeRequest(TypeDataWriter* request) = 0;
  // A Response of this method's Type answering the outstanding request (the adapter has
  // checked Code, Type and Identifier).
  virtual AuthenticatorAction Receive(const MethodPacketView& response) = 0;
  // After kRespond: the attributes to ask the host for (values may be empty: questions).
  virtual std::vector<MethodAttribute> WantedAttributes() = 0;
  // The host's answer (the user store's); the attributes are only valid during the call.
  virtual AuthenticatorAction TakeAttributes(const eap::EapAttributes& given) = 0;
  // After kResult.
  virtual void Conclude(AuthenticatorVerdict* verdict) = 0;
  // After Conclude: what the conversation established (a TLS method's version and resumption, a
  // tunnel's inner method), which the adapter tells the host (common/conversation_facts.h).
  virtual ConversationFacts Facts() const { return {}; }
  // Whether the host asked, in the method's configuration, for our private result attributes
  // (the facts, and a refusal's words: common/method_refusal.h). A host that did not (EAPHost
  // under NPS) could pass them on to a NAS, so the adapter adds them only when this is true.
  virtual bool HostReadsPrivateAttributes() const { return false; }
};

// ---- one method in the module's catalog ----------------------------------------------------

struct MethodDescriptor {
  eap::BYTE type;
  const char* name;  // "EAP-MSCHAPv2", for error text
  bool peerNeedsPassword;
  std::unique_ptr<PeerMethod> (*makePeer)(const PeerContext& context);
  std::unique_ptr<AuthenticatorMethod> (*makeAuthenticator)(const AuthenticatorContext& context);
  // The identity the peer answers EAP-Identity with, when it is not simply the user's: a
  // tunnel method's anonymous outer identity, or EAP-TLS's identity from its configuration.
  // `credentials` is null when the host gave no user blob. An empty result falls back to the
  // user's identity. Throws MethodFailure on malformed connection data.
  std::string (*peerIdentity)(ByteSpan connectionData, const PeerCredentials* credentials) = nullptr;
};

// The factories of a method whose peer and authenticator are classes constructed from their
// contexts, for MethodDescriptor's makePeer / makeAuthenticator.
template <typename Peer>
std::unique_ptr<PeerMethod> MakePeerOf(const PeerContext& context) {
  return std::make_unique<Peer>(context);
}
template <typename Authenticator>
std::unique_ptr<AuthenticatorMethod> MakeAuthenticatorOf(const AuthenticatorContext& context) {
  return std::make_unique<Authenticator>(context);
}

}  // namespace eaphost
