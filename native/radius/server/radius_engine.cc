#include "radius_engine.h"

#include <algorithm>

#include "../../common/secure_zero.h"
#include "radius_handler_accounting.h"
#include "radius_handler_eap.h"
#include "radius_handler_proxy.h"

namespace eaphost::radius {

RadiusEngine::RadiusEngine(std::unique_ptr<RadiusSocket> socket, LaneSettings settings, std::function<void()> notify,
                           uint32_t firstLink)
    : socket_(std::move(socket)),
      paths_(firstLink),
      lane_(std::move(settings), paths_),
      loop_(*socket_, std::move(notify)) {
  lane_.eap().StartStepThreads([this] { socket_->Wake(); });
  OpenProxy();
  loop_.Start("eaphost radius", this);
}

RadiusEngine::~RadiusEngine() { Close(); }

void RadiusEngine::OpenProxy() {
  for (ProxyRoute& route : lane_.proxyRoutes()) {
    if (route.local || route.transport != 0) continue;
    std::unique_ptr<ExchangeSender>& sender = senders_[route.server.family == 6 ? 1 : 0];
    if (sender == nullptr) {
      LaneError error;
      sender = OpenExchangeSender(
          route.server.family, [this] { socket_->Wake(); }, &error);
      if (sender == nullptr) {
        proxyError_ = "the client engine for home servers did not open: " + error.message;
        return;
      }
    }
    route.target = sender->AddTarget(route.server, route.secret);
    Source accounting = route.server;
    if (accounting.port < 65535) accounting.port++;
    route.acctTarget = sender->AddTarget(accounting, route.secret);
  }
}

void RadiusEngine::ProxyStreams(uint32_t sender, std::unique_ptr<ExchangeSender> streams) {
  std::lock_guard<std::mutex> lock(streamsLock_);
  std::unique_ptr<ExchangeSender>& held = streams_[sender];
  if (held != nullptr) held->Close();
  held = std::move(streams);
}

void RadiusEngine::ProxyHome(uint32_t route, bool up, uint32_t target, const std::string& error) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) {
    if (!ended_) lane_.proxy().OnHomeLink(route, up, target, error, now, out);
  });
  // What JS's thread changed may want the clock sooner (a pooled home's health): the loop's wait
  // ends, and its next turn asks the lane again.
  socket_->Wake();
  if (lane_.HasForJs()) loop_.Notify();
}

void RadiusEngine::ProxyDiscovered(DiscoveredHome found) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) {
    if (!ended_) lane_.proxy().OnDiscovered(found, now, out);
  });
  socket_->Wake();  // as ProxyHome
  if (lane_.HasForJs()) loop_.Notify();
}

void RadiusEngine::Forward(std::vector<ProxyForward> forwards) {
  bool used[2] = {false, false};
  std::vector<ExchangeSender*> streamed;
  for (ProxyForward& forward : forwards) {
    if (forward.stream != 0) {
      std::lock_guard<std::mutex> lock(streamsLock_);
      auto sender = streams_.find(forward.stream);
      if (sender == streams_.end()) continue;  // no connection was ever made for it: no target either
      sender->second->Submit(std::move(forward.request));
      if (std::find(streamed.begin(), streamed.end(), sender->second.get()) == streamed.end()) {
        streamed.push_back(sender->second.get());
      }
      continue;
    }
    const size_t family = forward.family == 6 ? 1 : 0;
    if (senders_[family] == nullptr) continue;  // refused at open (proxyError)
    senders_[family]->Submit(std::move(forward.request));
    used[family] = true;
  }
  for (size_t family = 0; family < 2; ++family) {
    if (used[family]) senders_[family]->Flush();
  }
  if (streamed.empty()) return;
  std::lock_guard<std::mutex> lock(streamsLock_);
  for (ExchangeSender* sender : streamed) sender->Flush();
}

template <typename Work>
void RadiusEngine::Locked(Outbox& out, Work work) {
  std::vector<ProxyForward> forwards;
  {
    std::lock_guard<std::mutex> lock(laneLock_);
    work(RadiusLoop::NowUs() / 1000, &out);  // the lane's clock: the loop's, in milliseconds
    forwards = lane_.proxy().TakeForwards();
  }
  if (!forwards.empty()) Forward(std::move(forwards));
  for (OutgoingDatagram& datagram : out) {
    switch (paths_.Of(datagram.destination.link)) {
      case ReplyPath::kDtls: SendOverDtls(datagram); break;
      case ReplyPath::kStream: lane_.PassToJs(std::move(datagram)); break;
      case ReplyPath::kUdp: socket_->Send(datagram.bytes, datagram.destination); break;
      case ReplyPath::kNone:  // its connection closed meanwhile
        SecureZeroContents(datagram.bytes);
        break;
    }
  }
  out.clear();
}

template <typename Work>
void RadiusEngine::Locked(Work work) {
  Outbox out;
  Locked(out, work);
}

StreamCut RadiusEngine::OnStream(const Bytes& data, const Source& source) {
  StreamCut cut;
  if (closed_) return cut;
  Locked([&](uint64_t now, Outbox* out) {
    size_t& answered = answeredThisTurn_[source.link];
    if (data.empty()) answered = 0;
    cut = framer_.Feed(source.link, data.data(), data.size(), kStreamPacketsPerTurn - answered,
                       [&](const uint8_t* packet, size_t size) { lane_.OnDatagram(packet, size, source, now, out); });
    answered += cut.packets;
    if (cut.broke) lane_.LinkBroken(source.link);
  });
  if (lane_.HasForJs()) loop_.Notify();
  return cut;
}

void RadiusEngine::OnRecord(const uint8_t* data, size_t size, const Source& from) {
  if (closed_) return;
  Locked(dtlsOut_, [&](uint64_t now, Outbox* out) {
    if (!ended_) lane_.OnDatagram(data, size, from, now, out);
  });
  if (lane_.HasForJs()) loop_.Notify();
}

bool RadiusEngine::Carry(DtlsServer* server) {
  std::lock_guard<std::mutex> lock(dtlsLock_);
  if (dtls_ != nullptr && dtls_ != server) return false;
  dtls_ = server;
  return true;
}

void RadiusEngine::Uncarry(DtlsServer* server) {
  std::lock_guard<std::mutex> lock(dtlsLock_);
  if (dtls_ != server) return;
  dtls_ = nullptr;
  paths_.CloseAll(ReplyPath::kDtls);
}

void RadiusEngine::SendOverDtls(OutgoingDatagram& datagram) {
  std::lock_guard<std::mutex> lock(dtlsLock_);
  if (dtls_ != nullptr) dtls_->Send(datagram.destination.link, std::move(datagram.bytes));
}

bool RadiusEngine::DtlsPeer(uint32_t link, Source* peer) {
  if (paths_.Of(link) != ReplyPath::kDtls) return false;
  std::lock_guard<std::mutex> lock(dtlsLock_);
  return dtls_ != nullptr && dtls_->Peer(link, peer);
}

bool RadiusEngine::SendDownDtls(uint32_t link, Bytes packet) {
  if (paths_.Of(link) != ReplyPath::kDtls) return false;
  std::lock_guard<std::mutex> lock(dtlsLock_);
  return dtls_ != nullptr && dtls_->Send(link, std::move(packet));
}

void RadiusEngine::DropLink(uint32_t link) {
  std::lock_guard<std::mutex> lock(laneLock_);
  framer_.Drop(link);
  answeredThisTurn_.erase(link);
  paths_.Close(link, ReplyPath::kStream);
}

void RadiusEngine::OnAnswer(StoreAnswer& answer) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) { lane_.OnAnswer(answer, now, out); });
  if (lane_.HasForJs()) loop_.Notify();
}

void RadiusEngine::OnAuthorized(AuthorizeAnswer& answer) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) { lane_.OnAuthorized(answer, now, out); });
  if (lane_.HasForJs()) loop_.Notify();
}

void RadiusEngine::OnAccounted(const AccountingAnswer& answer) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) { lane_.accounting().OnAccounted(answer, now, out); });
  // A RadSec connection's Accounting-Response goes out through JS: told now, not at the next event.
  if (lane_.HasForJs()) loop_.Notify();
}

void RadiusEngine::Spool(uint32_t id, const Bytes& attributes, uint32_t waitedSeconds, const std::string& home) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) {
    if (!ended_) lane_.proxy().Spool(id, attributes, waitedSeconds, home, now, out);
  });
  if (lane_.HasForJs()) loop_.Notify();
}

size_t RadiusEngine::Drain() {
  if (closed_) return 0;
  std::lock_guard<std::mutex> lock(laneLock_);
  return lane_.Drain();
}

void RadiusEngine::Close() {
  // A RADIUS/DTLS listener still open stops first: its thread hands records to the lane, and
  // would tell JS (notify) of their work after the loop below has stopped.
  DtlsServer* dtls = nullptr;
  {
    std::lock_guard<std::mutex> lock(dtlsLock_);
    dtls = dtls_;
  }
  if (dtls != nullptr) dtls->Close();
  // The loop's thread ends after OnEnd, once the lane has stopped its step threads (EndAll); the
  // port is free again at once (a server opened anew on it, a reload, binds it), not when JS
  // collects the engine.
  const bool stopped = loop_.Stop();
  for (std::unique_ptr<ExchangeSender>& sender : senders_) {
    if (sender != nullptr) sender->Close();
  }
  {
    std::lock_guard<std::mutex> lock(streamsLock_);
    for (auto& entry : streams_) entry.second->Close();
  }
  if (!stopped) return;
  closed_ = true;
  socket_->Release();
}

uint64_t RadiusEngine::OnTurn(uint64_t /*nowUs*/) {
  uint64_t next = 0;
  Locked(out_, [&](uint64_t now, Outbox* made) { next = lane_.OnClock(now, made); });
  return next == UINT64_MAX ? UINT64_MAX : next * 1000;  // the lane's steady milliseconds
}

void RadiusEngine::OnWake() {
  std::vector<ClientOutcome> answered;
  for (std::unique_ptr<ExchangeSender>& sender : senders_) {
    if (sender == nullptr) continue;
    std::vector<ClientOutcome> taken = sender->TakeOutcomes();
    for (ClientOutcome& outcome : taken) answered.push_back(std::move(outcome));
  }
  {
    std::lock_guard<std::mutex> lock(streamsLock_);
    for (auto& entry : streams_) {
      std::vector<ClientOutcome> taken = entry.second->TakeOutcomes();
      for (ClientOutcome& outcome : taken) answered.push_back(std::move(outcome));
    }
  }
  Locked(out_, [&](uint64_t now, Outbox* made) {
    lane_.eap().OnStepsDone(now, made);
    for (ClientOutcome& outcome : answered) lane_.proxy().OnProxied(outcome, now, made);
  });
}

void RadiusEngine::OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t /*nowUs*/) {
  Locked(out_, [&](uint64_t now, Outbox* made) { lane_.OnDatagram(data, size, from, now, made); });
}

bool RadiusEngine::TellJs() { return lane_.HasForJs(); }

void RadiusEngine::OnEnd() {
  std::lock_guard<std::mutex> lock(laneLock_);
  lane_.EndAll();
  ended_ = true;
  loop_.Notify();
}

}  // namespace eaphost::radius
