// The RADIUS/DTLS listener (radius_dtls.h): one UDP socket, a DtlsSession per authenticated or
// handshaking peer, on a RadiusLoop. A datagram from an address with no association gets
// GnuTLS's stateless cookie exchange (RFC 6347 §4.2.1): no state, and a HelloVerifyRequest only
// when it is no larger than what came in, so a spoofed source is never a reflector; its key is
// renewed every handshake timeout, so a cookie seen once does not stay good. Only a
// ClientHello that returns the cookie (the peer owns its address) takes a slot, by the admission
// RadSec over TCP is held to (radius_admission.h: the same caps, ranks and ages), and one from a
// prefix never authenticated has its handshake started by RadSec over TCP's budget
// (HandshakeBudget): until its turn its ClientHello waits unread and nothing else it sends is. An
// authenticated association's records go to the sink (the RADIUS engine) on this thread, and
// the engine's replies come back by Send: no packet crosses JS.
#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "../../common/secure_zero.h"
#include "radius_dtls.h"
#include "radius_dtls_session.h"
#include "radius_gnutls.h"
#include "../io/radius_loop.h"
#include "../io/radius_admission.h"

namespace eaphost::radius {

namespace {

struct Association {
  std::unique_ptr<DtlsSession> session;
  Source peer;  // its address and port, as its first datagram came from
  uint32_t link = 0;
  uint64_t sequence = 0;             // its slot in the admission
  uint64_t read = 0;                 // datagrams from the peer since the ClientHello that made it
  uint64_t deadlineUs = UINT64_MAX;  // the handshake's, then the idle timeout's
  bool waiting = false;              // for the budget: its ClientHello held, unread
};

// A peer's address and port as a map key.
std::string PeerKey(const Source& from) {
  std::string key(reinterpret_cast<const char*>(from.address), from.family == 4 ? 4 : 16);
  key.push_back(static_cast<char>(from.port >> 8));
  key.push_back(static_cast<char>(from.port & 0xFF));
  return key;
}

// Where a HelloVerifyRequest goes, and the most it may be (the datagram it answers).
struct CookieReply {
  RadiusSocket* socket;
  const Source* to;
  size_t budget;
  DtlsServerCounters* counters;
};

ssize_t PushCookie(gnutls_transport_ptr_t self, const void* data, size_t size) {
  auto* reply = static_cast<CookieReply*>(self);
  if (size > reply->budget) return static_cast<ssize_t>(size);  // dropped: never more out than in
  const auto* bytes = static_cast<const uint8_t*>(data);
  reply->socket->Send(Bytes(bytes, bytes + size), *reply->to);
  reply->counters->cookiesSent++;
  reply->counters->cookieBytesOut += size;
  return static_cast<ssize_t>(size);
}

class GnuTlsDtlsServer final : public DtlsServer, private LoopHandler {
 public:
  GnuTlsDtlsServer(std::unique_ptr<RadiusSocket> socket, const DtlsServerConfig& config, DtlsRecordSink& sink)
      : socket_(std::move(socket)),
        config_(config),
        sink_(sink),
        loop_(*socket_, nullptr),
        admission_({config.maxAssociations, config.maxAssociationsPerAddress}) {}
  ~GnuTlsDtlsServer() override { Close(); }

  bool Start(DtlsCredentials& credentials, LaneError* error) {
    // The PSK clients' networks are known from the start, as RadSec over TCP's client networks.
    for (const DtlsPskClient& client : credentials.pskClients) admission_.KnowNetwork(client.network);
    for (const ClientNetwork& network : config_.knownNetworks) admission_.KnowNetwork(network);
    if (!credentials_.Load(credentials, true, error)) return false;
    if (int rc = gnutls_key_generate(&cookieKeys_[0], GNUTLS_COOKIE_KEY_SIZE); rc < 0) {
      *error = {"EINVAL", std::string("DTLS cookie key: ") + gnutls_strerror(rc), 22};
      return false;
    }
    if (!sink_.Carry(this)) {
      *error = {"EBUSY", "the RADIUS engine has a RADIUS/DTLS listener already", 16};
      return false;
    }
    loop_.Start("eaphost dtlsd", this);
    return true;
  }

  uint16_t port() const override { return socket_->port(); }

  bool Send(uint32_t link, Bytes packet) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || live_.count(link) == 0) return false;
    // One wake a batch: a queue already holding replies has woken the thread, whose next turn
    // takes them all (it empties the queue under this lock). Replies made on this thread (to
    // the records it hands the sink) need none: its turn comes right after its datagrams.
    if (outbound_.empty() && !loop_.OnLoopThread()) socket_->Wake();
    outbound_.emplace_back(link, std::move(packet));
    return true;
  }

  bool Peer(uint32_t link, Source* peer) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = live_.find(link);
    if (closed_ || found == live_.end()) return false;
    *peer = found->second;
    return true;
  }

  DtlsServerCounters counters() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return counters_;
  }

  void Close() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return;
      closed_ = true;
    }
    // No reply comes after this; the records the thread hands the sink stop with it.
    sink_.Uncarry(this);
    loop_.Stop();
    for (auto& [key, association] : associations_) association.session->Bye();
    associations_.clear();
    for (auto& [link, packet] : outbound_) SecureZeroContents(packet);
    outbound_.clear();
    sending_.clear();
    for (gnutls_datum_t& key : cookieKeys_) Wipe(&key);
    socket_->Release();
  }

 private:
  uint64_t OnTurn(uint64_t nowUs) override {
    StartDue(nowUs);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sending_.swap(outbound_);
    }
    // The turn's replies, each association's packed into as few datagrams as they fit.
    for (auto& [link, packet] : sending_) {
      auto found = byLink_.find(link);
      if (found != byLink_.end()) {
        DtlsSession& session = *associations_[found->second].session;
        DtlsEvents ignored;
        session.Send(packet, &ignored);
        if (std::find(flushing_.begin(), flushing_.end(), &session) == flushing_.end()) flushing_.push_back(&session);
      }
      SecureZeroContents(packet);
    }
    sending_.clear();
    for (DtlsSession* session : flushing_) session->Flush();
    flushing_.clear();
    uint64_t next = UINT64_MAX;
    for (auto it = associations_.begin(); it != associations_.end();) {
      Association& association = (it++)->second;
      DtlsSession& session = *association.session;
      if (nowUs >= association.deadlineUs) {
        bool handshaking = session.state() == DtlsSession::State::kHandshaking;
        std::lock_guard<std::mutex> lock(mutex_);
        (handshaking ? counters_.handshakeTimeouts : counters_.idleTimeouts)++;
      } else if (!association.waiting && session.state() == DtlsSession::State::kHandshaking &&
                 nowUs >= session.NextTimerUs()) {
        DtlsEvents made;
        session.Step(nowUs, &made);  // retransmits the last flight
      }
    }
    // What the timers ended, after the walk (Forget erases).
    for (auto it = associations_.begin(); it != associations_.end();) {
      auto current = it++;
      Association& association = current->second;
      if (nowUs >= association.deadlineUs || association.session->state() == DtlsSession::State::kFailed) {
        Forget(current->first, nullptr);
        continue;
      }
      next = std::min(next, association.deadlineUs);
      if (!association.waiting) next = std::min(next, association.session->NextTimerUs());
    }
    return std::min(next, budget_.NextUs());
  }

  void OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t nowUs) override {
    std::string key = PeerKey(from);
    auto found = associations_.find(key);
    if (found == associations_.end()) {
      Admit(key, data, size, from, nowUs);
      return;
    }
    Association& association = found->second;
    // Waiting for the budget: what else it sends is not read (its ClientHello is held).
    if (association.waiting) return;
    DtlsSession& session = *association.session;
    bool wasHandshaking = session.state() == DtlsSession::State::kHandshaking;
    association.read++;
    session.Datagram(data, size);
    DtlsEvents made;
    session.Step(nowUs, &made);
    if (made.failed) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        counters_.failed++;
      }
      Forget(key, nullptr);
      return;
    }
    if (wasHandshaking && made.connected && !Authenticated(association, nowUs)) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        counters_.refused++;
      }
      Forget(key, nullptr);
      return;
    }
    if (!made.records.empty()) {
      if (config_.idleTimeoutMs > 0) association.deadlineUs = nowUs + uint64_t{config_.idleTimeoutMs} * 1000;
      Source source = from;
      source.link = association.link;
      for (Bytes& record : made.records) {
        sink_.OnRecord(record.data(), record.size(), source);
        SecureZeroContents(record);
      }
    }
  }

  bool TellJs() override { return false; }

  static void Wipe(gnutls_datum_t* key) {
    if (key->data == nullptr) return;
    SecureZero(key->data, key->size);
    GnutlsFree(key->data);
    *key = {nullptr, 0};
  }

  // The cookie's key is renewed every handshake timeout (RFC 6347 §4.2.1: change the secret
  // often), and the one before kept for a period, so a cookie is good from one period to two
  // after it was sent: one seen once is not a ClientHello's ticket past that, however often it is
  // replayed. A key that cannot be made leaves the current one in use.
  void RenewCookieKey(uint64_t nowUs) {
    const uint64_t periodUs = std::max<uint64_t>(config_.handshakeTimeoutMs, 1000) * 1000;
    if (!cookieKeyBorn_) {
      cookieKeyBornUs_ = nowUs;
      cookieKeyBorn_ = true;
      return;
    }
    if (nowUs - cookieKeyBornUs_ < periodUs) return;
    gnutls_datum_t fresh = {nullptr, 0};
    if (gnutls_key_generate(&fresh, GNUTLS_COOKIE_KEY_SIZE) < 0) return;
    Wipe(&cookieKeys_[1]);
    // Two periods on, the current key's cookies are too old to take as well.
    if (nowUs - cookieKeyBornUs_ < 2 * periodUs) {
      cookieKeys_[1] = cookieKeys_[0];
    } else {
      Wipe(&cookieKeys_[0]);
    }
    cookieKeys_[0] = fresh;
    cookieKeyBornUs_ = nowUs;
  }

  // A datagram from a peer with no association: the cookie exchange, statelessly; a slot only
  // for a ClientHello that returned the cookie.
  void Admit(const std::string& key, const uint8_t* data, size_t size, const Source& from, uint64_t nowUs) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      counters_.cookieDatagramsIn++;
      counters_.cookieBytesIn += size;
    }
    gnutls_dtls_prestate_st prestate{};
    std::string client = key;  // GnuTLS takes the cookie's client data as void*
    void* mutableData = const_cast<uint8_t*>(data);
    RenewCookieKey(nowUs);
    bool returned = false;
    for (gnutls_datum_t& cookieKey : cookieKeys_) {
      returned = returned ||
                 (cookieKey.data != nullptr &&
                  gnutls_dtls_cookie_verify(&cookieKey, &client[0], client.size(), mutableData, size, &prestate) >= 0);
    }
    if (!returned) {
      // Not a ClientHello with our cookie: a HelloVerifyRequest, if it is a ClientHello at all
      // (record type 22, handshake type 1), and if it is no larger than this datagram.
      constexpr size_t kRecordHeader = 13;
      if (size <= kRecordHeader || data[0] != 22 || data[kRecordHeader] != 1) return;
      CookieReply reply{socket_.get(), &from, size, &counters_};
      std::lock_guard<std::mutex> lock(mutex_);
      gnutls_dtls_cookie_send(&cookieKeys_[0], &client[0], client.size(), &prestate, &reply, PushCookie);
      return;
    }
    uint64_t sequence = ++arrivals_;
    uint64_t evicted = 0;
    Progressed();
    if (!admission_.Admit(sequence, from, nowUs, &evicted)) {
      std::lock_guard<std::mutex> lock(mutex_);
      counters_.refused++;
      return;
    }
    if (evicted != 0) Evict(evicted);
    Association association;
    association.session = std::make_unique<DtlsSession>(*socket_, from);
    association.peer = from;
    association.sequence = sequence;
    association.deadlineUs = nowUs + uint64_t{config_.handshakeTimeoutMs} * 1000;
    LaneError error;
    if (!association.session->StartServer(credentials_, &prestate, config_.handshakeTimeoutMs, &error)) {
      admission_.Forget(sequence);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      counters_.associations++;
    }
    bySequence_[sequence] = key;
    Association& made = associations_.emplace(key, std::move(association)).first->second;
    made.session->Datagram(data, size);
    if (admission_.IsKnown(from)) {
      DtlsEvents events;
      made.session->Step(nowUs, &events);
      return;
    }
    // A prefix never authenticated: its handshake starts when the budget says (maybe now).
    made.waiting = true;
    budget_.Offer(sequence, from);
    StartDue(nowUs);
    if (made.waiting) {
      std::lock_guard<std::mutex> lock(mutex_);
      counters_.budgetWaits++;
    }
  }

  // The handshakes whose turn the budget gave: their ClientHello read, their flight sent.
  void StartDue(uint64_t nowUs) {
    for (uint64_t sequence : budget_.Due(nowUs)) {
      auto found = bySequence_.find(sequence);
      if (found == bySequence_.end()) continue;
      Association& association = associations_[found->second];
      association.waiting = false;
      DtlsEvents events;
      association.session->Step(nowUs, &events);
    }
  }

  // What each unfinished handshake has done, for the admission's ranking.
  void Progressed() {
    for (auto& [key, association] : associations_) {
      if (association.link == 0)
        admission_.Progress(association.sequence, {association.read, association.session->written()});
    }
  }

  void Evict(uint64_t sequence) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      counters_.evicted++;
    }
    auto found = bySequence_.find(sequence);
    if (found != bySequence_.end()) Forget(std::string(found->second), nullptr);
  }

  // False when the sink has no link number free: the association is refused.
  bool Authenticated(Association& association, uint64_t nowUs) {
    association.link = sink_.OpenLink();
    if (association.link == 0) return false;
    admission_.Authenticated(association.sequence);
    association.deadlineUs = config_.idleTimeoutMs > 0 ? nowUs + uint64_t{config_.idleTimeoutMs} * 1000 : UINT64_MAX;
    for (auto& [key, candidate] : associations_) {
      if (&candidate == &association) byLink_[association.link] = key;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    live_.emplace(association.link, association.peer);
    return true;
  }

  // Ends an association: its link, if it had one, takes no reply after this.
  void Forget(const std::string& key, DtlsEvents* /*unused*/) {
    auto found = associations_.find(key);
    if (found == associations_.end()) return;
    uint32_t link = found->second.link;
    admission_.Forget(found->second.sequence);
    budget_.Withdraw(found->second.sequence);
    bySequence_.erase(found->second.sequence);
    found->second.session->Bye();
    associations_.erase(found);
    if (link == 0) return;
    byLink_.erase(link);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      live_.erase(link);
    }
    sink_.CloseLink(link);
  }

  std::unique_ptr<RadiusSocket> socket_;
  DtlsServerConfig config_;
  DtlsRecordSink& sink_;
  DtlsCredentialSet credentials_;
  RadiusLoop loop_;
  gnutls_datum_t cookieKeys_[2] = {{nullptr, 0}, {nullptr, 0}};  // the current, the one before
  uint64_t cookieKeyBornUs_ = 0;                                 // when the current one was made
  bool cookieKeyBorn_ = false;                                   // (from the first datagram on)
  std::map<std::string, Association> associations_;
  std::map<uint32_t, std::string> byLink_;
  std::map<uint64_t, std::string> bySequence_;  // the admission's slots
  RadsecAdmission admission_;
  HandshakeBudget budget_;
  uint64_t arrivals_ = 0;
  mutable std::mutex mutex_;
  std::map<uint32_t, Source> live_;  // the associations that take replies, each with its peer
  std::vector<std::pair<uint32_t, Bytes>> outbound_;
  std::vector<std::pair<uint32_t, Bytes>> sending_;  // the loop's: outbound_ taken, its room kept
  std::vector<DtlsSession*> flushing_;               // the loop's: sessions sent to this turn
  DtlsServerCounters counters_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<DtlsServer> OpenDtlsServer(DtlsServerConfig config, DtlsRecordSink& sink, LaneError* error) {
  if (!RequireGnutls(error)) return nullptr;
  std::unique_ptr<RadiusSocket> socket = OpenRadiusSocket(&config.listen, error);
  if (socket == nullptr) return nullptr;
  // The keys stay in one place, wiped once loaded: never in the server's copy of the config.
  DtlsCredentials credentials = std::move(config.credentials);
  config.credentials = DtlsCredentials{};
  auto server = std::make_unique<GnuTlsDtlsServer>(std::move(socket), config, sink);
  if (!server->Start(credentials, error)) return nullptr;
  return server;
}

}  // namespace eaphost::radius
