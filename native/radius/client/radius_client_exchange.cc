// The client engine opened for another role (radius_exchange.h): the lane's proxy forwards each
// request for a realm it does not serve through it, as `auth`, `ping` and `load` send theirs.
#include <utility>

#include "radius_client.h"

namespace eaphost::radius {

namespace {

class ClientExchange final : public ExchangeSender {
 public:
  ClientExchange(std::unique_ptr<RadiusSocket> socket, std::function<void()> notify)
      : engine_(std::move(socket), std::move(notify)) {}
  uint32_t AddTarget(const Source& server, std::shared_ptr<const SharedSecret> secret) override {
    return engine_.AddTarget(server, std::move(secret));
  }
  void Submit(ClientRequest&& request) override { engine_.Submit(std::move(request)); }
  void Flush() override { engine_.Flush(); }
  std::vector<ClientOutcome> TakeOutcomes() override { return std::move(engine_.Take().outcomes); }
  void Close() override { engine_.Close(); }

 private:
  RadiusClientEngine engine_;
};

// Another role's requests on JS's engine: its ids marked, its outcomes its own.
class SharedExchange final : public ExchangeSender {
 public:
  SharedExchange(std::shared_ptr<RadiusClientEngine> engine, std::function<void()> notify)
      : engine_(std::move(engine)) {
    engine_->SetForwardSink(std::move(notify));
  }
  ~SharedExchange() override { Close(); }
  uint32_t AddTarget(const Source& server, std::shared_ptr<const SharedSecret> secret) override {
    return engine_->AddTarget(server, std::move(secret));
  }
  void Submit(ClientRequest&& request) override {
    request.id |= kForwardedId;
    engine_->Submit(std::move(request));
  }
  void Flush() override { engine_->Flush(); }
  std::vector<ClientOutcome> TakeOutcomes() override {
    std::vector<ClientOutcome> taken = engine_->TakeForwarded();
    for (ClientOutcome& outcome : taken) outcome.id &= ~kForwardedId;
    return taken;
  }
  void Close() override { engine_->SetForwardSink(nullptr); }

 private:
  std::shared_ptr<RadiusClientEngine> engine_;
};

}  // namespace

std::unique_ptr<ExchangeSender> ShareExchangeSender(std::shared_ptr<RadiusClientEngine> engine,
                                                    std::function<void()> notify) {
  return std::make_unique<SharedExchange>(std::move(engine), std::move(notify));
}

std::unique_ptr<ExchangeSender> OpenExchangeSender(int family, std::function<void()> notify, LaneError* error) {
  const ListenAddress any{family == 6 ? "::" : "0.0.0.0", 0};
  std::unique_ptr<RadiusSocket> socket = OpenRadiusSocket(&any, error);
  if (socket == nullptr) return nullptr;
  return std::make_unique<ClientExchange>(std::move(socket), std::move(notify));
}

}  // namespace eaphost::radius
