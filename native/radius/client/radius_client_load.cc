// The client engine's load runs (radius_client.h, ClientLoad): the thread starts each request
// from the run's shape and columns as the run allows and counts the verdicts, so a run costs JS nothing per
// request; every request still goes through Start, Transmit and the reply checks of any other.
#include <algorithm>
#include <mutex>

#include "../../common/secure_zero.h"

#include "radius_client.h"

namespace eaphost::radius {

ClientLoadColumn::~ClientLoadColumn() { SecureZeroContents(values); }

ClientRequest ClientLoad::Request(uint64_t n) const {
  ClientRequest request;
  request.target = shape.target;
  request.code = shape.code;
  request.attributes.reserve(columns.size() + shape.attributes.size());
  const size_t at = static_cast<size_t>(n % size());
  for (const ClientLoadColumn& column : columns) {
    const uint8_t* begin = column.values.data() + (at == 0 ? 0 : column.ends[at - 1]);
    const uint8_t* end = column.values.data() + column.ends[at];
    if (column.type == kUserPassword) {
      request.hasUserPassword = true;
      request.userPassword.assign(begin, end);
    } else {
      request.attributes.push_back({column.type, Bytes(begin, end)});
    }
  }
  request.attributes.insert(request.attributes.end(), shape.attributes.begin(), shape.attributes.end());
  request.messageAuthenticator = shape.messageAuthenticator;
  request.requireMessageAuthenticator = shape.requireMessageAuthenticator;
  request.answerCodes = shape.answerCodes;
  request.tries = shape.tries;
  request.timeoutMs = shape.timeoutMs;
  return request;
}

bool RadiusClientEngine::StartLoad(ClientLoad&& load) {
  if (loading_.exchange(true)) return false;
  {
    std::lock_guard<std::mutex> lock(outboxLock_);
    loadProgress_ = ClientLoadProgress{};
  }
  {
    std::lock_guard<std::mutex> lock(inboxLock_);
    loadSubmitted_ = std::make_unique<ClientLoad>(std::move(load));
  }
  socket_->Wake();
  return true;
}

void RadiusClientEngine::StopLoad() {
  {
    std::lock_guard<std::mutex> lock(inboxLock_);
    loadStop_ = true;
  }
  socket_->Wake();
}

ClientLoadProgress RadiusClientEngine::TakeLoad() {
  std::lock_guard<std::mutex> lock(outboxLock_);
  ClientLoadProgress taken = loadProgress_;
  loadProgress_.latenciesMs.clear();
  return taken;
}

// Starts what the run allows now; the time of the next paced start, or UINT64_MAX.
uint64_t RadiusClientEngine::LoadTopUp(uint64_t now) {
  if (!load_) return UINT64_MAX;
  LoadRun& run = *load_;
  const ClientLoad& plan = run.plan;
  const uint64_t deadline = plan.durationUs == 0 ? UINT64_MAX : run.startUs + plan.durationUs;
  uint64_t next = UINT64_MAX;
  const uint64_t firstLaunch = run.launched;
  auto over = [&] { return run.stopping || (plan.count != 0 && run.launched >= plan.count) || now >= deadline; };
  while (run.inFlight < plan.concurrency && !over()) {
    if (plan.rate > 0) {
      uint64_t due = run.startUs + static_cast<uint64_t>(static_cast<double>(run.launched) * 1e6 / plan.rate);
      if (due > now) {
        next = std::min(due, deadline);
        break;
      }
    }
    auto request = std::make_unique<Outstanding>();
    request->request = plan.Request(run.launched);
    request->target = run.target;
    request->load = true;
    request->launchedUs = now;
    run.launched++;
    run.inFlight++;
    {
      std::lock_guard<std::mutex> lock(outboxLock_);
      loadProgress_.started++;
      loadProgress_.inFlight++;
    }
    Start(std::move(request), now);
  }
  if (run.inFlight == 0 && over()) {
    load_.reset();
    std::lock_guard<std::mutex> lock(outboxLock_);
    events_.loadDone = true;
    loading_ = false;
    return UINT64_MAX;
  }
  if (run.launched != firstLaunch) {
    // The clock was read before these went out: wake by their first retransmission (Transmit's
    // interval) at the latest.
    const ClientRequest& model = plan.shape;
    next = std::min<uint64_t>(next, now + std::max<uint64_t>(1000, uint64_t{model.timeoutMs} / model.tries * 1000));
  }
  // Past the deadline with requests out: their replies or timeouts wake the thread.
  return next;
}

void RadiusClientEngine::LoadFinished(const RequestView* reply, uint64_t latencyUs) {
  if (load_) load_->inFlight--;
  std::lock_guard<std::mutex> lock(outboxLock_);
  loadProgress_.inFlight--;
  if (reply == nullptr) return;
  if (reply->code == kAccessAccept || reply->code == kAccountingResponse) {
    loadProgress_.successes++;
  } else {
    loadProgress_.failures++;
  }
  loadProgress_.latenciesMs.push_back(static_cast<double>(latencyUs) / 1000.0);
}

// Stopped (Ctrl-C): its requests are withdrawn unanswered and uncounted, as an aborted request is.
void RadiusClientEngine::LoadWithdraw() {
  if (!load_) return;
  load_->stopping = true;
  for (auto& entry : destinations_) {
    auto& waiting = entry.second->waiting;
    waiting.erase(std::remove_if(waiting.begin(), waiting.end(), [](const auto& w) { return w->load; }), waiting.end());
    for (auto& slot : entry.second->slots) {
      if (slot && slot->load) Release(*slot);
    }
  }
  load_->inFlight = 0;
  std::lock_guard<std::mutex> lock(outboxLock_);
  loadProgress_.inFlight = 0;
}

}  // namespace eaphost::radius
