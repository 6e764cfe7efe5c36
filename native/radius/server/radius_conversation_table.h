// The lane's live conversations, with each NAS client's fair share of two caps: one on every
// conversation, and a lower one on those of a TLS method, which each hold a TLS session. A client
// flooding half-open conversations cannot evict everyone else's: at a cap, a client under its
// share takes room from the client holding the most, and a client at its share can only evict
// its own oldest idle one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace eaphost::radius {

// No client's share falls below this many conversations (or the cap, when smaller).
constexpr size_t kShareFloor = 32;

// One cap over entries of T (with `key`, `client` and `busy`), least recently active first.
// The order is two lists, every entry's and each client's, and an entry's index slot holds its
// place in both: an entry touched at each round trip moves to the end of both in O(1), with no
// allocation and no rebalancing (ordered maps keyed by a clock took about 4.7 us of a PEAP
// authentication on the lane thread).
template <typename T>
class FairShareTable {
 public:
  explicit FairShareTable(size_t cap) : cap_(cap) {}

  size_t size() const { return index_.size(); }
  bool Holds(const T* entry) const {
    auto found = index_.find(entry->key);
    return found != index_.end() && found->second.entry == entry;
  }

  T* Get(const std::string& key) const {
    auto found = index_.find(key);
    return found == index_.end() ? nullptr : found->second.entry;
  }

  void Add(T* entry) {
    auto [slot, fresh] = index_.try_emplace(entry->key);
    if (!fresh) Unlink(slot->second, slot->second.entry->client);  // the key's earlier holder
    Order& own = byClient_[entry->client];
    all_.push_back(entry);
    own.push_back(entry);
    slot->second = {entry, std::prev(all_.end()), std::prev(own.end()), &own};
  }

  bool Remove(T* entry) {
    auto found = index_.find(entry->key);
    if (found == index_.end() || found->second.entry != entry) return false;
    Unlink(found->second, entry->client);
    index_.erase(found);
    return true;
  }

  // Moves the entry to the most recently active end of both lists, as Remove then Add would
  // leave it, without freeing and allocating its nodes again.
  void Touch(T* entry) {
    auto found = index_.find(entry->key);
    if (found == index_.end() || found->second.entry != entry) return;
    Slot& slot = found->second;
    all_.splice(all_.end(), all_, slot.inAll);
    slot.client->splice(slot.client->end(), *slot.client, slot.inClient);
  }

  size_t ShareOf(const std::string& client) const {
    size_t clients = byClient_.size() + (byClient_.count(client) != 0 ? 0 : 1);
    return std::max((cap_ + clients - 1) / clients, std::min(kShareFloor, cap_));
  }

  // Room for a new entry of `client`: true with the idle entries evicted (already removed) in
  // `evicted`, false when every candidate is busy.
  bool MakeRoomFor(const std::string& client, std::vector<T*>* evicted) {
    auto own = byClient_.find(client);
    if (own != byClient_.end() && own->second.size() >= ShareOf(client)) {
      return EvictOldestIdle(own->second, evicted);  // at its share: only at its own expense
    }
    if (index_.size() < cap_) return true;
    // Full, and this client is under its share: the largest holder gives up its oldest idle one.
    std::vector<std::pair<size_t, const Order*>> holders;
    for (const auto& [name, entries] : byClient_) {
      if (name != client) holders.emplace_back(entries.size(), &entries);
    }
    std::stable_sort(holders.begin(), holders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    // The first eviction returns: no holder is walked once one may have gone.
    for (const auto& holder : holders) {
      if (EvictOldestIdle(*holder.second, evicted)) return true;
    }
    own = byClient_.find(client);
    return own != byClient_.end() && EvictOldestIdle(own->second, evicted);
  }

  // Every entry, least recently active first (a copy: the caller may remove while walking it).
  std::vector<T*> Entries() const { return std::vector<T*>(all_.begin(), all_.end()); }

 private:
  using Order = std::list<T*>;
  // An entry's place in both lists, and its client's list (an unordered_map's element stays
  // where it is when the map grows).
  struct Slot {
    T* entry = nullptr;
    typename Order::iterator inAll;
    typename Order::iterator inClient;
    Order* client = nullptr;
  };

  void Unlink(const Slot& slot, const std::string& client) {
    all_.erase(slot.inAll);
    slot.client->erase(slot.inClient);
    // An emptied client leaves the count of active clients, so the others' shares grow back.
    if (slot.client->empty()) byClient_.erase(client);
  }

  // Removes and returns the least recently active entry not busy; the list may go with it.
  bool EvictOldestIdle(const Order& entries, std::vector<T*>* evicted) {
    for (T* entry : entries) {
      if (entry->busy) continue;
      Remove(entry);
      evicted->push_back(entry);
      return true;
    }
    return false;
  }

  size_t cap_;
  std::unordered_map<std::string, Slot> index_;
  Order all_;
  std::unordered_map<std::string, Order> byClient_;
};

// Every live conversation under `cap`, and those that hold a TLS session under `tlsCap` too.
template <typename T>
class ConversationTable {
 public:
  ConversationTable(size_t cap, size_t tlsCap) : all_(cap), tls_(std::min(cap, tlsCap)) {}

  size_t size() const { return all_.size(); }
  size_t tlsSize() const { return tls_.size(); }
  T* Get(const std::string& key) const { return all_.Get(key); }
  void Add(T* entry) { all_.Add(entry); }
  bool Remove(T* entry) {
    tls_.Remove(entry);
    return all_.Remove(entry);
  }
  void Touch(T* entry) {
    tls_.Touch(entry);
    all_.Touch(entry);
  }
  bool MakeRoomFor(const std::string& client, std::vector<T*>* evicted) {
    size_t before = evicted->size();
    bool room = all_.MakeRoomFor(client, evicted);
    for (size_t i = before; i < evicted->size(); ++i) tls_.Remove((*evicted)[i]);
    return room;
  }
  // Counts `entry` under the TLS cap from its first TLS message on; false (not counted) when
  // every TLS conversation that could give way is busy.
  bool StartTls(T* entry, std::vector<T*>* evicted) {
    if (tls_.Holds(entry)) return true;
    size_t before = evicted->size();
    if (!tls_.MakeRoomFor(entry->client, evicted)) return false;
    for (size_t i = before; i < evicted->size(); ++i) all_.Remove((*evicted)[i]);
    tls_.Add(entry);
    return true;
  }
  std::vector<T*> Entries() const { return all_.Entries(); }

 private:
  FairShareTable<T> all_;
  FairShareTable<T> tls_;
};

}  // namespace eaphost::radius
