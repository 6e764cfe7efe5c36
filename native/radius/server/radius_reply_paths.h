// Which way a reply to each link goes, and so which secret signs it: back through JS (RadSec over
// TCP, whose bytes JS reads) or over the engine's RADIUS/DTLS listener. Both transports take their
// link numbers here, from one counter, so a number names one connection whatever its transport:
// a link is registered as its connection opens and removed as it closes, and a number still held
// is never handed out again (the counter wraps past 2^32 - 1 to 1). Link 0 is the engine's UDP
// socket and never handed out. Any thread: the table has its own lock.
#pragma once

#include <cstdint>
#include <iterator>
#include <mutex>
#include <unordered_map>

namespace eaphost::radius {

enum class ReplyPath : uint8_t {
  kNone,    // a link no connection holds (now): its reply has nowhere to go
  kUdp,     // link 0, the engine's socket
  kStream,  // RadSec over TCP: the reply goes to JS, which writes it to the connection
  kDtls,    // RADIUS/DTLS: the reply goes to the listener the engine carries
};

class ReplyPaths {
 public:
  explicit ReplyPaths(uint32_t firstLink) : next_(firstLink) {}

  // A number no open link holds, registered for `path`; 0 when every number is held.
  uint32_t Open(ReplyPath path) {
    std::lock_guard<std::mutex> lock(lock_);
    if (paths_.size() >= kMostLinks) return 0;
    while (next_ == 0 || paths_.count(next_) != 0) ++next_;
    const uint32_t link = next_++;
    paths_.emplace(link, path);
    return link;
  }

  // The link is gone when it was `path`'s (a link of the other transport stays).
  void Close(uint32_t link, ReplyPath path) {
    std::lock_guard<std::mutex> lock(lock_);
    auto found = paths_.find(link);
    if (found != paths_.end() && found->second == path) paths_.erase(found);
  }

  // Every link of `path` is gone (its listener closed).
  void CloseAll(ReplyPath path) {
    std::lock_guard<std::mutex> lock(lock_);
    for (auto it = paths_.begin(); it != paths_.end();) it = it->second == path ? paths_.erase(it) : std::next(it);
  }

  ReplyPath Of(uint32_t link) const {
    if (link == 0) return ReplyPath::kUdp;
    std::lock_guard<std::mutex> lock(lock_);
    auto found = paths_.find(link);
    return found == paths_.end() ? ReplyPath::kNone : found->second;
  }

 private:
  static constexpr size_t kMostLinks = 0xFFFFFFFEu;  // every number but 0, less one so the search ends

  mutable std::mutex lock_;
  std::unordered_map<uint32_t, ReplyPath> paths_;
  uint32_t next_;
};

}  // namespace eaphost::radius
