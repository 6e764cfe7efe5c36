// Replies kept for retransmitted requests (RFC 5080 §2.2.2): a request with the same client,
// source port, Identifier and Request Authenticator as one being answered is dropped, one already
// answered gets the same reply again. Entries live `lifetimeMs`, longer than any NAS retries.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>

#include "radius_packet.h"

namespace eaphost::radius {

class ReplyCache {
 public:
  explicit ReplyCache(uint64_t lifetimeMs) : lifetimeMs_(lifetimeMs) {}

  enum class Verdict { kNew, kInProgress, kReplay };
  // kReplay sets *reply to the kept datagram (valid until the cache's next change).
  Verdict Check(const std::string& key, const uint8_t* authenticator, uint64_t nowMs, const Bytes** reply) {
    // One lookup: the entry found, or made for this request.
    auto [found, made] = entries_.try_emplace(key);
    if (!made && found->second.expires > nowMs && Same(found->second, authenticator)) {
      if (found->second.reply.empty()) return Verdict::kInProgress;
      *reply = &found->second.reply;
      return Verdict::kReplay;
    }
    Entry& entry = found->second;
    std::memcpy(entry.authenticator, authenticator, kAuthenticatorLength);
    entry.reply.clear();
    entry.expires = nowMs + lifetimeMs_;
    return Verdict::kNew;
  }

  void Store(const std::string& key, const uint8_t* authenticator, const Bytes& reply, uint64_t nowMs) {
    auto found = entries_.find(key);
    if (found == entries_.end() || !Same(found->second, authenticator)) return;
    found->second.reply = reply;
    found->second.expires = nowMs + lifetimeMs_;
  }

  void Forget(const std::string& key, const uint8_t* authenticator) {
    auto found = entries_.find(key);
    if (found != entries_.end() && Same(found->second, authenticator)) entries_.erase(found);
  }

  void Sweep(uint64_t nowMs) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.expires <= nowMs ? entries_.erase(it) : std::next(it);
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
  uint64_t lifetimeMs_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace eaphost::radius
