// A RADIUS/DTLS client association (radius_dtls.h): one UDP socket of its own, bound to an
// ephemeral port, one DtlsSession, run on a RadiusLoop. The client engine hands packets over
// (Write) from its thread; the loop's turn sends them, and each record the server sent goes to
// onRecord on this thread. JS hears of the handshake's end and the association's through Take().
#include <atomic>
#include <mutex>
#include <utility>

#include "../../common/secure_zero.h"
#include "radius_dtls.h"
#include "radius_dtls_session.h"
#include "radius_gnutls.h"
#include "../io/radius_loop.h"

namespace eaphost::radius {

namespace {

class GnuTlsDtlsClient final : public DtlsClient, private LoopHandler {
 public:
  GnuTlsDtlsClient(std::unique_ptr<RadiusSocket> socket, const Source& server, std::function<void(Bytes&&)> onRecord,
                   std::function<void()> notify)
      : socket_(std::move(socket)),
        server_(server),
        onRecord_(std::move(onRecord)),
        session_(*socket_, server),
        loop_(*socket_, std::move(notify)) {}
  ~GnuTlsDtlsClient() override { Close(); }

  bool Start(DtlsClientConfig& config, LaneError* error) {
    if (!credentials_.Load(config.credentials, false, error)) return false;
    if (!session_.StartClient(credentials_, config.serverName, config.handshakeTimeoutMs, error)) return false;
    loop_.Start("eaphost dtls", this);
    return true;
  }

  uint16_t port() const override { return socket_->port(); }

  void Write(Bytes packet) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return;
    // One wake a batch, as the listener's Send.
    if (outbound_.empty()) socket_->Wake();
    outbound_.push_back(std::move(packet));
  }

  uint64_t QuietMs() const override {
    uint64_t now = RadiusLoop::NowUs();
    uint64_t heard = heardUs_.load(std::memory_order_relaxed);
    return now > heard ? (now - heard) / 1000 : 0;
  }

  DtlsEvents Take() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(events_, DtlsEvents{});
  }

  void Close() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return;
      closed_ = true;
    }
    loop_.Stop();
    // The loop's thread has ended: the session is this thread's now.
    session_.Bye();
    for (Bytes& packet : outbound_) SecureZeroContents(packet);
    outbound_.clear();
    socket_->Release();
  }

 private:
  uint64_t OnTurn(uint64_t nowUs) override {
    DtlsEvents made;
    uint64_t timer = session_.NextTimerUs();
    if (session_.state() == DtlsSession::State::kHandshaking && (!started_ || nowUs >= timer)) {
      started_ = true;
      session_.Step(nowUs, &made);
    }
    if (session_.state() == DtlsSession::State::kConnected) {
      std::vector<Bytes> sending;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        sending.swap(outbound_);
      }
      for (Bytes& packet : sending) {
        session_.Send(packet, &made);
        SecureZeroContents(packet);
      }
      session_.Flush();
    }
    Keep(std::move(made));
    return session_.state() == DtlsSession::State::kHandshaking ? session_.NextTimerUs() : UINT64_MAX;
  }

  void OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t nowUs) override {
    // Anyone may send to the port: only the server's address and port reach the session.
    if (!SamePeer(from, server()) || session_.state() == DtlsSession::State::kFailed) return;
    heardUs_.store(nowUs, std::memory_order_relaxed);
    session_.Datagram(data, size);
    DtlsEvents made;
    session_.Step(nowUs, &made);
    Keep(std::move(made));
  }

  bool TellJs() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return !events_.empty();
  }

  // The records to onRecord_, here on the loop's thread and in order; the rest kept for JS.
  void Keep(DtlsEvents made) {
    if (made.empty()) return;
    for (Bytes& record : made.records) onRecord_(std::move(record));
    made.records.clear();
    if (made.empty()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    events_.connected = events_.connected || made.connected;
    if (made.connected) {
      events_.peerCertificates = std::move(made.peerCertificates);
      events_.alpn = std::move(made.alpn);
    }
    if (made.failed && !events_.failed) {
      events_.failed = true;
      events_.code = std::move(made.code);
      events_.error = std::move(made.error);
    }
  }

  const Source& server() const { return server_; }

  std::unique_ptr<RadiusSocket> socket_;
  Source server_;
  std::function<void(Bytes&&)> onRecord_;  // the loop's thread's
  std::atomic<uint64_t> heardUs_{RadiusLoop::NowUs()};
  DtlsCredentialSet credentials_;
  DtlsSession session_;
  RadiusLoop loop_;
  std::mutex mutex_;
  std::vector<Bytes> outbound_;
  DtlsEvents events_;
  bool closed_ = false;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<DtlsClient> OpenDtlsClient(DtlsClientConfig config, std::function<void()> notify, LaneError* error) {
  if (!RequireGnutls(error)) return nullptr;
  ListenAddress local{config.server.family == 6 ? "::" : "0.0.0.0", 0};
  std::unique_ptr<RadiusSocket> socket = OpenRadiusSocket(&local, error);
  if (socket == nullptr) return nullptr;
  if (!config.onRecord) config.onRecord = [](Bytes&&) {};
  auto client = std::make_unique<GnuTlsDtlsClient>(std::move(socket), config.server, std::move(config.onRecord),
                                                   std::move(notify));
  if (!client->Start(config, error)) return nullptr;
  return client;
}

}  // namespace eaphost::radius
