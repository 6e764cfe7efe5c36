// What each RADIUS client (a NAS, by its source address) has sent and been sent, and how it signs
// its requests: Message-Authenticator valid, invalid or absent, and Proxy-State without one (the
// BlastRADIUS posture, CVE-2024-3596), with the wall-clock time each was last seen. The lane
// counts on its thread; stats are read on JS's, so the table has a lock of its own, taken once
// per datagram. An address takes a label of its own only once one of its requests proves it holds
// the secret (a valid Message-Authenticator or Request Authenticator, or a PAP password that
// matched): until then it is counted under "unverified", so addresses that only send with a wrong
// secret cannot fill the labels before a real NAS arrives. Bounded: past kMaxClients verified
// addresses, new verified ones are counted under "other" (and what is sent to an address without
// a label then, and its verdicts, are counted there too).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace eaphost::radius {

// How a request carried Message-Authenticator.
enum class Signing { kValid, kInvalid, kAbsent };

struct ClientTallyRow {
  std::string client;
  uint64_t accessRequests = 0, accountingRequests = 0, statusServer = 0;
  uint64_t accepts = 0, rejects = 0, challenges = 0, accountingResponses = 0;
  uint64_t valid = 0, invalid = 0, absent = 0, proxyStateWithout = 0;
  // ms since 1970 when each was last seen; 0: never.
  uint64_t lastValidMs = 0, lastInvalidMs = 0, lastAbsentMs = 0, lastProxyStateWithoutMs = 0;
};

class ClientTally {
 public:
  static constexpr size_t kMaxClients = 4096;

  // A request from `client`: its code (RFC 2865 §4), how it was signed, whether it carried
  // Proxy-State, and whether it proved the client's secret (`verified`).
  void Request(const std::string& client, uint8_t code, Signing signing, bool proxyState, bool verified) {
    uint64_t now = WallMs();
    std::lock_guard<std::mutex> lock(lock_);
    if (verified) Claim(client);
    ClientTallyRow& row = verified ? RowOf(client) : Row(rows_.count(client) != 0 ? client : kUnverified);
    switch (code) {
      case 1: row.accessRequests++; break;
      case 4: row.accountingRequests++; break;
      case 12: row.statusServer++; break;
      default: break;
    }
    switch (signing) {
      case Signing::kValid:
        row.valid++;
        row.lastValidMs = now;
        break;
      case Signing::kInvalid:
        row.invalid++;
        row.lastInvalidMs = now;
        break;
      case Signing::kAbsent:
        row.absent++;
        row.lastAbsentMs = now;
        break;
    }
    if (proxyState && signing == Signing::kAbsent) {
      row.proxyStateWithout++;
      row.lastProxyStateWithoutMs = now;
    }
  }

  // A reply sent to `client`, by its code.
  void Response(const std::string& client, uint8_t code) {
    std::lock_guard<std::mutex> lock(lock_);
    ClientTallyRow& row = RowOf(client);
    switch (code) {
      case 2: row.accepts++; break;
      case 3: row.rejects++; break;
      case 11: row.challenges++; break;
      case 5: row.accountingResponses++; break;
      default: break;
    }
  }

  // `client` proved its secret other than by its request's signature (a PAP password that matched).
  void Verified(const std::string& client) {
    std::lock_guard<std::mutex> lock(lock_);
    Claim(client);
  }

  // The label `client` is counted under: its address once verified, else "unverified" (or "other"
  // past kMaxClients). The verdicts' tally labels its rows with it.
  std::string Label(const std::string& client) const {
    std::lock_guard<std::mutex> lock(lock_);
    return LabelOf(client);
  }

  std::vector<ClientTallyRow> Snapshot() const {
    std::lock_guard<std::mutex> lock(lock_);
    std::vector<ClientTallyRow> rows;
    rows.reserve(rows_.size());
    for (const auto& entry : rows_) rows.push_back(entry.second);
    return rows;
  }

 private:
  static uint64_t WallMs() {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
  }

  // A label of its own for `client`, while there are labels left.
  void Claim(const std::string& client) {
    if (verified_ >= kMaxClients || rows_.count(client) != 0) return;
    rows_[client].client = client;
    verified_++;
  }

  const std::string& LabelOf(const std::string& client) const {
    if (rows_.count(client) != 0) return client;
    return verified_ < kMaxClients ? kUnverified : kOther;
  }

  ClientTallyRow& RowOf(const std::string& client) { return Row(LabelOf(client)); }

  ClientTallyRow& Row(const std::string& key) {
    ClientTallyRow& row = rows_[key];
    row.client = key;
    return row;
  }

  inline static const std::string kOther = "other";
  inline static const std::string kUnverified = "unverified";
  mutable std::mutex lock_;
  // Verified clients' rows by address, and "unverified" and "other" once counted.
  std::unordered_map<std::string, ClientTallyRow> rows_;
  size_t verified_ = 0;
};

}  // namespace eaphost::radius
