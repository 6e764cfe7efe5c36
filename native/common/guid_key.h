// The key of the tables keyed by a connection ID: the addon's EAPHost connections and the portable
// EAPHost's registrations and sessions by connection. Each in-process authentication adds and
// removes one entry in each, with as many as it has company in flight: hash tables, not trees,
// whose walk missed the cache at every level. The IDs this package makes share their first 10
// bytes (a random prefix drawn once per process, then a count: NewConnectionId,
// native/addon/eaphost/eaphost_session_begin.cc), so the hash mixes the last 8 bytes, where two
// made IDs differ, with the first 8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "../abi/eap_platform.h"

namespace eaphost {

struct GuidHash {
  std::size_t operator()(const eap::GUID& guid) const {
    uint64_t head = 0;
    uint64_t tail = 0;
    std::memcpy(&head, &guid, sizeof(head));
    std::memcpy(&tail, guid.Data4, sizeof(tail));
    uint64_t mixed = (tail ^ (head * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(mixed ^ (mixed >> 31));
  }
};

struct GuidEqual {
  bool operator()(const eap::GUID& a, const eap::GUID& b) const { return std::memcmp(&a, &b, sizeof(a)) == 0; }
};

}  // namespace eaphost
