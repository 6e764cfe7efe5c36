// One TLS connection driven over memory (GnuTLS with push/pull callbacks): the EAP method feeds
// it the records the other side sent, runs the handshake a step at a time, and takes the records
// to send back. TLS 1.2 and 1.3; keying material through the PRF (TLS 1.2) or the exporter
// (TLS 1.3). The server certificate policy of the peer lives here too: a trusted CA (or an
// explicit `insecure`), server names matched against SAN dNSName / CN, and typed failures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../support/byte_span.h"
#include "../support/method_error.h"
#include "tls_config.h"

namespace eaphost {
namespace tls {

enum class TlsRole { kClient, kServer };
class TlsCredentials;

// What the engine needs from its method besides the configuration.
struct TlsEngineOptions {
  TlsRole role;
  const char* methodName;         // "PEAP", for error text
  bool requestClientCertificate;  // server: EAP-TLS asks for (and verifies) one
  bool needOwnCertificate;        // client: EAP-TLS presents one
};

class TlsEngine {
 public:
  // Throws MethodFailure when the configuration cannot be used (no CA and not insecure, bad
  // PEM, key that does not decrypt). The credentials are shared with every engine of the same
  // configuration (tls_credentials.h); the TLS session itself is made by the first Handshake.
  TlsEngine(const TlsEngineOptions& options, const TlsConfig& config);
  ~TlsEngine();
  TlsEngine(const TlsEngine&) = delete;
  TlsEngine& operator=(const TlsEngine&) = delete;

  // Queues records the other side sent (one reassembled EAP-TLS message).
  void Receive(ByteSpan records);
  // Runs the handshake as far as the queued records allow. True once it is complete. Throws
  // MethodFailure: certificate failures carry the EAP_E_* reason that says why; a server has
  // then queued the fatal alert that tells the peer (TakeOutgoing).
  bool Handshake();
  bool established() const { return established_; }
  // The other side closed the TLS connection (close_notify).
  bool closed() const { return closed_; }
  bool tls13() const;
  // The handshake resumed an earlier session (a ticket) instead of authenticating afresh.
  bool resumed() const;
  // Encrypts application data into the outgoing records.
  void Write(ByteSpan plain);
  // Decrypts every application record queued. Throws MethodFailure on an alert or bad record.
  void ReadAll(std::vector<std::uint8_t>* plain);
  // The records to send, and empties the queue.
  std::vector<std::uint8_t> TakeOutgoing();
  bool HasOutgoing() const { return !outgoing_.empty(); }
  // Keying material: TLS 1.2 PRF(master secret, label, client.random || server.random) — the
  // RFC 5705 exporter without context — or the TLS 1.3 exporter with `context`.
  void Export(const char* label, ByteSpan context, std::uint8_t* out, std::size_t size);
  // The hello randoms (32 bytes each), which TLS 1.2 Session-Ids are made of.
  void HelloRandoms(std::uint8_t client[32], std::uint8_t server[32]) const;
  // "TLS 1.2" / "TLS 1.3", for messages.
  std::string VersionName() const;
  // An authenticator's established TLS 1.2 session that its session cache can hold: the
  // Session ID and the credentials whose cache it is (tls_phase2_marks.h). False for a peer,
  // for TLS 1.3 (tickets, no cache entry) and with resumption off.
  bool CachedSessionId(std::vector<std::uint8_t>* sessionId, const TlsCredentials** credentials) const;

 private:
  void StartSession();
  void SendRefusalAlert(int rc);
  void RequireSession() const;
  void ReleaseConsumed();
  struct Impl;
  friend struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::uint8_t> incoming_;
  std::size_t incomingRead_ = 0;
  std::vector<std::uint8_t> outgoing_;
  bool established_ = false;
  bool starved_ = false;  // the last read found the queue empty
  bool closed_ = false;   // the other side sent close_notify
  bool counted_ = false;  // a session was started (the live-engine count includes it)
  TlsEngineOptions options_;
};

}  // namespace tls
}  // namespace eaphost
