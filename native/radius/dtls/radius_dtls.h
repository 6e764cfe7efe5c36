// RADIUS/DTLS (RFC 7360 as the RadSec revision keeps it): the DTLS record layer and its UDP
// socket, on the one RADIUS loop (radius_loop.h). Each record carries one RADIUS packet; what the
// records carry is a native engine's, the same one RadSec over TLS feeds (the client engine's
// request and reply matching, the RADIUS engine's lane), handed over and taken back natively, so
// this layer only makes the connection, checks the peer's chain against the CA, and carries
// records both ways. GnuTLS (radius_dtls_client.cc) where the
// build has it; elsewhere (radius_dtls_absent.cc) opening one fails with a clear error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../wire/radius_base.h"
#include "../io/radius_socket.h"

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
  // Where the records go, each as it comes, in order, on the association's thread: the client
  // engine's stream of this association (RadiusClientEngine::OnRecord), never JS.
  std::function<void(Bytes&&)> onRecord;
};

// What a DTLS session made in one step: the handshake's end, records, the end. A client's
// records go to its onRecord; the rest (DtlsClient::Take) to JS.
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
// The most a datagram packing several records of one turn may hold (a record larger than it
// goes alone): the handshake's, so packing makes no datagram IP must fragment.
constexpr size_t kDtlsPackedDatagram = kDtlsHandshakeMtu;

class DtlsClient {
 public:
  virtual ~DtlsClient() = default;
  virtual uint16_t port() const = 0;
  // Any thread (the client engine's, for its requests; JS's, for a reverse CoA reply): one RADIUS
  // packet, sent in one record once the handshake is done (queued before).
  virtual void Write(Bytes packet) = 0;
  // What JS is told since the last Take(): connected (the peer's chain), the end; no records.
  virtual DtlsEvents Take() = 0;
  // Any thread: milliseconds since the server last sent a datagram (since the handshake began,
  // before it sent one): what the RadSec watchdog asks before it sends a Status-Server.
  virtual uint64_t QuietMs() const = 0;
  // Sends close_notify when connected, stops the loop's thread, wipes the keys. Idempotent.
  virtual void Close() = 0;
};

// The server side: what RadSec over TCP bounds, by the same admission (radius_admission.h says why).
struct DtlsServerConfig {
  ListenAddress listen;
  DtlsCredentials credentials;  // the listener's certificate and key, the CA of its clients
  uint32_t maxAssociations = 256;
  uint32_t maxAssociationsPerAddress = 16;
  uint32_t handshakeTimeoutMs = 10000;
  uint32_t idleTimeoutMs = 600000;  // 0: never
  // The configured client networks: their prefixes known for good (RadsecAdmission::KnowNetwork).
  std::vector<ClientNetwork> knownNetworks;
};

class DtlsServer;

// Where a listener's records go, natively: the RADIUS engine (radius_engine.h), whose replies
// it carries back, so no record and no reply crosses JS. OnRecord comes on the listener's
// thread; Carry and Uncarry on the thread that opens or closes it. A sink carries one listener.
class DtlsRecordSink {
 public:
  virtual ~DtlsRecordSink() = default;
  // One record from an authenticated association (`from.link` names it): one RADIUS packet,
  // read as a UDP datagram is (the RadSec revision: the record's length stands for the
  // datagram's), so a record short of its Length is dropped and bytes past it are padding.
  virtual void OnRecord(const uint8_t* data, size_t size, const Source& from) = 0;
  // Replies to the links OpenLink gave go to `server` (DtlsServer::Send) from now on; false
  // when the sink carries another listener's already (and goes on doing so).
  virtual bool Carry(DtlsServer* server) = 0;
  // Replies go to nobody (when `server` is the one carried), none is in progress once this
  // returns, and the links OpenLink gave are gone.
  virtual void Uncarry(DtlsServer* server) = 0;
  // The listener's thread: a link number for an association just authenticated, from the
  // sink's one counter (RadSec over TCP takes its numbers there too), its replies the carried
  // listener's; 0 when none is free. CloseLink gives it back when the association ends.
  virtual uint32_t OpenLink() = 0;
  virtual void CloseLink(uint32_t link) = 0;
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
  uint64_t failed = 0;       // handshakes or associations ended by an error (a refused certificate)
  uint64_t budgetWaits = 0;  // handshakes of unknown prefixes that waited for the budget (HandshakeBudget)
};

class DtlsServer {
 public:
  virtual ~DtlsServer() = default;
  virtual uint16_t port() const = 0;
  // Any thread (the sink's): a reply over association `link`; false when it is gone. The
  // replies of one turn to one association share datagrams (DtlsSession::Flush).
  virtual bool Send(uint32_t link, Bytes packet) = 0;
  // Any thread: association `link`'s peer (its address and port); false when it is gone.
  virtual bool Peer(uint32_t link, Source* peer) const = 0;
  virtual DtlsServerCounters counters() const = 0;
  // Stops carrying replies (the sink's Uncarry), then the thread; idempotent. Any thread but
  // the listener's own, the sink's included (the engine closing first).
  virtual void Close() = 0;
};

// The socket bound and the thread started; `sink` (which must outlive the listener) hears of its
// associations and is told to Carry its replies. Null with *error as OpenDtlsClient (EBUSY when
// the sink carries another listener).
std::unique_ptr<DtlsServer> OpenDtlsServer(DtlsServerConfig config, DtlsRecordSink& sink, LaneError* error);

// The socket bound (an ephemeral port of the server's family) and the handshake started on the
// loop's thread, which calls `notify` when Take() has something. Null with *error when the
// socket cannot be made or the credentials are unusable.
std::unique_ptr<DtlsClient> OpenDtlsClient(DtlsClientConfig config, std::function<void()> notify, LaneError* error);

}  // namespace eaphost::radius
