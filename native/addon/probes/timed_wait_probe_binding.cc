// Test-only export that waits on a condition variable nobody notifies, through the native code's
// one timed wait (native/common/timed_wait.h), until a deadline `ms` away: how long it took and
// how often the wait returned on the way, for test/timed-wait.test.ts to hold to the deadline
// (a wait that loses its sub-second part returns early again and again: it spins). Built with the
// contract probe (EAPHOST_BUILD_CONTRACT_PROBE, test builds only) and exported only when
// EAPHOST_CONTRACT_PROBE=1 is set as the addon loads; nothing in lib/ calls it.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "../../common/timed_wait.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/named_args.h"

namespace eaphost {

// timedWaitProbe({ ms }): [milliseconds the wait took, times it returned].
Napi::Value seam::TimedWaitProbe(const Napi::CallbackInfo& info, Napi::Object object) {
  TimedWaitProbeArgs args = ReadTimedWaitProbeArgs(object);
  std::mutex mutex;
  std::condition_variable never;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(args.ms);
  double returns = 0;
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (std::chrono::steady_clock::now() < deadline) {
      WaitUntil(never, lock, deadline);
      ++returns;
    }
  }
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), took.count()));
  out.Set(1u, Napi::Number::New(info.Env(), returns));
  return out;
}

}  // namespace eaphost
