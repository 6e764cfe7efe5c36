// The CPU time the calling thread has used so far, in nanoseconds: user and kernel time together.
// POSIX: CLOCK_THREAD_CPUTIME_ID. Windows: GetThreadTimes, which counts in 100 ns units but moves
// at the clock tick (about 15.6 ms); summed over a window of a quarter second it is a fair reading.
#pragma once

#include <cstdint>

namespace eaphost {

uint64_t ThisThreadCpuNs();

}  // namespace eaphost
