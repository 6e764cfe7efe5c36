// The EapHostPeer* functions on one EAPHost session, an export each (eapHostProcessReceivedPacket
// … eapHostEndSession), each one CallOn: the
// session is checked usable, EAPHost's errors and buffers are owned by the EapHostCall, and the
// result is converted on the JS thread.
#include "../../common/utf16.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "eaphost_call.h"
#include "eaphost_result_binding.h"
#include "eaphost_session_binding.h"
#include "../methods/shaped_results.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

using Session = EapHostSessionResource;

// The one shape of the calls that take a buffer and answer with an action.
template <typename Call>
Napi::Value ActionCall(Napi::Env env, NativeHandleArg session, Bytes input, Call call) {
  return CallOn<Session, int32_t>(
      env, session, call.name,
      [input = std::move(input), call](EapHostCall& host, int32_t* action, EapErrorInfo* error) {
        eap::EapHostPeerResponseAction out = eap::EapHostPeerResponseDiscard;
        eap::DWORD rc = call.invoke(host, input, &out);
        *action = out;
        if (host.Check(rc, error)) return true;
        AttachRefusedChain(host, error);
        return false;
      },
      SettleNumber);
}

// The session's buffer-returning getters (UI context, send packet).
template <typename Get>
Napi::Value BufferCall(Napi::Env env, NativeHandleArg session, const char* name, Get get) {
  return CallOn<Session, Bytes>(
      env, session, name,
      [get](EapHostCall& host, Bytes* out, EapErrorInfo* error) {
        eap::DWORD size = 0;
        eap::BYTE* data = nullptr;
        eap::DWORD rc = get(host, &size, &data);
        *out = host.Take(data, size);
        return host.Check(rc, error);
      },
      SettleBytes);
}

struct ProcessReceived {
  const char* name = "EapHostPeerProcessReceivedPacket";
  eap::DWORD invoke(EapHostCall& host, const Bytes& packet, eap::EapHostPeerResponseAction* action) const {
    return host.api().EapHostPeerProcessReceivedPacket(host.id(), static_cast<eap::DWORD>(packet.size()),
                                                       packet.empty() ? nullptr : packet.data(), action, host.error());
  }
};

struct SetUI {
  const char* name = "EapHostPeerSetUIContext";
  eap::DWORD invoke(EapHostCall& host, const Bytes& context, eap::EapHostPeerResponseAction* action) const {
    return host.api().EapHostPeerSetUIContext(host.id(), static_cast<eap::DWORD>(context.size()),
                                              context.empty() ? nullptr : context.data(), action, host.error());
  }
};

}  // namespace

Napi::Value seam::EapHostProcessReceivedPacket(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerProcessReceivedPacketArgs args = ReadEapHostPeerProcessReceivedPacketArgs(object);
  return ActionCall(object.Env(), args.session, std::move(args.packet), ProcessReceived());
}

Napi::Value seam::EapHostSetUIContext(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerSetUIContextArgs args = ReadEapHostPeerSetUIContextArgs(object);
  return ActionCall(object.Env(), args.session, std::move(args.context), SetUI());
}

Napi::Value seam::EapHostGetSendPacket(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetSendPacketArgs args = ReadEapHostPeerGetSendPacketArgs(object);
  return BufferCall(object.Env(), args.session, "EapHostPeerGetSendPacket",
                    [](EapHostCall& host, eap::DWORD* size, eap::BYTE** data) {
                      return host.api().EapHostPeerGetSendPacket(host.id(), size, data, host.error());
                    });
}

Napi::Value seam::EapHostGetUIContext(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetUIContextArgs args = ReadEapHostPeerGetUIContextArgs(object);
  return BufferCall(object.Env(), args.session, "EapHostPeerGetUIContext",
                    [](EapHostCall& host, eap::DWORD* size, eap::BYTE** data) {
                      return host.api().EapHostPeerGetUIContext(host.id(), size, data, host.error());
                    });
}

Napi::Value seam::EapHostGetResponseAttributes(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetResponseAttributesArgs args = ReadEapHostPeerGetResponseAttributesArgs(object);
  return CallOn<Session, Attributes>(
      object.Env(), args.session, "EapHostPeerGetResponseAttributes",
      [](EapHostCall& host, Attributes* attributes, EapErrorInfo* error) {
        eap::EapAttributes array{};
        eap::DWORD rc = host.api().EapHostPeerGetResponseAttributes(host.id(), &array, host.error());
        *attributes = CopyAttributes(&array);  // EAPHost's until EndSession: copied, not freed
        return host.Check(rc, error);
      },
      [](Napi::Env env, Attributes& attributes) { return ToAttributes(env, attributes); });
}

Napi::Value seam::EapHostSetResponseAttributes(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerSetResponseAttributesArgs args = ReadEapHostPeerSetResponseAttributesArgs(object);
  return CallOn<Session, int32_t>(
      object.Env(), args.session, "EapHostPeerSetResponseAttributes",
      [attributes = std::move(args.attributes)](EapHostCall& host, int32_t* action, EapErrorInfo* error) {
        AttributeArray array(attributes);
        eap::EapHostPeerResponseAction out = eap::EapHostPeerResponseDiscard;
        eap::DWORD rc = host.api().EapHostPeerSetResponseAttributes(host.id(), array.get(), &out, host.error());
        *action = out;
        return host.Check(rc, error);
      },
      SettleNumber);
}

namespace {

struct AuthStatusOut {
  int32_t param = 0;
  Bytes data;
};

Napi::Value SettleAuthStatus(Napi::Env env, AuthStatusOut& out) {
  if (out.param == eap::EapHostPeerAuthStatus && out.data.size() >= sizeof(eap::EAPHOST_AUTH_INFO)) {
    eap::EAPHOST_AUTH_INFO status;
    std::memcpy(&status, out.data.data(), sizeof status);
    AuthStatusShapeWriter result(env);
    result.status(static_cast<int32_t>(status.status));
    result.errorCode(status.dwErrorCode);
    result.reasonCode(status.dwReasonCode);
    return result.Make();
  }
  if (out.param == eap::EapHostPeerIdentity) {
    std::u16string identity;
    for (size_t i = 0; i + 1 < out.data.size(); i += 2) {
      char16_t unit = static_cast<char16_t>(out.data[i] | (out.data[i + 1] << 8));
      if (unit == 0) break;
      identity.push_back(unit);
    }
    return ToString(env, identity);
  }
  return ToBuffer(env, out.data);
}

}  // namespace

Napi::Value seam::EapHostGetAuthStatus(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetAuthStatusArgs args = ReadEapHostPeerGetAuthStatusArgs(object);
  auto param = static_cast<eap::EapHostPeerAuthParams>(args.authParam);
  return CallOn<Session, AuthStatusOut>(
      object.Env(), args.session, "EapHostPeerGetAuthStatus",
      [param](EapHostCall& host, AuthStatusOut* out, EapErrorInfo* error) {
        eap::DWORD size = 0;
        eap::BYTE* data = nullptr;
        eap::DWORD rc = host.api().EapHostPeerGetAuthStatus(host.id(), param, &size, &data, host.error());
        out->param = param;
        out->data = host.Take(data, size);
        return host.Check(rc, error);
      },
      SettleAuthStatus);
}

// Not a CallOn: ending a session that already ended (or whose EAPHost closed) is no error.
// The handle is released in the same job (what release() would post next): the session is
// closed and forgotten whatever EndSession answered, and its finalizer posts nothing.
Napi::Value seam::EapHostEndSession(const Napi::CallbackInfo&, Napi::Object object) {
  Napi::Env env = object.Env();
  EapHostPeerEndSessionArgs args = ReadEapHostPeerEndSessionArgs(object);
  std::shared_ptr<Session> session;
  try {
    session = UnwrapResource<Session>(env, args.session, ResourceAccess<Session>::kHandle);
  } catch (const ReleasedHandle&) {
    // Released already: ending it again is no error either.
    auto ended = Napi::Promise::Deferred::New(env);
    ended.Resolve(env.Undefined());
    return ended.Promise();
  }
  AddonState* state = &StateOf(env);
  MarkReleased(env, *session);
  return RunOnHost<bool>(
      env,
      [state, session](bool*, EapErrorInfo* error) {
        bool ended = session->End(error);
        Forget(state, session);
        return ended;
      },
      SettleNothing);
}

Napi::Value seam::EapHostGetResult(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetResultArgs args = ReadEapHostPeerGetResultArgs(object);
  auto reason = static_cast<eap::EapHostPeerMethodResultReason>(args.reason);
  return CallOn<Session, ResultOut>(
      object.Env(), args.session, "EapHostPeerGetResult",
      [reason](EapHostCall& host, ResultOut* out, EapErrorInfo* error) {
        return GetResultOnHost(host, reason, out, error);
      },
      ResultToJs);
}

bool ExchangeOnHost(EapHostCall& host, const Bytes& packet, ExchangeOut* out, EapErrorInfo* error,
                    bool copyResponse) {
  eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
  eap::DWORD rc = host.api().EapHostPeerProcessReceivedPacket(
      host.id(), static_cast<eap::DWORD>(packet.size()), packet.empty() ? nullptr : packet.data(), &action, host.error());
  out->action = action;
  if (!host.Check(rc, error)) {
    AttachRefusedChain(host, error);
    return false;
  }
  if (action != eap::EapHostPeerResponseSend) return true;
  eap::DWORD size = 0;
  eap::BYTE* data = nullptr;
  rc = host.api().EapHostPeerGetSendPacket(host.id(), &size, &data, host.error());
  if (!host.Check(rc, error, "EapHostPeerGetSendPacket")) return false;
  out->sent = data;
  out->sentSize = data != nullptr ? size : 0;
  if (copyResponse) out->packet = host.Take(data, size);
  return true;
}

}  // namespace eaphost
