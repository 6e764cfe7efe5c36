// What each verdict came to, counted where it is made (on the lane's thread) and read at each
// scrape (serve --metrics): authentications by client, method, inner method, outcome and reason;
// the time from the first request to the verdict per method, in fixed buckets; TLS handshakes
// completed by method, version and whether they resumed a session; the policy's rules by the
// verdicts each decided. Nothing crosses to JS per verdict for these. The reasons are names programs
// act on (typed, never the error's words): never renamed, never reused. Bounded as ClientTally is:
// past kMaxClients addresses, new ones count as "other".
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "../../common/conversation_facts.h"

namespace eaphost::radius {

enum class VerdictReason : uint8_t {
  kAccepted,
  // EAP: the method said no without saying why (EAP-Failure), the user's credentials were wrong,
  // its client certificate refused, its packets malformed, or another refusal of the method.
  kEapFailure,
  kCredentialsRejected,
  kCertificateRefused,
  kInvalidPacket,
  kMethodRefused,
  // The authenticator's own step failed, the user store failed or stayed silent, the OCSP
  // response to staple could not be used, the retransmissions ran out.
  kAuthenticatorError,
  kUserStoreFailed,
  kOcspStapleUnusable,
  kTimeout,
  // The policy: a rule rejects, authorize() rejects or fails, or neither answered in time; the
  // Accept would pass 4096 bytes.
  kPolicyRejects,
  kAuthorizeRejects,
  kAuthorizeFailed,
  kNoAnswer,
  kReplyTooLarge,
  // PAP and MAB (radius_handler_plain.cc).
  kWrongPassword,
  kPapSlowed,
  kPapNotServed,
  kNoCredentials,
  kChapRefused,
  kRepeatedAttribute,
  kMabNoAllowList,
  kMabNoPassword,
  kMabMacMismatch,
  kMabNotListed,
};

inline const char* VerdictReasonName(VerdictReason reason) {
  switch (reason) {
    case VerdictReason::kAccepted: return "";
    case VerdictReason::kEapFailure: return "eap-failure";
    case VerdictReason::kCredentialsRejected: return "credentials-rejected";
    case VerdictReason::kCertificateRefused: return "certificate-refused";
    case VerdictReason::kInvalidPacket: return "invalid-packet";
    case VerdictReason::kMethodRefused: return "method-refused";
    case VerdictReason::kAuthenticatorError: return "authenticator-error";
    case VerdictReason::kUserStoreFailed: return "user-store-failed";
    case VerdictReason::kOcspStapleUnusable: return "ocsp-staple-unusable";
    case VerdictReason::kTimeout: return "timeout";
    case VerdictReason::kPolicyRejects: return "policy-rejects";
    case VerdictReason::kAuthorizeRejects: return "authorize-rejects";
    case VerdictReason::kAuthorizeFailed: return "authorize-failed";
    case VerdictReason::kNoAnswer: return "no-answer";
    case VerdictReason::kReplyTooLarge: return "reply-too-large";
    case VerdictReason::kWrongPassword: return "wrong-password";
    case VerdictReason::kPapSlowed: return "pap-slowed";
    case VerdictReason::kPapNotServed: return "pap-not-served";
    case VerdictReason::kNoCredentials: return "no-credentials";
    case VerdictReason::kChapRefused: return "chap-refused";
    case VerdictReason::kRepeatedAttribute: return "repeated-attribute";
    case VerdictReason::kMabNoAllowList: return "mab-no-allow-list";
    case VerdictReason::kMabNoPassword: return "mab-no-password";
    case VerdictReason::kMabMacMismatch: return "mab-mac-mismatch";
    case VerdictReason::kMabNotListed: return "mab-not-listed";
  }
  return "unknown";
}

// The time-to-verdict buckets' upper bounds, in µs: 1 ms to 5 s (then +Inf).
inline constexpr std::array<uint64_t, 12> kVerdictBucketsUs = {1000,   2500,   5000,   10000,   25000,   50000,
                                                               100000, 250000, 500000, 1000000, 2500000, 5000000};

// The bucket a time of `ms` falls in: the first whose bound it does not pass; past the last, the
// bucket count (+Inf only).
inline size_t DurationBucket(uint64_t ms) {
  size_t bucket = 0;
  while (bucket < kVerdictBucketsUs.size() && ms * 1000 > kVerdictBucketsUs[bucket]) bucket++;
  return bucket;
}

// A tunnel's inner method as the tally counts it: its EAP type, or past 256 EAP-TTLS's AVP phase 2
// (257 PAP, 258 CHAP, 259 MS-CHAP, 260 MS-CHAP-V2); 0 for none.
constexpr uint32_t kInnerAvpBase = 256;
inline uint32_t InnerMethodOf(const ConversationFacts& facts) {
  switch (facts.innerKind) {
    case InnerKind::kEap: return facts.innerCode;
    case InnerKind::kTtlsAvp: return kInnerAvpBase + facts.innerCode;
    case InnerKind::kNone: break;
  }
  return 0;
}

// One verdict: its method (EAP type, kMethodPap, kMethodMab; 1 when only Identity was seen) and
// what the method said it established (TLS, the inner method).
struct VerdictFacts {
  uint32_t method = 1;
  bool accept = false;
  VerdictReason reason = VerdictReason::kAccepted;
  uint64_t durationMs = 0;
  ConversationFacts established;
};

struct VerdictRow {
  std::string client;
  uint32_t method = 0;
  uint32_t inner = 0;
  bool accept = false;
  VerdictReason reason = VerdictReason::kAccepted;
  uint64_t count = 0;
};

struct DurationRow {
  uint32_t method = 0;
  std::array<uint64_t, kVerdictBucketsUs.size()> buckets{};  // each bucket's own count (Snapshot: cumulative)
  uint64_t count = 0;
  uint64_t sumMs = 0;
};

struct TlsRow {
  uint32_t method = 0;
  uint16_t version = 0;
  bool resumed = false;
  uint64_t count = 0;
};

struct VerdictSnapshot {
  std::vector<VerdictRow> outcomes;
  std::vector<DurationRow> durations;
  std::vector<TlsRow> tls;
  std::vector<uint64_t> ruleHits;  // by the rule's index in the policy
};

class VerdictTally {
 public:
  static constexpr size_t kMaxClients = 4096;
  static constexpr size_t kMaxRules = 65536;

  void Count(const std::string& client, const VerdictFacts& facts) {
    std::lock_guard<std::mutex> lock(lock_);
    auto found = byClient_.find(client);
    if (found == byClient_.end()) found = byClient_.try_emplace(byClient_.size() < kMaxClients ? client : kOther).first;
    found->second[Key{facts.method, InnerMethodOf(facts.established), facts.accept, facts.reason}]++;
    DurationRow& duration = durations_[facts.method];
    duration.method = facts.method;
    const size_t bucket = DurationBucket(facts.durationMs);
    if (bucket < kVerdictBuckets) duration.buckets[bucket]++;
    duration.count++;
    duration.sumMs += facts.durationMs;
    const ConversationFacts& tls = facts.established;
    if (tls.tlsVersion != 0) tls_[std::make_tuple(facts.method, tls.tlsVersion, tls.resumed)]++;
  }

  // The policy's rule `index` (of at most kMaxRules) matched a verdict that succeeded, and decided it.
  void RuleHit(size_t index) {
    if (index >= kMaxRules) return;
    std::lock_guard<std::mutex> lock(lock_);
    if (ruleHits_.size() <= index) ruleHits_.resize(index + 1);
    ruleHits_[index]++;
  }

  VerdictSnapshot Snapshot() const {
    VerdictSnapshot out;
    std::lock_guard<std::mutex> lock(lock_);
    out.ruleHits = ruleHits_;
    for (const auto& [client, counts] : byClient_) {
      for (const auto& [key, count] : counts) {
        out.outcomes.push_back({client, key.method, key.inner, key.accept, key.reason, count});
      }
    }
    for (const auto& entry : durations_) {
      DurationRow row = entry.second;
      for (size_t i = 1; i < kVerdictBuckets; ++i) row.buckets[i] += row.buckets[i - 1];
      out.durations.push_back(row);
    }
    for (const auto& [key, count] : tls_) {
      out.tls.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
    }
    return out;
  }

 private:
  static constexpr size_t kVerdictBuckets = kVerdictBucketsUs.size();
  struct Key {
    uint32_t method;
    uint32_t inner;
    bool accept;
    VerdictReason reason;
    bool operator<(const Key& other) const {
      return std::tie(method, inner, accept, reason) < std::tie(other.method, other.inner, other.accept, other.reason);
    }
  };
  inline static const std::string kOther = "other";
  mutable std::mutex lock_;
  std::unordered_map<std::string, std::map<Key, uint64_t>> byClient_;
  std::map<uint32_t, DurationRow> durations_;
  std::map<std::tuple<uint32_t, uint16_t, bool>, uint64_t> tls_;
  std::vector<uint64_t> ruleHits_;
};

}  // namespace eaphost::radius
