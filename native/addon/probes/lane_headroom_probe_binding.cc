// Test-only export that feeds the RADIUS lane's headroom rule (native/radius/server/
// radius_lane_headroom.h) windows of load made up by the caller: for each, the lane thread's CPU
// time and the step threads' on keepable steps as percents of the window, and the wall time of a
// step the lane kept in it. It answers whether the lane keeps such steps after each window, so
// test/radius/lane-headroom.test.ts can hold the rule to its thresholds without a loaded machine.
// Built with the contract probe (EAPHOST_BUILD_CONTRACT_PROBE, test builds only) and exported only
// when EAPHOST_CONTRACT_PROBE=1 is set as the addon loads; nothing in lib/ calls it.
#include <cstddef>
#include <cstdint>

#include "../../radius/server/radius_lane_headroom.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/named_args.h"

namespace eaphost {

Napi::Value seam::LaneHeadroomProbe(const Napi::CallbackInfo& info, Napi::Object object) {
  LaneHeadroomProbeArgs args = ReadLaneHeadroomProbeArgs(object);
  using radius::LaneHeadroom;
  LaneHeadroom headroom(args.keepBelow);
  const uint64_t windowNs = LaneHeadroom::kWindowMs * 1000000u;
  uint64_t nowMs = 1000;
  uint64_t laneCpuNs = 0;
  headroom.Update(nowMs, laneCpuNs);
  const size_t windows = args.windows.size() / 3;
  Napi::Array out = Napi::Array::New(info.Env(), windows);
  for (size_t i = 0; i < windows; ++i) {
    const uint64_t lanePercent = args.windows[3 * i];
    const uint64_t poolPercent = args.windows[3 * i + 1];
    const uint64_t keptMs = args.windows[3 * i + 2];
    nowMs += LaneHeadroom::kWindowMs;
    laneCpuNs += windowNs * lanePercent / 100u;
    headroom.PoolRan(windowNs * poolPercent / 100u);
    if (keptMs > 0) headroom.Kept(keptMs, nowMs);
    if (headroom.Due(nowMs)) headroom.Update(nowMs, laneCpuNs);
    out.Set(static_cast<uint32_t>(i), Napi::Boolean::New(info.Env(), headroom.Keeps()));
  }
  return out;
}

}  // namespace eaphost
