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
#include "radius_socket.h"

namespace eaphost::radius {

// A PSK identity a listener knows, its key, and one network it may present it from (RFC 9813).
struct DtlsPskClient {
  std::string identity;
  Bytes key;  // wiped with the credentials that hold it
  ClientNetwork network;
};

// What a DTLS end proves itself with, and trusts: certificates (PEM) or a pre-shared key; a
// listener may take certificates and PSK clients at once (the client's offered suites decide).
struct DtlsCredentials {
  Bytes certPem;
  Bytes keyPem;
  std::string passphrase;
  Bytes caPem;              // the CA the peer's certificate must chain to; empty: no certificate is trusted
  std::string pskIdentity;  // non-empty: TLS-PSK (RFC 9813) with an ECDHE exchange, no certificate
  Bytes pskKey;
  std::vector<DtlsPskClient> pskClients;  // a listener's
};

struct DtlsClientConfig {
  Source server;
  DtlsCredentials credentials;
  std::string serverName;  // sent as SNI when it is a host name
  uint32_t handshakeTimeoutMs = 10000;
};

// What a DTLS connection has for JS since the last Take().
struct DtlsEvents {
  bool connected = false;               // the handshake has ended, the peer's chain verified
  std::vector<Bytes> peerCertificates;  // with connected: DER, the leaf first
  std::string alpn;                     // with connected: the protocol the peer chose, if any
  std::vector<Bytes> records;           // RADIUS packets, as received, in order
  bool failed = false;                  // the connection is over; nothing follows
  std::string code;                     // with failed: ETIMEDOUT, ECONNRESET, EPROTO or ECERT
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

// The server side: what RadSec over TCP bounds, carried over (radsec-admission.ts says why).
struct DtlsServerConfig {
  ListenAddress listen;
  DtlsCredentials credentials;  // the listener's certificate and key, the CA of its clients
  uint32_t maxAssociations = 256;
  uint32_t maxAssociationsPerAddress = 16;
  uint32_t handshakeTimeoutMs = 10000;
  uint32_t idleTimeoutMs = 600000;  // 0: never
};

// A record from an authenticated association, and associations that ended (their links gone).
struct DtlsServerRecord {
  uint32_t link = 0;
  Source from;
  Bytes packet;
};
struct DtlsServerEvents {
  std::vector<DtlsServerRecord> records;
  std::vector<uint32_t> closed;
  bool empty() const { return records.empty() && closed.empty(); }
};

// What the listener has done since it opened: the HelloVerifyRequest side counted in bytes, so
// a test can hold it to "no more out than in" before a cookie came back.
struct DtlsServerCounters {
  uint64_t cookieDatagramsIn = 0;  // datagrams from addresses with no association
  uint64_t cookieBytesIn = 0;
  uint64_t cookiesSent = 0;  // HelloVerifyRequests
  uint64_t cookieBytesOut = 0;
  uint64_t associations = 0;  // made after a cookie came back
  uint64_t refused = 0;       // at a cap with nothing to displace
  uint64_t evicted = 0;       // an unfinished handshake displaced by a newcomer
  uint64_t handshakeTimeouts = 0;
  uint64_t idleTimeouts = 0;
  uint64_t failed = 0;  // handshakes or associations ended by an error (a refused certificate)
};

class DtlsServer {
 public:
  virtual ~DtlsServer() = default;
  virtual uint16_t port() const = 0;
  // Any thread: a reply over association `link`; false when it is gone.
  virtual bool Send(uint32_t link, Bytes packet) = 0;
  // Any thread: ends association `link` (its framing broke).
  virtual void End(uint32_t link) = 0;
  virtual DtlsServerEvents Take() = 0;
  virtual DtlsServerCounters counters() const = 0;
  virtual void Close() = 0;
};

// Links from kDtlsFirstLink up, never those of RadSec over TCP (which counts from 1).
constexpr uint32_t kDtlsFirstLink = 0x80000000u;

std::unique_ptr<DtlsServer> OpenDtlsServer(DtlsServerConfig config, std::function<void()> notify, LaneError* error);

// The socket bound (an ephemeral port of the server's family) and the handshake started on the
// loop's thread, which calls `notify` when Take() has something. Null with *error when the
// socket cannot be made or the credentials are unusable.
std::unique_ptr<DtlsClient> OpenDtlsClient(DtlsClientConfig config, std::function<void()> notify, LaneError* error);

}  // namespace eaphost::radius
