// Replies kept for retransmitted requests (RFC 5080 §2.2.2): a request with the same client,
// source port, Identifier and Request Authenticator as one being answered is dropped, one already
// answered gets the same reply again. Entries live `lifetimeMs`, longer than any NAS retries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "radius_packet.h"

namespace eaphost::radius {

// Whom a reply answers: the client's address (its family and bytes) and source port, and the
// request's Identifier, or over RADIUS/1.1 its Token (RFC 9765 §4: the Identifier is unused);
// compared and hashed as its 24 bytes.
struct ReplyKey {
  uint8_t address[16] = {};
  uint32_t token = 0;
  uint16_t port = 0;
  uint8_t family = 0;
  uint8_t identifier = 0;

  ReplyKey(int addressFamily, const uint8_t* bytes, uint16_t sourcePort, uint8_t id, uint32_t requestToken = 0)
      : token(requestToken), port(sourcePort), family(static_cast<uint8_t>(addressFamily)), identifier(id) {
    std::memcpy(address, bytes, addressFamily == 6 ? 16 : 4);
  }
  bool operator==(const ReplyKey& other) const { return std::memcmp(this, &other, sizeof(ReplyKey)) == 0; }
};
static_assert(sizeof(ReplyKey) == 24, "ReplyKey is compared as its bytes: no padding");

struct ReplyKeyHash {
  size_t operator()(const ReplyKey& key) const {
    // FNV-1a over the key's bytes.
    uint64_t hash = 14695981039346656037ull;
    const auto* bytes = reinterpret_cast<const uint8_t*>(&key);
    for (size_t i = 0; i < sizeof(ReplyKey); ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
    return static_cast<size_t>(hash);
  }
};

class ReplyCache {
 public:
  // RADIUS/1.0's Identifier holds a source to 256 keys by itself. A RADIUS/1.1 connection names its
  // requests by Token, a 32-bit count, so it could make a key per request, kept `lifetimeMs` each:
  // at 60,000 requests a second and 30 s, nearly two million replies held. So a source's Tokens
  // are kept for its last kTokensPerSource requests at most, the oldest going first: a Token
  // repeated further back than that is processed again, as a RADIUS/1.0 Identifier reused past
  // its 256 would be.
  static constexpr size_t kTokensPerSource = 1024;

  explicit ReplyCache(uint64_t lifetimeMs) : lifetimeMs_(lifetimeMs) {}

  enum class Verdict { kNew, kInProgress, kReplay };
  // kReplay sets *reply to the kept datagram (valid until the cache's next change). `byKey`: the
  // key names the request alone (a RADIUS/1.1 Token), whatever its authenticator octets hold.
  Verdict Check(const ReplyKey& key, const uint8_t* authenticator, uint64_t nowMs, const Bytes** reply,
                bool byKey = false) {
    // One lookup: the entry found, or made for this request.
    auto [found, made] = entries_.try_emplace(key);
    if (!made && found->second.expires > nowMs && (byKey || Same(found->second, authenticator))) {
      if (found->second.reply.empty()) return Verdict::kInProgress;
      *reply = &found->second.reply;
      return Verdict::kReplay;
    }
    Entry& entry = found->second;
    std::memcpy(entry.authenticator, authenticator, kAuthenticatorLength);
    entry.reply.clear();
    entry.expires = nowMs + lifetimeMs_;
    if (made && byKey) KeepToken(key);
    return Verdict::kNew;
  }

  void Store(const ReplyKey& key, const uint8_t* authenticator, const Bytes& reply, uint64_t nowMs) {
    auto found = entries_.find(key);
    if (found == entries_.end() || !Same(found->second, authenticator)) return;
    found->second.reply = reply;
    found->second.expires = nowMs + lifetimeMs_;
  }

  void Forget(const ReplyKey& key, const uint8_t* authenticator) {
    auto found = entries_.find(key);
    if (found != entries_.end() && Same(found->second, authenticator)) entries_.erase(found);
  }

  void Sweep(uint64_t nowMs) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.expires <= nowMs ? entries_.erase(it) : std::next(it);
    }
    // A source's Tokens whose entries are gone, oldest first; a source with none left, whole.
    for (auto it = tokens_.begin(); it != tokens_.end();) {
      ReplyKey key = it->first;
      std::deque<uint32_t>& order = it->second;
      while (!order.empty()) {
        key.token = order.front();
        if (entries_.find(key) != entries_.end()) break;
        order.pop_front();
      }
      it = order.empty() ? tokens_.erase(it) : std::next(it);
    }
  }

 private:
  struct Entry {
    uint8_t authenticator[kAuthenticatorLength];
    Bytes reply;
    uint64_t expires;
  };
  static bool Same(const Entry& entry, const uint8_t* authenticator) {
    return std::memcmp(entry.authenticator, authenticator, kAuthenticatorLength) == 0;
  }
  // A new RADIUS/1.1 key, last in its source's order; past kTokensPerSource the first one goes.
  void KeepToken(const ReplyKey& key) {
    ReplyKey source = key;
    source.token = 0;
    std::deque<uint32_t>& order = tokens_[source];
    order.push_back(key.token);
    if (order.size() <= kTokensPerSource) return;
    source.token = order.front();
    order.pop_front();
    entries_.erase(source);
  }
  uint64_t lifetimeMs_;
  std::unordered_map<ReplyKey, Entry, ReplyKeyHash> entries_;
  // RADIUS/1.1's sources (their keys with no Token) and their Tokens in the order they came.
  std::unordered_map<ReplyKey, std::deque<uint32_t>, ReplyKeyHash> tokens_;
};

}  // namespace eaphost::radius
