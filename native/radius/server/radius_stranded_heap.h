// When the room a burst of TLS conversations took in one thread's heap is left for nobody, so
// that the lane asks for the heap's free pages back (common/heap_pages.h).
//
// Under glibc each thread allocates from an arena of its own, and a chunk freed goes back to the
// arena it came from. A conversation's TLS state is made by its handshake steps, so it lies in
// the arena of the thread that ran them: the lane thread's while the lane keeps them
// (radius_lane_headroom.h), a step thread's when it hands them over. When the keeping changes
// under a burst (a quiet lane keeps the first 2,000 handshakes of a half-open flood, then hands
// the rest over), the conversations on the side no longer used end one by one and their room
// stays in that side's arena, reused by nothing until the keeping turns back: measured under the
// half-open PEAP flood on a server idle a second before (bench/half-open-flood.ts --idle-first
// 1000), 40 MB of a 197 to 199 MB process; with the walk, 157 to 160 MB.
//
// The walk that hands the pages back holds each arena's lock in turn (on a step thread, 4.8 to
// 7.4 ms for all of them under that flood), so it is asked for once most of such a side's
// conversations have ended, not as each ends: the side that steps no longer reach held at least
// kAtLeast conversations at its peak since the last walk, and now holds at most an eighth of that
// peak. At most one walk a kIntervalMs.
#pragma once

#include <array>
#include <cstdint>

namespace eaphost::radius {

class StrandedHeap {
 public:
  enum class Side : uint8_t { kNone, kLane, kPool };
  static constexpr uint32_t kAtLeast = 256;  // about 5 MB: 20 KB of state a half-open TLS 1.3 conversation
  static constexpr uint64_t kIntervalMs = 1000;

  // A live conversation's handshake step ran on `to`; its state was on `from` (kNone: none yet).
  void Moved(Side from, Side to) {
    if (from == to) return;
    if (from != Side::kNone) --live_[Index(from)];
    if (to != Side::kNone) {
      uint32_t& live = live_[Index(to)];
      ++live;
      peak_[Index(to)] = live > peak_[Index(to)] ? live : peak_[Index(to)];
    }
  }

  // A conversation whose state was on `side` ended.
  void Ended(Side side) { Moved(side, Side::kNone); }

  // Whether to hand the free pages back now, the lane keeping its steps or not; when it says so,
  // the peaks start again from what is live.
  bool Due(bool laneKeeps, uint64_t nowMs) {
    const uint32_t unused = Index(laneKeeps ? Side::kPool : Side::kLane);
    if (peak_[unused] < kAtLeast || live_[unused] > peak_[unused] / 8) return false;
    if (returned_ && nowMs - returnedAtMs_ < kIntervalMs) return false;
    returned_ = true;
    returnedAtMs_ = nowMs;
    peak_ = live_;
    return true;
  }

 private:
  static uint32_t Index(Side side) { return side == Side::kLane ? 0 : 1; }

  std::array<uint32_t, 2> live_{};
  std::array<uint32_t, 2> peak_{};
  bool returned_ = false;
  uint64_t returnedAtMs_ = 0;
};

}  // namespace eaphost::radius
