#include "radius_das_engine.h"

#include <chrono>
#include <utility>

namespace eaphost::radius {

namespace {

int64_t SystemMs() {
  return static_cast<int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

DasEngine::DasEngine(std::unique_ptr<RadiusSocket> socket, DasSettings settings, std::function<void()> notify)
    : socket_(std::move(socket)), lane_(std::move(settings)), loop_(*socket_, std::move(notify)) {
  loop_.Start("eaphost das", this);
}

DasEngine::~DasEngine() { Close(); }

uint64_t DasEngine::NowMs() const {
  int64_t now = SystemMs() + clockOffsetMs_.load(std::memory_order_relaxed);
  return now < 0 ? 0 : static_cast<uint64_t>(now);
}

void DasEngine::MoveClock(uint64_t nowMs) {
  clockOffsetMs_.store(static_cast<int64_t>(nowMs) - SystemMs(), std::memory_order_relaxed);
}

std::vector<DasEngine::Asked> DasEngine::TakeAsked() {
  std::lock_guard<std::mutex> lock(laneLock_);
  std::vector<Asked> taken;
  taken.swap(asked_);
  return taken;
}

Bytes DasEngine::OnVerdict(uint32_t id, bool done, uint32_t errorCause, uint32_t* link) {
  *link = 0;
  if (closed_) return {};
  Bytes reply;
  Source to;
  {
    std::lock_guard<std::mutex> lock(laneLock_);
    auto found = sources_.find(id);
    if (found == sources_.end()) return {};
    to = std::move(found->second);
    sources_.erase(found);
    // Signed and remembered even when its connection is gone: a replay gets it.
    reply = lane_.OnVerdict(id, done, errorCause, NowMs());
    if (to.link != 0 && links_.count(to.link) != 0) {
      *link = to.link;
      return reply;
    }
    if (to.link != 0 && dtlsLinks_.count(to.link) == 0) return {};
  }
  if (reply.empty()) return {};
  if (to.link != 0) {
    SendOverDtls(to.link, std::move(reply));
  } else {
    socket_->Send(reply, to);
  }
  return {};
}

void DasEngine::OnRecord(const uint8_t* data, size_t size, const Source& from) {
  if (closed_) return;
  DasOutcome outcome;
  {
    std::lock_guard<std::mutex> lock(laneLock_);
    outcome = lane_.OnDatagram(data, size, from, NowMs(), true);
    if (outcome.kind == DasOutcome::Kind::kAsk) {
      sources_[outcome.request.id] = from;
      asked_.push_back({std::move(outcome.request), from.text, from.link});
    }
  }
  if (outcome.kind == DasOutcome::Kind::kReply) SendOverDtls(from.link, std::move(outcome.reply));
  if (outcome.kind == DasOutcome::Kind::kAsk) loop_.Notify();
}

bool DasEngine::Carry(DtlsServer* server) {
  std::lock_guard<std::mutex> lock(dtlsLock_);
  if (dtls_ != nullptr && dtls_ != server) return false;
  dtls_ = server;
  return true;
}

void DasEngine::Uncarry(DtlsServer* server) {
  {
    std::lock_guard<std::mutex> lock(dtlsLock_);
    if (dtls_ != server) return;
    dtls_ = nullptr;
  }
  std::lock_guard<std::mutex> lock(laneLock_);
  dtlsLinks_.clear();
}

uint32_t DasEngine::OpenLink() { return NextLink(&dtlsLinks_); }

void DasEngine::CloseLink(uint32_t link) {
  std::lock_guard<std::mutex> lock(laneLock_);
  dtlsLinks_.erase(link);
}

void DasEngine::SendOverDtls(uint32_t link, Bytes reply) {
  std::lock_guard<std::mutex> lock(dtlsLock_);
  if (dtls_ != nullptr) dtls_->Send(link, std::move(reply));
}

uint32_t DasEngine::NextLink(std::unordered_set<uint32_t>* into) {
  if (closed_) return 0;
  std::lock_guard<std::mutex> lock(laneLock_);
  if (++lastLink_ == 0) lastLink_ = 1;
  into->insert(lastLink_);
  return lastLink_;
}

uint32_t DasEngine::OpenStreamLink() { return NextLink(&links_); }

StreamCut DasEngine::OnStream(const Bytes& data, const Source& source, std::vector<Bytes>* replies) {
  StreamCut cut;
  if (closed_) return cut;
  bool asked = false;
  {
    std::lock_guard<std::mutex> lock(laneLock_);
    if (links_.count(source.link) == 0) return cut;
    size_t& answered = answeredThisTurn_[source.link];
    if (data.empty()) answered = 0;
    cut = framer_.Feed(source.link, data.data(), data.size(), kStreamPacketsPerTurn - answered,
                       [&](const uint8_t* packet, size_t size) {
                         DasOutcome outcome = lane_.OnDatagram(packet, size, source, NowMs());
                         if (outcome.kind == DasOutcome::Kind::kReply) replies->push_back(std::move(outcome.reply));
                         if (outcome.kind != DasOutcome::Kind::kAsk) return;
                         sources_[outcome.request.id] = source;
                         asked_.push_back({std::move(outcome.request), source.text, source.link});
                         asked = true;
                       });
    answered += cut.packets;
  }
  if (asked) loop_.Notify();
  return cut;
}

void DasEngine::DropLink(uint32_t link) {
  std::lock_guard<std::mutex> lock(laneLock_);
  framer_.Drop(link);
  answeredThisTurn_.erase(link);
  links_.erase(link);
}

DasCounters DasEngine::counters() {
  std::lock_guard<std::mutex> lock(laneLock_);
  return lane_.counters();
}

void DasEngine::Close() {
  closed_ = true;  // no verdict is sent after this
  if (loop_.Stop()) socket_->Release();
  std::lock_guard<std::mutex> lock(laneLock_);
  lane_.Clear();
  asked_.clear();
  sources_.clear();
  links_.clear();
  dtlsLinks_.clear();
}

uint64_t DasEngine::OnTurn(uint64_t /*nowUs*/) { return UINT64_MAX; }

void DasEngine::OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t /*nowUs*/) {
  DasOutcome outcome;
  {
    std::lock_guard<std::mutex> lock(laneLock_);
    outcome = lane_.OnDatagram(data, size, from, NowMs());
    if (outcome.kind == DasOutcome::Kind::kAsk) {
      sources_[outcome.request.id] = from;
      asked_.push_back({std::move(outcome.request), from.text, 0});
      askedThisTurn_ = true;
    }
  }
  if (outcome.kind == DasOutcome::Kind::kReply) socket_->Send(outcome.reply, from);
}

// JS is told once per turn that brought requests for the policy (many per call on the event loop).
bool DasEngine::TellJs() { return std::exchange(askedThisTurn_, false); }

}  // namespace eaphost::radius
