#include "radius_admission.h"

#include <algorithm>
#include <array>
#include <cmath>
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

// The text of a prefix key: IPv4's /24 as "a.b.c.0/24", IPv6's /56 as its first four groups
// (the fourth's low byte zero) in hex without leading zeros, then "::/56".
std::string PrefixText(const std::string& key) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(key.data()) + 1;
  if (key[0] == '4') {
    return std::to_string(bytes[0]) + "." + std::to_string(bytes[1]) + "." + std::to_string(bytes[2]) + ".0/24";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (size_t group = 0; group < 4; ++group) {
    unsigned value = (unsigned{bytes[group * 2]} << 8) | (group * 2 + 1 < 7 ? unsigned{bytes[group * 2 + 1]} : 0u);
    std::string digits;
    do {
      digits.insert(digits.begin(), kHex[value & 0xF]);
      value >>= 4;
    } while (value != 0);
    text += digits + (group < 3 ? ":" : "::/56");
  }
  return text;
}

}  // namespace

bool RadsecAdmission::KnowPrefix(const std::string& text, bool configured) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  Source parsed;
  if (!ParseAddress(text.substr(0, slash), &parsed)) return false;
  if (text.substr(slash) != (parsed.family == 4 ? "/24" : "/56")) return false;
  std::string key = AdmissionKey(parsed.family, parsed.address, 24, 56);
  if (configured) {
    configured_.insert(key);
    ++knownEpoch_;
  } else {
    Remember(key);
  }
  return true;
}

std::vector<std::string> RadsecAdmission::KnownPrefixes() const {
  std::vector<std::pair<uint64_t, const std::string*>> ordered;
  for (const auto& [prefix, when] : known_) ordered.emplace_back(when, &prefix);
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::string> texts;
  for (const auto& [when, prefix] : ordered) texts.push_back(PrefixText(*prefix));
  return texts;
}

bool RadsecAdmission::IsKnown(const Source& address) const {
  return Known(AdmissionKey(address.family, address.address, 24, 56));
}

void RadsecAdmission::KnowNetwork(const ClientNetwork& network) {
  // Its /24s (/56s): one for a network no wider, none for one wider than 256 of them ("any
  // address" says nothing of where a NAS is, and a /16 would fill the ranks with networks
  // nobody uses). Only the prefix's last byte then varies.
  const unsigned narrow = network.family == 4 ? 24u : 56u;
  if (network.prefix + 8 < narrow) return;
  std::string first = AdmissionKey(network.family, network.address, 24, 56);
  const unsigned count = network.prefix >= narrow ? 1u : 1u << (narrow - network.prefix);
  const auto base = static_cast<unsigned>(static_cast<uint8_t>(first.back())) & ~(count - 1);
  for (unsigned i = 0; i < count; ++i) {
    first.back() = static_cast<char>(base + i);
    configured_.insert(first);
  }
  ++knownEpoch_;
}

bool RadsecAdmission::Known(const std::string& prefix) const {
  return known_.count(prefix) != 0 || configured_.count(prefix) != 0;
}

bool RadsecAdmission::KnownSlot(Slot& slot) {
  if (slot.knownEpoch != knownEpoch_) {
    slot.known = Known(slot.prefix);
    slot.knownEpoch = knownEpoch_;
  }
  return slot.known;
}

uint32_t RadsecAdmission::CapFor(const std::string& prefix) const {
  if (Known(prefix)) return limits_.maxSlots;
  return limits_.maxSlots - std::min(kReservedForKnown, limits_.maxSlots / 16);
}

void RadsecAdmission::Remember(const std::string& prefix) {
  ++knownEpoch_;
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

std::string RadsecAdmission::Authenticated(Id id) {
  auto found = slots_.find(id);
  if (found == slots_.end()) return std::string();
  found->second.handshaking = false;
  bool isNew = known_.count(found->second.prefix) == 0;
  Remember(found->second.prefix);
  return isNew ? PrefixText(found->second.prefix) : std::string();
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
  // Every handshaking slot with its rank (0 to 2 never authenticated, 3 to 5 known), then grouped
  // by wide prefix, the oldest first within each (ids ascend with arrival).
  ranked_.clear();
  for (auto& [id, slot] : slots_) {
    if (!slot.handshaking) continue;
    ranked_.push_back({slot.wide, id, RankOf(slot, nowUs) + (KnownSlot(slot) ? 3 : 0)});
  }
  std::sort(ranked_.begin(), ranked_.end(),
            [](const Ranked& a, const Ranked& b) { return a.wide != b.wide ? a.wide < b.wide : a.id < b.id; });
  // Per rank, the wide prefix chosen so far: the most of that rank, then the most handshakes of
  // every rank, then the oldest; and how many of that rank the newcomer's wide prefix holds.
  struct Choice {
    uint32_t count = 0;
    uint32_t held = 0;
    Id oldest = 0;
  };
  constexpr size_t kRanks = 6;
  std::array<Choice, kRanks> chosen{};
  std::array<uint32_t, kRanks> own{};
  for (size_t first = 0; first < ranked_.size();) {
    size_t end = first;
    std::array<Choice, kRanks> group{};
    while (end < ranked_.size() && ranked_[end].wide == ranked_[first].wide) {
      Choice& share = group[static_cast<size_t>(ranked_[end].rank)];
      if (share.count++ == 0) share.oldest = ranked_[end].id;
      ++end;
    }
    const auto held = static_cast<uint32_t>(end - first);
    const bool newcomers = ranked_[first].wide == newcomer.wide;
    for (size_t rank = 0; rank < kRanks; ++rank) {
      const Choice& share = group[rank];
      if (share.count == 0) continue;
      if (newcomers) own[rank] = share.count;
      Choice& best = chosen[rank];
      if (best.count == 0 || share.count > best.count ||
          (share.count == best.count && (held > best.held || (held == best.held && share.oldest < best.oldest)))) {
        best = {share.count, held, share.oldest};
      }
    }
    first = end;
  }
  bool newcomerKnown = Known(newcomer.prefix);
  for (size_t rank = 0; rank < kRanks; ++rank) {
    const Choice& best = chosen[rank];
    if (best.count == 0) continue;
    if (rank % 3 != 2 || (rank == 2 && newcomerKnown)) return best.oldest;
    if (own[rank] + 1 < best.count) return best.oldest;
    return 0;
  }
  return 0;
}

void HandshakeBudget::Offer(Id id, const Source& address) {
  std::string wide = AdmissionKey(address.family, address.address, 16, 32);
  waiting_[wide].insert(id);
  wideOf_[id] = std::move(wide);
}

void HandshakeBudget::Withdraw(Id id) {
  auto found = wideOf_.find(id);
  if (found == wideOf_.end()) return;
  auto queue = waiting_.find(found->second);
  if (queue != waiting_.end() && queue->second.erase(id) != 0 && queue->second.empty()) waiting_.erase(queue);
  wideOf_.erase(found);
}

void HandshakeBudget::Clear() {
  waiting_.clear();
  wideOf_.clear();
}

std::vector<HandshakeBudget::Id> HandshakeBudget::Due(uint64_t nowUs) {
  if (!clocked_ || nowUs < refilledUs_) {
    clocked_ = true;
    refilledUs_ = nowUs;
  }
  tokens_ = std::min(burst_, tokens_ + static_cast<double>(nowUs - refilledUs_) * perSecond_ / 1e6);
  refilledUs_ = nowUs;
  std::vector<Id> due;
  while (tokens_ >= 1 && !waiting_.empty()) {
    // The wide prefix whose last start is the least recent (never started first), between
    // equals the one whose oldest slot is the oldest.
    auto chosen = waiting_.end();
    uint64_t chosenLast = UINT64_MAX;
    for (auto queue = waiting_.begin(); queue != waiting_.end(); ++queue) {
      auto last = started_.find(queue->first);
      uint64_t order = last == started_.end() ? 0 : last->second;
      if (chosen == waiting_.end() || order < chosenLast ||
          (order == chosenLast && *queue->second.begin() < *chosen->second.begin())) {
        chosen = queue;
        chosenLast = order;
      }
    }
    std::string wide = chosen->first;
    Id next = *chosen->second.begin();
    Withdraw(next);
    started_[wide] = ++starts_;
    if (started_.size() > kRememberedWidePrefixes) {
      started_.erase(std::min_element(started_.begin(), started_.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; }));
    }
    tokens_ -= 1;
    due.push_back(next);
  }
  return due;
}

uint64_t HandshakeBudget::NextUs() const {
  if (waiting_.empty()) return UINT64_MAX;
  double missing = std::max(0.0, 1 - tokens_);
  return refilledUs_ + static_cast<uint64_t>(std::ceil(missing * 1e6 / perSecond_));
}

}  // namespace eaphost::radius
