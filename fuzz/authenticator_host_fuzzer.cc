// The authenticator host (Identity, method proposal, Nak, Success/Failure framing,
// retransmission) over every shipped method: the first packet is the peer's
// EAP-Response/Identity, the rest its responses; a zero-length packet stands for the
// retransmission timer firing.
#include <memory>

#include "../native/hosts/authenticator_host.h"
#include "fuzz_support.h"

using namespace eaphost;
using eaphost_fuzz::Input;

namespace {

const std::vector<std::shared_ptr<AuthenticatorMethod>>& Methods() {
  static const std::vector<std::shared_ptr<AuthenticatorMethod>> methods = [] {
    std::vector<std::shared_ptr<AuthenticatorMethod>> out;
    for (std::uint8_t type : eaphost_fuzz::kMethodTypes) {
      EapErrorInfo error;
      auto method = AuthenticatorMethod::Open(eaphost_fuzz::MethodModulePath(), eaphost_fuzz::MethodType(type), &error);
      if (method) out.push_back(method);
    }
    return out;
  }();
  return methods;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input input = eaphost_fuzz::Split(data, size);
  if (input.packets.empty() || Methods().empty()) return 0;
  AuthenticatorConfig config;
  // The input's type selector rotates the proposal order, so each method is proposed first.
  for (std::size_t i = 0; i < Methods().size(); ++i) {
    config.methods.push_back(Methods()[(i + input.typeIndex) % Methods().size()]);
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
