// Who may hold one of a RadSec listener's slots, whichever record layer carries it: a TCP
// connection (RadSec over TLS) or a DTLS association (RADIUS/DTLS) costs the server state before
// the peer proves anything, so slots are capped in total and per source address, and at a cap
// the newcomer takes the place of one that has not finished its handshake: the oldest of its
// own address at the address cap; else, at the total cap, one of the lowest rank, the oldest of
// the wide network prefix (/16 of IPv4, /32 of IPv6) holding the most of that rank.
//
// Rank is progress, not what was sent: a ClientHello costs an attacker one packet, so sending one
// proves nothing. A slot whose peer has had the server's bytes for kStalledAfterUs without
// answering is stalled and goes first; then one whose peer has answered nothing; then one whose
// handshake is moving (its peer answers what the server writes). Within a rank, slots are
// counted by wide prefix, so a churn from many /24s, which come from far fewer /16s, displaces
// its own before a NAS alone in its network; between equals the oldest goes first, never the
// lowest address (which once starved a NAS whose address sorted first). Prefixes (/24, /56)
// whose peers authenticated, and those of the configured client networks, rank above every
// other and may use a few reserved slots. An authenticated peer is never displaced (a newcomer
// finding only authenticated ones is refused instead). Pure bookkeeping, one thread: the
// listener closes what Admit names.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../wire/radius_base.h"

namespace eaphost::radius {

struct AdmissionLimits {
  uint32_t maxSlots = 256;
  uint32_t maxSlotsPerAddress = 16;
};

// The peer has had the server's last bytes this long without answering: its handshake is stalled
// (three round trips of 300 ms; a handshake answers each flight within one).
constexpr uint64_t kStalledAfterUs = 1000 * 1000;
// Slots a newcomer from a prefix never authenticated cannot take (at most a sixteenth).
constexpr uint32_t kReservedForKnown = 8;
// Prefixes that authenticated, remembered (the oldest forgotten first).
constexpr size_t kRememberedPrefixes = 4096;

// What the ranking reads of a slot: what its peer sent and what the server wrote to it, in any
// unit that grows with each (bytes over TCP, datagrams over DTLS), past the first message that
// made the slot (a ClientHello proves nothing).
struct AdmissionProgress {
  uint64_t read = 0;
  uint64_t written = 0;
};

class RadsecAdmission {
 public:
  using Id = uint64_t;

  explicit RadsecAdmission(AdmissionLimits limits) : limits_(limits) {}

  // `address`'s prefix is known for good (a configured client network's).
  void KnowNetwork(const ClientNetwork& network);
  // A prefix as PrefixText writes it ("192.0.2.0/24", "2001:db8:0:100::/56"): known for good
  // (`configured`: a client network's), or remembered as one that authenticated before (a saved
  // list, the oldest first). False for what is no such prefix.
  bool KnowPrefix(const std::string& text, bool configured);
  // The prefixes that authenticated, the oldest first, as PrefixText writes them.
  std::vector<std::string> KnownPrefixes() const;
  // Whether `address`'s prefix authenticated before or is configured.
  bool IsKnown(const Source& address) const;
  // Takes slot `id` (never 0, never reused while held) from `address` in; *evicted is the slot
  // it displaced (already forgotten here) or 0. False: refused, nothing changed.
  bool Admit(Id id, const Source& address, uint64_t nowUs, Id* evicted);
  // The slot's progress so far (read before each ranking).
  void Progress(Id id, AdmissionProgress progress);
  // Its handshake finished: never displaced from now on, its prefix known. The prefix's text
  // when it was not known before, else empty.
  std::string Authenticated(Id id);
  // It closed (or was displaced); idempotent.
  void Forget(Id id);
  size_t size() const { return slots_.size(); }

 private:
  struct Slot {
    std::string address;  // the family and bytes (IPv4-mapped as IPv4)
    std::string prefix;   // /24, /56
    std::string wide;     // /16, /32
    bool handshaking = true;
    AdmissionProgress progress;
    AdmissionProgress seen;  // as last ranked
    uint64_t sinceUs = 0;    // when `seen` last moved
    bool looked = false;
    bool known = false;       // Known(prefix), as of knownEpoch
    uint64_t knownEpoch = 0;  // 0: not looked up yet
  };
  // A handshaking slot as Displaceable ranks it; the wide prefix a view of the slot's own.
  struct Ranked {
    std::string_view wide;
    Id id;
    int rank;
  };
  bool Known(const std::string& prefix) const;
  // Known(slot.prefix), looked up again only after the known prefixes changed.
  bool KnownSlot(Slot& slot);
  uint32_t CapFor(const std::string& prefix) const;
  int RankOf(Slot& slot, uint64_t nowUs);
  Id Displaceable(const Slot& newcomer, uint64_t nowUs);
  void Remember(const std::string& prefix);

  AdmissionLimits limits_;
  std::map<Id, Slot> slots_;  // by id: the order of arrival, the oldest first
  std::map<std::string, uint32_t> perAddress_;
  std::map<std::string, uint64_t> known_;  // prefix → when remembered (its order)
  uint64_t remembered_ = 0;
  std::set<std::string> configured_;
  // Counts every change to known_ and configured_ (from 1): a slot's cached `known` older than it
  // is looked up again.
  uint64_t knownEpoch_ = 1;
  // Displaceable's working list, its room kept between calls: at the cap a churn asks for a
  // displaceable slot with every connection, and a list made anew each time is a malloc per slot.
  // Its views are read only within the call that filled them.
  std::vector<Ranked> ranked_;
};

// When a listener starts the handshake of an admitted slot whose prefix never authenticated, over
// TCP or DTLS alike. Reading a ClientHello makes the server compute and send its whole flight (a
// key share and a signature with its certificate's key, a millisecond or more of the thread that
// also serves every NAS), and a ClientHello costs its sender one packet: admitted freely, a churn
// of them spends the server's CPU at whatever rate it likes. So such slots wait, their ClientHello
// unread, until this token bucket lets one start; the next to start is the oldest of the wide
// prefix (/16 of IPv4, /32 of IPv6) that had a start least recently, so a NAS alone in its network
// goes before a churn's many networks, each of which had one a moment ago. Known prefixes
// (RadsecAdmission::IsKnown) do not wait here. A waiting slot has read nothing: the admission
// ranks it with those whose peer answered nothing. Pure bookkeeping, one thread.
constexpr double kUnknownHandshakesPerSecond = 64;
constexpr double kUnknownHandshakeBurst = 16;
// Wide prefixes whose last start is remembered (the least recent forgotten first).
constexpr size_t kRememberedWidePrefixes = 4096;

class HandshakeBudget {
 public:
  using Id = uint64_t;

  // `perSecond` starts a second at most, `burst` at once after a quiet spell (both > 0).
  explicit HandshakeBudget(double perSecond = kUnknownHandshakesPerSecond, double burst = kUnknownHandshakeBurst)
      : perSecond_(perSecond), burst_(burst), tokens_(burst) {}

  // Slot `id` (never 0, ascending with arrival) from `address` waits for its turn (Due).
  void Offer(Id id, const Source& address);
  // It closed (or was displaced) while waiting; idempotent.
  void Withdraw(Id id);
  // The slots whose turn has come by `nowUs`, in the order to start them; each leaves the queue.
  std::vector<Id> Due(uint64_t nowUs);
  // When the next waiting slot's turn comes (UINT64_MAX: none waits).
  uint64_t NextUs() const;
  // Nothing waits any more.
  void Clear();
  size_t size() const { return wideOf_.size(); }

 private:
  double perSecond_;
  double burst_;
  double tokens_;
  uint64_t refilledUs_ = 0;
  bool clocked_ = false;
  std::map<std::string, std::set<Id>> waiting_;  // wide prefix → its slots, the oldest first
  std::map<Id, std::string> wideOf_;
  std::map<std::string, uint64_t> started_;  // wide prefix → the number of its last start
  uint64_t starts_ = 0;
};

}  // namespace eaphost::radius
