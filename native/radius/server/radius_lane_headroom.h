// Whether the lane thread runs a TLS method's handshake steps itself instead of handing them to a
// step thread (radius_step_pool.h). A hand-over costs two wakes of a sleeping thread, one each
// way, and on a machine whose idle cores halt (a virtual machine's above all) a wake costs the
// waker and the woken more kernel time than the step's own work beside its signature: measured on
// two cores, serve spent 10 to 12 % less CPU on a PEAP authentication with its handshake steps on
// the lane thread (docs/benchmarks.md). The step threads are there for a lane too busy to do
// them itself: so while the lane thread and the step threads' work on such steps together use less
// than `keepBelow` percent of one core over a window, the lane keeps them; once its own thread
// (the kept steps included) passes `keepBelow` + kLeaveMargin, it hands them over again until the
// two together fall below `keepBelow`. A kept step whose wall time passes kSlowStepMs (a key that
// signs in a smart card or a TPM, a machine too loaded to run it promptly) would hold every other
// datagram up as long: the lane then hands every step over for kSlowBackoffMs.
//
// Only the lane step types are kept (RadiusLaneSettings::laneStepTypes: PEAP, EAP-TTLS, TEAP
// without an inner EAP-TLS, and EAP-TLS when no OCSP responder is asked), whose steps never wait
// on anything but the CPU (a client certificate is checked against local CAs and CRL files).
// keepBelow 0 keeps none.
//
// The lane keeps nothing before its first window has been measured: its thread's clock starts
// the first window (EapHandler::Clock), and a server opened into a storm of handshakes (restarted
// while every NAS re-authenticates) hands them over from the first. Kept at once, the first
// quarter second's 1,000 to 2,500 half-open handshakes left their TLS state's room in the lane
// thread's heap when the lane then handed the rest over (radius_stranded_heap.h).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace eaphost::radius {

class LaneHeadroom {
 public:
  static constexpr uint64_t kWindowMs = 250;
  static constexpr uint32_t kLeaveMargin = 15;  // percent of a core
  static constexpr uint64_t kSlowStepMs = 20;
  static constexpr uint64_t kSlowBackoffMs = 30000;

  explicit LaneHeadroom(uint32_t keepBelow) : enterBelow_(std::min<uint32_t>(keepBelow, 100)) {}

  // Whether the lane keeps the next such step.
  bool Keeps() const { return keeping_; }

  // On the lane thread, at every request: whether a window has ended (then call Update).
  bool Due(uint64_t nowMs) const { return nowMs - windowStartMs_ >= kWindowMs; }

  // On the lane thread at a window's end, with its own CPU time so far (common/thread_cpu.h).
  void Update(uint64_t nowMs, uint64_t laneCpuNs) {
    const uint64_t poolNs = poolCpuNs_.exchange(0, std::memory_order_relaxed);
    if (started_) {
      const uint64_t wallNs = (nowMs - windowStartMs_) * 1000000u;
      const uint64_t laneNs = laneCpuNs - windowLaneCpuNs_;
      const uint64_t percent = wallNs == 0 ? 0 : (laneNs + poolNs) * 100u / wallNs;
      keeping_ =
          enterBelow_ > 0 && nowMs >= slowUntilMs_ && percent < (keeping_ ? enterBelow_ + kLeaveMargin : enterBelow_);
    }
    started_ = true;
    windowStartMs_ = nowMs;
    windowLaneCpuNs_ = laneCpuNs;
  }

  // On a step thread: the CPU time a step of a kept type took there.
  void PoolRan(uint64_t cpuNs) { poolCpuNs_.fetch_add(cpuNs, std::memory_order_relaxed); }

  // On the lane thread: the wall time a kept step took.
  void Kept(uint64_t wallMs, uint64_t nowMs) {
    if (wallMs < kSlowStepMs) return;
    keeping_ = false;
    slowUntilMs_ = nowMs + kSlowBackoffMs;
  }

 private:
  const uint32_t enterBelow_;
  bool keeping_ = false;
  bool started_ = false;
  uint64_t windowStartMs_ = 0;
  uint64_t windowLaneCpuNs_ = 0;
  uint64_t slowUntilMs_ = 0;
  std::atomic<uint64_t> poolCpuNs_{0};
};

}  // namespace eaphost::radius
