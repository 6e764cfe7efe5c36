// XML documents through MSXML 6, as Windows' EAPHost passes them. DTDs stay prohibited (the
// MSXML 6 default, set explicitly so no caller's defaults can change it).
#include "xml_document.h"

// After windows.h (through xml_document.h): oleauto.h depends on its types.
#include <oleauto.h>

#include <string>

namespace eaphost {
namespace xml {

namespace {

// {88d96a05-f192-11d4-a65f-0040963251e5}, MSXML 6's DOMDocument60 (msxml6.h, which older
// mingw-w64 lacks), and {2933bf95-7b36-11d2-b20e-00c04f983e60}, IXMLDOMDocument2.
const CLSID kDomDocument60 = {0x88d96a05, 0xf192, 0x11d4, {0xa6, 0x5f, 0x00, 0x40, 0x96, 0x32, 0x51, 0xe5}};
const IID kIXMLDOMDocument2 = {0x2933bf95, 0x7b36, 0x11d2, {0xb2, 0x0e, 0x00, 0xc0, 0x4f, 0x98, 0x3e, 0x60}};
// {2933bf80-7b36-11d2-b20e-00c04f983e60}, IXMLDOMNode.
const IID kIXMLDOMNode = {0x2933bf80, 0x7b36, 0x11d2, {0xb2, 0x0e, 0x00, 0xc0, 0x4f, 0x98, 0x3e, 0x60}};

std::string Hex(HRESULT hr) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kDigits[(static_cast<unsigned long>(hr) >> shift) & 0xF]);
  return out;
}

std::string Narrow(const wchar_t* wide, int length) {
  if (wide == nullptr || length <= 0) return std::string();
  int size = WideCharToMultiByte(CP_UTF8, 0, wide, length, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(size > 0 ? size : 0), '\0');
  if (size > 0) WideCharToMultiByte(CP_UTF8, 0, wide, length, &out[0], size, nullptr, nullptr);
  return out;
}

// The parser's own reason, for an error message.
std::string ParseErrorText(IXMLDOMDocument2* document) {
  IXMLDOMParseError* error = nullptr;
  std::string text = "MSXML could not parse the XML";
  if (SUCCEEDED(document->get_parseError(&error)) && error != nullptr) {
    BSTR reason = nullptr;
    long line = 0;
    if (SUCCEEDED(error->get_reason(&reason)) && reason != nullptr) {
      std::string narrowed = Narrow(reason, static_cast<int>(SysStringLen(reason)));
      while (!narrowed.empty() && (narrowed.back() == '\n' || narrowed.back() == '\r')) narrowed.pop_back();
      text += ": " + narrowed;
      SysFreeString(reason);
    }
    if (SUCCEEDED(error->get_line(&line)) && line > 0) text += " (line " + std::to_string(line) + ")";
    error->Release();
  }
  return text;
}

void SetProperty(IXMLDOMDocument2* document, const wchar_t* name, bool value) {
  BSTR bname = SysAllocString(name);
  VARIANT v;
  VariantInit(&v);
  v.vt = VT_BOOL;
  v.boolVal = value ? VARIANT_TRUE : VARIANT_FALSE;
  if (bname != nullptr) document->setProperty(bname, v);
  SysFreeString(bname);
}

}  // namespace

eap::IXMLDOMDocument2* MakeDocument(const std::string& utf8, std::string* problem) {
  int units = utf8.empty() ? 0 : MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  if (!utf8.empty() && units <= 0) {
    *problem = "the XML text is not valid UTF-8";
    return nullptr;
  }
  BSTR text = SysAllocStringLen(nullptr, static_cast<UINT>(units));
  if (text == nullptr) {
    *problem = "out of memory";
    return nullptr;
  }
  if (units > 0) MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), text, units);
  IXMLDOMDocument2* document = nullptr;
  HRESULT hr = CoCreateInstance(kDomDocument60, nullptr, CLSCTX_INPROC_SERVER, kIXMLDOMDocument2,
                                reinterpret_cast<void**>(&document));
  if (FAILED(hr) || document == nullptr) {
    SysFreeString(text);
    *problem = "MSXML 6 (DOMDocument60) could not be created: CoCreateInstance returned " + Hex(hr);
    return nullptr;
  }
  document->put_async(VARIANT_FALSE);
  SetProperty(document, L"ProhibitDTD", true);
  SetProperty(document, L"ResolveExternals", false);
  VARIANT_BOOL loaded = VARIANT_FALSE;
  hr = document->loadXML(text, &loaded);
  SysFreeString(text);
  if (FAILED(hr) || loaded != VARIANT_TRUE) {
    *problem = ParseErrorText(document);
    document->Release();
    return nullptr;
  }
  return document;
}

eap::IXMLDOMNode* DocumentElement(eap::IXMLDOMDocument2* document, std::string* problem) {
  IXMLDOMElement* element = nullptr;
  HRESULT hr = document == nullptr ? E_POINTER : document->get_documentElement(&element);
  if (FAILED(hr) || element == nullptr) {
    *problem = "the XML document has no document element";
    return nullptr;
  }
  IXMLDOMNode* node = nullptr;
  hr = element->QueryInterface(kIXMLDOMNode, reinterpret_cast<void**>(&node));
  element->Release();
  if (FAILED(hr) || node == nullptr) {
    *problem = "the document element is not an XML node (" + Hex(hr) + ")";
    return nullptr;
  }
  return node;
}

bool ReadNodeXml(eap::IXMLDOMNode* node, std::size_t maxBytes, std::string* utf8,
                 std::string* problem) {
  if (node == nullptr) {
    *problem = "no XML node was given";
    return false;
  }
  BSTR text = nullptr;
  HRESULT hr = node->get_xml(&text);
  if (FAILED(hr)) {
    *problem = "the XML node could not be read (get_xml returned " + Hex(hr) + ")";
    return false;
  }
  UINT length = text == nullptr ? 0 : SysStringLen(text);
  if (length > maxBytes) {
    SysFreeString(text);
    *problem = "the XML is over the size limit";
    return false;
  }
  *utf8 = Narrow(text, static_cast<int>(length));
  SysFreeString(text);
  if (utf8->size() > maxBytes) {
    *problem = "the XML is over the size limit";
    return false;
  }
  return true;
}

void ReleaseNode(eap::IXMLDOMNode* node) {
  if (node != nullptr) node->Release();
}

}  // namespace xml
}  // namespace eaphost
