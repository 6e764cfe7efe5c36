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

struct Opened {
  std::shared_ptr<AuthenticatorMethod> method;
  Bytes connectionData;
};

const Opened& OpenedFor(std::uint8_t eapType) {
  static std::map<std::uint8_t, Opened> opened;
  auto found = opened.find(eapType);
  if (found != opened.end()) return found->second;
  EapErrorInfo error;
  Opened entry;
  entry.method = AuthenticatorMethod::Open(eaphost_fuzz::MethodModulePath(), eaphost_fuzz::MethodType(eapType), &error);
  if (entry.method) {
    entry.connectionData = eaphost_fuzz::ConnectionDataFor(false, [&](const Bytes& connectionData) {
      AuthenticatorMethodSession probe(entry.method);
      EapErrorInfo probeError;
      bool begun = probe.BeginSession(0, eaphost_fuzz::Wide("alice"), Attributes(), connectionData, 1400, &probeError);
      if (begun) probe.EndSession(&probeError);
      return begun;
    });
  }
  return opened.emplace(eapType, std::move(entry)).first->second;
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
  if (input.eapType == 0) return 0;  // shorter than the type and control bytes
  const Opened& opened = OpenedFor(input.eapType);
  if (!opened.method) return 0;

  AuthenticatorMethodSession session(opened.method);
  EapErrorInfo error;
  if (!session.BeginSession(0, eaphost_fuzz::Wide("alice"), Attributes(), opened.connectionData, 1400, &error)) return 0;
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
