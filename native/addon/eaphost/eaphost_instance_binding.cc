// Bindings for an opened EAPHost (real eappprxy.dll or the portable one, through the same
// function-pointer table): opening it (eapHostOpen), beginning sessions (eapHostBeginSession) and
// the calls that need no session, one export per EapHostPeer* function.
#include <atomic>

#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "../generated/exports.h"
#include "eap_config_convert.h"
#include "../../platform/eaphost_memory.h"
#include "eaphost_call.h"
#include "eaphost_session_begin.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "../methods/method_resources.h"
#include "../runtime/named_args.h"

namespace eaphost {

// eapHostOpen({ backend, libraryPath? })
Napi::Value seam::EapHostOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  EapHostOpenArgs args = ReadEapHostOpenArgs(object);
  if (args.backend != "portable" && args.backend != "system") {
    throw Napi::TypeError::New(env, "backend must be 'portable' or 'system'");
  }
  if (args.backend == "portable" && !args.libraryPath) {
    throw Napi::TypeError::New(env, "libraryPath must be a string");
  }
  AddonState* state = &StateOf(env);
  using Out = std::shared_ptr<EapHostInstance>;
  return RunOnHost<Out>(
      env,
      [state, backend = std::move(args.backend), path = args.libraryPath.value_or(std::string())](Out* out, EapErrorInfo* error) {
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

// With a credential method the user blob is made and the session begun in one host-thread job:
// the password never comes back to JS.
// The host is read once, with the rest of the beginning (a released one is refused naming the call).
Napi::Value seam::EapHostBeginSession(const Napi::CallbackInfo&, Napi::Object object) {
  Napi::Env env = object.Env();
  SessionBegin begin = SessionBeginFrom(object);
  AddonState* state = &StateOf(env);
  return RunOnHost<BegunSession>(
      env,
      [state, begin = std::move(begin)](BegunSession* out, EapErrorInfo* error) mutable {
        auto host = ResourceAccess<EapHostInstance>::Open(*begin.instance, "EapHostPeerBeginSession", error);
        return host && BeginSessionOnHost(*host, state, begin, out, error);
      },
      BegunToJs);
}

Napi::Value seam::EapHostClearConnection(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerClearConnectionArgs args = ReadEapHostPeerClearConnectionArgs(object);
  eap::GUID connectionId{};
  if (!GuidFromString(args.connectionId, &connectionId)) {
    throw Napi::TypeError::New(object.Env(), "connectionId must be a GUID string");
  }
  return CallOn<EapHostInstance, bool>(
      object.Env(), args.host, "EapHostPeerClearConnection",
      [connectionId](EapHostCall& host, bool*, EapErrorInfo* error) {
        return host.instance().ClearConnection(connectionId, error);
      },
      SettleNothing);
}

Napi::Value seam::EapHostGetIdentity(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetIdentityArgs args = ReadEapHostPeerGetIdentityArgs(object);
  return CallOn<EapHostInstance, PeerIdentity>(
      object.Env(), args.host, "EapHostPeerGetIdentity",
      [type = args.methodType, flags = args.flags, connectionData = std::move(args.connectionData),
       userData = std::move(args.userData)](
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

namespace {

struct MethodOut {
  eap::EAP_METHOD_TYPE type;
  std::u16string friendlyName, authorName;
  eap::DWORD properties;
};

}  // namespace

Napi::Value seam::EapHostGetMethods(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerGetMethodsArgs args = ReadEapHostPeerGetMethodsArgs(object);
  return CallOn<EapHostInstance, std::vector<MethodOut>>(
      object.Env(), args.host, "EapHostPeerGetMethods",
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
          const eap::EAP_METHOD_TYPE& type = methods[i].type;
          EapHostMethodInfoShapeWriter method(env);
          method.type(type.eapType.type);
          method.vendorId(type.eapType.dwVendorId);
          method.vendorType(type.eapType.dwVendorType);
          method.authorId(type.dwAuthorId);
          method.friendlyName(methods[i].friendlyName);
          method.authorName(methods[i].authorName);
          method.properties(methods[i].properties);
          result.Set(static_cast<uint32_t>(i), method.Make());
        }
        return result;
      });
}

}  // namespace eaphost
