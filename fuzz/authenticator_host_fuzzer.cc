// The authenticator host (Identity, method proposal, Nak, Success/Failure framing,
// retransmission) over every shipped method: the first packet is the peer's
// EAP-Response/Identity, the rest its responses; a zero-length packet stands for the
// retransmission timer firing.
#include <memory>

#include "../native/hosts/authenticator_host.h"
#include "../native/hosts/authenticator_method_host.h"
#include "fuzz_support.h"

using namespace eaphost;
using eaphost_fuzz::Input;

namespace {

struct Served {
  std::vector<std::shared_ptr<AuthenticatorMethod>> methods;
  std::vector<Bytes> connectionData;  // by the same index
};

const Served& Methods() {
  static const Served served = [] {
    Served out;
    for (std::uint8_t type : eaphost_fuzz::ServedTypes()) {
      EapErrorInfo error;
      auto method = AuthenticatorMethod::Open(eaphost_fuzz::MethodModulePath(), eaphost_fuzz::MethodType(type), &error);
      if (!method) continue;
      out.connectionData.push_back(eaphost_fuzz::ConnectionDataFor(false, [&](const Bytes& connectionData) {
        AuthenticatorMethodSession probe(method);
        EapErrorInfo probeError;
        bool begun = probe.BeginSession(0, eaphost_fuzz::Wide("alice"), Attributes(), connectionData, 1400, &probeError);
        if (begun) probe.EndSession(&probeError);
        return begun;
      }));
      out.methods.push_back(method);
    }
    return out;
  }();
  return served;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input input = eaphost_fuzz::Split(data, size);
  const Served& served = Methods();
  if (input.packets.empty() || served.methods.empty()) return 0;
  AuthenticatorConfig config;
  // The input's type is proposed first, then the others in the module's order.
  std::size_t first = 0;
  const std::vector<std::uint8_t>& types = eaphost_fuzz::ServedTypes();
  for (std::size_t i = 0; i < types.size() && i < served.methods.size(); ++i) {
    if (types[i] == input.eapType) first = i;
  }
  for (std::size_t i = 0; i < served.methods.size(); ++i) {
    std::size_t at = (i + first) % served.methods.size();
    config.methods.push_back(served.methods[at]);
    config.connectionData.push_back(served.connectionData[at]);
  }
  config.maxRetransmits = 2;
  AuthenticatorHost host(std::move(config));
  AuthenticatorStep step;
  EapErrorInfo error;
  if (!host.Begin(input.packets[0], &step, &error)) return 0;
  for (std::size_t i = 1; i < input.packets.size(); ++i) {
    if (step.kind == AuthenticatorStep::Kind::kSuccess || step.kind == AuthenticatorStep::Kind::kFailure) break;
    bool ok;
    if (step.kind == AuthenticatorStep::Kind::kRespond) {
      Attributes answers;
      static const char kPassword[] = "correct horse";
      for (const Attribute& question : step.attributes) {
        Attribute answer{question.type, question.value};
        if (question.type == eap::eatClearTextPassword) answer.value.assign(kPassword, kPassword + sizeof kPassword - 1);
        answers.push_back(std::move(answer));
      }
      ok = host.SetAttributes(answers, &step, &error);
    } else if (input.packets[i].empty()) {
      ok = host.Timeout(&step, &error);
    } else {
      Bytes& packet = input.packets[i];
      if (step.packet.size() >= 2) eaphost_fuzz::Repair(input, step.packet[1], &packet);
      ok = host.Receive(packet, &step, &error);
    }
    if (!ok) break;
  }
  host.End(&error);
  return 0;
}
