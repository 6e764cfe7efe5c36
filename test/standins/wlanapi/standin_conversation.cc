#include "standin_conversation.h"

#include <objbase.h>

#include "../../../native/abi/eap_host_peer_abi.h"
#include "../../../native/common/secure_zero.h"
#include "../../../native/common/utf16.h"
#include "../../../native/common/xml_document.h"
#include "../../../native/hosts/authenticator_host.h"
#include "../../../native/hosts/library_os.h"
#include "standin_network.h"

namespace eaphost {
namespace wlan_standin {

namespace {

// Windows' 802.1X service sends at most an MTU's worth: the same bound both ways here.
constexpr eap::DWORD kMaxPacket = 1400;
// Each side answers the other within a handful of rounds for every method shipped; a
// conversation past this is a loop, not an authentication.
constexpr int kMaxRounds = 200;

std::u16string Text(const eap::WCHAR* text) {
  if (text == nullptr) return std::u16string();
  std::size_t length = WideLength(text, 4096);
  return std::u16string(text, text + length);
}

// The EAPHost entry points, from the System32 DLLs Windows' own service would load.
class PeerApi {
 public:
  ~PeerApi() {
    if (runtime_ != nullptr) library_os::CloseLibrary(runtime_);
    if (config_ != nullptr) library_os::CloseLibrary(config_);
  }
  bool Load(ConversationResult* out) {
    eap::DWORD code = 0;
    config_ = library_os::OpenSystemLibrary(L"eappcfg.dll", &code);
    runtime_ = config_ != nullptr ? library_os::OpenSystemLibrary(L"eappprxy.dll", &code) : nullptr;
    if (runtime_ == nullptr) return Failed(code, out);
    bool found = true;
#define STANDIN_FIND(module, name) \
    api.name = reinterpret_cast<eap::PFN_##name>(library_os::FindExport(module, #name)); found = found && api.name != nullptr;
    STANDIN_FIND(config_, EapHostPeerConfigXml2Blob)
    STANDIN_FIND(config_, EapHostPeerCredentialsXml2Blob)
    STANDIN_FIND(config_, EapHostPeerFreeMemory)
    STANDIN_FIND(config_, EapHostPeerFreeErrorMemory)
    STANDIN_FIND(runtime_, EapHostPeerInitialize)
    STANDIN_FIND(runtime_, EapHostPeerUninitialize)
    STANDIN_FIND(runtime_, EapHostPeerBeginSession)
    STANDIN_FIND(runtime_, EapHostPeerProcessReceivedPacket)
    STANDIN_FIND(runtime_, EapHostPeerGetSendPacket)
    STANDIN_FIND(runtime_, EapHostPeerGetResult)
    STANDIN_FIND(runtime_, EapHostPeerEndSession)
    STANDIN_FIND(runtime_, EapHostPeerFreeEapError)
#undef STANDIN_FIND
    return found || Failed(ERROR_PROC_NOT_FOUND, out);
  }
  eap::EapHostPeerApi api;

 private:
  static bool Failed(eap::DWORD code, ConversationResult* out) {
    out->hasEapError = true;
    out->winError = code;
    out->rootCause = u"the stand-in wlanapi.dll could not load EAPHost from System32";
    return false;
  }
  void* config_ = nullptr;
  void* runtime_ = nullptr;
};

// Keeps the peer's EAP_ERROR in the result (the first one given wins) and frees it.
void Keep(eap::EAP_ERROR* error, void(EAP_API* release)(eap::EAP_ERROR*), ConversationResult* out) {
  if (error == nullptr) return;
  if (!out->hasEapError) {
    out->hasEapError = true;
    out->winError = error->dwWinError;
    out->reasonCode = error->dwReasonCode;
    out->type = error->type.eapType.type;
    out->vendorId = error->type.eapType.dwVendorId;
    out->vendorType = error->type.eapType.dwVendorType;
    out->authorId = error->type.dwAuthorId;
    out->rootCause = Text(error->pRootCauseString);
    out->repair = Text(error->pRepairString);
  }
  release(error);
}

// The profile's XML as EAPHost's blobs: the method's configuration, and the user's credentials.
struct Blobs {
  eap::EAP_METHOD_TYPE type{};
  eap::BYTE* config = nullptr;
  eap::DWORD configSize = 0;
  eap::BYTE* user = nullptr;
  eap::DWORD userSize = 0;
};

bool Convert(const eap::EapHostPeerApi& api, const std::wstring& configXml, const std::wstring& userDataXml, Blobs* blobs,
             ConversationResult* out) {
  std::string problem;
  std::string configText = Utf16ToUtf8(std::u16string(configXml.begin(), configXml.end()));
  xml::NodeRef configDocument(xml::MakeDocument(configText, &problem));
  xml::NodeRef config(configDocument.get() != nullptr
                          ? xml::DocumentElement(static_cast<eap::IXMLDOMDocument2*>(configDocument.get()), &problem)
                          : nullptr);
  eap::EAP_ERROR* error = nullptr;
  if (config.get() == nullptr ||
      api.EapHostPeerConfigXml2Blob(0, config.get(), &blobs->configSize, &blobs->config, &blobs->type, &error) != 0) {
    if (error == nullptr) out->rootCause = Utf8ToUtf16(problem);
    Keep(error, api.EapHostPeerFreeErrorMemory, out);
    out->hasEapError = true;
    return false;
  }
  if (userDataXml.empty()) return true;
  std::string userText = Utf16ToUtf8(std::u16string(userDataXml.begin(), userDataXml.end()));
  xml::NodeRef userDocument(xml::MakeDocument(userText, &problem));
  SecureZeroContents(userText);
  xml::NodeRef user(userDocument.get() != nullptr
                        ? xml::DocumentElement(static_cast<eap::IXMLDOMDocument2*>(userDocument.get()), &problem)
                        : nullptr);
  eap::EAP_METHOD_TYPE userType{};
  if (user.get() == nullptr || api.EapHostPeerCredentialsXml2Blob(0, user.get(), blobs->configSize, blobs->config,
                                                                 &blobs->userSize, &blobs->user, &userType, &error) != 0) {
    if (error == nullptr) out->rootCause = Utf8ToUtf16(problem);
    Keep(error, api.EapHostPeerFreeErrorMemory, out);
    out->hasEapError = true;
    return false;
  }
  return true;
}

// Packets from the authenticator to the peer and back until one side ends it.
void Exchange(const eap::EapHostPeerApi& api, eap::EAP_SESSIONID session, const Network& network,
              AuthenticatorHost& authenticator, AuthenticatorStep step, ConversationResult* out) {
  EapErrorInfo error;
  for (int round = 0; round < kMaxRounds; ++round) {
    if (step.kind == AuthenticatorStep::Kind::kRespond &&
        !AnswerFromTable(authenticator, network.users, &step, &error)) {
      return;
    }
    if (step.kind != AuthenticatorStep::Kind::kSend && step.kind != AuthenticatorStep::Kind::kSuccess &&
        step.kind != AuthenticatorStep::Kind::kFailure) {
      return;  // the authenticator discarded the peer's response: nothing further would come
    }
    const Bytes& request = step.requestLent ? authenticator.OutstandingRequest() : step.packet;
    out->eapFailureReceived = step.kind == AuthenticatorStep::Kind::kFailure;
    eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
    eap::EAP_ERROR* peerError = nullptr;
    eap::DWORD rc = api.EapHostPeerProcessReceivedPacket(session, static_cast<eap::DWORD>(request.size()), request.data(),
                                                         &action, &peerError);
    Keep(peerError, api.EapHostPeerFreeEapError, out);
    if (rc != 0) {
      if (!out->hasEapError) out->hasEapError = true, out->winError = rc;
      return;
    }
    if (action == eap::EapHostPeerResponseResult) {
      eap::EapHostPeerMethodResult result{};
      rc = api.EapHostPeerGetResult(session, eap::EapHostPeerMethodResultFromMethod, &result, &peerError);
      Keep(peerError, api.EapHostPeerFreeEapError, out);
      Keep(result.pEapError, api.EapHostPeerFreeEapError, out);
      out->success = rc == 0 && result.fIsSuccess != 0 && step.kind == AuthenticatorStep::Kind::kSuccess;
      if (rc == 0 && !result.fIsSuccess && !out->hasEapError && result.dwFailureReasonCode != 0) {
        out->hasEapError = true;
        out->winError = result.dwFailureReasonCode;
      }
      return;
    }
    if (action != eap::EapHostPeerResponseSend || step.kind != AuthenticatorStep::Kind::kSend) return;
    eap::DWORD size = 0;
    eap::BYTE* response = nullptr;
    rc = api.EapHostPeerGetSendPacket(session, &size, &response, &peerError);
    Keep(peerError, api.EapHostPeerFreeEapError, out);
    if (rc != 0 || response == nullptr) return;
    if (!authenticator.Receive(response, size, &step, &error)) return;
  }
}

}  // namespace

ConversationResult RunConversation(const std::wstring& configXml, const std::wstring& userDataXml) {
  ConversationResult out;
  std::shared_ptr<const Network> current = TheNetwork();
  if (current == nullptr) {
    out.hasEapError = true;
    out.winError = ERROR_NOT_FOUND;
    out.rootCause = u"the stand-in's network went away (EAPHOST_WLAN_STANDIN unset) before the attempt ran";
    return out;
  }
  const Network& network = *current;
  HRESULT com = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
  {
    PeerApi peer;
    Blobs blobs;
    if (peer.Load(&out) && Convert(peer.api, configXml, userDataXml, &blobs, &out)) {
      const eap::EapHostPeerApi& api = peer.api;
      EapErrorInfo error;
      auto method = AuthenticatorMethod::Open(network.methodPath, network.methodType, &error);
      eap::EAP_ERROR* peerError = nullptr;
      eap::EAP_SESSIONID session = 0;
      GUID connection{};
      CoCreateGuid(&connection);
      if (method == nullptr) {
        out.hasEapError = true;
        out.winError = error.win32Error;
        out.rootCause = error.rootCauseString;
      } else if (api.EapHostPeerInitialize() == 0) {
        if (api.EapHostPeerBeginSession(eap::EAP_FLAG_NON_INTERACTIVE, blobs.type, nullptr, nullptr, blobs.configSize,
                                        blobs.config, blobs.userSize, blobs.user, kMaxPacket, &connection, nullptr,
                                        nullptr, &session, &peerError) == 0) {
          AuthenticatorConfig config;
          config.methods.push_back(method);
          config.connectionData.push_back(network.connectionData);
          config.maxSendPacketSize = kMaxPacket;
          AuthenticatorHost authenticator(std::move(config));
          AuthenticatorStep step;
          if (authenticator.Begin(Bytes(), &step, &error)) Exchange(api, session, network, authenticator, step, &out);
          authenticator.End(&error);
          api.EapHostPeerEndSession(session, &peerError);
        }
        Keep(peerError, api.EapHostPeerFreeEapError, &out);
        api.EapHostPeerUninitialize();
      }
      if (blobs.user != nullptr) {
        SecureZero(blobs.user, blobs.userSize);
        api.EapHostPeerFreeMemory(blobs.user);
      }
      if (blobs.config != nullptr) api.EapHostPeerFreeMemory(blobs.config);
    }
  }
  if (SUCCEEDED(com)) CoUninitialize();
  return out;
}

}  // namespace wlan_standin
}  // namespace eaphost
