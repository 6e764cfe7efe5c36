// Failed passwords counted and slowed, per key (a PAP request's User-Name, or its NAS): each key
// has `burst` failures free, then one more password checked per `everyMs` (a token bucket, where
// only a failure spends a token). A request whose key has no token left is refused without its
// password being checked, so a guesser gets no answer worth having faster than that. The table is
// bounded: at `maxKeys`, keys back at their full allowance are forgotten, or all of them when those
// are few (the per-NAS key still holds a spray of new user names).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <unordered_map>

namespace eaphost::radius {

class FailureThrottle {
 public:
  FailureThrottle(uint32_t burst, uint64_t everyMs, size_t maxKeys)
      : burst_(burst), everyMs_(everyMs), maxKeys_(maxKeys) {}

  // Whether a password for `key` may be checked now; when not, `waitMs` says how long until one
  // may and `failures` how many failed in a row before.
  bool MayCheck(const std::string& key, uint64_t nowMs, uint64_t* waitMs, uint64_t* failures) {
    auto found = keys_.find(key);
    if (found == keys_.end()) return true;
    Refill(found->second, nowMs);
    if (found->second.spent < burst_) return true;
    *waitMs = found->second.sinceMs + everyMs_ - nowMs;
    *failures = found->second.failures;
    return false;
  }

  // A password for `key` was wrong; true the first time the key runs out of its allowance (the
  // caller says so once, not per request).
  bool Failed(const std::string& key, uint64_t nowMs) {
    auto found = keys_.find(key);
    if (found == keys_.end()) {
      if (keys_.size() >= maxKeys_) MakeRoom(nowMs);
      found = keys_.emplace(key, Entry{0, nowMs, 0}).first;
    }
    Entry& entry = found->second;
    Refill(entry, nowMs);
    if (entry.spent == 0) entry.sinceMs = nowMs;
    entry.spent++;
    entry.failures++;
    return entry.spent == burst_;
  }

  // A right password: the key's count starts again.
  void Succeeded(const std::string& key) { keys_.erase(key); }

  size_t size() const { return keys_.size(); }

 private:
  struct Entry {
    uint32_t spent;    // tokens spent, 0..burst
    uint64_t sinceMs;  // when the next token comes back, less everyMs
    uint64_t failures;
  };

  void Refill(Entry& entry, uint64_t nowMs) const {
    if (entry.spent == 0 || nowMs < entry.sinceMs) return;
    uint64_t back = (nowMs - entry.sinceMs) / everyMs_;
    if (back >= entry.spent) {
      entry.spent = 0;
      entry.sinceMs = nowMs;
      return;
    }
    entry.spent -= static_cast<uint32_t>(back);
    entry.sinceMs += back * everyMs_;
  }

  // Amortized: a sweep that frees less than a quarter of the table forgets all of it, so a spray
  // of new keys costs no more than one pass per maxKeys / 4 of them.
  void MakeRoom(uint64_t nowMs) {
    for (auto it = keys_.begin(); it != keys_.end();) {
      Refill(it->second, nowMs);
      it = it->second.spent == 0 ? keys_.erase(it) : std::next(it);
    }
    if (keys_.size() > maxKeys_ - maxKeys_ / 4) keys_.clear();
  }

  uint32_t burst_;
  uint64_t everyMs_;
  size_t maxKeys_;
  std::unordered_map<std::string, Entry> keys_;
};

}  // namespace eaphost::radius
