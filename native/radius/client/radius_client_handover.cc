// The client engine's hand-overs (radius_client.h): what JS's thread gives the engine's thread
// (requests, cancels, a stream's bytes) and takes back (ClientEvents).
#include <algorithm>
#include <cstdint>
#include <mutex>

#include "../../common/secure_zero.h"
#include "radius_client.h"

namespace eaphost::radius {

ClientRequest::~ClientRequest() { SecureZeroContents(userPassword); }
ClientOutcome::~ClientOutcome() {
  for (Bytes& key : keys) SecureZeroContents(key);
  for (Bytes& password : tunnelPasswords) SecureZeroContents(password);
}

bool ClientRequestFits(const ClientRequest& request, const char** why) {
  size_t length = kHeaderLength + (request.messageAuthenticator ? 2 + kMd5Length : 0);
  for (const ClientAttribute& attribute : request.attributes) {
    if (attribute.value.size() > kMaxAttributeValue) {
      *why = "an attribute's value holds at most 253 bytes";
      return false;
    }
    length += 2 + attribute.value.size();
  }
  length += (request.eapMessage.size() + kMaxAttributeValue - 1) / kMaxAttributeValue * 2 + request.eapMessage.size();
  if (request.hasUserPassword) {
    if (request.userPassword.size() > kMaxUserPassword || ComputedAuthenticator(request.code)) {
      *why = "a RADIUS User-Password holds at most 128 bytes, in an Access-Request";
      return false;
    }
    length += 2 + std::max<size_t>(16, (request.userPassword.size() + 15) / 16 * 16);
  }
  if (request.probeUserName.size() > kMaxAttributeValue) {
    *why = "an attribute's value holds at most 253 bytes";
    return false;
  }
  if (length > kMaxPacketLength) {
    *why = "a RADIUS packet holds at most 4096 bytes";
    return false;
  }
  if (request.tries == 0 || request.timeoutMs == 0) {
    *why = "a request needs tries >= 1 and timeoutMs > 0";
    return false;
  }
  return true;
}

void RadiusClientEngine::Submit(ClientRequest&& request) {
  std::lock_guard<std::mutex> lock(inboxLock_);
  submitted_.push_back(std::move(request));
}

void RadiusClientEngine::Flush() {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(inboxLock_);
    wake = !submitted_.empty();
  }
  if (wake) socket_->Wake();
}

void RadiusClientEngine::Cancel(uint32_t id) {
  {
    std::lock_guard<std::mutex> lock(inboxLock_);
    cancelled_.push_back(id);
  }
  socket_->Wake();
}

bool RadiusClientEngine::OnStream(uint32_t link, Bytes&& data) {
  counters_.streamHandOffs.fetch_add(1, std::memory_order_relaxed);
  return Queue(link, std::move(data), false);
}

void RadiusClientEngine::OnRecord(uint32_t link, Bytes&& record) { Queue(link, std::move(record), true); }

bool RadiusClientEngine::Queue(uint32_t link, Bytes&& data, bool record) {
  bool hold = false;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(inboxLock_);
    size_t& queued = streamQueued_[link];
    if (record && queued + data.size() > kStreamHoldBytes) {
      counters_.streamRecordsDropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    // One wake for a turn's streams: bytes already waiting have woken the thread, whose next
    // turn takes them all (TakeInbox), these with them. A DTLS record is one call each.
    wake = streamed_.empty() && recorded_.empty();
    queued += data.size();
    (record ? recorded_ : streamed_).emplace_back(link, std::move(data));
    if (queued > kStreamHoldBytes && !record) {
      hold = true;
      if (std::find(streamHeld_.begin(), streamHeld_.end(), link) == streamHeld_.end()) streamHeld_.push_back(link);
    }
  }
  if (wake) socket_->Wake();
  return hold;
}

void RadiusClientEngine::CarryLink(uint32_t link, LinkWrite write) {
  std::lock_guard<std::mutex> lock(inboxLock_);
  carrying_.emplace_back(link, std::move(write));
}

void RadiusClientEngine::DropLink(uint32_t link) {
  {
    std::lock_guard<std::mutex> lock(inboxLock_);
    dropped_.push_back(link);
  }
  socket_->Wake();
}

ClientEvents RadiusClientEngine::Take() {
  ClientEvents taken;
  std::lock_guard<std::mutex> lock(outboxLock_);
  std::swap(taken, events_);
  return taken;
}

void RadiusClientEngine::Frame(uint32_t link, const Bytes& data, uint64_t now) {
  auto found = byLink_.find(link);
  StreamCut cut = framer_.Feed(link, data.data(), data.size(), SIZE_MAX, [&](const uint8_t* packet, size_t size) {
    if (packet[0] == kDisconnectRequest || packet[0] == kCoaRequest) {
      // Sent to us, not answering us: JS's (reverse CoA), which drops it unless it opted in.
      std::lock_guard<std::mutex> lock(outboxLock_);
      events_.requests.push_back({link, Bytes(packet, packet + size)});
    } else if (found == byLink_.end()) {
      counters_.repliesUnexpected.fetch_add(1, std::memory_order_relaxed);
    } else {
      OnReply(*found->second, packet, size, now);
    }
  });
  if (cut.broke) {
    std::lock_guard<std::mutex> lock(outboxLock_);
    events_.broken.push_back(link);
  }
}

}  // namespace eaphost::radius
