// RADIUS datagrams as the lane reads and writes them (RFC 2865 §3 and §5, RFC 3579 §3): a
// request read in place with every length checked first, its Message-Authenticator checked, its
// EAP-Message attributes joined; a reply written with its Message-Authenticator and Response
// Authenticator, its EAP packet split over EAP-Message attributes, MPPE keys hidden (RFC 2548).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../common/mppe_attributes.h"
#include "radius_md5.h"

namespace eaphost::radius {

using Bytes = std::vector<uint8_t>;

// Big-endian integers as RADIUS carries them (RFC 2865 §3 and §5: network order), the one reader
// of each for every role and the codec; the caller has checked that the bytes are there.
inline uint16_t ReadU16(const uint8_t* at) { return static_cast<uint16_t>(at[0] << 8 | at[1]); }
inline uint32_t ReadU32(const uint8_t* at) { return static_cast<uint32_t>(ReadU16(at)) << 16 | ReadU16(at + 2); }

constexpr size_t kHeaderLength = 20;
constexpr size_t kAuthenticatorLength = 16;
constexpr size_t kMaxPacketLength = 4096;
constexpr size_t kMaxAttributeValue = 253;
// User-Password's longest cleartext (RFC 2865 §5.2: 128 octets).
constexpr size_t kMaxUserPassword = 128;

enum Code : uint8_t {
  kAccessRequest = 1,
  kAccessAccept = 2,
  kAccessReject = 3,
  kAccountingRequest = 4,
  kAccountingResponse = 5,
  kAccessChallenge = 11,
  kStatusServer = 12,
  kDisconnectRequest = 40,
  kDisconnectAck = 41,
  kDisconnectNak = 42,
  kCoaRequest = 43,
  kCoaAck = 44,
  kCoaNak = 45,
  kProtocolError = 52,  // RFC 7930 §4
};

// RFC 2865, RFC 2866, RFC 2869, RFC 3162, RFC 3579, RFC 4072, RFC 4372, RFC 5176, RFC 5580's attributes.
enum AttributeType : uint8_t {
  kUserName = 1,
  kUserPassword = 2,
  kChapPassword = 3,
  kNasIpAddress = 4,
  kNasPort = 5,
  kServiceType = 6,
  kFramedIpAddress = 8,
  kState = 24,
  kVendorSpecific = 26,
  kSessionTimeout = 27,
  kTunnelPassword = 69,  // RFC 2868 §3.5: Tag, Salt, then a salt-hidden string
  kCalledStationId = 30,
  kCallingStationId = 31,
  kNasIdentifier = 32,
  kProxyState = 33,
  kAcctStatusType = 40,
  kAcctDelayTime = 41,
  kAcctSessionId = 44,
  kAcctMultiSessionId = 50,
  kEventTimestamp = 55,
  kEapMessage = 79,
  kMessageAuthenticator = 80,
  kNasPortId = 87,
  kChargeableUserIdentity = 89,
  kNasIpv6Address = 95,
  kErrorCause = 101,
  kOperatorName = 126,  // RFC 5580 §4.1: a namespace octet, then the operator's name
  kEapKeyName = 102,
  kExtendedType1 = 241,  // RFC 6929 §2.1: an Extended-Type byte, then the value
};

// Extended-Type 241.4: the code of the request a Protocol-Error answers (RFC 7930 §4), 4 octets.
constexpr uint8_t kOriginalPacketCode = 4;
// Error-Cause 406 (RFC 5176 §3.6): a request of a kind the server does not take.
constexpr uint32_t kErrorCauseUnsupportedExtension = 406;
// Error-Cause 502 (RFC 5176 §3.6): Request Not Routable (Proxy), a proxy that found no home server.
constexpr uint32_t kErrorCauseNotRoutable = 502;

// Where a Message-Authenticator written first holds its value: after the 20-byte header and the
// attribute's own type and length.
constexpr size_t kMessageAuthenticatorValue = 22;

// What a packet's header and hidden attributes are made of. RADIUS/1.0: the Identifier, the
// authenticators, MD5 and the shared secret (RFC 2865). RADIUS/1.1, negotiated over TLS 1.3 by
// ALPN (RFC 9765 §4-5): a 32-bit Token in octets 4-7 (Reserved-1 and Reserved-2 zero), nothing
// signed and nothing hidden (TLS does both), no Message-Authenticator.
enum class RadiusVersion : uint8_t { k10, k11 };

// The shared secret of one NAS client, with its HMAC key ready; or, for RADIUS/1.1, no secret at
// all (Radius11Keying), each codec function then taking its 1.1 path, where no MD5 is computed.
struct SharedSecret {
  explicit SharedSecret(Bytes bytes, RadiusVersion v = RadiusVersion::k10)
      : secret(std::move(bytes)), hmac(secret), version(v) {}
  ~SharedSecret();
  SharedSecret(const SharedSecret&) = delete;
  SharedSecret& operator=(const SharedSecret&) = delete;
  bool radius11() const { return version == RadiusVersion::k11; }
  Bytes secret;
  HmacMd5 hmac;
  RadiusVersion version;
};

// The one keying of every RADIUS/1.1 link: no secret.
const SharedSecret& Radius11Keying();

// RADIUS/1.1's Token (RFC 9765 §4.2), where RADIUS/1.0 has its authenticator.
constexpr size_t kTokenLength = 4;

struct AttributeView {
  uint8_t type;
  uint16_t offset;  // of the value, from the packet's start
  uint8_t length;   // of the value
};

// A request read in place: valid while the datagram is.
struct RequestView {
  const uint8_t* data = nullptr;
  size_t length = 0;  // the Length field (the datagram may be longer: RFC 2865 §3 ignores the rest)
  uint8_t code = 0;
  uint8_t identifier = 0;
  std::vector<AttributeView> attributes;

  const uint8_t* authenticator() const { return data + 4; }
  const uint8_t* value(const AttributeView& attribute) const { return data + attribute.offset; }
  bool Has(uint8_t type) const;
  // The first attribute of `type`, or null.
  const AttributeView* Find(uint8_t type) const;
};

// Compares without an early exit: a forger learns nothing from the time it takes.
bool SameBytes(const uint8_t* a, const uint8_t* b, size_t size);

// False when the datagram is not one RADIUS packet (short, Length out of range or past the
// datagram, an attribute shorter than its header or running past Length).
bool ReadRequest(const uint8_t* datagram, size_t size, RequestView* out);

// Exactly one Message-Authenticator, 16 bytes, the HMAC-MD5 of the packet with its value zeroed.
bool MessageAuthenticatorValid(const RequestView& request, const SharedSecret& secret);

// A request whose Request Authenticator is computed, not random (CoA and Disconnect, RFC 5176
// §3.3; Accounting, RFC 2866 §3): MD5 over the packet with 16 zeros in its place, then the
// secret; its Message-Authenticator, when it has one, the HMAC-MD5 with those zeros too.
enum class ComputedRequestCheck { kValid, kBadRequestAuthenticator, kMessageAuthenticatorMissing,
                                  kMessageAuthenticatorInvalid };
ComputedRequestCheck CheckComputedRequest(const RequestView& request, const SharedSecret& secret);

enum class EapMessage { kAbsent, kStart, kWhole, kMalformed };
// The request's EAP packet: every EAP-Message joined; kStart when each one is empty (RFC 3579
// §2.1's EAP-Start), kMalformed when the join is not one whole EAP packet.
EapMessage JoinEapMessage(const RequestView& request, Bytes* eap);

// One reply, attribute by attribute: the Message-Authenticator goes first, zeroed until Sign().
// An Accounting-Response carries none (RFC 2866 has none, and its peers disagree on what its HMAC
// would cover: FreeRADIUS takes a zeroed authenticator, hostapd the request's).
class ReplyWriter {
 public:
  // RADIUS/1.1: Reserved-1 zero, the request's Token, Reserved-2 zero; never a Message-Authenticator.
  ReplyWriter(uint8_t code, uint8_t identifier, const uint8_t* requestAuthenticator, bool messageAuthenticator = true,
              RadiusVersion version = RadiusVersion::k10);
  // False when the packet would pass 4096 bytes; the writer is then unusable.
  bool Add(uint8_t type, const uint8_t* value, size_t size);
  bool AddEapMessage(const Bytes& eap);
  // An MS-MPPE-Send-Key / Recv-Key (vendorType 16 / 17) hidden with a salt no other key of this
  // reply has (RFC 2548 §2.4.2); RADIUS/1.1: the key as a plain string (RFC 9765 §5.1.4).
  bool AddMppeKey(uint8_t vendorType, const uint8_t* key, size_t size, const SharedSecret& secret);
  // A Tunnel-Password (RFC 2868 §3.5) under `tag`, hidden as an MPPE key is, with a salt no other
  // of this reply has. Over RADIUS/1.1 none is added (false, the writer still usable).
  bool AddTunnelPassword(uint8_t tag, const uint8_t* password, size_t size, const SharedSecret& secret);
  // Message-Authenticator, then Response Authenticator (RFC 3579 §3.2 fixes the order).
  Bytes Sign(const SharedSecret& secret);

 private:
  // A salt, its high bit set, that no other hidden value of this reply has (RFC 2548 §2.4.2).
  void NewSalt(uint8_t salt[2]);

  Bytes packet_;
  const uint8_t* requestAuthenticator_;
  bool messageAuthenticator_;
  RadiusVersion version_;
  std::vector<uint16_t> salts_;
  bool overflow_ = false;
};

// A Protocol-Error's attributes (RFC 7930 §4), for a request of a kind the listener does not
// take (the RadSec revision §3.7): Error-Cause 406 Unsupported Extension and the request's code
// as Original-Packet-Code, which RADIUS/1.1 leaves out (its Token names the request, RFC 9765 §5.5).
// A proxy that found no home server says so with Error-Cause 502 Request Not Routable instead.
void AddProtocolErrorCause(ReplyWriter* writer, uint8_t requestCode, bool radius11,
                           uint32_t errorCause = kErrorCauseUnsupportedExtension);

// ---- The client's side (RFC 2865 §3 and §5.2, RFC 2866 §3, RFC 5176 §3, RFC 5997 §3)

// One request, attribute by attribute. Access-Request and Status-Server take a random Request
// Authenticator at once (User-Password hiding needs it); Accounting, Disconnect and CoA requests
// have it computed over the packet by Sign(). With a Message-Authenticator it goes first.
class RequestWriter {
 public:
  RequestWriter(uint8_t code, uint8_t identifier, bool messageAuthenticator);
  // RADIUS/1.1 (RFC 9765 §4): `token` in the header, nothing random, computed or hidden.
  RequestWriter(uint8_t code, uint32_t token);
  ~RequestWriter();
  RequestWriter(const RequestWriter&) = delete;
  RequestWriter& operator=(const RequestWriter&) = delete;
  // False when the value passes 253 bytes or the packet 4096; the writer is then unusable.
  bool Add(uint8_t type, const uint8_t* value, size_t size);
  bool AddEapMessage(const uint8_t* eap, size_t size);
  // RFC 2865 §5.2: at most 128 octets, hidden under the random Request Authenticator; RADIUS/1.1:
  // 1 to 128 octets as they are (RFC 9765 §5.1.1).
  bool AddUserPassword(const uint8_t* password, size_t size, const SharedSecret& secret);
  // The datagram, empty after an overflow; its Request Authenticator into `authenticator`.
  Bytes Sign(const SharedSecret& secret, uint8_t authenticator[kAuthenticatorLength]);

 private:
  Bytes packet_;
  bool computed_;
  bool messageAuthenticator_;
  bool radius11_ = false;
  bool overflow_ = false;
};

// Whether `code` is a request whose authenticator is computed rather than random.
bool ComputedAuthenticator(uint8_t code);

enum class ReplyCheck { kValid, kBadResponseAuthenticator, kMessageAuthenticatorMissing, kMessageAuthenticatorInvalid };

// MD5(Code + Identifier + Length + Request Authenticator + Attributes + secret) against the header;
// RADIUS/1.1: the reply's Token against the request's (no MD5). CheckReply likewise, a
// Message-Authenticator in a RADIUS/1.1 reply ignored (RFC 9765 §5.2).
bool ResponseAuthenticatorValid(const RequestView& reply, const uint8_t* requestAuthenticator, const SharedSecret& secret);
// The Response Authenticator, then the Message-Authenticator (its HMAC taken with the Request
// Authenticator in the header): a reply carrying EAP, or any when `requireMessageAuthenticator`,
// without one is kMessageAuthenticatorMissing; a right MD5 proves the secret, so a wrong HMAC
// after it is a forgery, never a secret mismatch.
ReplyCheck CheckReply(const RequestView& reply, const uint8_t* requestAuthenticator, const SharedSecret& secret,
                      bool requireMessageAuthenticator);

// An MS-MPPE-Send-Key / Recv-Key value of a reply (RFC 2548 §2.4.2) in the clear layout the EAP
// layer reads (Vendor-Id, Vendor-Type, Vendor-Length, Salt, Key-Length, Key); false when it is
// not one or does not decode.
bool IsMppeKey(const uint8_t* value, size_t size);
bool RevealMppeKey(const uint8_t* value, size_t size, const SharedSecret& secret, const uint8_t* requestAuthenticator,
                   Bytes* clear);
// A Tunnel-Password's value (RFC 2868 §3.5) revealed: its Tag, then the password; false when it
// does not decode (or over RADIUS/1.1, where none is revealed).
bool RevealTunnelPassword(const uint8_t* value, size_t size, const SharedSecret& secret,
                          const uint8_t* requestAuthenticator, Bytes* clear);
// The salt cipher of both (RFC 2548 §2.4.2, RFC 2868 §3.5), in place over whole 16-byte blocks:
// b(1) = MD5(secret + Request Authenticator + salt), b(i) = MD5(secret + c(i-1)); c(i) = p(i) xor b(i).
void SaltCipher(uint8_t* data, size_t size, bool hide, const SharedSecret& secret, const uint8_t* requestAuthenticator,
                const uint8_t* salt);

// One attribute onto `packet`; false (and `overflow` set, for good) when the value passes 253
// bytes or the packet 4096.
bool AppendAttribute(Bytes& packet, bool& overflow, uint8_t type, const uint8_t* value, size_t size);

// Random bytes for State values, salts and Request Authenticators (their unpredictability is what
// RFC 2865 asks), from the OS RNG through one pool (RandomPool). Throws std::runtime_error when
// the OS RNG fails.
void RandomBytes(uint8_t* out, size_t size);

}  // namespace eaphost::radius
