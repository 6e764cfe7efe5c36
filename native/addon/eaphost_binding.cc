// Bindings for the EapHostPeer* API through the function-pointer table: the same code drives
// the real eappprxy.dll and the portable EAPHost. Each call is one RunOnHost: arguments are
// copied on the JS thread, EAPHost runs on the host thread, results are copied back.
#include <atomic>

#include "../common/utf16.h"
#include "eaphost_instance.h"
#include "js_convert.h"

namespace eaphost {

namespace {

std::atomic<uint32_t> nextNotificationToken{1};

void EAP_CALLBACK OnNotification(eap::GUID connectionId, void* context) {
  auto* sink = static_cast<NotificationSink*>(context);
  if (sink == nullptr || sink->state == nullptr || !sink->state->host) return;
  uint32_t token = sink->token;
  AddonState* state = sink->state;
  std::string id = GuidToString(connectionId);
  state->host->Notify([state, token, id](Napi::Env env) {
    if (state->notificationDispatcher.IsEmpty()) return;
    state->notificationDispatcher.Call({Napi::Number::New(env, token), Napi::String::New(env, id)});
  });
}

using Session = EapHostSessionResource;

Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string backend = StringArg(info, 0, "backend");
  std::string path = backend == "portable" ? StringArg(info, 1, "libraryPath") : std::string();
  if (backend != "portable" && backend != "system") {
    throw Napi::TypeError::New(env, "backend must be 'portable' or 'system'");
  }
  AddonState* state = &StateOf(env);
  using Out = std::shared_ptr<EapHostInstance>;
  return RunOnHost<Out>(
      env,
      [state, backend, path](Out* out, EapErrorInfo* error) {
        auto library = backend == "portable" ? EapHostLibrary::LoadPortable(path, error)
                                             : EapHostLibrary::LoadSystem(error);
        if (!library) return false;
        auto instance = std::make_shared<EapHostInstance>(std::move(library));
        if (!instance->Initialize(error)) return false;
        Track(state, instance);
        *out = instance;
        return true;
      },
      [](Napi::Env env, Out& out) { return WrapResource(env, out); });
}

Napi::Value BeginSession(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  eap::DWORD flags = DwordArg(info, 2, "flags");
  Attributes attributes = AttributesArg(info, 3, "attributes");
  Bytes connectionData = BytesArg(info, 4, "connectionData");
  Bytes userData = BytesArg(info, 5, "userData");
  eap::DWORD maxSendPacketSize = DwordArg(info, 6, "maxSendPacketSize");
  eap::GUID connectionId{};
  if (info[7].IsString() && !GuidFromString(info[7].As<Napi::String>().Utf8Value(), &connectionId)) {
    throw Napi::TypeError::New(env, "connectionId must be a GUID string");
  }
  uint32_t token = nextNotificationToken++;
  AddonState* state = &StateOf(env);
  struct Out {
    std::shared_ptr<Session> session;
    uint32_t token;
  };
  return RunOnHost<Out>(
      env,
      [=](Out* out, EapErrorInfo* error) mutable {
        if (!instance->RequireOpen("EapHostPeerBeginSession", error)) return false;
        AttributeArray array(attributes);
        eap::EAP_SESSIONID id = 0;
        eap::EAP_ERROR* eapError = nullptr;
        NotificationSink* sink = instance->NewSink(state, token);
        eap::DWORD result = instance->api().EapHostPeerBeginSession(
            flags, type, array.get(), nullptr, static_cast<eap::DWORD>(connectionData.size()),
            connectionData.empty() ? nullptr : connectionData.data(),
            static_cast<eap::DWORD>(userData.size()), userData.empty() ? nullptr : userData.data(),
            maxSendPacketSize, &connectionId, OnNotification, sink, &id, &eapError);
        std::fill(userData.begin(), userData.end(), 0);  // the user blob carries the password
        if (!instance->Check(result, eapError, "EapHostPeerBeginSession", error)) {
          instance->ReleaseSink(sink);
          return false;
        }
        out->session = std::make_shared<Session>(instance, id, sink);
        out->token = token;
        Track(state, out->session);
        return true;
      },
      [](Napi::Env env, Out& out) {
        Napi::Object result = Napi::Object::New(env);
        result.Set("handle", WrapResource(env, out.session));
        result.Set("sessionId", out.session->id());
        result.Set("notificationToken", out.token);
        return result;
      });
}

Napi::Value ProcessReceivedPacket(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  Bytes packet = BytesArg(info, 1, "packet");
  return RunOnHost<int32_t>(
      info.Env(),
      [session, packet](int32_t* action, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerProcessReceivedPacket", error)) return false;
        eap::EapHostPeerResponseAction out = eap::EapHostPeerResponseDiscard;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD result = session->instance().api().EapHostPeerProcessReceivedPacket(
            session->id(), static_cast<eap::DWORD>(packet.size()), packet.empty() ? nullptr : packet.data(),
            &out, &eapError);
        *action = out;
        return session->instance().Check(result, eapError, "EapHostPeerProcessReceivedPacket", error);
      },
      [](Napi::Env env, int32_t& action) { return Napi::Number::New(env, action); });
}

// ProcessReceivedPacket and, when the action is Send, GetSendPacket, in one trip to the host
// thread: the common step of every conversation, so authenticate() pays one hop, not two.
struct ExchangeOut {
  int32_t action = 0;
  Bytes packet;
};

Napi::Value Exchange(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  Bytes packet = BytesArg(info, 1, "packet");
  return RunOnHost<ExchangeOut>(
      info.Env(),
      [session, packet](ExchangeOut* out, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerProcessReceivedPacket", error)) return false;
        EapHostInstance& host = session->instance();
        eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = host.api().EapHostPeerProcessReceivedPacket(
            session->id(), static_cast<eap::DWORD>(packet.size()), packet.empty() ? nullptr : packet.data(), &action,
            &eapError);
        out->action = action;
        if (!host.Check(rc, eapError, "EapHostPeerProcessReceivedPacket", error)) return false;
        if (action != eap::EapHostPeerResponseSend) return true;
        eap::DWORD size = 0;
        eap::BYTE* data = nullptr;
        rc = host.api().EapHostPeerGetSendPacket(session->id(), &size, &data, &eapError);
        out->packet = host.TakeRuntimeBuffer(data, size);
        return host.Check(rc, eapError, "EapHostPeerGetSendPacket", error);
      },
      [](Napi::Env env, ExchangeOut& out) {
        Napi::Object result = Napi::Object::New(env);
        result.Set("action", out.action);
        if (out.action == eap::EapHostPeerResponseSend) result.Set("packet", ToBuffer(env, out.packet));
        return result;
      });
}

Napi::Value GetSendPacket(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  return RunOnHost<Bytes>(
      info.Env(),
      [session](Bytes* packet, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerGetSendPacket", error)) return false;
        eap::DWORD size = 0;
        eap::BYTE* data = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD result = session->instance().api().EapHostPeerGetSendPacket(session->id(), &size, &data, &eapError);
        *packet = session->instance().TakeRuntimeBuffer(data, size);
        return session->instance().Check(result, eapError, "EapHostPeerGetSendPacket", error);
      },
      [](Napi::Env env, Bytes& packet) { return ToBuffer(env, packet); });
}

struct ResultOut {
  bool success = false;
  eap::DWORD failureReasonCode = 0;
  bool saveConnectionData = false, saveUserData = false;
  Bytes connectionData, userData;
  Attributes attributes;
  int32_t isolationState = 0;
  bool hasMethod = false;
  eap::EAP_METHOD_TYPE methodType{};
  std::u16string methodName, authorName;
  bool hasError = false;
  EapErrorInfo error;
};

Napi::Value GetResult(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  auto reason = static_cast<eap::EapHostPeerMethodResultReason>(DwordArg(info, 1, "reason"));
  return RunOnHost<ResultOut>(
      info.Env(),
      [session, reason](ResultOut* out, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerGetResult", error)) return false;
        EapHostInstance& host = session->instance();
        eap::EapHostPeerMethodResult result{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = host.api().EapHostPeerGetResult(session->id(), reason, &result, &eapError);
        // Every pointer in the result is EAPHost's: copy, then free each exactly once.
        out->success = result.fIsSuccess != 0;
        out->failureReasonCode = result.dwFailureReasonCode;
        out->saveConnectionData = result.fSaveConnectionData != 0;
        out->saveUserData = result.fSaveUserData != 0;
        out->connectionData = host.TakeRuntimeBuffer(result.pConnectionData, result.dwSizeofConnectionData);
        out->userData = host.TakeRuntimeBuffer(result.pUserData, result.dwSizeofUserData);
        if (result.pAttribArray != nullptr) {
          out->attributes = CopyAttributes(result.pAttribArray);
          host.api().EapHostPeerFreeRuntimeMemory(reinterpret_cast<eap::BYTE*>(result.pAttribArray));
        }
        out->isolationState = result.isolationState;
        if (result.pEapMethodInfo != nullptr) {
          out->hasMethod = true;
          out->methodType = result.pEapMethodInfo->eaptype;
          out->methodName = WideToU16(result.pEapMethodInfo->pwszFriendlyName);
          out->authorName = WideToU16(result.pEapMethodInfo->pwszAuthorName);
          host.api().EapHostPeerFreeRuntimeMemory(reinterpret_cast<eap::BYTE*>(result.pEapMethodInfo));
        }
        if (result.pEapError != nullptr) {
          out->hasError = true;
          out->error = CopyEapError(result.pEapError, result.pEapError->dwWinError, "EapHostPeerGetResult",
                                    ErrorOrigin::kEapHost);
          host.api().EapHostPeerFreeEapError(result.pEapError);
        }
        return host.Check(rc, eapError, "EapHostPeerGetResult", error);
      },
      [](Napi::Env env, ResultOut& out) {
        Napi::Object result = Napi::Object::New(env);
        result.Set("success", out.success);
        result.Set("failureReasonCode", out.failureReasonCode);
        result.Set("saveConnectionData", out.saveConnectionData);
        result.Set("connectionData", ToBuffer(env, out.connectionData));
        result.Set("saveUserData", out.saveUserData);
        result.Set("userData", ToBuffer(env, out.userData));
        result.Set("attributes", ToAttributes(env, out.attributes));
        result.Set("isolationState", out.isolationState);
        if (out.hasMethod) {
          Napi::Object method = ToMethodType(env, out.methodType);
          method.Set("friendlyName", ToString(env, out.methodName));
          method.Set("authorName", ToString(env, out.authorName));
          result.Set("method", method);
        }
        if (out.hasError) result.Set("error", MakeEapError(env, out.error));
        return result;
      });
}

}  // namespace

void RegisterEapHostSessionExtras(Napi::Env env, Napi::Object exports);  // eaphost_session_binding.cc

void RegisterEapHostBinding(Napi::Env env, Napi::Object exports) {
  exports.Set("eapHostOpen", Napi::Function::New(env, Open));
  exports.Set("eapHostBeginSession", Napi::Function::New(env, BeginSession));
  exports.Set("eapHostProcessReceivedPacket", Napi::Function::New(env, ProcessReceivedPacket));
  exports.Set("eapHostGetSendPacket", Napi::Function::New(env, GetSendPacket));
  exports.Set("eapHostExchange", Napi::Function::New(env, Exchange));
  exports.Set("eapHostGetResult", Napi::Function::New(env, GetResult));
  RegisterEapHostSessionExtras(env, exports);
}

}  // namespace eaphost
