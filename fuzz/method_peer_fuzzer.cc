// The peer side of each shipped method, driven through the Windows method ABI by the method
// host (EapPeerGetInfo … EapPeerEndSession) with request packets from the input, acting on
// every action the method returns as EAPHost would.
#include <map>
#include <memory>

#include "../native/hosts/peer_method_host.h"
#include "fuzz_support.h"

using namespace eaphost;
using eaphost_fuzz::Input;

namespace {

struct Opened {
  std::shared_ptr<PeerMethod> method;
  Bytes userBlob;
  Bytes connectionData;
};

// One initialized method per type for the whole run: EapPeerInitialize/Shutdown per input
// would cost more than the packets themselves.
Opened* OpenedFor(std::uint8_t eapType) {
  static std::map<std::uint8_t, std::unique_ptr<Opened>> opened;
  auto found = opened.find(eapType);
  if (found != opened.end()) return found->second.get();
  auto entry = std::make_unique<Opened>();
  EapErrorInfo error;
  entry->method = PeerMethod::Open(eaphost_fuzz::MethodModulePath(), eaphost_fuzz::MethodType(eapType), &error);
  if (entry->method) {
    if (!eaphost_fuzz::QueryUserBlob<CredentialField>(*entry->method, &entry->userBlob, &error)) {
      entry->method.reset();
    } else {
      entry->connectionData = eaphost_fuzz::ConnectionDataFor(true, [&](const Bytes& connectionData) {
        PeerMethodSession probe(entry->method);
        EapErrorInfo probeError;
        bool begun = probe.BeginSession(0, Attributes(), connectionData, entry->userBlob, 1400, &probeError);
        if (begun) probe.EndSession(&probeError);
        return begun;
      });
    }
  }
  return opened.emplace(eapType, std::move(entry)).first->second.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input input = eaphost_fuzz::Split(data, size);
  Opened* opened = OpenedFor(input.eapType);
  if (input.eapType == 0) return 0;  // shorter than the type and control bytes
  if (!opened->method) return 0;  // this type is not served by the module (yet)

  PeerMethodSession session(opened->method);
  EapErrorInfo error;
  if (!session.BeginSession(0, Attributes(), opened->connectionData, opened->userBlob, 1400, &error)) return 0;
  std::uint8_t id = 0;
  for (Bytes& packet : input.packets) {
    eaphost_fuzz::Repair(input, ++id, &packet);
    PeerMethodOutput output{};
    if (!session.ProcessRequestPacket(&packet, &output, &error)) continue;
    switch (output.action) {
      case eap::EapPeerMethodResponseActionSend: {
        Bytes response;
        session.GetResponsePacket(&response, &error);
        break;
      }
      case eap::EapPeerMethodResponseActionRespond: {
        Attributes attributes;
        if (session.GetResponseAttributes(&attributes, &error)) {
          PeerMethodOutput next{};
          session.SetResponseAttributes(attributes, &next, &error);
        }
        break;
      }
      case eap::EapPeerMethodResponseActionInvokeUI: {
        Bytes context;
        if (session.GetUIContext(&context, &error)) {
          PeerMethodOutput next{};
          session.SetUIContext(context, &next, &error);
        }
        break;
      }
      case eap::EapPeerMethodResponseActionResult: {
        PeerMethodResult result;
        session.GetResult(eap::EapPeerMethodResultSuccess, &result, &error);
        break;
      }
      default:
        break;
    }
  }
  session.EndSession(&error);
  return 0;
}
