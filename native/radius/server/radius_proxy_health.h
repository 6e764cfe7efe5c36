// A home server's health as the proxy judges it (radius_handler_proxy.cc): alive, zombie or dead,
// from its answers and its losses, as FreeRADIUS's home servers are (RFC 5997 §4 and §6).
//
// Alive until nothing is heard from it for kZombieMs while a request is out to it: then zombie
// (new requests go to another home of its pool). A zombie is dead once kDeadLosses requests in a
// row are lost, or nothing is heard from it for kDeadMs. A zombie or dead home that has been quiet
// for kProbeMs is sent a Status-Server (RFC 5997), one at a time; any answer from it (to a request
// or to a Status-Server) makes it alive again. A lost Status-Server counts as a loss only for a
// home that has answered one before: a home that never answers Status-Server (drops it, or answers
// Protocol-Error) is judged by its lost requests alone, and once dead is tried again after
// kReviveMs.
#pragma once

#include <algorithm>
#include <cstdint>

namespace eaphost::radius {

enum class HomeState : uint8_t { kAlive = 0, kZombie = 1, kDead = 2 };

struct HomeHealth {
  static constexpr uint64_t kZombieMs = 2000;
  static constexpr uint32_t kDeadLosses = 3;
  static constexpr uint64_t kDeadMs = 10000;
  static constexpr uint64_t kProbeMs = 1000;
  static constexpr uint64_t kProbeTimeoutMs = 2000;
  static constexpr uint64_t kReviveMs = 30000;

  // What a clock tick or an event changed.
  enum class Change : uint8_t { kNone, kZombie, kDead, kRevived };

  HomeState state = HomeState::kAlive;
  uint64_t heardMs = 0;         // its last answer
  uint64_t waitingSinceMs = 0;  // 0: nothing out unanswered; else the first send since its last answer
  uint64_t changedMs = 0;       // when `state` last changed
  uint32_t lost = 0;            // requests lost in a row (and Status-Servers, once it has answered one)
  bool answersStatus = false;   // it has answered a Status-Server
  uint32_t probeId = 0;         // the Status-Server out to it, if any

  void Sent(uint64_t nowMs) {
    if (waitingSinceMs == 0) waitingSinceMs = nowMs;
  }
  // An answer from it; `stillOut`: requests are still out to it.
  Change Heard(uint64_t nowMs, bool stillOut) {
    heardMs = nowMs;
    lost = 0;
    waitingSinceMs = stillOut ? nowMs : 0;
    return Become(HomeState::kAlive, nowMs);
  }
  // A request (or, from a home that answers them, a Status-Server) went unanswered.
  Change Lost(uint64_t nowMs, bool stillOut) {
    lost++;
    if (!stillOut) waitingSinceMs = 0;
    if (state == HomeState::kAlive) return Become(HomeState::kZombie, nowMs);
    if (state == HomeState::kZombie && lost >= kDeadLosses) return Become(HomeState::kDead, nowMs);
    return Change::kNone;
  }
  // Its connection failed (RadSec): dead, tried again after kReviveMs.
  Change Down(uint64_t nowMs) {
    answersStatus = false;
    waitingSinceMs = 0;
    return Become(HomeState::kDead, nowMs);
  }
  // The clock's judgment by time.
  Change Tick(uint64_t nowMs) {
    if (state == HomeState::kAlive && waitingSinceMs != 0 && nowMs >= waitingSinceMs + kZombieMs) {
      return Become(HomeState::kZombie, nowMs);
    }
    if (state == HomeState::kZombie && nowMs >= std::max(changedMs, heardMs) + kDeadMs) {
      return Become(HomeState::kDead, nowMs);
    }
    if (state == HomeState::kDead && !answersStatus && nowMs >= changedMs + kReviveMs) {
      lost = 0;
      waitingSinceMs = 0;
      return Become(HomeState::kAlive, nowMs);
    }
    return Change::kNone;
  }
  bool ProbeDue(uint64_t nowMs) const {
    return state != HomeState::kAlive && probeId == 0 && nowMs >= std::max(heardMs, changedMs) + kProbeMs;
  }
  // When the clock next has something to judge for it (UINT64_MAX: nothing).
  uint64_t NextMs() const {
    if (state == HomeState::kAlive) return waitingSinceMs == 0 ? UINT64_MAX : waitingSinceMs + kZombieMs;
    uint64_t next = probeId == 0 ? std::max(heardMs, changedMs) + kProbeMs : UINT64_MAX;
    if (state == HomeState::kZombie) next = std::min(next, std::max(changedMs, heardMs) + kDeadMs);
    if (state == HomeState::kDead && !answersStatus) next = std::min(next, changedMs + kReviveMs);
    return next;
  }

 private:
  Change Become(HomeState next, uint64_t nowMs) {
    if (next == state) return Change::kNone;
    const bool revived = next == HomeState::kAlive;
    state = next;
    changedMs = nowMs;
    if (revived) return Change::kRevived;
    return next == HomeState::kZombie ? Change::kZombie : Change::kDead;
  }
};

}  // namespace eaphost::radius
