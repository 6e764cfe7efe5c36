#include "radius_admission.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace eaphost::radius {

namespace {

// The family and bytes of `family`'s `bytes` cut to `bits` (IPv4-mapped IPv6 read as IPv4): a
// map key, never shown.
std::string AdmissionKey(int family, const uint8_t* bytes, unsigned v4Bits, unsigned v6Bits) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  bool mapped = family == 6 && std::memcmp(bytes, kMapped, sizeof(kMapped)) == 0;
  const uint8_t* from = mapped ? bytes + 12 : bytes;
  bool v4 = family == 4 || mapped;
  unsigned bits = v4 ? v4Bits : v6Bits;
  std::string key(1, v4 ? '4' : '6');
  key.append(reinterpret_cast<const char*>(from), bits / 8);
  return key;
}

}  // namespace

void RadsecAdmission::KnowNetwork(const ClientNetwork& network) {
  // Only a network no wider than one prefix names it: "any address" says nothing of where a NAS is.
  if (network.prefix >= (network.family == 4 ? 24u : 56u))
    configured_.insert(AdmissionKey(network.family, network.address, 24, 56));
}

bool RadsecAdmission::Known(const std::string& prefix) const {
  return known_.count(prefix) != 0 || configured_.count(prefix) != 0;
}

uint32_t RadsecAdmission::CapFor(const std::string& prefix) const {
  if (Known(prefix)) return limits_.maxSlots;
  return limits_.maxSlots - std::min(kReservedForKnown, limits_.maxSlots / 16);
}

void RadsecAdmission::Remember(const std::string& prefix) {
  known_[prefix] = ++remembered_;
  if (known_.size() <= kRememberedPrefixes) return;
  auto oldest =
      std::min_element(known_.begin(), known_.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  known_.erase(oldest);
}

bool RadsecAdmission::Admit(Id id, const Source& address, uint64_t nowUs, Id* evicted) {
  *evicted = 0;
  Slot slot;
  slot.address = AdmissionKey(address.family, address.address, 32, 128);
  slot.prefix = AdmissionKey(address.family, address.address, 24, 56);
  slot.wide = AdmissionKey(address.family, address.address, 16, 32);
  auto own = perAddress_.find(slot.address);
  if (own != perAddress_.end() && own->second >= limits_.maxSlotsPerAddress) {
    // Its own oldest unfinished handshake (the map's order is the order of arrival).
    for (auto& [candidate, held] : slots_) {
      if (held.handshaking && held.address == slot.address) {
        *evicted = candidate;
        break;
      }
    }
    if (*evicted == 0) return false;
    Forget(*evicted);
  } else if (slots_.size() >= CapFor(slot.prefix)) {
    *evicted = Displaceable(slot, nowUs);
    if (*evicted == 0) return false;
    Forget(*evicted);
  }
  perAddress_[slot.address]++;
  slots_.emplace(id, std::move(slot));
  return true;
}

void RadsecAdmission::Progress(Id id, AdmissionProgress progress) {
  auto found = slots_.find(id);
  if (found != slots_.end()) found->second.progress = progress;
}

void RadsecAdmission::Authenticated(Id id) {
  auto found = slots_.find(id);
  if (found == slots_.end()) return;
  found->second.handshaking = false;
  Remember(found->second.prefix);
}

void RadsecAdmission::Forget(Id id) {
  auto found = slots_.find(id);
  if (found == slots_.end()) return;
  auto count = perAddress_.find(found->second.address);
  if (count != perAddress_.end() && --count->second == 0) perAddress_.erase(count);
  slots_.erase(found);
}

// 0 stalled (the server's bytes unanswered for kStalledAfterUs), 1 nothing answered, 2 moving.
int RadsecAdmission::RankOf(Slot& slot, uint64_t nowUs) {
  const AdmissionProgress& now = slot.progress;
  if (!slot.looked || now.read != slot.seen.read) {
    // Its peer answered (or this is the first look): its clock starts again.
    slot.looked = true;
    slot.seen = now;
    slot.sinceUs = nowUs;
    return now.read == 0 ? 1 : 2;
  }
  if (now.written != slot.seen.written) {
    // The server wrote more since: the peer's time to answer it starts now.
    slot.seen.written = now.written;
    slot.sinceUs = nowUs;
  }
  if (now.written > 0 && nowUs - slot.sinceUs >= kStalledAfterUs) return 0;
  return now.read == 0 ? 1 : 2;
}

// The lowest rank first (stalled, nothing answered, moving; each from a prefix never
// authenticated before one that was), within it the oldest of the wide prefix holding the most
// of that rank; between prefixes holding as many, the one holding the most handshakes of every
// rank, then the one whose oldest is the oldest. A moving handshake gives way only to a newcomer
// whose wide prefix holds at least two fewer moving ones (or, when it is unknown, to a known
// newcomer): a churn whose networks already hold their share is refused instead.
RadsecAdmission::Id RadsecAdmission::Displaceable(const Slot& newcomer, uint64_t nowUs) {
  struct Share {
    uint32_t count = 0;
    Id oldest = 0;
  };
  std::array<std::map<std::string, Share>, 6> byRank;
  std::map<std::string, uint32_t> held;
  for (auto& [id, slot] : slots_) {
    if (!slot.handshaking) continue;
    Share& share = byRank[static_cast<size_t>(RankOf(slot, nowUs) + (Known(slot.prefix) ? 3 : 0))][slot.wide];
    if (share.count++ == 0) share.oldest = id;  // ids ascend: the first seen is the oldest
    held[slot.wide]++;
  }
  bool newcomerKnown = Known(newcomer.prefix);
  for (size_t rank = 0; rank < byRank.size(); ++rank) {
    const Share* chosen = nullptr;
    uint32_t chosenHeld = 0;
    for (const auto& [wide, share] : byRank[rank]) {
      uint32_t total = held[wide];
      if (chosen == nullptr || share.count > chosen->count ||
          (share.count == chosen->count &&
           (total > chosenHeld || (total == chosenHeld && share.oldest < chosen->oldest)))) {
        chosen = &share;
        chosenHeld = total;
      }
    }
    if (chosen == nullptr) continue;
    if (rank % 3 != 2 || (rank == 2 && newcomerKnown)) return chosen->oldest;
    auto mine = byRank[rank].find(newcomer.wide);
    uint32_t own = mine == byRank[rank].end() ? 0 : mine->second.count;
    if (own + 1 < chosen->count) return chosen->oldest;
    return 0;
  }
  return 0;
}

}  // namespace eaphost::radius
