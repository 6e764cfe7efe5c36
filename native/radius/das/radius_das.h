// The Dynamic Authorization Server (RFC 5176, the NAS side) as a role of the RADIUS stack: a
// Disconnect-Request or CoA-Request from a known client is checked (its computed Request
// Authenticator, its Message-Authenticator, its Event-Timestamp against the window), remembered
// against retransmission and replay, decoded into named fields, and either refused here with
// its Error-Cause or handed to JS, whose policy says what to do (carried out, or the Error-Cause
// to give); the ACK or NAK is signed here and kept for the request's retransmissions.
//
// What is refused, and how (hostapd's DAS, src/radius/radius_das.c, does the same where it says):
// - silently dropped: a source that is no client, a datagram that is no RADIUS packet, another
//   code, a wrong Request Authenticator (wrong secret or forged; RFC 5176 §3.5 "silently
//   discarded"), a Message-Authenticator that is wrong, or missing while required (RFC 5176
//   §3.3, BlastRADIUS), an Event-Timestamp missing while required or outside the window
//   (RFC 5176 §3.5: "SHOULD be silently discarded").
// - answered from memory and never carried out again: the same Identifier and Request
//   Authenticator from the same client address, a retransmission (RFC 5080 §2.2.2) or a replay
//   from any port: either way the first answer goes back. A request is remembered until its
//   Event-Timestamp can no longer fall inside the window, past or future (up to twice the window
//   after it came), so the same bytes are never carried out twice while they would pass the
//   timestamp check; only a full memory forgets one earlier, and a request without
//   Event-Timestamp (when none is required) is remembered one window from its arrival.
// - NAK'd here, JS never asked: 401 Unsupported Attribute (an attribute RFC 5176 §3 does not
//   allow in that request), 405 Unsupported Service (Service-Type other than Authorize Only),
//   402 Missing Attribute (no session identification, Authorize Only without State), 403 NAS
//   Identification Mismatch (NAS-Identifier / NAS-IP-Address / NAS-IPv6-Address not ours), 404
//   Invalid Request (an identification or change attribute given twice), 407 Invalid Attribute
//   Value.
//
// Over RadSec (RFC 6614; a source with a link, its bytes framed by the engine): every request is
// under RadSec's own secret (streamSecret, "radsec"), and a client may send only what it is
// allowed to: a request from an address no client contains, or of a kind this server does not
// take (an Access-Request, an Accounting-Request), gets a Protocol-Error (RFC 7930 §4) with
// Error-Cause 406 Unsupported Extension instead of silence, as the RadSec revision §3.7 asks, so
// the sender need not wait it out. With streamSecret set, UDP datagrams are dropped: the server
// takes RadSec alone.
//
// No socket, no thread and no clock of its own: JS's socket hands a datagram in with the time
// (the server's clock, which a test may move), and sends what comes back.
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "../wire/radius_base.h"
#include "../wire/radius_packet.h"

namespace eaphost::radius {

struct DasSettings {
  std::vector<ClientNetwork> clients;  // the first containing the source decides
  std::optional<std::string> nasIdentifier;  // none: any NAS-Identifier is refused (403)
  int ownFamily = 0;                          // NAS-IP(v6)-Address that is ours; 0: none is
  bool anyNas = false;                        // a proxy's lane: the NAS identification is the NAS's to check
  uint8_t ownAddress[16] = {};
  bool requireMessageAuthenticator = true;
  bool requireEventTimestamp = true;
  uint32_t windowSeconds = 300;
  size_t replayCacheSize = 4096;
  // RadSec's secret: set, requests come over RadSec links alone (radius_das_engine.h's OnStream),
  // those of RADIUS/DTLS associations under dtlsSecret ("radius/dtls", the RadSec revision's).
  std::shared_ptr<const SharedSecret> streamSecret;
  std::shared_ptr<const SharedSecret> dtlsSecret;
};

struct DasCounters {
  uint64_t requests = 0, acks = 0, naks = 0, duplicates = 0, droppedUnknownClient = 0, droppedMalformed = 0,
           droppedUnauthenticated = 0, droppedNoMessageAuthenticator = 0, droppedStale = 0, protocolErrors = 0;
};

// A request that passed every check, for JS's policy: its session identification and changes,
// decoded (text as it came, UTF-8 for JS to read), and every attribute as it came.
struct DasRequest {
  uint32_t id = 0;
  bool disconnect = true;
  std::optional<Bytes> userName, callingStationId, calledStationId, acctSessionId, acctMultiSessionId, nasPortId,
      chargeableUserIdentity;
  std::optional<uint32_t> nasPort;
  std::optional<std::string> framedIpAddress;  // dotted
  std::optional<uint32_t> sessionTimeout;      // CoA only
  std::optional<Bytes> authorizeOnlyState;     // CoA Authorize Only, with its State
  std::vector<std::pair<uint8_t, Bytes>> attributes;
};

// What one datagram came to: nothing to send (dropped, or a retransmission of a request JS has
// not answered yet), a reply to send back to its source, or a request for JS's policy.
struct DasOutcome {
  enum class Kind { kNothing, kReply, kAsk } kind = Kind::kNothing;
  Bytes reply;
  DasRequest request;
};

class DasLane {
 public:
  explicit DasLane(DasSettings settings) : settings_(std::move(settings)) {}

  // `nowMs`: the server's clock, milliseconds since the epoch (Event-Timestamp is in its seconds).
  // `dtls`: a record of a RADIUS/DTLS association (`source.link` names it).
  DasOutcome OnDatagram(const uint8_t* datagram, size_t size, const Source& source, uint64_t nowMs, bool dtls = false);
  // JS's verdict on request `id`: carried out (`done`), or refused with `errorCause`. Returns the
  // signed ACK or NAK (Authorize Only carried out: NAK 507, RFC 5176 §3.2), kept for the
  // request's retransmissions; empty for an ID no request waits under.
  Bytes OnVerdict(uint32_t id, bool done, uint32_t errorCause, uint64_t nowMs);
  const DasCounters& counters() const { return counters_; }
  // Forgets every request and wipes the secrets.
  void Clear();

 private:
  struct Remembered {
    uint64_t until = 0;
    Bytes reply;  // empty while JS works on it
    std::list<std::string>::iterator order;
  };
  // What signing the answer needs of a request JS is deciding on.
  struct Waiting {
    std::string key;
    std::shared_ptr<const SharedSecret> secret;
    uint8_t code = 0;
    uint8_t identifier = 0;
    uint8_t authenticator[kAuthenticatorLength] = {};
    std::vector<Bytes> proxyStates;
    bool authorizeOnly = false;
  };
  const ClientNetwork* ClientFor(const Source& source) const;
  std::optional<uint64_t> TimelyUntil(const RequestView& request, uint64_t nowMs) const;
  void Remember(const std::string& key, uint64_t until, uint64_t nowMs);
  // The request's Error-Cause when it is refused here, or 0 with *out filled.
  uint32_t Parse(const RequestView& request, DasRequest* out) const;
  bool Ours(uint8_t type, const uint8_t* value, size_t size) const;
  Bytes Sign(const Waiting& waiting, bool ack, uint32_t errorCause, bool authorizeOnlyStarted, uint64_t nowMs);
  // A RadSec request this server does not take from its sender: its Protocol-Error, or nothing to
  // send when it is no request at all.
  DasOutcome Refuse(const uint8_t* datagram, size_t size, const SharedSecret& secret);

  DasSettings settings_;
  DasCounters counters_;
  std::unordered_map<std::string, Remembered> remembered_;
  std::list<std::string> arrivals_;  // oldest first
  std::unordered_map<uint32_t, Waiting> waiting_;
  uint32_t lastId_ = 0;
};

}  // namespace eaphost::radius
