// A stream's RADIUS packets (RadSec, RFC 6614 §2.5): the bytes a connection brought, in order,
// cut into packets by each one's Length field, for the client engine (radius_client.h) and the
// server engine (radius_engine.h) alike. A Length out of 20..4096 breaks the stream, as nothing
// after it can be found again; a partial packet waits for the rest; what one link holds unframed
// is bounded (kMaxUnframed), a link past it broken too. A broken link's bytes are dropped, and
// what it brings later is ignored until its owner drops the link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "radius_packet.h"

namespace eaphost::radius {

// A RadSec connection's packets a server engine (RADIUS's, the DAS's) answers in one turn of JS's
// event loop. Their replies reach JS a turn later, so this bounds what a client that does not
// read them gets buffered beyond the listener's maxBufferedReplyBytes: a few turns' worth of
// replies, at most 4096 bytes each.
constexpr size_t kStreamPacketsPerTurn = 64;

// What one Feed came to.
struct StreamCut {
  size_t packets = 0;    // handed on
  bool backlog = false;  // a whole packet (or a broken Length) waits past `most`
  bool broke = false;    // the link broke in this call
};

class StreamFramer {
 public:
  // What a link may hold unframed: a packet's partial tail and the reads its owner made before
  // a backlog told it to stop reading (Node's reads are at most 64 KiB).
  static constexpr size_t kMaxUnframed = 2 * 65536 + kMaxPacketLength;

  // Appends `data` to what `link` holds and hands `packet(bytes, size)` each whole packet, in
  // order, `most` of them at the most; `packet` must not feed this framer.
  template <typename Packet>
  StreamCut Feed(uint32_t link, const uint8_t* data, size_t size, size_t most, Packet&& packet) {
    StreamCut cut;
    Link& held = links_[link];
    if (held.broken || (size == 0 && held.bytes.empty())) return cut;
    // An empty hold frames the new bytes where they are: only a tail is copied.
    const uint8_t* bytes = data;
    size_t length = size;
    if (!held.bytes.empty()) {
      if (held.bytes.size() + size > kMaxUnframed) return Break(held, &cut);
      held.bytes.insert(held.bytes.end(), data, data + size);
      bytes = held.bytes.data();
      length = held.bytes.size();
    }
    size_t at = 0;
    while (length - at >= 4) {
      size_t packetLength = ReadU16(bytes + at + 2);
      bool whole = packetLength >= kHeaderLength && packetLength <= kMaxPacketLength && length - at >= packetLength;
      bool bad = packetLength < kHeaderLength || packetLength > kMaxPacketLength;
      if (!whole && !bad) break;
      if (cut.packets == most) {
        cut.backlog = true;
        break;
      }
      if (bad) return Break(held, &cut);
      packet(bytes + at, packetLength);
      ++cut.packets;
      at += packetLength;
    }
    if (bytes == data) {
      if (length - at > kMaxUnframed) return Break(held, &cut);
      held.bytes.assign(data + at, data + length);
    } else {
      held.bytes.erase(held.bytes.begin(), held.bytes.begin() + static_cast<ptrdiff_t>(at));
    }
    return cut;
  }

  // The link is gone: what it held goes, and a later link of the same number starts afresh.
  void Drop(uint32_t link) { links_.erase(link); }

 private:
  struct Link {
    Bytes bytes;
    bool broken = false;
  };

  static StreamCut Break(Link& held, StreamCut* cut) {
    Bytes().swap(held.bytes);
    held.broken = true;
    cut->broke = true;
    cut->backlog = false;
    return *cut;
  }

  std::unordered_map<uint32_t, Link> links_;
};

}  // namespace eaphost::radius
