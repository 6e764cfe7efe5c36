// RADIUS/DTLS (RFC 7360 as the RadSec revision keeps it): the DTLS record layer and its UDP
// socket, on the one RADIUS loop (radius_loop.h). Each record carries one RADIUS packet; what the
// records carry is JS's RadSec engine's (the same one RadSec over TLS feeds: request and reply
// matching, limits, identity checks), so this layer only makes the connection, checks the peer's
// chain against the CA, and carries records both ways. GnuTLS (radius_dtls_client.cc) where the
// build has it; elsewhere (radius_dtls_absent.cc) opening one fails with a clear error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "radius_base.h"

namespace eaphost::radius {

// What a DTLS end proves itself with, and trusts: certificates (PEM) or a pre-shared key.
struct DtlsCredentials {
  Bytes certPem;
  Bytes keyPem;
  std::string passphrase;
  Bytes caPem;  // the CA the peer's certificate must chain to; empty: no certificate is trusted
  std::string pskIdentity;  // non-empty: TLS-PSK (RFC 9813) with an ECDHE exchange, no certificate
  Bytes pskKey;
};

struct DtlsClientConfig {
  Source server;
  DtlsCredentials credentials;
  std::string serverName;  // sent as SNI when it is a host name
  uint32_t handshakeTimeoutMs = 10000;
};

// What a DTLS connection has for JS since the last Take().
struct DtlsEvents {
  bool connected = false;                // the handshake has ended, the peer's chain verified
  std::vector<Bytes> peerCertificates;   // with connected: DER, the leaf first
  std::string alpn;                      // with connected: the protocol the peer chose, if any
  std::vector<Bytes> records;            // RADIUS packets, as received, in order
  bool failed = false;                   // the connection is over; nothing follows
  std::string code;                      // with failed: ETIMEDOUT, ECONNRESET, EPROTO or ECERT
  std::string error;
  bool empty() const { return !connected && records.empty() && !failed; }
};

// The largest RADIUS packet (RFC 7930 §3) in one record, and the datagram size the handshake
// keeps its flights to (IP fragments of a certificate chain are lost more often than a
// retransmitted flight costs).
constexpr size_t kDtlsMaxRecord = 4096;
constexpr unsigned kDtlsHandshakeMtu = 1400;

class DtlsClient {
 public:
  virtual ~DtlsClient() = default;
  virtual uint16_t port() const = 0;
  // Any thread: one RADIUS packet, sent in one record once the handshake is done (queued before).
  virtual void Write(Bytes packet) = 0;
  virtual DtlsEvents Take() = 0;
  // Sends close_notify when connected, stops the loop's thread, wipes the keys. Idempotent.
  virtual void Close() = 0;
};

// The socket bound (an ephemeral port of the server's family) and the handshake started on the
// loop's thread, which calls `notify` when Take() has something. Null with *error when the
// socket cannot be made or the credentials are unusable.
std::unique_ptr<DtlsClient> OpenDtlsClient(DtlsClientConfig config, std::function<void()> notify, LaneError* error);

}  // namespace eaphost::radius
