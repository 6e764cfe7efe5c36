// One DTLS association over GnuTLS (radius_dtls.h): its datagrams come from and go to the loop's
// socket through GnuTLS's push and pull functions, never a socket of its own; every call on the
// loop's thread. Non-blocking: the handshake moves when a datagram comes or its retransmission
// timer (NextTimerUs) is due. The RADIUS side's one way to GnuTLS's headers, as
// native/methods/tls/gnutls/gnutls_headers.h is the methods' (the same ssize_t for Windows).
#pragma once

#if defined(_WIN32)
#include <cstddef>
typedef std::ptrdiff_t ssize_t;
static_assert(sizeof(ssize_t) == sizeof(void*), "ssize_t is pointer-sized on Windows");
#endif

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/dtls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "radius_dtls.h"
#include "../io/radius_socket.h"

namespace eaphost::radius {

// Certificates or a PSK, loaded once for every association that uses them.
class DtlsCredentialSet {
 public:
  DtlsCredentialSet() = default;
  ~DtlsCredentialSet();
  DtlsCredentialSet(const DtlsCredentialSet&) = delete;
  DtlsCredentialSet& operator=(const DtlsCredentialSet&) = delete;
  // False with *error (EINVAL) when the PEM or key does not load.
  bool Load(DtlsCredentials& credentials, bool server, LaneError* error);
  bool psk() const { return psk_; }
  bool certificates() const { return certificates_ != nullptr; }
  bool verifies() const { return verifies_; }
  bool Apply(gnutls_session_t session, const char** why) const;
  // A listener's key for `identity` presented from `peer`: null when it is unknown or not
  // allowed from there (the handshake then fails).
  const Bytes* KeyFor(const uint8_t* identity, size_t size, const Source& peer) const;

 private:
  bool LoadPskClients(std::vector<DtlsPskClient>& clients, LaneError* error);

  bool psk_ = false;
  bool verifies_ = false;
  gnutls_certificate_credentials_t certificates_ = nullptr;
  gnutls_psk_client_credentials_t pskClient_ = nullptr;
  gnutls_psk_server_credentials_t pskServer_ = nullptr;
  std::vector<DtlsPskClient> pskClients_;
};

class DtlsSession {
 public:
  enum class State { kHandshaking, kConnected, kFailed };

  DtlsSession(RadiusSocket& socket, const Source& peer) : socket_(socket), peer_(peer) {}
  ~DtlsSession();
  DtlsSession(const DtlsSession&) = delete;
  DtlsSession& operator=(const DtlsSession&) = delete;

  // Starts a client association (its ClientHello goes out on the first Step).
  bool StartClient(const DtlsCredentialSet& credentials, const std::string& serverName, uint32_t handshakeTimeoutMs,
                   LaneError* error);
  // Starts a server association whose ClientHello's cookie verified (`prestate`); the
  // ClientHello itself comes next, by Datagram.
  bool StartServer(const DtlsCredentialSet& credentials, gnutls_dtls_prestate_st* prestate, uint32_t handshakeTimeoutMs,
                   LaneError* error);
  // A datagram from the peer, read on the next Step.
  void Datagram(const uint8_t* data, size_t size);
  // Moves the handshake or reads what records came; what it learnt goes to `events`.
  void Step(uint64_t nowUs, DtlsEvents* events);
  // A RADIUS packet in one record, held to share a datagram with the turn's next ones (the
  // RadSec revision §5.1: several records a datagram, one packet a record) until Flush; false
  // when the association cannot send (it failed then).
  bool Send(const Bytes& packet, DtlsEvents* events);
  // Sends the records Send held, in one datagram (or a few, none past kDtlsPackedDatagram).
  void Flush();
  // When Step wants to run again for the handshake's retransmission (UINT64_MAX: no timer).
  uint64_t NextTimerUs() const { return timerUs_; }
  State state() const { return state_; }
  // The records GnuTLS has written to the peer so far (the admission's measure of progress).
  uint64_t written() const { return written_; }
  // close_notify, when connected (after what Send held).
  void Bye();
  // The listener's PSK lookup (GnuTLS's server credentials function), for this session's peer.
  static int PskKey(gnutls_session_t session, const gnutls_datum_t* identity, gnutls_datum_t* key);

 private:
  static ssize_t Push(gnutls_transport_ptr_t self, const void* data, size_t size);
  static ssize_t Pull(gnutls_transport_ptr_t self, void* data, size_t size);
  static int PullTimeout(gnutls_transport_ptr_t self, unsigned int ms);
  void Handshake(uint64_t nowUs, DtlsEvents* events);
  void Connected(DtlsEvents* events);
  // Whether the peer's leaf may serve `serverPurpose` (else client) authentication
  // (native/common/tls_purpose.h); otherwise *listed names what it may serve.
  bool LeafPurposeAllows(bool serverPurpose, std::string* listed) const;
  void Fail(const char* code, const std::string& why, DtlsEvents* events);
  bool Init(unsigned flags, const DtlsCredentialSet& credentials, uint32_t handshakeTimeoutMs, LaneError* error);

  RadiusSocket& socket_;
  Source peer_;
  const DtlsCredentialSet* credentials_ = nullptr;
  gnutls_session_t session_ = nullptr;
  bool verifies_ = false;
  bool server_ = false;             // verifies a client's certificate (else a server's)
  unsigned helloVerifyCookie_ = 0;  // a client's: the longest cookie a HelloVerifyRequest announced
  State state_ = State::kHandshaking;
  uint64_t timerUs_ = 0;
  uint64_t deadlineUs_ = UINT64_MAX;
  uint32_t handshakeTimeoutMs_ = 0;
  std::deque<Bytes> inbound_;
  uint64_t written_ = 0;
  bool packing_ = false;    // within Send: Push holds the record in packed_
  bool pulledDry_ = false;  // Pull found no datagram: GnuTLS holds no record unread
  Bytes packed_;            // records of this turn not sent yet, back to back
};

// Whether a datagram's source is the peer's address and port.
bool SamePeer(const Source& a, const Source& b);

}  // namespace eaphost::radius
