// The method side of EAPHost's configuration API: XML to blobs and back, the method's
// properties, and the interactive-UI routines. The module's methods are configured with XML
// and given their credentials up front, so they never ask for UI: the UI routines refuse with
// ERROR_NOT_SUPPORTED and say what to do instead.
#include <cstring>
#include <type_traits>

#include "../abi/eap_method_abi.h"
#include "../common/xml_document.h"
#include "../common/xml_tree.h"
#include "../methods/support/config_xml.h"
#include "../methods/support/credential_blob.h"
#include "../methods/support/method_catalog.h"
#include "../methods/support/method_error.h"
#include "../methods/support/method_identity.h"
#include "../methods/support/method_memory.h"
#include "method_adapter.h"
#include "method_properties.h"
#include "../methods/support/wide_text.h"

namespace {
using eaphost::Decimal;
using eaphost::MethodFailure;

using eaphost::ModuleType;

// The EAP type of a method this module implements, or the failure EAPHost reports.
eap::BYTE ServedType(const eap::EAP_METHOD_TYPE& type) {
  std::size_t index = eaphost::FindMethod(type.eapType.type);
  if (index == eaphost::kMethodCount || !eaphost::IsMethodType(type, type.eapType.type)) {
    throw MethodFailure{eap::kErrorNotSupported, eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED,
                        "This module implements EAP " + eaphost::DescribeCatalog() + " under author " +
                            Decimal(eaphost::kEaphostAuthorId) + "; it was asked for type " +
                            Decimal(type.eapType.type) + " under author " + Decimal(type.dwAuthorId),
                        "Register this module only for the types it implements"};
  }
  return type.eapType.type;
}

MethodFailure InvalidParameter(const char* what) {
  return MethodFailure{eap::kErrorInvalidParameter, 0, what, std::string()};
}

// The XML text of the document EAPHost passed, wiped when done (credentials carry passwords).
struct DocumentText {
  std::string text;
  ~DocumentText() {
    for (char& c : text) c = 0;
  }
};

void ReadDocument(eap::IXMLDOMDocument2* document, DocumentText* out) {
  if (document == nullptr) throw InvalidParameter("No XML document was given");
  std::string problem;
  if (!eaphost::xml::ReadNodeXml(document, eaphost::xml::XmlLimits().maxBytes, &out->text, &problem)) {
    throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_XML_MALFORMED, "The XML document: " + problem,
                        std::string()};
  }
}

eap::BYTE* CopyOut(const eaphost::SecretBytes& bytes) {
  if (bytes.size() == 0) return nullptr;
  auto* out = static_cast<eap::BYTE*>(eaphost::AllocateMethodMemory(bytes.size()));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, bytes.data(), bytes.size());
  return out;
}

MethodFailure NoUserInterface(const char* call) {
  return MethodFailure{eap::kErrorNotSupported, eap::EAP_E_EAPHOST_METHOD_OPERATION_NOT_SUPPORTED,
                       std::string(call) + ": this module's methods have no user interface",
                       "Configure the method with XML (ConfigXml2Blob) and give the credentials up front "
                       "(CredentialsXml2Blob or QueryUserBlobFromCredentialInputFields)"};
}

// The UI routines return their refusal rather than throw it: a guarded body that always throws
// leaves GuardAbiCall's `return body();` unreachable once inlined, which MSVC reports at /O2
// (C4702, an error under /WX). The guard still catches the refusal's own allocation failing.
eap::DWORD Refuse(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& type, MethodFailure (*refusal)(const char*),
                  const char* call) {
  return eaphost::RaiseFailure(ppEapError, type, refusal(call), call);
}

MethodFailure NeverAsksForUi(const char* call) {
  return MethodFailure{eap::kErrorNotSupported, eap::EAP_E_EAPHOST_METHOD_OPERATION_NOT_SUPPORTED,
                       std::string(call) + ": this module's methods never ask for interactive UI, so there is no "
                                           "UI context of theirs to answer",
                       "Give the credentials before the session begins"};
}
}  // namespace

EAP_EXPORT eap::DWORD EAP_API EapPeerConfigXml2Blob(eap::DWORD /*dwFlags*/, eap::EAP_METHOD_TYPE eapMethodType,
                                                    eap::IXMLDOMDocument2* pConfigDoc, eap::BYTE** ppConfigOut,
                                                    eap::DWORD* pdwSizeOfConfigOut, eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, eapMethodType, "EapPeerConfigXml2Blob", [&]() -> eap::DWORD {
    if (ppConfigOut == nullptr || pdwSizeOfConfigOut == nullptr) throw InvalidParameter("EapPeerConfigXml2Blob needs ppConfigOut and pdwSizeOfConfigOut");
    *ppConfigOut = nullptr;
    *pdwSizeOfConfigOut = 0;
    eap::BYTE type = ServedType(eapMethodType);
    DocumentText text;
    ReadDocument(pConfigDoc, &text);
    eaphost::SecretBytes blob;
    eaphost::ConfigXmlToBlob(type, text.text, &blob);
    *ppConfigOut = CopyOut(blob);
    *pdwSizeOfConfigOut = static_cast<eap::DWORD>(blob.size());
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerCredentialsXml2Blob(eap::DWORD /*dwFlags*/, eap::EAP_METHOD_TYPE eapMethodType,
                                                         eap::IXMLDOMDocument2* pCredentialsDoc,
                                                         const eap::BYTE* /*pConfigIn*/, eap::DWORD /*dwSizeOfConfigIn*/,
                                                         eap::BYTE** ppCredentialsOut,
                                                         eap::DWORD* pdwSizeOfCredentialsOut,
                                                         eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, eapMethodType, "EapPeerCredentialsXml2Blob", [&]() -> eap::DWORD {
    if (ppCredentialsOut == nullptr || pdwSizeOfCredentialsOut == nullptr) {
      throw InvalidParameter("EapPeerCredentialsXml2Blob needs ppCredentialsOut and pdwSizeOfCredentialsOut");
    }
    *ppCredentialsOut = nullptr;
    *pdwSizeOfCredentialsOut = 0;
    eap::BYTE type = ServedType(eapMethodType);
    DocumentText text;
    ReadDocument(pCredentialsDoc, &text);
    std::string identity;
    eaphost::SecretBytes password;
    eaphost::CredentialsXmlToFields(type, text.text, &identity, &password);
    eaphost::CredentialBlobFromUtf8(identity, password, pdwSizeOfCredentialsOut, ppCredentialsOut);
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerConfigBlob2Xml(eap::DWORD /*dwFlags*/, eap::EAP_METHOD_TYPE eapMethodType,
                                                    const eap::BYTE* pConfigIn, eap::DWORD dwSizeOfConfigIn,
                                                    eap::IXMLDOMDocument2** ppConfigDoc, eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, eapMethodType, "EapPeerConfigBlob2Xml", [&]() -> eap::DWORD {
    if (ppConfigDoc == nullptr) throw InvalidParameter("EapPeerConfigBlob2Xml needs ppConfigDoc");
    *ppConfigDoc = nullptr;
    if (dwSizeOfConfigIn != 0 && pConfigIn == nullptr) throw InvalidParameter("pConfigIn is null but its size is not 0");
    eap::BYTE type = ServedType(eapMethodType);
    DocumentText text;
    text.text = eaphost::ConfigBlobToXml(type, pConfigIn, dwSizeOfConfigIn);
    std::string problem;
    *ppConfigDoc = eaphost::xml::MakeDocument(text.text, &problem);
    if (*ppConfigDoc == nullptr) {
      throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_XML_MALFORMED,
                          "EapPeerConfigBlob2Xml could not make its XML document: " + problem, std::string()};
    }
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerGetMethodProperties(
    eap::DWORD /*dwVersion*/, eap::DWORD /*dwFlags*/, eap::EAP_METHOD_TYPE eapMethodType, eap::HANDLE /*hUserImpersonationToken*/,
    eap::DWORD dwSizeOfConnectionDataIn, const eap::BYTE* pConnectionDataIn, eap::DWORD /*dwSizeOfUserDataIn*/,
    const eap::BYTE* /*pUserDataIn*/, eap::EAP_METHOD_PROPERTY_ARRAY* pMethodPropertyArray, eap::EAP_ERROR** ppEapError) {
  return eaphost::GuardAbiCall(ppEapError, eapMethodType, "EapPeerGetMethodProperties", [&]() -> eap::DWORD {
    if (pMethodPropertyArray == nullptr) throw InvalidParameter("EapPeerGetMethodProperties needs pMethodPropertyArray");
    *pMethodPropertyArray = eap::EAP_METHOD_PROPERTY_ARRAY{};
    if (dwSizeOfConnectionDataIn != 0 && pConnectionDataIn == nullptr) {
      throw InvalidParameter("pConnectionDataIn is null but its size is not 0");
    }
    eap::BYTE type = ServedType(eapMethodType);
    eaphost::FillMethodProperties(type, pConnectionDataIn, dwSizeOfConnectionDataIn, pMethodPropertyArray);
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerQueryInteractiveUIInputFields(
    eap::DWORD /*dwVersion*/, eap::DWORD /*dwFlags*/, eap::DWORD /*dwSizeofUIContextData*/, const eap::BYTE* /*pUIContextData*/,
    eap::EAP_INTERACTIVE_UI_DATA* pEapInteractiveUIData, eap::EAP_ERROR** ppEapError, void** /*ppvReserved*/) {
  const eap::EAP_METHOD_TYPE type = ModuleType();
  return eaphost::GuardAbiCall(ppEapError, type, "EapPeerQueryInteractiveUIInputFields", [&]() -> eap::DWORD {
    if (pEapInteractiveUIData != nullptr) *pEapInteractiveUIData = eap::EAP_INTERACTIVE_UI_DATA{};
    return Refuse(ppEapError, type, NeverAsksForUi, "EapPeerQueryInteractiveUIInputFields");
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerQueryUIBlobFromInteractiveUIInputFields(
    eap::DWORD /*dwVersion*/, eap::DWORD /*dwFlags*/, eap::DWORD /*dwSizeofUIContextData*/, const eap::BYTE* /*pUIContextData*/,
    const eap::EAP_INTERACTIVE_UI_DATA* /*pEapInteractiveUIData*/, eap::DWORD* pdwSizeOfDataFromInteractiveUI,
    eap::BYTE** ppDataFromInteractiveUI, eap::EAP_ERROR** ppEapError, void** /*ppvReserved*/) {
  const eap::EAP_METHOD_TYPE type = ModuleType();
  return eaphost::GuardAbiCall(ppEapError, type, "EapPeerQueryUIBlobFromInteractiveUIInputFields",
                               [&]() -> eap::DWORD {
    if (pdwSizeOfDataFromInteractiveUI != nullptr) *pdwSizeOfDataFromInteractiveUI = 0;
    if (ppDataFromInteractiveUI != nullptr) *ppDataFromInteractiveUI = nullptr;
    return Refuse(ppEapError, type, NeverAsksForUi, "EapPeerQueryUIBlobFromInteractiveUIInputFields");
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerInvokeConfigUI(eap::EAP_METHOD_TYPE* pEapType, eap::HWND /*hwndParent*/,
                                                    eap::DWORD /*dwFlags*/, eap::DWORD /*dwSizeOfConnectionDataIn*/,
                                                    eap::BYTE* /*pConnectionDataIn*/, eap::DWORD* dwSizeOfConnectionDataOut,
                                                    eap::BYTE** ppConnectionDataOut, eap::EAP_ERROR** ppEapError) {
  const eap::EAP_METHOD_TYPE type = pEapType != nullptr ? *pEapType : ModuleType();
  return eaphost::GuardAbiCall(ppEapError, type, "EapPeerInvokeConfigUI",
                               [&]() -> eap::DWORD {
    if (dwSizeOfConnectionDataOut != nullptr) *dwSizeOfConnectionDataOut = 0;
    if (ppConnectionDataOut != nullptr) *ppConnectionDataOut = nullptr;
    return Refuse(ppEapError, type, NoUserInterface, "EapPeerInvokeConfigUI");
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerInvokeInteractiveUI(eap::EAP_METHOD_TYPE* pEapType, eap::HWND /*hwndParent*/,
                                                         eap::DWORD /*dwSizeofUIContextData*/, eap::BYTE* /*pUIContextData*/,
                                                         eap::DWORD* pdwSizeOfDataFromInteractiveUI,
                                                         eap::BYTE** ppDataFromInteractiveUI,
                                                         eap::EAP_ERROR** ppEapError) {
  const eap::EAP_METHOD_TYPE type = pEapType != nullptr ? *pEapType : ModuleType();
  return eaphost::GuardAbiCall(ppEapError, type,
                               "EapPeerInvokeInteractiveUI", [&]() -> eap::DWORD {
    if (pdwSizeOfDataFromInteractiveUI != nullptr) *pdwSizeOfDataFromInteractiveUI = 0;
    if (ppDataFromInteractiveUI != nullptr) *ppDataFromInteractiveUI = nullptr;
    return Refuse(ppEapError, type, NoUserInterface, "EapPeerInvokeInteractiveUI");
  });
}

EAP_EXPORT eap::DWORD EAP_API EapPeerInvokeIdentityUI(eap::EAP_METHOD_TYPE* pEapType, eap::DWORD /*dwFlags*/,
                                                      eap::HWND /*hwndParent*/, eap::DWORD /*dwSizeOfConnectionData*/,
                                                      const eap::BYTE* /*pConnectionData*/, eap::DWORD /*dwSizeOfUserData*/,
                                                      const eap::BYTE* /*pUserData*/, eap::DWORD* pdwSizeOfUserDataOut,
                                                      eap::BYTE** ppUserDataOut, eap::LPWSTR* ppwszIdentity,
                                                      eap::EAP_ERROR** ppEapError) {
  const eap::EAP_METHOD_TYPE type = pEapType != nullptr ? *pEapType : ModuleType();
  return eaphost::GuardAbiCall(ppEapError, type, "EapPeerInvokeIdentityUI",
                               [&]() -> eap::DWORD {
    if (pdwSizeOfUserDataOut != nullptr) *pdwSizeOfUserDataOut = 0;
    if (ppUserDataOut != nullptr) *ppUserDataOut = nullptr;
    if (ppwszIdentity != nullptr) *ppwszIdentity = nullptr;
    return Refuse(ppEapError, type, NoUserInterface, "EapPeerInvokeIdentityUI");
  });
}

#define EAP_SAME_EXPORT_TYPE(name) \
  static_assert(std::is_same<decltype(&name), eap::PFN_##name>::value, #name " differs from its PFN_ type");
EAP_SAME_EXPORT_TYPE(EapPeerConfigXml2Blob)
EAP_SAME_EXPORT_TYPE(EapPeerCredentialsXml2Blob)
EAP_SAME_EXPORT_TYPE(EapPeerConfigBlob2Xml)
EAP_SAME_EXPORT_TYPE(EapPeerGetMethodProperties)
EAP_SAME_EXPORT_TYPE(EapPeerQueryInteractiveUIInputFields)
EAP_SAME_EXPORT_TYPE(EapPeerQueryUIBlobFromInteractiveUIInputFields)
EAP_SAME_EXPORT_TYPE(EapPeerInvokeConfigUI)
EAP_SAME_EXPORT_TYPE(EapPeerInvokeInteractiveUI)
EAP_SAME_EXPORT_TYPE(EapPeerInvokeIdentityUI)
#undef EAP_SAME_EXPORT_TYPE
