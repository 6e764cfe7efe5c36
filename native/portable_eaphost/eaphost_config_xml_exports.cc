// EapHostPeerConfigXml2Blob, EapHostPeerCredentialsXml2Blob and EapHostPeerConfigBlob2Xml: the
// outer document is EAPHost's (read here), the method's part goes to the registered method
// module's EapPeer* routine of the same name, as a document of its own. No Initialize needed.
#include <cstring>
#include <type_traits>

#include "../common/xml_document.h"
#include "config_method_module.h"
#include "eaphost_config_xml.h"
#include "export_support.h"
#include "runtime_memory.h"

using eap::BYTE;
using eap::DWORD;
using eap::EAP_ERROR;
using namespace eaphost;
using namespace eaphost::portable;

namespace {

EapErrorInfo XmlFailure(const char* call, const std::string& problem) {
  EapErrorInfo error = HostError(eap::kErrorInvalidData, call, problem);
  error.reasonCode = eap::EAP_E_EAPHOST_XML_MALFORMED;
  return error;
}

// The caller's node as text, wiped by the caller when done.
bool NodeText(eap::IXMLDOMNode* node, const char* call, std::string* text, EapErrorInfo* error) {
  std::string problem;
  if (xml::ReadNodeXml(node, xml::XmlLimits().maxBytes, text, &problem)) return true;
  *error = XmlFailure(call, problem);
  return false;
}

eap::IXMLDOMDocument2* NewDocument(const std::string& text, const char* call, EapErrorInfo* error) {
  std::string problem;
  eap::IXMLDOMDocument2* document = xml::MakeDocument(text, &problem);
  if (document == nullptr) *error = XmlFailure(call, problem);
  return document;
}

// A method buffer copied into this library's memory (freed with EapHostPeerFreeMemory), the
// method's copy wiped by its own free function.
bool TakeBuffer(const ConfigMethodModule& module, BYTE* data, DWORD size, DWORD* outSize, BYTE** out, const char* call,
                EAP_ERROR** ppEapError, DWORD* result) {
  if (data == nullptr || size == 0) {
    module.Free(data);
    return true;
  }
  auto* copy = static_cast<BYTE*>(AllocateCallerMemory(size));
  if (copy != nullptr) std::memcpy(copy, data, size);
  module.Free(data);
  if (copy == nullptr) {
    *result = OutOfMemory(call, ppEapError);
    return false;
  }
  *out = copy;
  *outSize = size;
  return true;
}

struct WipedString {
  std::string text;
  ~WipedString() { WipeText(&text); }
};

}  // namespace

EAP_EXPORT DWORD EAP_API EapHostPeerConfigXml2Blob(DWORD dwFlags, eap::IXMLDOMNode* pConfigDoc, DWORD* pdwSizeOfConfigOut,
                                                   BYTE** ppConfigOut, eap::EAP_METHOD_TYPE* pEapMethodType,
                                                   EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerConfigXml2Blob";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pConfigDoc == nullptr || pdwSizeOfConfigOut == nullptr || ppConfigOut == nullptr || pEapMethodType == nullptr) {
      return InvalidParameter(kCall, "pConfigDoc, pdwSizeOfConfigOut, ppConfigOut and pEapMethodType are required", ppEapError);
    }
    *pdwSizeOfConfigOut = 0;
    *ppConfigOut = nullptr;
    *pEapMethodType = eap::EAP_METHOD_TYPE{};
    EapErrorInfo error;
    WipedString text;
    OuterDocument outer;
    if (!NodeText(pConfigDoc, kCall, &text.text, &error) || !ReadOuterDocument(text.text, false, kCall, &outer, &error)) {
      return ReportError(error, ppEapError);
    }
    DWORD result = eap::kErrorSuccess;
    if (outer.hasBlob) {
      // A ConfigBlob is the blob itself: no method is involved.
      if (!outer.blob.empty()) {
        auto* copy = static_cast<BYTE*>(AllocateCallerMemory(outer.blob.size()));
        if (copy == nullptr) return OutOfMemory(kCall, ppEapError);
        std::memcpy(copy, outer.blob.data(), outer.blob.size());
        *ppConfigOut = copy;
        *pdwSizeOfConfigOut = static_cast<DWORD>(outer.blob.size());
      }
      WipeText(&outer.blob);
      *pEapMethodType = outer.methodType;
      return eap::kErrorSuccess;
    }
    eap::PFN_EapPeerConfigXml2Blob convert = nullptr;
    auto module = ConfigMethodModule::Open(outer.methodType, EAP_PEER_CONFIG_XML_TO_BLOB_NAME, kCall, &error, &convert);
    if (!module) return ReportError(error, ppEapError);
    xml::NodeRef document(NewDocument(outer.methodXml, kCall, &error));
    if (document.get() == nullptr) return ReportError(error, ppEapError);
    BYTE* blob = nullptr;
    DWORD size = 0;
    EAP_ERROR* methodError = nullptr;
    DWORD rc = convert(dwFlags, outer.methodType, static_cast<eap::IXMLDOMDocument2*>(document.get()), &blob, &size,
                       &methodError);
    if (!module->Check(rc, methodError, "EapPeerConfigXml2Blob", &error)) {
      module->Free(blob);
      return ReportError(error, ppEapError);
    }
    if (!TakeBuffer(*module, blob, size, pdwSizeOfConfigOut, ppConfigOut, kCall, ppEapError, &result)) return result;
    *pEapMethodType = outer.methodType;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerCredentialsXml2Blob(DWORD dwFlags, eap::IXMLDOMNode* pCredentialsDoc,
                                                        DWORD dwSizeOfConfigIn, BYTE* pConfigIn,
                                                        DWORD* pdwSizeOfCredentialsOut, BYTE** ppCredentialsOut,
                                                        eap::EAP_METHOD_TYPE* pEapMethodType, EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerCredentialsXml2Blob";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (pCredentialsDoc == nullptr || pdwSizeOfCredentialsOut == nullptr || ppCredentialsOut == nullptr ||
        pEapMethodType == nullptr || (dwSizeOfConfigIn != 0 && pConfigIn == nullptr)) {
      return InvalidParameter(kCall, "pCredentialsDoc, pdwSizeOfCredentialsOut, ppCredentialsOut and pEapMethodType are "
                                     "required, and pConfigIn when its size is not 0", ppEapError);
    }
    *pdwSizeOfCredentialsOut = 0;
    *ppCredentialsOut = nullptr;
    *pEapMethodType = eap::EAP_METHOD_TYPE{};
    EapErrorInfo error;
    WipedString text;
    OuterDocument outer;
    if (!NodeText(pCredentialsDoc, kCall, &text.text, &error) || !ReadOuterDocument(text.text, true, kCall, &outer, &error)) {
      return ReportError(error, ppEapError);
    }
    WipedString methodXml{outer.methodXml};
    WipeText(&outer.methodXml);
    eap::PFN_EapPeerCredentialsXml2Blob convert = nullptr;
    auto module = ConfigMethodModule::Open(outer.methodType, EAP_PEER_CREDENTIALS_XML_TO_BLOB_NAME, kCall, &error, &convert);
    if (!module) return ReportError(error, ppEapError);
    xml::NodeRef document(NewDocument(methodXml.text, kCall, &error));
    if (document.get() == nullptr) return ReportError(error, ppEapError);
    BYTE* blob = nullptr;
    DWORD size = 0;
    EAP_ERROR* methodError = nullptr;
    DWORD rc = convert(dwFlags, outer.methodType, static_cast<eap::IXMLDOMDocument2*>(document.get()), pConfigIn,
                       dwSizeOfConfigIn, &blob, &size, &methodError);
    if (!module->Check(rc, methodError, "EapPeerCredentialsXml2Blob", &error)) {
      module->Free(blob);
      return ReportError(error, ppEapError);
    }
    DWORD result = eap::kErrorSuccess;
    if (!TakeBuffer(*module, blob, size, pdwSizeOfCredentialsOut, ppCredentialsOut, kCall, ppEapError, &result)) return result;
    *pEapMethodType = outer.methodType;
    return eap::kErrorSuccess;
  });
}

EAP_EXPORT DWORD EAP_API EapHostPeerConfigBlob2Xml(DWORD dwFlags, eap::EAP_METHOD_TYPE eapMethodType, DWORD dwSizeOfConfigIn,
                                                   BYTE* pConfigIn, eap::IXMLDOMDocument2** ppConfigDoc,
                                                   EAP_ERROR** ppEapError) {
  constexpr const char* kCall = "EapHostPeerConfigBlob2Xml";
  return Guard(kCall, ppEapError, [&]() -> DWORD {
    if (ppConfigDoc == nullptr || (dwSizeOfConfigIn != 0 && pConfigIn == nullptr)) {
      return InvalidParameter(kCall, "ppConfigDoc is required, and pConfigIn when its size is not 0", ppEapError);
    }
    *ppConfigDoc = nullptr;
    EapErrorInfo error;
    eap::PFN_EapPeerConfigBlob2Xml convert = nullptr;
    auto module = ConfigMethodModule::Open(eapMethodType, EAP_PEER_CONFIG_BLOB_TO_XML_NAME, kCall, &error, &convert);
    if (!module) return ReportError(error, ppEapError);
    eap::IXMLDOMDocument2* methodDocument = nullptr;
    EAP_ERROR* methodError = nullptr;
    DWORD rc = convert(dwFlags, eapMethodType, pConfigIn, dwSizeOfConfigIn, &methodDocument, &methodError);
    xml::NodeRef owned(methodDocument);  // released before the module unloads
    if (!module->Check(rc, methodError, "EapPeerConfigBlob2Xml", &error)) return ReportError(error, ppEapError);
    WipedString methodXml, whole;
    if (methodDocument == nullptr) return ReportError(XmlFailure(kCall, "the method returned no document"), ppEapError);
    if (!NodeText(methodDocument, kCall, &methodXml.text, &error) ||
        !WriteEapHostConfig(eapMethodType, methodXml.text, kCall, &whole.text, &error)) {
      return ReportError(error, ppEapError);
    }
    eap::IXMLDOMDocument2* document = NewDocument(whole.text, kCall, &error);
    if (document == nullptr) return ReportError(error, ppEapError);
    *ppConfigDoc = document;
    return eap::kErrorSuccess;
  });
}

static_assert(std::is_same<decltype(&EapHostPeerConfigXml2Blob), eap::PFN_EapHostPeerConfigXml2Blob>::value, "");
static_assert(std::is_same<decltype(&EapHostPeerCredentialsXml2Blob), eap::PFN_EapHostPeerCredentialsXml2Blob>::value, "");
static_assert(std::is_same<decltype(&EapHostPeerConfigBlob2Xml), eap::PFN_EapHostPeerConfigBlob2Xml>::value, "");
