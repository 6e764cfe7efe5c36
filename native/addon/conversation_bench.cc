// The benchmark's baseline: whole EAP conversations driven by a C++ loop on the host thread,
// through the same EAPHost table and the same method modules the public API uses, with no
// JS in between. bench/ compares the async API against this in the same process.
#include <chrono>

#include "../common/utf16.h"
#include "eaphost_instance.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

struct BenchOut {
  uint32_t completed = 0;
  uint32_t successes = 0;
  double elapsedMs = 0;
};

// One conversation: peer through EapHostPeer*, authenticator through AuthenticatorHost.
bool RunOne(EapHostInstance& host, const std::shared_ptr<AuthenticatorMethod>& method,
            const eap::EAP_METHOD_TYPE& type, const Bytes& userBlob, const Bytes& password,
            const Bytes& peerData, const Bytes& authenticatorData, bool* success, EapErrorInfo* error) {
  const eap::EapHostPeerApi& api = host.api();
  eap::EAP_SESSIONID id = 0;
  eap::EAP_ERROR* eapError = nullptr;
  eap::GUID connection{};
  eap::DWORD rc = api.EapHostPeerBeginSession(0, type, nullptr, nullptr,
                                              static_cast<eap::DWORD>(peerData.size()),
                                              peerData.empty() ? nullptr : peerData.data(),
                                              static_cast<eap::DWORD>(userBlob.size()), userBlob.data(), 1400,
                                              &connection, nullptr, nullptr, &id, &eapError);
  if (!host.Check(rc, eapError, "EapHostPeerBeginSession", error)) return false;

  AuthenticatorConfig config;
  config.methods.push_back(method);
  config.connectionData.push_back(authenticatorData);
  AuthenticatorHost authenticator(std::move(config));
  AuthenticatorStep step;
  bool ok = authenticator.Begin(Bytes(), &step, error);
  *success = false;
  // Bounded: a tunnel method takes about a dozen steps (requests and RESPONDs); 64 is ample.
  for (int rounds = 0; ok && rounds < 64; ++rounds) {
    if (step.kind == AuthenticatorStep::Kind::kRespond) {
      ok = authenticator.SetAttributes({{eap::eatClearTextPassword, password}}, &step, error);
      continue;
    }
    eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
    rc = api.EapHostPeerProcessReceivedPacket(id, static_cast<eap::DWORD>(step.packet.size()), step.packet.data(),
                                              &action, &eapError);
    if (!(ok = host.Check(rc, eapError, "EapHostPeerProcessReceivedPacket", error))) break;
    if (step.kind == AuthenticatorStep::Kind::kSuccess || step.kind == AuthenticatorStep::Kind::kFailure) {
      eap::EapHostPeerMethodResult result{};
      rc = api.EapHostPeerGetResult(id, eap::EapHostPeerMethodResultFromMethod, &result, &eapError);
      *success = result.fIsSuccess != 0 && step.kind == AuthenticatorStep::Kind::kSuccess;
      for (eap::BYTE* p : {result.pConnectionData, result.pUserData, reinterpret_cast<eap::BYTE*>(result.pAttribArray),
                           reinterpret_cast<eap::BYTE*>(result.pEapMethodInfo)}) {
        if (p != nullptr) api.EapHostPeerFreeRuntimeMemory(p);
      }
      if (result.pEapError != nullptr) api.EapHostPeerFreeEapError(result.pEapError);
      ok = host.Check(rc, eapError, "EapHostPeerGetResult", error);
      break;
    }
    if (action != eap::EapHostPeerResponseSend) {
      *error = HostError(eap::kErrorInvalidState, "bench", "peer did not answer a request");
      ok = false;
      break;
    }
    eap::DWORD size = 0;
    eap::BYTE* packet = nullptr;
    rc = api.EapHostPeerGetSendPacket(id, &size, &packet, &eapError);
    Bytes response = host.TakeRuntimeBuffer(packet, size);
    if (!(ok = host.Check(rc, eapError, "EapHostPeerGetSendPacket", error))) break;
    ok = authenticator.Receive(response, &step, error);
  }
  EapErrorInfo ignored;
  authenticator.End(&ignored);
  rc = api.EapHostPeerEndSession(id, &eapError);
  host.Check(rc, eapError, "EapHostPeerEndSession", &ignored);
  return ok;
}

// benchConversations(eapHost, authenticatorMethod, methodType, count, userBlob, password
//                    [, peerConnectionData, authenticatorConnectionData])
Napi::Value BenchConversations(const Napi::CallbackInfo& info) {
  auto host = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  auto method = UnwrapResource<AuthenticatorMethodResource>(info, 1, "an authenticator method handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 2);
  eap::DWORD count = DwordArg(info, 3, "count");
  Bytes userBlob = BytesArg(info, 4, "userBlob");
  std::string password = StringArg(info, 5, "password");
  Bytes peerData = info.Length() > 6 ? BytesArg(info, 6, "peerConnectionData") : Bytes();
  Bytes authenticatorData = info.Length() > 7 ? BytesArg(info, 7, "authenticatorConnectionData") : Bytes();
  return RunOnHost<BenchOut>(
      info.Env(),
      [=](BenchOut* out, EapErrorInfo* error) {
        if (!host->RequireOpen("bench", error)) return false;
        auto* m = method->Get("bench", "authenticator method", error);
        if (m == nullptr) return false;
        Bytes secret(password.begin(), password.end());
        auto start = std::chrono::steady_clock::now();
        for (eap::DWORD i = 0; i < count; ++i) {
          bool success = false;
          if (!RunOne(*host, method->holder(), type, userBlob, secret, peerData, authenticatorData,
                      &success, error)) {
            return false;
          }
          ++out->completed;
          if (success) ++out->successes;
        }
        out->elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        return true;
      },
      [](Napi::Env env, BenchOut& out) {
        Napi::Object result = Napi::Object::New(env);
        result.Set("completed", out.completed);
        result.Set("successes", out.successes);
        result.Set("elapsedMs", out.elapsedMs);
        return result;
      });
}

}  // namespace

void RegisterConversationBench(Napi::Env env, Napi::Object exports) {
  exports.Set("benchConversations", Napi::Function::New(env, BenchConversations));
}

}  // namespace eaphost
