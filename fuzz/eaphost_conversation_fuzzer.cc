// The portable EAPHost (EapHostPeer*), loaded as the addon loads it, fed several packets per
// session: each input is one session whose received packets come from the input, and every
// action EAPHost returns is acted on as Microsoft's sample supplicant does.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "../native/hosts/peer_method_host.h"
#include "fuzz_support.h"

using namespace eaphost;
using eaphost_fuzz::Input;

namespace {

struct Api {
#define EAPHOST_FUZZ_SLOT(name) eap::PFN_##name name = nullptr;
  EAP_HOST_PEER_RUNTIME_FUNCTIONS(EAPHOST_FUZZ_SLOT)
#undef EAPHOST_FUZZ_SLOT
};

const Api& TheApi() {
  static const Api api = [] {
    // The manifest names the instrumented method module, with an absolute path.
    // In the system's temporary directory (TMPDIR when set), made private by mkstemp.
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir != nullptr && *dir != '\0' ? dir : P_tmpdir) +
                          "/eaphost-fuzz-manifest-XXXXXX";
    std::vector<char> manifest(pattern.begin(), pattern.end());
    manifest.push_back('\0');
    int fd = mkstemp(manifest.data());
    if (fd < 0) std::abort();
    std::string text = "{\"methods\":[";
    const std::vector<std::uint8_t>& types = eaphost_fuzz::ServedTypes();
    for (std::size_t i = 0; i < types.size(); ++i) {
      text += std::string(i ? "," : "") + "{\"type\":" + std::to_string(types[i]) +
              ",\"vendorId\":0,\"vendorType\":0,\"authorId\":" + std::to_string(eaphost_fuzz::kAuthorId) +
              ",\"friendlyName\":\"fuzz\",\"authorName\":\"fuzz\",\"properties\":0,\"peerDllPath\":\"" +
              eaphost_fuzz::MethodModulePath() + "\",\"authenticatorDllPath\":\"" + eaphost_fuzz::MethodModulePath() +
              "\"}";
    }
    text += "]}";
    if (write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) std::abort();
    close(fd);
    setenv("EAPHOST_METHODS_MANIFEST", manifest.data(), 1);

    const char* overridden = std::getenv("EAPHOST_FUZZ_PORTABLE_EAPHOST");
    void* library = dlopen(overridden != nullptr ? overridden : EAPHOST_FUZZ_PORTABLE_EAPHOST, RTLD_NOW | RTLD_NODELETE);
    if (library == nullptr) {
      std::fprintf(stderr, "cannot load the portable EAPHost: %s\n", dlerror());
      std::abort();
    }
    Api out;
#define EAPHOST_FUZZ_RESOLVE(name) \
  out.name = reinterpret_cast<eap::PFN_##name>(dlsym(library, #name)); \
  if (out.name == nullptr) std::abort();
    EAP_HOST_PEER_RUNTIME_FUNCTIONS(EAPHOST_FUZZ_RESOLVE)
#undef EAPHOST_FUZZ_RESOLVE
    if (out.EapHostPeerInitialize() != 0) std::abort();
    return out;
  }();
  return api;
}

const Bytes& UserBlob(std::uint8_t eapType) {
  static std::map<std::uint8_t, Bytes> blobs;
  auto found = blobs.find(eapType);
  if (found != blobs.end()) return found->second;
  Bytes blob;
  EapErrorInfo error;
  auto method = PeerMethod::Open(eaphost_fuzz::MethodModulePath(), eaphost_fuzz::MethodType(eapType), &error);
  if (method) eaphost_fuzz::QueryUserBlob<CredentialField>(*method, &blob, &error);
  return blobs.emplace(eapType, blob).first->second;
}

void Free(const Api& api, eap::EAP_ERROR** error) {
  if (*error != nullptr) api.EapHostPeerFreeEapError(*error);
  *error = nullptr;
}

// The connection data each type begins with (fuzz_support.h), decided by the method itself
// through the method host: the portable EAPHost may begin the method only when it is selected.
const Bytes& ConnectionData(std::uint8_t eapType, const Bytes& userBlob) {
  static std::map<std::uint8_t, Bytes> chosen;
  auto found = chosen.find(eapType);
  if (found != chosen.end()) return found->second;
  EapErrorInfo error;
  auto method = PeerMethod::Open(eaphost_fuzz::MethodModulePath(), eaphost_fuzz::MethodType(eapType), &error);
  Bytes data;
  if (method) {
    data = eaphost_fuzz::ConnectionDataFor(true, [&](const Bytes& connectionData) {
      PeerMethodSession probe(method);
      EapErrorInfo probeError;
      bool begun = probe.BeginSession(0, Attributes(), connectionData, userBlob, 1400, &probeError);
      if (begun) probe.EndSession(&probeError);
      return begun;
    });
  }
  return chosen.emplace(eapType, std::move(data)).first->second;
}

void TakeResult(const Api& api, eap::EAP_SESSIONID id, eap::EapHostPeerMethodResultReason reason) {
  eap::EapHostPeerMethodResult result{};
  eap::EAP_ERROR* error = nullptr;
  // The result's buffers are EAPHost's until EndSession; its pEapError is the caller's, freed
  // with EapHostPeerFreeEapError as the EapHostPeerMethodResult page says (docs/WINDOWS-CONTRACT.md).
  api.EapHostPeerGetResult(id, reason, &result, &error);
  Free(api, &error);
  Free(api, &result.pEapError);
}

// Acts on one action; returns the next action when acting produced one.
eap::EapHostPeerResponseAction Act(const Api& api, eap::EAP_SESSIONID id, eap::EapHostPeerResponseAction action) {
  eap::EAP_ERROR* error = nullptr;
  eap::EapHostPeerResponseAction next = eap::EapHostPeerResponseNone;
  switch (action) {
    case eap::EapHostPeerResponseSend: {
      eap::DWORD size = 0;
      eap::BYTE* packet = nullptr;
      api.EapHostPeerGetSendPacket(id, &size, &packet, &error);  // EAPHost's until EndSession
      break;
    }
    case eap::EapHostPeerResponseRespond: {
      // As the sample supplicant: read the attributes, then always set them.
      eap::EapAttributes attributes{};
      if (api.EapHostPeerGetResponseAttributes(id, &attributes, &error) == 0) {
        api.EapHostPeerSetResponseAttributes(id, &attributes, &next, &error);
      }
      Free(api, &error);
      break;
    }
    case eap::EapHostPeerResponseInvokeUi: {
      eap::DWORD size = 0;
      eap::BYTE* context = nullptr;
      if (api.EapHostPeerGetUIContext(id, &size, &context, &error) == 0) {
        api.EapHostPeerSetUIContext(id, size, context, &next, &error);
      }
      Free(api, &error);
      break;
    }
    case eap::EapHostPeerResponseResult:
      TakeResult(api, id, eap::EapHostPeerMethodResultFromMethod);
      break;
    default:
      break;
  }
  Free(api, &error);
  return next;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Api& api = TheApi();
  Input input = eaphost_fuzz::Split(data, size);
  if (input.eapType == 0) return 0;  // shorter than the type and control bytes
  std::uint8_t eapType = input.eapType;
  const Bytes& blob = UserBlob(eapType);
  if (blob.empty()) return 0;  // a method with no user blob (none of the module's so far)
  const Bytes& connectionData = ConnectionData(eapType, blob);

  eap::GUID connection{};
  connection.Data1 = 1;
  eap::EAP_SESSIONID id = 0;
  eap::EAP_ERROR* error = nullptr;
  eap::DWORD rc = api.EapHostPeerBeginSession(0, eaphost_fuzz::MethodType(eapType), nullptr, nullptr,
                                              static_cast<eap::DWORD>(connectionData.size()),
                                              connectionData.data(), static_cast<eap::DWORD>(blob.size()), blob.data(), 1400, &connection,
                                              nullptr, nullptr, &id, &error);
  Free(api, &error);
  if (rc != 0) return 0;
  std::uint8_t nextId = 0;
  for (Bytes& packet : input.packets) {
    eaphost_fuzz::Repair(input, ++nextId, &packet);
    eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
    api.EapHostPeerProcessReceivedPacket(id, static_cast<eap::DWORD>(packet.size()), packet.data(), &action, &error);
    Free(api, &error);
    for (int guard = 0; guard < 4 && action != eap::EapHostPeerResponseNone; ++guard) action = Act(api, id, action);
  }
  // The lower layer gave up: a timeout result, then the identity and status queries.
  TakeResult(api, id, eap::EapHostPeerMethodResultTimeout);
  for (auto param : {eap::EapHostPeerAuthStatus, eap::EapHostPeerIdentity}) {
    eap::DWORD length = 0;
    eap::BYTE* out = nullptr;
    api.EapHostPeerGetAuthStatus(id, param, &length, &out, &error);
    Free(api, &error);
  }
  api.EapHostPeerEndSession(id, &error);
  Free(api, &error);
  return 0;
}
