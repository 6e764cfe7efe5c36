// One TLS connection driven over memory: the EAP method feeds it the records the other side
// sent, runs the handshake a step at a time, and takes the records to send back. TLS 1.2 and
// 1.3; keying material through the PRF (TLS 1.2) or the exporter (TLS 1.3). The server
// certificate policy of the peer lives here too: a trusted CA (or an explicit `insecure`),
// server names matched against SAN dNSName / CN, and typed failures.
//
// This is the whole of what the TLS-based methods ask of a TLS library; everything else in
// tls/ (framing, fragments, keys, alerts, fast reconnect) is the EAP side and engine-neutral.
// A backend implements this class in a folder of its own, and no file outside that folder sees
// its library: gnutls/ is GnuTLS, on every OS (on Windows the DLLs cross-built from Debian's
// source packages, beside eap_methods.dll); there is no second backend.
#pragma once

#include <cstddef>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../../common/byte_span.h"
#include "../support/method_error.h"
#include "tls_config.h"

namespace eaphost {
namespace tls {

enum class TlsRole { kClient, kServer };

// Fast reconnect's proof on an authenticator's cached TLS 1.2 session (tls_phase2_marks.h): the
// tunnel method that finished phase 2 successfully in it, the identity phase 2 authenticated
// and a digest of the secret it was checked against.
struct Phase2Mark {
  std::uint8_t methodType = 0;  // 0: no phase 2 succeeded in this session
  std::string identity;
  std::array<std::uint8_t, 32> secretDigest{};
};

// What the engine needs from its method besides the configuration.
struct TlsEngineOptions {
  TlsRole role;
  const char* methodName;         // "PEAP", for error text
  bool requestClientCertificate;  // server: EAP-TLS asks for (and verifies) one
  bool needOwnCertificate;        // client: EAP-TLS presents one
  // client: EapPeerBeginSession's hTokenImpersonateUser, the user whose CurrentUser store a
  // certStore look-up opens (null: the process's own)
  eap::HANDLE userToken = nullptr;
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
  // The hash of the negotiated cipher suite's PRF (TLS 1.2) or HKDF (TLS 1.3): 48 for SHA-384
  // suites, else 32 (SHA-256). TEAP's key chain and Compound MAC follow it.
  std::size_t PrfHashSize() const;
  // The hello randoms (32 bytes each), which TLS 1.2 Session-Ids are made of.
  void HelloRandoms(std::uint8_t client[32], std::uint8_t server[32]) const;
  // The negotiated version's wire value (0x0303 for TLS 1.2) once the handshake is complete; 0
  // before.
  std::uint16_t NegotiatedVersion() const;
  // The certificates the other side sent (DER, leaf first, as sent), once it sent them.
  std::vector<std::vector<std::uint8_t>> PeerCertificates() const;
  // The OCSP response the other side stapled (DER), when it stapled one.
  std::vector<std::uint8_t> OcspStaple() const;
  // "TLS 1.2" / "TLS 1.3", for messages.
  std::string VersionName() const;
  // The highest version a peer offers: the configuration's, lowered by a store key that makes
  // no TLS 1.3 signature; `why` says what lowered it (empty when nothing did).
  std::uint16_t OfferedTlsMax(std::string* why) const;
  // Fast reconnect's marks on an authenticator's established TLS 1.2 session, in the session
  // cache its configuration shares (tls_phase2_marks.h). Nothing to mark or read for a peer,
  // for TLS 1.3 (tickets, no cache entry) and with resumption off.
  void MarkPhase2Success(const Phase2Mark& mark) const;
  // True (and the mark) when the cached session is marked for phase 2 of `methodType`.
  bool CachedPhase2Mark(std::uint8_t methodType, Phase2Mark* mark) const;
  // Drops the session from the cache: a conversation that failed must not be resumed.
  void ForgetCachedSession() const;

 private:
  // The Session ID of an established TLS 1.2 session the authenticator's cache can hold.
  bool CachedSessionId(std::vector<std::uint8_t>* sessionId) const;
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
