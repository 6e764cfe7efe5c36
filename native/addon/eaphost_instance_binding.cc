// Bindings for an opened EAPHost (real eappprxy.dll or the portable one, through the same
// function-pointer table): opening it, beginning sessions, and the calls that need no session.
#include <atomic>

#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "bindings.h"
#include "eap_config_convert.h"
#include "eaphost_memory.h"
#include "eaphost_call.h"
#include "eaphost_session_begin.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

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
      [](Napi::Env jsEnv, Out& out) { return WrapResource(jsEnv, out); });
}

// eapHostBeginSession({ host, begin }): contract.h's EapHostBeginSessionArgs. With credentials
// the user blob is made and the session begun in one host-thread job: the password never comes
// back to JS.
Napi::Value BeginSession(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  static const char kCall[] = "EapHostPeerBeginSession";
  if (info.Length() < 1 || !info[0].IsObject() || info[0].IsArray()) {
    throw Napi::TypeError::New(env, "eapHostBeginSession takes one argument object");
  }
  Napi::Object args = info[0].As<Napi::Object>();
  Napi::Value given = args.Get("begin");
  if (!given.IsObject()) throw Napi::TypeError::New(env, "begin must be an object");
  SessionBegin begin;
  try {
    begin = SessionBeginOf(env, args.Get("host"), given.As<Napi::Object>());
  } catch (const ReleasedHandle&) {
    // What the closed EAPHost would have answered on the host thread, without the trip.
    return RejectWith(env, ResourceAccess<EapHostInstance>::Released(kCall));
  }
  AddonState* state = &StateOf(env);
  return RunOnHost<BegunSession>(
      env,
      [state, begin = std::move(begin)](BegunSession* out, EapErrorInfo* error) mutable {
        auto host = ResourceAccess<EapHostInstance>::Open(*begin.instance, kCall, error);
        return host && BeginSessionOnHost(*host, state, begin, out, error);
      },
      BegunToJs);
}

Napi::Value ClearConnection(const Napi::CallbackInfo& info) {
  eap::GUID connectionId{};
  if (!GuidFromString(StringArg(info, 1, "connectionId"), &connectionId)) {
    throw Napi::TypeError::New(info.Env(), "connectionId must be a GUID string");
  }
  return CallOn<EapHostInstance, bool>(
      info, "EapHostPeerClearConnection",
      [connectionId](EapHostCall& host, bool*, EapErrorInfo* error) {
        return host.instance().ClearConnection(connectionId, error);
      },
      SettleNothing);
}

Napi::Value GetIdentity(const Napi::CallbackInfo& info) {
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  eap::DWORD flags = DwordArg(info, 2, "flags");
  Bytes connectionData = BytesArg(info, 3, "connectionData");
  Bytes userData = BytesArg(info, 4, "userData");
  return CallOn<EapHostInstance, PeerIdentity>(
      info, "EapHostPeerGetIdentity",
      [=, connectionData = std::move(connectionData), userData = std::move(userData)](
          EapHostCall& host, PeerIdentity* out, EapErrorInfo* error) mutable {
        eap::BOOL invokeUI = eap::kFalse;
        eap::DWORD outSize = 0;
        eap::BYTE* outData = nullptr;
        eap::LPWSTR identity = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::BYTE* reserved = nullptr;
        // As BeginSession: Windows' EAP-TLS finds the user's certificate, and EAP-MSCHAPv2 the
        // logon credentials, through the user's token.
        auto userToken = ImpersonationToken::ForFlags(flags);
        eap::DWORD rc = host.api().EapHostPeerGetIdentity(
            0, flags, type, static_cast<eap::DWORD>(connectionData.size()),
            connectionData.empty() ? nullptr : connectionData.data(), static_cast<eap::DWORD>(userData.size()),
            userData.empty() ? nullptr : userData.data(), userToken->handle(), &invokeUI, &outSize, &outData, &identity,
            &eapError, &reserved);
        SecureZeroContents(userData);
        // Unlike the session calls, GetIdentity's page gives its outputs to the caller: both
        // buffers go with EapHostPeerFreeRuntimeMemory, the error with EapHostPeerFreeErrorMemory.
        RuntimeMemoryOwner ownedData(host.api(), outData), ownedIdentity(host.api(), identity);
        out->invokeUI = invokeUI != 0;
        out->userDataOut = CopySessionBuffer(outData, outSize);
        if (outData != nullptr) SecureZero(outData, outSize);  // user blobs carry credentials
        if (identity != nullptr) out->identity = WideToU16(identity);
        return config_binding::ConfigCheck(host.instance(), rc, eapError, "EapHostPeerGetIdentity", error);
      },
      IdentityToJs);
}

struct MethodOut {
  eap::EAP_METHOD_TYPE type;
  std::u16string friendlyName, authorName;
  eap::DWORD properties;
};

Napi::Value GetMethods(const Napi::CallbackInfo& info) {
  return CallOn<EapHostInstance, std::vector<MethodOut>>(
      info, "EapHostPeerGetMethods",
      [](EapHostCall& host, std::vector<MethodOut>* out, EapErrorInfo* error) {
        eap::EAP_METHOD_INFO_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = host.api().EapHostPeerGetMethods(&array, &eapError);
        for (eap::DWORD i = 0; array.pEapMethods != nullptr && i < array.dwNumberOfMethods && i < 4096; ++i) {
          const eap::EAP_METHOD_INFO& method = array.pEapMethods[i];
          out->push_back({method.eaptype, WideToU16(method.pwszFriendlyName), WideToU16(method.pwszAuthorName),
                          method.eapProperties});
        }
        FreeMethodInfos(host.api(), &array);  // its page: inner pointers first, then the array
        // Configuration-API errors have their own free function.
        if (!config_binding::ConfigCheck(host.instance(), rc, eapError, "EapHostPeerGetMethods", error)) {
          out->clear();
          return false;
        }
        return true;
      },
      [](Napi::Env env, std::vector<MethodOut>& methods) {
        Napi::Array result = Napi::Array::New(env, methods.size());
        for (size_t i = 0; i < methods.size(); ++i) {
          Napi::Object method = ToMethodType(env, methods[i].type);
          SetField(method, "friendlyName", ToString(env, methods[i].friendlyName));
          SetField(method, "authorName", ToString(env, methods[i].authorName));
          SetField(method, "properties", methods[i].properties);
          result.Set(static_cast<uint32_t>(i), method);
        }
        return result;
      });
}

}  // namespace

ExportList EapHostInstanceExports() {
  return {
      {"eapHostOpen", Open},
      {"eapHostBeginSession", BeginSession},
      {"eapHostClearConnection", ClearConnection},
      {"eapHostGetIdentity", GetIdentity},
      {"eapHostGetMethods", GetMethods},
  };
}

}  // namespace eaphost
