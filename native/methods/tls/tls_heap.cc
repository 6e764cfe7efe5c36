#include "tls_heap.h"

#include <atomic>
#include <cstddef>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace eaphost {
namespace tls {

namespace {
// Live sessions, and the most there were since memory was last handed back.
std::atomic<std::size_t> liveSessions{0};
std::atomic<std::size_t> peakSessions{0};
// Below this peak a quarter's drop is not worth a trim (a trim walks the whole heap).
constexpr std::size_t kTrimAbove = 1024;
// The last sessions of a flood end after the quarter rule has stopped firing (up to a quarter
// of 4 × kTrimAbove of them); a peak of this many since the last trim is still worth one
// when none is left.
constexpr std::size_t kTrimWhenEmptyAbove = 64;
}  // namespace

void CountSessionStarted() {
  std::size_t live = ++liveSessions;
  std::size_t peak = peakSessions.load();
  while (live > peak && !peakSessions.compare_exchange_weak(peak, live)) {
  }
}

void CountSessionEnded() {
  std::size_t live = --liveSessions;
  std::size_t peak = peakSessions.load();
  const bool quarter = peak >= kTrimAbove && live <= peak / 4;
  const bool emptied = live == 0 && peak >= kTrimWhenEmptyAbove;
  if (!quarter && !emptied) return;
  if (!peakSessions.compare_exchange_strong(peak, live)) return;  // another thread trims
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace tls
}  // namespace eaphost
