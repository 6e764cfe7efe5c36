// A test-only export that breaks the EAPHost contract on purpose, one rule per scenario, so a
// test can show the strict stand-in (the portable EAPHost) catching each violation. It is in
// the export table only when EAPHOST_CONTRACT_PROBE=1 is set as the addon loads; nothing in
// lib/ calls it. Only this repository's test builds compile it (EAPHOST_BUILD_CONTRACT_PROBE:
// CMakeLists.txt and binding.gyp, in a checkout); prebuilds and the npm package's source build
// leave it out. Each scenario runs on the host thread against the opened EAPHost's table.
#include <cstdlib>
#include <cstring>
#include <string>

#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../generated/result_shape_probe.h"
#include "../eaphost/eaphost_call.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

constexpr eap::GUID kProbeConnection = {0x6a1c0e57, 0x2b7d, 0x4f1e, {0x9d, 0x31, 0x5e, 0x07, 0xa4, 0x44, 0x10, 0x2c}};

// A callback context that knows when it has been freed (poisoned), as a freed sink would be.
struct ProbeSink {
  std::uint32_t magic = 0x5e551011;
};

void EAP_CALLBACK ProbeNotification(eap::GUID, void* context) {
  auto* sink = static_cast<ProbeSink*>(context);
  if (sink->magic != 0x5e551011) {
    std::fprintf(stderr, "contract probe: a NotificationHandler callback reached a freed sink\n");
    std::fflush(stderr);
    std::abort();
  }
}

eap::EAP_METHOD_TYPE Md5() {
  eap::EAP_METHOD_TYPE type{};
  type.eapType.type = 4;
  type.dwAuthorId = 32473;
  return type;
}

// The MD5 user blob for a made-up user, from the configuration API.
Bytes UserBlob(const eap::EapHostPeerApi& api) {
  eap::WCHAR user[] = {'p', 'r', 'o', 'b', 'e', 0}, password[] = {'p', 'w', 0};
  eap::EAP_CONFIG_INPUT_FIELD_DATA fields[2] = {};
  fields[0].dwSize = fields[1].dwSize = sizeof fields[0];
  fields[0].Type = eap::EapConfigInputUsername;
  fields[0].pwszData = user;
  fields[1].Type = eap::EapConfigInputPassword;
  fields[1].pwszData = password;
  eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
  array.dwVersion = eap::EAP_CREDENTIAL_VERSION;
  array.dwNumberOfFields = 2;
  array.pFields = fields;
  eap::DWORD size = 0;
  eap::BYTE* blob = nullptr;
  eap::EAP_ERROR* error = nullptr;
  api.EapHostPeerQueryUserBlobFromCredentialInputFields(nullptr, Md5(), 0, 0, nullptr, &array, &size, &blob, &error);
  if (error != nullptr) api.EapHostPeerFreeErrorMemory(error);
  Bytes out = blob != nullptr ? Bytes(blob, blob + size) : Bytes();
  if (blob != nullptr) api.EapHostPeerFreeMemory(blob);
  return out;
}

// An MD5 session on the probe's connection, registered with `sink`.
eap::EAP_SESSIONID Begin(const eap::EapHostPeerApi& api, ProbeSink* sink) {
  eap::GUID connection = kProbeConnection;
  eap::EAP_SESSIONID id = 0;
  eap::EAP_ERROR* error = nullptr;
  Bytes user = UserBlob(api);
  api.EapHostPeerBeginSession(0, Md5(), nullptr, nullptr, 0, nullptr, static_cast<eap::DWORD>(user.size()),
                              user.empty() ? nullptr : user.data(), 1400, &connection, ProbeNotification, sink, &id,
                              &error);
  if (error != nullptr) api.EapHostPeerFreeEapError(error);
  return id;
}

// A Send: the peer's answer to an Identity request.
eap::BYTE* SendPacket(const eap::EapHostPeerApi& api, eap::EAP_SESSIONID id) {
  const eap::BYTE request[] = {1, 1, 0, 5, 1};
  eap::EapHostPeerResponseAction action{};
  eap::EAP_ERROR* error = nullptr;
  api.EapHostPeerProcessReceivedPacket(id, sizeof request, request, &action, &error);
  if (error != nullptr) api.EapHostPeerFreeEapError(error);
  eap::DWORD size = 0;
  eap::BYTE* packet = nullptr;
  api.EapHostPeerGetSendPacket(id, &size, &packet, &error);
  if (error != nullptr) api.EapHostPeerFreeEapError(error);
  return packet;
}

void EndAndClear(const eap::EapHostPeerApi& api, eap::EAP_SESSIONID id) {
  eap::EAP_ERROR* error = nullptr;
  api.EapHostPeerEndSession(id, &error);
  if (error != nullptr) api.EapHostPeerFreeEapError(error);
  eap::GUID connection = kProbeConnection;
  api.EapHostPeerClearConnection(&connection, &error);
  if (error != nullptr) api.EapHostPeerFreeEapError(error);
}

// The session's result after an EAP-Failure answering its Identity response: a local failure
// whose EapHostPeerMethodResult carries an EAP_ERROR (pEapError).
eap::EapHostPeerMethodResult FailedResult(const eap::EapHostPeerApi& api, eap::EAP_SESSIONID id) {
  SendPacket(api, id);
  const eap::BYTE failure[] = {4, 1, 0, 4};
  eap::EapHostPeerResponseAction action{};
  eap::EAP_ERROR* error = nullptr;
  api.EapHostPeerProcessReceivedPacket(id, sizeof failure, failure, &action, &error);
  if (error != nullptr) api.EapHostPeerFreeEapError(error);
  eap::EapHostPeerMethodResult result{};
  api.EapHostPeerGetResult(id, eap::EapHostPeerMethodResultFromMethod, &result, &error);
  if (error != nullptr) api.EapHostPeerFreeEapError(error);
  return result;
}

// An EAP_ERROR from a runtime call (EndSession of a session that does not exist).
eap::EAP_ERROR* RuntimeError(const eap::EapHostPeerApi& api) {
  eap::EAP_ERROR* error = nullptr;
  api.EapHostPeerEndSession(0x7fffffff, &error);
  return error;
}

bool RunScenario(const eap::EapHostPeerApi& api, const std::string& scenario, std::string* problem) {
  static ProbeSink sink;  // outlives every registration the probe makes, except where freed on purpose
  if (scenario == "correct") {  // the control: every rule kept, nothing reported
    eap::EAP_SESSIONID id = Begin(api, &sink);
    SendPacket(api, id);  // EAPHost's: copied by a real caller, never freed
    EndAndClear(api, id);
    id = Begin(api, &sink);
    eap::EapHostPeerMethodResult result = FailedResult(api, id);
    if (result.pEapError == nullptr) {
      *problem = "the stand-in returned no pEapError in the result of a failed session";
      return false;
    }
    api.EapHostPeerFreeEapError(result.pEapError);  // the caller's, by the result's page
    EndAndClear(api, id);
    api.EapHostPeerFreeEapError(RuntimeError(api));
    eap::EAP_METHOD_INFO_ARRAY methods{};
    eap::EAP_ERROR* error = nullptr;
    api.EapHostPeerGetMethods(&methods, &error);
    for (eap::DWORD i = 0; i < methods.dwNumberOfMethods; ++i) {
      api.EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(methods.pEapMethods[i].pwszAuthorName));
      api.EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(methods.pEapMethods[i].pwszFriendlyName));
    }
    api.EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(methods.pEapMethods));
    return true;
  }
  if (scenario == "double-free") {
    eap::EAP_ERROR* error = RuntimeError(api);
    api.EapHostPeerFreeEapError(error);
    api.EapHostPeerFreeEapError(error);
    return true;
  }
  if (scenario == "wrong-error-free") {
    api.EapHostPeerFreeErrorMemory(RuntimeError(api));
    return true;
  }
  if (scenario == "wrong-buffer-free") {
    eap::EAP_METHOD_INFO_ARRAY methods{};
    eap::EAP_ERROR* error = nullptr;
    api.EapHostPeerGetMethods(&methods, &error);
    api.EapHostPeerFreeRuntimeMemory(reinterpret_cast<eap::BYTE*>(methods.pEapMethods[0].pwszAuthorName));
    return true;
  }
  if (scenario == "inner-pointers-first") {
    eap::EAP_METHOD_INFO_ARRAY methods{};
    eap::EAP_ERROR* error = nullptr;
    api.EapHostPeerGetMethods(&methods, &error);
    api.EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(methods.pEapMethods));
    return true;
  }
  if (scenario == "free-session-buffer") {
    eap::EAP_SESSIONID id = Begin(api, &sink);
    api.EapHostPeerFreeRuntimeMemory(SendPacket(api, id));
    return true;
  }
  if (scenario == "error-outstanding-at-end") {
    eap::EAP_SESSIONID id = Begin(api, &sink);
    eap::EAP_ERROR* error = nullptr;
    eap::DWORD size = 0;
    eap::BYTE* packet = nullptr;
    api.EapHostPeerGetSendPacket(id, &size, &packet, &error);  // nothing to send yet
    if (error == nullptr) {
      *problem = "the stand-in returned no EAP_ERROR for GetSendPacket with nothing to send";
      return false;
    }
    EndAndClear(api, id);  // the error is never freed
    return true;
  }
  if (scenario == "result-error-outstanding") {
    eap::EAP_SESSIONID id = Begin(api, &sink);
    if (FailedResult(api, id).pEapError == nullptr) {
      *problem = "the stand-in returned no pEapError in the result of a failed session";
      return false;
    }
    EndAndClear(api, id);  // the result's EAP_ERROR is never freed
    return true;
  }
  if (scenario == "never-cleared") {
    eap::EAP_SESSIONID id = Begin(api, &sink);
    eap::EAP_ERROR* error = nullptr;
    api.EapHostPeerEndSession(id, &error);
    if (error != nullptr) api.EapHostPeerFreeEapError(error);
    api.EapHostPeerUninitialize();  // ends every session of the process, registrations too
    return true;
  }
  if (scenario == "sink-freed-at-end") {
    auto* freed = new ProbeSink();
    eap::EAP_SESSIONID id = Begin(api, freed);
    freed->magic = 0;  // what `delete` leaves behind, kept readable so the probe can tell
    eap::EAP_ERROR* error = nullptr;
    api.EapHostPeerEndSession(id, &error);  // still registered: EAPHost may call back now
    if (error != nullptr) api.EapHostPeerFreeEapError(error);
    return true;
  }
  if (scenario == "wrong-version") {
    eap::EAP_INTERACTIVE_UI_DATA data{};
    eap::EAP_ERROR* error = nullptr;
    void* reserved = nullptr;
    api.EapHostPeerQueryInteractiveUIInputFields(0, 0, 0, nullptr, &data, &error, &reserved);
    return true;
  }
  *problem = "unknown scenario " + scenario;
  return false;
}

}  // namespace

// eapHostContractProbe({ host, scenario })
Napi::Value seam::EapHostContractProbe(const Napi::CallbackInfo& info, Napi::Object object) {
  EapHostContractProbeArgs args = ReadEapHostContractProbeArgs(object);
  return CallOn<EapHostInstance, bool>(
      info.Env(), args.host, "contractProbe",
      [scenario = std::move(args.scenario)](EapHostCall& host, bool*, EapErrorInfo* error) {
        std::string problem;
        if (RunScenario(host.api(), scenario, &problem)) return true;
        *error = HostError(eap::kErrorInvalidParameter, "contractProbe", problem);
        return false;
      },
      SettleNothing);
}

// resultShapeProbe({ shape, round }): the result shape `shape` (seam/seam.js) with every
// slot set by name (ProbeResultShape), for the test that reads each field back under its name.
Napi::Value seam::ResultShapeProbe(const Napi::CallbackInfo& info, Napi::Object object) {
  ResultShapeProbeArgs args = ReadResultShapeProbeArgs(object);
  if (args.round > 30) throw Napi::TypeError::New(info.Env(), "round must be at most 30");
  return ProbeResultShape(info.Env(), args.shape, args.round);
}

Napi::Value ProbeBytes(Napi::Env env, const char* path) {
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(path), std::strlen(path));
}

Napi::Value ProbeList(Napi::Env env, Napi::Value element) {
  Napi::Array list = Napi::Array::New(env, 1);
  list.Set(0u, element);
  return list;
}

EapErrorInfo ProbeError(uint32_t number, const char* path) {
  EapErrorInfo error;
  error.win32Error = number;
  error.call = path;
  return error;
}

ProbeSpace ProbeSlab(Napi::Env env, size_t total, napi_value* buffer) {
  if (total == 0) return {nullptr, 0};
  SlabSpace space = ReserveSlab(env, total);
  *buffer = space.packed.buffer;
  return {space.data, space.packed.at};
}

size_t PutProbeEntry(ProbeSpace* space, uint32_t key, const char* path) {
  size_t at = space->at;
  size_t size = std::strlen(path);
  PutEntry(space->data, key, reinterpret_cast<const uint8_t*>(path), size);
  space->at += 8 + size;
  return at;
}

}  // namespace eaphost
