// What the lane and its handlers share (radius_lane_context.h): the request a reply answers, a
// verdict waiting for the policy's word, and the Accept's keys.
#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../../common/secure_zero.h"
#include "../wire/radius_reply_cache.h"
#include "radius_lane_types.h"
#include "radius_policy.h"

namespace eaphost::radius {

// The request a reply answers: what signing and caching the reply need, kept while the
// conversation waits for a retransmission (a discarded response).
struct Pending {
  ReplyKey cacheKey;
  uint8_t authenticator[kAuthenticatorLength];
  uint8_t identifier = 0;
  Source source;
  std::vector<Bytes> proxyStates;
  const SharedSecret* secret = nullptr;
  int eapId = 0;  // the last EAP-Response's Identifier, 0 without one
  // The NAS asked for the EAP Session-Id: an EAP-Key-Name of one NUL (RFC 4072 §6.1; any other
  // value is silently ignored, and without one none is sent back).
  bool wantsKeyName = false;

  Pending(const RequestView& request, const Source& from, const SharedSecret& shared, const ReplyKey& key, int id)
      : cacheKey(key), identifier(request.identifier), source(from), secret(&shared), eapId(id) {
    std::memcpy(authenticator, request.authenticator(), kAuthenticatorLength);
    for (const AttributeView& attribute : request.attributes) {
      if (attribute.type == kProxyState) {
        proxyStates.emplace_back(request.value(attribute), request.value(attribute) + attribute.length);
      }
      if (attribute.type == kEapKeyName && attribute.length == 1 && request.value(attribute)[0] == 0)
        wantsKeyName = true;
    }
  }
  ReplyWriter Writer(uint8_t code, bool messageAuthenticator = true) const {
    return ReplyWriter(code, identifier, authenticator, messageAuthenticator, secret->version);
  }
  // The reply, its request's Proxy-States echoed last and in order (RFC 2865 §5.33), signed.
  Bytes Signed(ReplyWriter& writer) const {
    for (const Bytes& proxy : proxyStates) writer.Add(kProxyState, proxy.data(), proxy.size());
    return writer.Sign(*secret);
  }
};

// An authentication that succeeded (EAP, PAP, or MAB found in the allow-list), waiting for the
// policy's word: the Accept's makings, held until the policy or authorize() says which verdict
// goes out. The keys are wiped with it.
struct Decision {
  Pending pending;
  std::unique_ptr<ConversationRecord> record;  // settings' records
  Bytes eap;                                   // the EAP-Success to send; empty for PAP and MAB
  Attributes keys;                             // MS-MPPE keys in clear and the EAP Session-Id
  EncodedAttributes base;                      // the MAB allow-list's VLAN for this MAC
  std::shared_ptr<PolicyRequest> request;
  Bytes password;  // PAP, until the user store answers
  uint64_t startedMs = 0;
  uint64_t askedMs = 0;
  uint32_t method = 1;            // the EAP type that decided, kMethodPap or kMethodMab (VerdictFacts')
  ConversationFacts established;  // what the method said it established (VerdictFacts')

  Decision(const Pending& answered, std::unique_ptr<ConversationRecord> held)
      : pending(answered), record(std::move(held)) {}
  ~Decision() {
    for (Attribute& attribute : keys) SecureZeroContents(attribute.value);
    SecureZeroContents(password);
  }
  Decision(const Decision&) = delete;
  Decision& operator=(const Decision&) = delete;
};

Bytes VerdictPacket(uint8_t code, int id);
// The key of an MS-MPPE-*-Key attribute a method released in clear.
bool ClearMppeKey(const Attribute& attribute, uint8_t* vendorType, const uint8_t** key, size_t* size);
// What names a session at its NAS (RFC 5176 §3), as a request carried it: NAS-IP-Address,
// Calling-Station-Id, NAS-Identifier, Acct-Session-Id, NAS-IPv6-Address, and the Operator-Name
// reverse CoA routes by (ConversationRecord's).
void KeepNasAttributes(const RequestView& request, std::vector<std::pair<uint8_t, Bytes>>* out);
// An Accept's MS-MPPE keys (hidden) and, when the NAS asked, its EAP-Key-Name.
void AddKeys(ReplyWriter& writer, const Pending& pending, const Attributes& attributes);

}  // namespace eaphost::radius
