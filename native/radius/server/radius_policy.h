// What an Access-Accept carries, decided by the server's policy: its reply attributes (each
// encoded by radius_attribute_codec.h; RFC 3580's VLAN as RFC 2868 tagged Tunnel-* attributes),
// the policy's rules matched against a request (User-Name
// or the inner identity, the method, NAS-IP-Address / NAS-Identifier, Called-Station-Id's MAC and
// SSID, Calling-Station-Id, NAS-Port-Type), the MAB allow-list, and PAP's User-Password revealed
// (RFC 2865 §5.2) and checked against a user store's known answer. Rules are compiled once when
// the server opens (their replies encoded then), so a request's evaluation copies bytes only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../../hosts/known_answer.h"
#include "../wire/radius_attribute_codec.h"
#include "../wire/radius_base.h"
#include "../wire/radius_packet.h"

namespace eaphost::radius {

// A policy's names for the two plain requests, beside EAP types 1..255.
constexpr uint32_t kMethodPap = 256;
constexpr uint32_t kMethodMab = 257;

// RFC 2865 §5.6 Service-Type Call-Check: what a switch sends for MAC authentication bypass.
constexpr uint32_t kServiceTypeCallCheck = 10;

// Attribute numbers the policy's replies use.
enum ReplyAttributeType : uint8_t {
  kFilterId = 11,
  kReplyMessage = 18,
  kClass = 25,
  kNasPortType = 61,
  kTunnelType = 64,
  kTunnelMediumType = 65,
  kTunnelPrivateGroupId = 81,
};

struct ReplySpec {
  bool hasVlan = false;
  std::string vlan;
  uint32_t vlanTag = 0;  // RFC 2868: 0 is "no tag", what RFC 3580 switches expect unless told
  bool hasSessionTimeout = false;
  uint32_t sessionTimeout = 0;
  bool hasFilterId = false;
  std::string filterId;
  bool hasClass = false;
  Bytes classValue;
  bool hasReplyMessage = false;
  std::string replyMessage;
  std::vector<AttributeSpec> attributes;  // radius_attribute_codec.h encodes each
};

// Whether the server writes this attribute itself (Message-Authenticator, EAP-Message, State,
// Proxy-State, EAP-Key-Name, User-Password, MS-MPPE-Send-Key / Recv-Key): a policy may not.
bool ServerOwned(uint32_t type, uint32_t vendor, uint32_t vendorType);

// The reply's attributes: `spec` appended to `out`, in the order VLAN (Tunnel-Type
// VLAN (13), Tunnel-Medium-Type IEEE-802 (6), Tunnel-Private-Group-Id, all under the VLAN's
// tag), Session-Timeout, Filter-Id, Class, Reply-Message, then `attributes` as given. False with
// `error` saying which value is wrong.
bool EncodeReply(const ReplySpec& spec, EncodedAttributes* out, std::string* error);
// The VLAN's three attributes alone (a MAB allow-list's VLAN).
bool EncodeVlan(const std::string& vlan, uint32_t tag, EncodedAttributes* out, std::string* error);

// A MAC address in any of the usual spellings (aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF,
// aabb.ccdd.eeff, aabbcc-ddeeff, aabbccddeeff) as 12 lower-case hex digits; false otherwise.
bool MacText(const uint8_t* text, size_t size, std::string* mac);
// MacText's 12 digits as the MAC's 48 bits.
uint64_t MacBits(const std::string& digits);

// What a request offers the policy to match on.
struct PolicyRequest {
  std::string user;      // the identity the user store was asked about (inner), else User-Name
  std::string userName;  // the request's User-Name
  uint32_t method = 0;   // EAP type, kMethodPap or kMethodMab
  std::string nasIdentifier;
  bool hasNasAddress = false;
  Source nasAddress;                              // NAS-IP-Address / NAS-IPv6-Address, else the packet's source
  std::string calledStationId, callingStationId;  // as sent
  std::string calledMac, callingMac;              // MacText's, empty when not a MAC
  std::string ssid;                               // after Called-Station-Id's MAC and ':'
  int64_t nasPortType = -1;
};

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 one it is; any other unchanged.
void Unmap(Source* address);
// `network` with an IPv4-mapped address and a prefix of 96 or more as the IPv4 network it is;
// false when its address has bits set past the prefix (10.0.0.1/8: a mistake, not a network).
bool NormalizeNetwork(ClientNetwork* network);

// Fills everything but `user` and `method` from `request` (from `source` when it names no NAS address).

// Whether `request` carries User-Name or Calling-Station-Id more than once: a policy would match
// one and a NAS log the other, so such a request is refused.
bool RepeatsClaim(const RequestView& request);

// The most an EAP Access-Accept carries beside a policy's reply: its header (20), Message-
// Authenticator (18), an EAP-Message of EAP-Success (6), MS-MPPE-Send-Key and Recv-Key (58 each,
// RFC 2548 §2.4.2 with 32-byte keys) and an EAP-Key-Name of 253 bytes (255). A rule whose reply
// does not fit in 4096 bytes beside it is refused when the policy is compiled.
constexpr size_t kLargestEapShare = 20 + 18 + 6 + 2 * 58 + 255;
// The bytes `attributes` take in a packet, 2 a header each.
size_t EncodedSize(const EncodedAttributes& attributes);
void ReadPolicyRequest(const RequestView& request, const Source& source, PolicyRequest* out);

struct PolicyRule {
  // Each list empty: any. Strings are patterns ('*' any run, '?' one character); MACs are
  // patterns over 12 lower-case hex digits.
  std::vector<std::string> user, userName, nasIdentifier, ssid, calledStationId, callingStationId;
  std::vector<ClientNetwork> nasNetworks;  // `nas` as addresses; a rule's nasIdentifier or these
  std::vector<uint32_t> methods;
  std::vector<uint32_t> nasPortTypes;
  bool reject = false;
  EncodedAttributes reply;
};

struct Policy {
  std::vector<PolicyRule> rules;
  // The MAB allow-list (`mab`: one is in use): each MAC (MacBits) with its VLAN ID, 0 when its line
  // gives none, and each VLAN's attributes encoded once (4094 at most): a list of millions of MACs
  // holds 16 bytes and a table slot each.
  bool mab = false;
  std::unordered_map<uint64_t, uint16_t> macs;
  std::unordered_map<uint16_t, EncodedAttributes> macVlans;
  // The attributes of `mac`'s VLAN (none when it has none); false when the list does not hold it.
  bool ListedMac(const std::string& mac, EncodedAttributes* vlan) const;
};

// The first rule that matches, or null (no rule: an Accept with nothing added).
const PolicyRule* FirstMatch(const Policy& policy, const PolicyRequest& request, size_t* index = nullptr);

// '*' and '?' over bytes; `caseless` folds ASCII.
bool Glob(const std::string& pattern, const std::string& text, bool caseless);

// RFC 2865 §5.2: the User-Password of `request` revealed with `secret` (its NUL padding
// removed) into `password` (the caller wipes it); false when absent or not a multiple of 16
// bytes from 16 to 128.
bool RevealUserPassword(const RequestView& request, const SharedSecret& secret, Bytes* password);

// Whether `password` (UTF-8) is what `known` holds: its clear-text password, or the NT hash of it.
bool PasswordMatches(const KnownAnswer& known, const Bytes& password);

}  // namespace eaphost::radius
