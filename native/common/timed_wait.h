// Timed waits on a std::condition_variable, in milliseconds. Every timed wait of the native code
// goes through here rather than std::condition_variable's wait_for / wait_until, because on
// Windows those reach winpthreads' pthread_cond_timedwait with a struct timespec, and mingw-w64's
// i686 build disagrees with its own static libwinpthread about that struct: compiled with
// __MINGW_USE_VC2005_COMPAT (a 64-bit time_t, CMakeLists.txt) it is 16 bytes with tv_nsec at 8,
// while libwinpthread (mingw-w64 10, built without it) reads tv_nsec at offset 4, the high half
// of tv_sec: every deadline loses its sub-second part, the wait returns early, and the caller's
// loop spins until the deadline. On Windows the wait is therefore the condition variable's
// untimed wait, woken at the deadline by a Win32 thread-pool timer set in milliseconds
// (timed_wait_win32.cc); elsewhere it is the standard library's (timed_wait_posix.cc).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace eaphost {

// Waits on `cv` (with `lock` held) until it is notified or `ms` milliseconds have passed;
// may also return early, as any condition variable wait may, so callers wait in a loop.
void WaitForMs(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, uint32_t ms);

// Until `deadline` of `Clock` (rounded up to the next millisecond), or notified.
template <typename Clock, typename Duration>
void WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
               const std::chrono::time_point<Clock, Duration>& deadline) {
  const auto now = Clock::now();
  if (deadline <= now) return;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  constexpr uint32_t kLongest = 0x7fffffff;  // ~24 days: the caller's loop waits again after
  WaitForMs(cv, lock, left > static_cast<decltype(left)>(kLongest) ? kLongest : static_cast<uint32_t>(left));
}

// Until `done()` holds or `ms` milliseconds have passed; returns done().
template <typename Predicate>
bool WaitForMs(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, uint32_t ms, Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    WaitUntil(cv, lock, deadline);
  }
  return true;
}

}  // namespace eaphost
