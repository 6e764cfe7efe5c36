// Bindings for an opened EAPHost (real eappprxy.dll or the portable one, through the same
// function-pointer table): opening it, beginning sessions, and the calls that need no session.
#include <atomic>

#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "bindings.h"
#include "eap_config_convert.h"
#include "eaphost_memory.h"
#include "eaphost_call.h"
#include "js_convert.h"
#include "method_resources.h"

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

// The user blob's makings when beginSession was given identity/password: the shipped peer
// method whose EapPeerQueryUserBlobFromCredentialInputFields makes it. Held on the heap and
// moved only as a pointer, so the password exists in one buffer, wiped when the call is done.
struct Credentials {
  std::shared_ptr<PeerMethodResource> method;
  std::vector<CredentialField> fields;
  ~Credentials() {
    for (auto& field : fields) SecureZeroContents(field.data);
  }
};

// Arguments 11..13 (credentialMethod, identity, password), when a peer method handle is given.
std::shared_ptr<Credentials> CredentialsArgs(const Napi::CallbackInfo& info) {
  if (info[11].IsUndefined()) return nullptr;
  auto out = std::make_shared<Credentials>();
  out->method = UnwrapResource<PeerMethodResource>(info, 11, HeldNames<PeerMethod>::kHandle);
  out->fields.resize(2);
  out->fields[0].type = eap::EapConfigInputUsername;
  ReadSecretText(info.Env(), info[12], "identity", &out->fields[0].data);
  out->fields[1].type = eap::EapConfigInputPassword;
  ReadSecretText(info.Env(), info[13], "password", &out->fields[1].data);
  return out;
}

// eapHostBeginSession(instance, type, vendorId, vendorType, authorId, flags, maxSendPacketSize,
// attributes, connectionData, userData, connectionId, credentialMethod?, identity?, password?):
// positional, as every session begins here and each property read of an options object costs
// a lookup. With a credential method the user blob is made and the session begun in one
// host-thread job: the password never comes back to JS.
Napi::Value BeginSession(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto instance = UnwrapResource<EapHostInstance>(info, 0, ResourceAccess<EapHostInstance>::kHandle);
  eap::EAP_METHOD_TYPE type = MethodTypeArgs(info, 1);
  PeerSessionOptions begin;
  begin.flags = DwordArg(info, 5, "flags");
  begin.maxSendPacketSize = DwordArg(info, 6, "maxSendPacketSize");
  begin.attributes = AttributesArg(info, 7, "attributes");
  begin.connectionData = BytesArg(info, 8, "connectionData");
  begin.userData = BytesArg(info, 9, "userData");
  eap::GUID connectionId{};
  if (info[10].IsString() && !GuidFromString(info[10].As<Napi::String>().Utf8Value(), &connectionId)) {
    throw Napi::TypeError::New(env, "connectionId must be a GUID string");
  }
  std::shared_ptr<Credentials> credentials = CredentialsArgs(info);
  uint32_t token = nextNotificationToken++;
  AddonState* state = &StateOf(env);
  struct Out {
    std::shared_ptr<EapHostSessionResource> session;
    uint32_t token;
  };
  // Moved, never copied: the user blob and the credentials carry the password.
  return CallOn<EapHostInstance, Out>(
      info, "EapHostPeerBeginSession",
      [=, begin = std::move(begin), credentials = std::move(credentials)](
          EapHostCall& host, Out* out, EapErrorInfo* error) mutable {
        struct Wipe {
          Bytes& blob;
          ~Wipe() { SecureZeroContents(blob); }
        } wipe{begin.userData};
        if (credentials) {
          const char* call = "EapPeerQueryUserBlobFromCredentialInputFields";
          PeerMethod* method = credentials->method->Get(call, "peer method", error);
          bool made = method != nullptr &&
                      method->QueryUserBlobFromCredentialInputFields(0, Bytes(), credentials->fields,
                                                                     &begin.userData, error);
          credentials.reset();
          if (!made) return false;
        }
        AttributeArray array(begin.attributes);
        eap::EAP_SESSIONID id = 0;
        NotificationSink* sink = host.instance().RegisterConnection(connectionId, state, token);
        // Machine authentication (a service as SYSTEM) is the machine's, not a user's: no token.
        auto userToken = ImpersonationToken::ForFlags(begin.flags);
        eap::DWORD result = host.api().EapHostPeerBeginSession(
            begin.flags, type, array.get(), userToken->handle(), static_cast<eap::DWORD>(begin.connectionData.size()),
            begin.connectionData.empty() ? nullptr : begin.connectionData.data(),
            static_cast<eap::DWORD>(begin.userData.size()), begin.userData.empty() ? nullptr : begin.userData.data(),
            begin.maxSendPacketSize, &connectionId, OnNotification, sink, &id, host.error());
        SecureZeroContents(begin.connectionData);  // a TLS peer's connection data may hold its private key
        if (!host.Check(result, error)) {
          EapErrorInfo ignored;  // the begin's error is the one to report
          host.instance().ReleaseConnection(connectionId, &ignored);
          return false;
        }
        out->session = std::make_shared<EapHostSessionResource>(instance, id, connectionId, std::move(userToken));
        out->token = token;
        Track(state, out->session);
        return true;
      },
      [](Napi::Env jsEnv, Out& out) {
        return MakeShaped(jsEnv, ResultShape::kSession,
                          {WrapResource(jsEnv, out.session), Napi::Number::New(jsEnv, out.session->id()),
                           Napi::Number::New(jsEnv, out.token)});
      });
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
