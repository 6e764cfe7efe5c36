// The authenticator side of each shipped method through the Windows method ABI, by the
// method host (EapMethodAuthenticatorGetInfo … EndSession): each input packet is the peer's
// response to the request the method just sent; RESPOND questions get a password answer.
#include <map>
#include <memory>

#include "../native/hosts/authenticator_method_host.h"
#include "fuzz_support.h"

using namespace eaphost;
using eaphost_fuzz::Input;

namespace {

std::shared_ptr<AuthenticatorMethod> OpenedFor(std::uint8_t eapType) {
  static std::map<std::uint8_t, std::shared_ptr<AuthenticatorMethod>> opened;
  auto found = opened.find(eapType);
  if (found != opened.end()) return found->second;
  EapErrorInfo error;
  auto method = AuthenticatorMethod::Open(eaphost_fuzz::MethodModulePath(),
                                          eaphost_fuzz::MethodType(eapType), &error);
  opened.emplace(eapType, method);
  return method;
}

// What a user store answers: every question the method asks, with the same password (or
// the value the method sent when it is not a password question).
Attributes Answer(const Attributes& questions) {
  Attributes answers;
  static const char kPassword[] = "correct horse";
  for (const Attribute& question : questions) {
    Attribute answer{question.type, question.value};
    if (question.type == eap::eatClearTextPassword) answer.value.assign(kPassword, kPassword + sizeof kPassword - 1);
    answers.push_back(std::move(answer));
  }
  return answers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input input = eaphost_fuzz::Split(data, size);
  auto method = OpenedFor(eaphost_fuzz::kMethodTypes[input.typeIndex]);
  if (!method) return 0;

  AuthenticatorMethodSession session(method);
  EapErrorInfo error;
  if (!session.BeginSession(0, eaphost_fuzz::Wide("alice"), Attributes(), Bytes(), 1400, &error)) return 0;
  std::uint8_t id = 0;
  bool needRequest = true;
  for (Bytes& packet : input.packets) {
    if (needRequest) {
      Bytes request;
      eap::EAP_AUTHENTICATOR_SEND_TIMEOUT timeout{};
      if (!session.SendPacket(++id, &request, &timeout, &error)) break;
    }
    eaphost_fuzz::Repair(input, id, &packet);
    eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action{};
    if (!session.ReceivePacket(packet, &action, &error)) break;
    if (action == eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND) {
      Attributes questions;
      if (!session.GetAttributes(&questions, &error)) break;
      if (!session.SetAttributes(Answer(questions), &action, &error)) break;
    }
    if (action == eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT) {
      AuthenticatorMethodResult result;
      session.GetResult(&result, &error);
      break;
    }
    // DISCARD: the request is still outstanding; the next packet answers the same one.
    needRequest = action == eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND;
  }
  session.EndSession(&error);
  return 0;
}
