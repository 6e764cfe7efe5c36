// The lane's live conversations, with each NAS client's fair share of two caps: one on every
// conversation, and a lower one on those of a TLS method, which each hold a TLS session. A client
// flooding half-open conversations cannot evict everyone else's: at a cap, a client under its
// share takes room from the client holding the most, and a client at its share can only evict
// its own oldest idle one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace eaphost::radius {

// No client's share falls below this many conversations (or the cap, when smaller).
constexpr size_t kShareFloor = 32;

// One cap over entries of T (with `key`, `client` and `busy`), least recently active first.
template <typename T>
class FairShareTable {
 public:
  explicit FairShareTable(size_t cap) : cap_(cap) {}

  size_t size() const { return index_.size(); }
  bool Holds(const T* entry) const { return index_.count(entry->key) != 0 && index_.at(entry->key).second == entry; }

  T* Get(const std::string& key) const {
    auto found = index_.find(key);
    return found == index_.end() ? nullptr : found->second.second;
  }

  void Add(T* entry) {
    uint64_t order = ++clock_;
    index_[entry->key] = {order, entry};
    all_[order] = entry;
    byClient_[entry->client][order] = entry;
  }

  bool Remove(T* entry) {
    auto found = index_.find(entry->key);
    if (found == index_.end() || found->second.second != entry) return false;
    uint64_t order = found->second.first;
    index_.erase(found);
    all_.erase(order);
    auto own = byClient_.find(entry->client);
    if (own != byClient_.end()) {
      own->second.erase(order);
      // An emptied client leaves the count of active clients, so the others' shares grow back.
      if (own->second.empty()) byClient_.erase(own);
    }
    return true;
  }

  // Moves the entry to the most recently active end: its nodes are moved to their new place,
  // as Remove then Add would leave them, without freeing and allocating them again.
  void Touch(T* entry) {
    auto found = index_.find(entry->key);
    if (found == index_.end() || found->second.second != entry) return;
    const uint64_t was = found->second.first;
    const uint64_t order = ++clock_;
    found->second.first = order;
    Reorder(all_, was, order);
    Reorder(byClient_.at(entry->client), was, order);
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
    std::vector<std::pair<size_t, const std::string*>> holders;
    for (const auto& [name, entries] : byClient_) {
      if (name != client) holders.emplace_back(entries.size(), &name);
    }
    std::stable_sort(holders.begin(), holders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& holder : holders) {
      if (EvictOldestIdle(byClient_.at(*holder.second), evicted)) return true;
    }
    own = byClient_.find(client);
    return own != byClient_.end() && EvictOldestIdle(own->second, evicted);
  }

  // Every entry, least recently active first (a copy: the caller may remove while walking it).
  std::vector<T*> Entries() const {
    std::vector<T*> out;
    out.reserve(all_.size());
    for (const auto& [order, entry] : all_) out.push_back(entry);
    return out;
  }

 private:
  // The node at `was`, now at `order` (the latest: it goes last).
  static void Reorder(std::map<uint64_t, T*>& entries, uint64_t was, uint64_t order) {
    auto node = entries.extract(was);
    node.key() = order;
    entries.insert(entries.end(), std::move(node));
  }

  bool EvictOldestIdle(const std::map<uint64_t, T*>& entries, std::vector<T*>* evicted) {
    for (const auto& [order, entry] : entries) {
      if (entry->busy) continue;
      T* victim = entry;
      Remove(victim);
      evicted->push_back(victim);
      return true;
    }
    return false;
  }

  size_t cap_;
  uint64_t clock_ = 0;
  std::unordered_map<std::string, std::pair<uint64_t, T*>> index_;
  std::map<uint64_t, T*> all_;
  std::unordered_map<std::string, std::map<uint64_t, T*>> byClient_;
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
