#include "radius_dtls_session.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "../../common/gnutls_pem.h"
#include "../../common/secure_zero.h"
#include "../../common/tls_chain_length.h"
#include "../../common/tls_purpose.h"
#include "radius_gnutls.h"
#include "../io/radius_loop.h"

namespace eaphost::radius {

namespace {

// DTLS 1.2 only (GnuTLS 3.7 has no DTLS 1.3); with a PSK, only the ECDHE-PSK exchanges (RFC 9813
// §4: never plain PSK), so the key is never the whole secret.
constexpr const char* kCertificatePriority = "NORMAL:-VERS-ALL:+VERS-DTLS1.2";
constexpr const char* kPskPriority = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-KX-ALL:+ECDHE-PSK";
// A listener taking certificates and PSK clients: the certificate exchanges and ECDHE-PSK.
constexpr const char* kBothPriority = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:+ECDHE-PSK";
// The RadSec revision §3.6: the client offers radius/1.0.
constexpr const char kAlpn[] = "radius/1.0";
// The first retransmission of a lost flight (RFC 6347 §4.2.4.1's 1 s).
constexpr unsigned kRetransmitMs = 1000;

// The longest HelloVerifyRequest cookie GnuTLS's client takes: DTLS_MAX_COOKIE_SIZE (its
// lib/gnutls_int.h), 32 in every release, where RFC 6347 §4.2.1 allows 255. A longer one fails the
// handshake with GNUTLS_E_UNEXPECTED_PACKET_LENGTH. The Windows build raises it to 255
// (scripts/ci/patches/gnutls-dtls-cookie-size.patch) and so never fails there.
constexpr unsigned kGnutlsMaxCookie = 32;

// The cookie length a datagram's first record announces when it is a HelloVerifyRequest (RFC 6347
// §4.2.1): a plaintext handshake record (content type 22, epoch 0) opening with handshake message 3
// from its first byte (fragment offset 0), whose body is server_version (2 bytes), then the
// cookie's length (1). -1 for anything else.
int HelloVerifyCookieLength(const uint8_t* data, size_t size) {
  constexpr size_t kRecordHeader = 13;     // type, version (2), epoch (2), sequence (6), length (2)
  constexpr size_t kHandshakeHeader = 12;  // type, length (3), message_seq (2), offset (3), fragment (3)
  constexpr size_t kUpToCookieLength = kHandshakeHeader + 3;
  if (size < kRecordHeader + kUpToCookieLength) return -1;
  if (data[0] != 22 || data[3] != 0 || data[4] != 0) return -1;
  if (((size_t{data[11]} << 8) | data[12]) < kUpToCookieLength) return -1;
  const uint8_t* handshake = data + kRecordHeader;
  if (handshake[0] != 3 || handshake[6] != 0 || handshake[7] != 0 || handshake[8] != 0) return -1;
  return handshake[kHandshakeHeader + 2];
}

gnutls_datum_t DatumOf(const Bytes& bytes) {
  return {const_cast<unsigned char*>(bytes.data()), static_cast<unsigned int>(bytes.size())};
}

}  // namespace

bool SamePeer(const Source& a, const Source& b) {
  return a.family == b.family && a.port == b.port && std::memcmp(a.address, b.address, a.family == 4 ? 4 : 16) == 0;
}

DtlsCredentialSet::~DtlsCredentialSet() {
  if (certificates_ != nullptr) gnutls_certificate_free_credentials(certificates_);
  if (pskClient_ != nullptr) gnutls_psk_free_client_credentials(pskClient_);
  if (pskServer_ != nullptr) gnutls_psk_free_server_credentials(pskServer_);
  for (DtlsPskClient& client : pskClients_) SecureZeroContents(client.key);
}

bool DtlsCredentialSet::LoadPskClients(std::vector<DtlsPskClient>& clients, LaneError* error) {
  pskClients_ = std::move(clients);
  clients.clear();
  psk_ = true;
  if (int rc = gnutls_psk_allocate_server_credentials(&pskServer_); rc < 0) {
    *error = {"EINVAL", std::string("PSK credentials: ") + gnutls_strerror(rc), 22};
    return false;
  }
  gnutls_psk_set_server_credentials_function2(pskServer_, DtlsSession::PskKey);
  return true;
}

const Bytes* DtlsCredentialSet::KeyFor(const uint8_t* identity, size_t size, const Source& peer) const {
  for (const DtlsPskClient& client : pskClients_) {
    if (client.identity.size() == size && std::memcmp(client.identity.data(), identity, size) == 0 &&
        InNetwork(client.network, peer)) {
      return &client.key;
    }
  }
  return nullptr;
}

bool DtlsCredentialSet::Load(DtlsCredentials& credentials, bool server, LaneError* error) {
  auto fail = [&](const std::string& why, int code) {
    *error = {"EINVAL", why + (code < 0 ? std::string(": ") + gnutls_strerror(code) : std::string()), 22};
    return false;
  };
  WipeOnExit<Bytes> wipeKey(credentials.keyPem);
  WipeOnExit<Bytes> wipePsk(credentials.pskKey);
  WipeOnExit<std::string> wipePassphrase(credentials.passphrase);
  struct WipePskClients {
    std::vector<DtlsPskClient>& clients;
    ~WipePskClients() {
      for (DtlsPskClient& client : clients) SecureZeroContents(client.key);
    }
  } wipePskClients{credentials.pskClients};
  if (server && !credentials.pskClients.empty()) {
    if (!LoadPskClients(credentials.pskClients, error)) return false;
    // PSK clients alone: no certificate to show, none to ask for.
    if (credentials.certPem.empty() && credentials.keyPem.empty() && credentials.caPem.empty()) return true;
  } else if (!credentials.pskIdentity.empty()) {
    if (server) return fail("a DTLS server takes PSK clients, not a PSK identity of its own", 0);
    psk_ = true;
    if (int rc = gnutls_psk_allocate_client_credentials(&pskClient_); rc < 0) return fail("PSK credentials", rc);
    gnutls_datum_t key = DatumOf(credentials.pskKey);
    if (int rc =
            gnutls_psk_set_client_credentials(pskClient_, credentials.pskIdentity.c_str(), &key, GNUTLS_PSK_KEY_RAW);
        rc < 0) {
      return fail("the PSK", rc);
    }
    return true;
  }
  if (int rc = gnutls_certificate_allocate_credentials(&certificates_); rc < 0)
    return fail("certificate credentials", rc);
  if (!credentials.caPem.empty()) {
    int added = gnutls_pem::LoadTrust(certificates_, credentials.caPem.data(), credentials.caPem.size());
    if (added <= 0) return fail("the CA holds no certificate", added);
    verifies_ = true;
  }
  if (!credentials.certPem.empty() || !credentials.keyPem.empty()) {
    const char* passphrase = credentials.passphrase.empty() ? nullptr : credentials.passphrase.c_str();
    int rc = gnutls_pem::LoadKeyPair(certificates_, credentials.certPem.data(), credentials.certPem.size(),
                                     credentials.keyPem.data(), credentials.keyPem.size(), passphrase);
    if (rc < 0) return fail("the certificate and its key", rc);
  }
  return true;
}

bool DtlsCredentialSet::Apply(gnutls_session_t session, const char** why) const {
  int rc = 0;
  if (psk_)
    rc = pskServer_ != nullptr ? gnutls_credentials_set(session, GNUTLS_CRD_PSK, pskServer_)
                               : gnutls_credentials_set(session, GNUTLS_CRD_PSK, pskClient_);
  if (rc >= 0 && certificates_ != nullptr) rc = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, certificates_);
  const char* priority = !psk_ ? kCertificatePriority : certificates_ != nullptr ? kBothPriority : kPskPriority;
  const char* error = nullptr;
  if (rc >= 0) rc = gnutls_priority_set_direct(session, priority, &error);
  if (rc < 0) *why = gnutls_strerror(rc);
  return rc >= 0;
}

DtlsSession::~DtlsSession() {
  for (Bytes& datagram : inbound_) SecureZeroContents(datagram);
  if (session_ != nullptr) gnutls_deinit(session_);
}

bool DtlsSession::StartClient(const DtlsCredentialSet& credentials, const std::string& serverName,
                              uint32_t handshakeTimeoutMs, LaneError* error) {
  if (!Init(GNUTLS_CLIENT, credentials, handshakeTimeoutMs, error)) return false;
  Source literal;
  if (!serverName.empty() && !ParseAddress(serverName, &literal)) {
    gnutls_server_name_set(session_, GNUTLS_NAME_DNS, serverName.data(), serverName.size());
  }
  return true;
}

bool DtlsSession::StartServer(const DtlsCredentialSet& credentials, gnutls_dtls_prestate_st* prestate,
                              uint32_t handshakeTimeoutMs, LaneError* error) {
  if (!Init(GNUTLS_SERVER, credentials, handshakeTimeoutMs, error)) return false;
  // RadSec authenticates both ends (RFC 6614 §2.3): a client without a certificate is refused
  // (a PSK exchange asks for none: the key authenticates it).
  if (credentials.certificates()) gnutls_certificate_server_set_request(session_, GNUTLS_CERT_REQUIRE);
  gnutls_dtls_prestate_set(session_, prestate);
  return true;
}

bool DtlsSession::Init(unsigned flags, const DtlsCredentialSet& credentials, uint32_t handshakeTimeoutMs,
                       LaneError* error) {
  const char* why = nullptr;
  int rc = gnutls_init(&session_, flags | GNUTLS_DATAGRAM | GNUTLS_NONBLOCK);
  if (rc < 0) {
    session_ = nullptr;
    why = gnutls_strerror(rc);
  } else if (credentials.Apply(session_, &why)) {
    verifies_ = credentials.verifies();
    server_ = (flags & GNUTLS_SERVER) != 0;
    credentials_ = &credentials;
    // The client offers radius/1.0; the server takes it when offered (none: RFC 7360 RadSec).
    gnutls_datum_t alpn = {reinterpret_cast<unsigned char*>(const_cast<char*>(kAlpn)), sizeof(kAlpn) - 1};
    gnutls_alpn_set_protocols(session_, &alpn, 1, 0);
    gnutls_transport_set_ptr(session_, this);
    gnutls_transport_set_push_function(session_, Push);
    gnutls_transport_set_pull_function(session_, Pull);
    gnutls_transport_set_pull_timeout_function(session_, PullTimeout);
    gnutls_dtls_set_mtu(session_, kDtlsHandshakeMtu);
    gnutls_dtls_set_timeouts(session_, kRetransmitMs, handshakeTimeoutMs);
    handshakeTimeoutMs_ = handshakeTimeoutMs;
    return true;
  }
  *error = {"EINVAL", std::string("DTLS session: ") + (why ? why : "unusable credentials"), 22};
  return false;
}

void DtlsSession::Datagram(const uint8_t* data, size_t size) {
  // What the handshake or the records have not read yet, bounded: a peer flooding datagrams
  // faster than this thread reads them loses the oldest, as a full socket buffer would.
  constexpr size_t kMaxInbound = 256;
  // A client's handshake remembers the longest cookie a HelloVerifyRequest announced: GnuTLS's
  // error for one past its limit names no length (Handshake).
  if (!server_ && state_ == State::kHandshaking) {
    int cookie = HelloVerifyCookieLength(data, size);
    if (cookie > 0) helloVerifyCookie_ = std::max(helloVerifyCookie_, static_cast<unsigned>(cookie));
  }
  if (inbound_.size() >= kMaxInbound) inbound_.pop_front();
  inbound_.emplace_back(data, data + size);
}

ssize_t DtlsSession::Push(gnutls_transport_ptr_t self, const void* data, size_t size) {
  auto* session = static_cast<DtlsSession*>(self);
  const auto* bytes = static_cast<const uint8_t*>(data);
  session->written_++;
  if (!session->packing_) {
    session->socket_.Send(Bytes(bytes, bytes + size), session->peer_);
    return static_cast<ssize_t>(size);
  }
  // A datagram per turn, not per packet: what the system does per datagram (a system call, the
  // path through the stack, the peer woken) is most of a small packet's cost.
  if (!session->packed_.empty() && session->packed_.size() + size > kDtlsPackedDatagram) session->Flush();
  session->packed_.insert(session->packed_.end(), bytes, bytes + size);
  return static_cast<ssize_t>(size);
}

void DtlsSession::Flush() {
  if (packed_.empty()) return;
  socket_.Send(packed_, peer_);  // records, encrypted: nothing to wipe
  packed_.clear();
}

ssize_t DtlsSession::Pull(gnutls_transport_ptr_t self, void* data, size_t size) {
  auto* session = static_cast<DtlsSession*>(self);
  if (session->inbound_.empty()) {
    session->pulledDry_ = true;
    gnutls_transport_set_errno(session->session_, EAGAIN);
    return -1;
  }
  Bytes& datagram = session->inbound_.front();
  // A datagram longer than GnuTLS asked for is cut, as recv() on a UDP socket cuts it.
  size_t length = std::min(size, datagram.size());
  std::memcpy(data, datagram.data(), length);
  SecureZeroContents(datagram);
  session->inbound_.pop_front();
  return static_cast<ssize_t>(length);
}

int DtlsSession::PullTimeout(gnutls_transport_ptr_t self, unsigned int /*ms*/) {
  return static_cast<DtlsSession*>(self)->inbound_.empty() ? 0 : 1;
}

void DtlsSession::Step(uint64_t nowUs, DtlsEvents* events) {
  if (state_ == State::kHandshaking) {
    if (deadlineUs_ == UINT64_MAX) deadlineUs_ = nowUs + uint64_t{handshakeTimeoutMs_} * 1000;
    Handshake(nowUs, events);
    if (state_ != State::kConnected) return;
  }
  // A datagram may hold several records: GnuTLS keeps those past the first, undecrypted, where
  // gnutls_record_check_pending does not count them, and reads them before it pulls again. So
  // records are read until GnuTLS pulls and finds no datagram.
  while (state_ == State::kConnected) {
    uint8_t buffer[kDtlsMaxRecord + 1];
    pulledDry_ = false;
    ssize_t got = gnutls_record_recv(session_, buffer, sizeof(buffer));
    if (got == GNUTLS_E_AGAIN && pulledDry_) break;
    if (got > 0) {
      events->records.emplace_back(buffer, buffer + got);
      SecureZero(buffer, static_cast<size_t>(got));
    } else if (got == 0) {
      Fail("ECONNRESET", "the peer closed the DTLS association (close_notify)", events);
    } else if (got != GNUTLS_E_AGAIN && gnutls_error_is_fatal(static_cast<int>(got))) {
      Fail("EPROTO", std::string("DTLS: ") + gnutls_strerror(static_cast<int>(got)), events);
    }
    // A record that fails its MAC or replays one is dropped (RFC 6347 §4.1.2.7), as GnuTLS does:
    // the next datagram is read.
  }
}

void DtlsSession::Handshake(uint64_t nowUs, DtlsEvents* events) {
  int rc = gnutls_handshake(session_);
  if (rc == GNUTLS_E_SUCCESS) {
    Connected(events);
    return;
  }
  if (rc == GNUTLS_E_TIMEDOUT || (rc == GNUTLS_E_AGAIN && nowUs >= deadlineUs_)) {
    Fail("ETIMEDOUT", "the DTLS handshake did not end in " + std::to_string(handshakeTimeoutMs_) + " ms", events);
  } else if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED || !gnutls_error_is_fatal(rc)) {
    timerUs_ = std::min(deadlineUs_, nowUs + uint64_t{gnutls_dtls_get_timeout(session_)} * 1000);
  } else {
    const char* alert =
        rc == GNUTLS_E_FATAL_ALERT_RECEIVED ? gnutls_alert_get_name(gnutls_alert_get(session_)) : nullptr;
    // The peer hears why (no shared suite, an unknown PSK identity...) at once, instead of
    // retransmitting into silence until its own deadline. Its cookie came back first, so this
    // is no reflection.
    if (alert == nullptr) gnutls_alert_send_appropriate(session_, rc);
    if (rc == GNUTLS_E_UNEXPECTED_PACKET_LENGTH && helloVerifyCookie_ > kGnutlsMaxCookie) {
      Fail("EPROTO",
           "DTLS handshake: the server's HelloVerifyRequest cookie is " + std::to_string(helloVerifyCookie_) +
               " bytes, and GnuTLS's DTLS client takes at most " + std::to_string(kGnutlsMaxCookie) +
               " (DTLS_MAX_COOKIE_SIZE; RFC 6347 allows 255): use RadSec over TLS (--radsec-transport tls), "
               "or a GnuTLS built with the limit raised (docs/radsec.md)",
           events);
      return;
    }
    Fail("EPROTO",
         std::string("DTLS handshake: ") + gnutls_strerror(rc) + (alert ? std::string(" (") + alert + ")" : ""),
         events);
  }
}

int DtlsSession::PskKey(gnutls_session_t session, const gnutls_datum_t* identity, gnutls_datum_t* key) {
  const auto* self = static_cast<const DtlsSession*>(gnutls_transport_get_ptr(session));
  const Bytes* found =
      self == nullptr || self->credentials_ == nullptr || identity == nullptr || identity->data == nullptr
          ? nullptr
          : self->credentials_->KeyFor(identity->data, identity->size, self->peer_);
  // An identity we do not know, or not from this address, is answered as a wrong key is: with a key
  // nobody holds, so the handshake fails at the client's Finished, whose record DTLS drops as any
  // failing its MAC, after the same exchange and the same wait. An alert here (unknown_psk_identity)
  // would tell a prober at once which identities exist (RFC 4279 §5.1 leaves both answers open).
  constexpr size_t kDecoyKeySize = 32;
  const bool known = found != nullptr && !found->empty();
  const size_t size = known ? found->size() : kDecoyKeySize;
  key->data = static_cast<unsigned char*>(GnutlsMalloc(size));
  if (key->data == nullptr) return -1;
  if (known) {
    std::memcpy(key->data, found->data(), size);
  } else if (gnutls_rnd(GNUTLS_RND_RANDOM, key->data, size) < 0) {
    GnutlsFree(key->data);
    key->data = nullptr;
    return -1;
  }
  key->size = static_cast<unsigned int>(size);
  return 0;
}

bool DtlsSession::LeafPurposeAllows(bool serverPurpose, std::string* listed) const {
  unsigned count = 0;
  const gnutls_datum_t* chain = gnutls_certificate_get_peers(session_, &count);
  gnutls_x509_crt_t leaf = nullptr;
  if (chain == nullptr || count == 0 || gnutls_x509_crt_init(&leaf) < 0) {
    *listed = "no certificate";
    return false;
  }
  bool allowed = false;
  if (gnutls_x509_crt_import(leaf, &chain[0], GNUTLS_X509_FMT_DER) >= 0)
    allowed = tls_purpose::PurposeAllows(leaf, serverPurpose, listed, GnutlsFree);
  else
    *listed = "unreadable";
  gnutls_x509_crt_deinit(leaf);
  return allowed;
}

void DtlsSession::Connected(DtlsEvents* events) {
  timerUs_ = UINT64_MAX;
  // A PSK exchange authenticated the peer by its key: there is no certificate to verify.
  if (verifies_ && gnutls_auth_get_type(session_) != GNUTLS_CRD_PSK) {
    // A chain past what is verified is refused as such, naming how many were sent (GnuTLS's
    // verdict would say only "Some constraint limits were reached").
    unsigned sent = 0;
    if (gnutls_certificate_get_peers(session_, &sent) != nullptr && sent > kMaxVerifiedChainLength) {
      Fail("ECERT",
           "the RadSec peer's certificate chain is longer than " + std::to_string(kMaxVerifiedChainLength) +
               " certificates (" + std::to_string(sent) + " sent)",
           events);
      return;
    }
    unsigned status = 0;
    int rc = gnutls_certificate_verify_peers2(session_, &status);
    if (rc < 0 || status != 0) {
      gnutls_datum_t said = {nullptr, 0};
      std::string why = rc < 0 ? gnutls_strerror(rc) : "not verified";
      if (rc >= 0 && gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &said, 0) == 0) {
        why.assign(reinterpret_cast<const char*>(said.data), said.size);
        GnutlsFree(said.data);
      }
      Fail("ECERT", "the RadSec peer's certificate: " + why, events);
      return;
    }
    // The purpose, as RadSec over TLS (node's OpenSSL) and the methods decide it: a client's
    // certificate for client authentication, a server's for server authentication.
    std::string listed;
    if (!LeafPurposeAllows(!server_, &listed)) {
      Fail("ECERT",
           std::string("the RadSec peer's certificate is not for ") + (server_ ? "client" : "server") +
               " authentication (extendedKeyUsage: " + listed + ")",
           events);
      return;
    }
  }
  state_ = State::kConnected;
  events->connected = true;
  unsigned count = 0;
  const gnutls_datum_t* chain = gnutls_certificate_get_peers(session_, &count);
  for (unsigned i = 0; chain != nullptr && i < count; ++i)
    events->peerCertificates.emplace_back(chain[i].data, chain[i].data + chain[i].size);
  gnutls_datum_t chosen = {nullptr, 0};
  if (gnutls_alpn_get_selected_protocol(session_, &chosen) == 0) {
    events->alpn.assign(reinterpret_cast<const char*>(chosen.data), chosen.size);
  }
  // Past the handshake a record holds a whole RADIUS packet (RFC 7360: one packet a
  // datagram), which IP fragments where the path needs it.
  gnutls_dtls_set_mtu(session_, static_cast<unsigned>(kDtlsMaxRecord + 256));
}

bool DtlsSession::Send(const Bytes& packet, DtlsEvents* events) {
  if (state_ != State::kConnected) return false;
  packing_ = true;
  ssize_t sent = gnutls_record_send(session_, packet.data(), packet.size());
  packing_ = false;
  if (sent < 0 && gnutls_error_is_fatal(static_cast<int>(sent))) {
    Fail("EPROTO", std::string("DTLS: ") + gnutls_strerror(static_cast<int>(sent)), events);
    return false;
  }
  return true;
}

void DtlsSession::Bye() {
  Flush();
  if (state_ == State::kConnected) gnutls_bye(session_, GNUTLS_SHUT_WR);
  state_ = State::kFailed;
}

void DtlsSession::Fail(const char* code, const std::string& why, DtlsEvents* events) {
  if (state_ == State::kFailed) return;
  state_ = State::kFailed;
  timerUs_ = UINT64_MAX;
  events->failed = true;
  events->code = code;
  events->error = why;
}

}  // namespace eaphost::radius
