#include "eaphost_config_xml.h"

namespace eaphost {
namespace portable {

namespace {

using xml::XmlDocument;
using xml::XmlElement;

EapErrorInfo Malformed(const char* call, const std::string& why) {
  EapErrorInfo error = HostError(eap::kErrorInvalidData, call, why);
  error.reasonCode = eap::EAP_E_EAPHOST_XML_MALFORMED;
  return error;
}

struct WipedDocument {
  XmlDocument document;
  ~WipedDocument() {
    for (XmlElement& element : document.elements) WipeText(&element.text);
  }
};

// A decimal DWORD as EapCommon's elements hold it.
bool ReadDword(const std::string& raw, eap::DWORD max, eap::DWORD* out) {
  std::string text = xml::XmlTrim(raw);
  if (text.empty() || text.size() > 10) return false;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) return false;
  *out = static_cast<eap::DWORD>(value);
  return true;
}

bool ReadEapMethod(const XmlDocument& document, const XmlElement& method, const char* call, eap::EAP_METHOD_TYPE* out,
                   EapErrorInfo* error) {
  bool haveType = false;
  std::string seen;
  for (std::size_t index : method.children) {
    const XmlElement& child = document.at(index);
    if (child.namespaceUri != kEapCommonNs) {
      *error = Malformed(call, "<" + child.localName + "> in <EapMethod> must be in namespace " + kEapCommonNs);
      return false;
    }
    const std::string& name = child.localName;
    if (seen.find("|" + name + "|") != std::string::npos) {
      *error = Malformed(call, "<" + name + "> appears twice in <EapMethod>");
      return false;
    }
    seen += "|" + name + "|";
    eap::DWORD value = 0;
    bool ok;
    if (name == "Type") {
      ok = ReadDword(child.text, 255, &value) && value != 0;
      out->eapType.type = static_cast<eap::BYTE>(value);
      haveType = ok;
    } else if (name == "VendorId") {
      ok = ReadDword(child.text, 0xFFFFFF, &value);
      out->eapType.dwVendorId = value;
    } else if (name == "VendorType") {
      ok = ReadDword(child.text, 0xFFFFFFFF, &value);
      out->eapType.dwVendorType = value;
    } else if (name == "AuthorId") {
      ok = ReadDword(child.text, 0xFFFFFFFF, &value);
      out->dwAuthorId = value;
    } else {
      *error = Malformed(call, "<" + name + "> is not an element of <EapMethod> (Type, VendorId, VendorType, AuthorId)");
      return false;
    }
    if (!ok) {
      *error = Malformed(call, "<" + name + "> in <EapMethod> is not a number in range");
      return false;
    }
  }
  if (!haveType) *error = Malformed(call, "<EapMethod> has no <Type> (1..255)");
  return haveType;
}

bool HexDecode(const std::string& raw, std::string* out) {
  std::string text = xml::XmlTrim(raw);
  if (text.size() % 2 != 0) return false;
  auto nibble = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  };
  out->clear();
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int high = nibble(text[i]), low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return false;
    out->push_back(static_cast<char>(high * 16 + low));
  }
  return true;
}

}  // namespace

void WipeText(std::string* text) {
  for (char& c : *text) c = 0;
  text->clear();
}

bool ReadOuterDocument(const std::string& text, bool credentials, const char* call, OuterDocument* out,
                       EapErrorInfo* error) {
  WipedDocument wiped;
  XmlDocument& document = wiped.document;
  std::string problem;
  if (!xml::XmlRead(text, xml::XmlLimits(), &document, &problem)) {
    *error = Malformed(call, "The XML is malformed: " + problem);
    return false;
  }
  const char* rootName = credentials ? "EapHostUserCredentials" : "EapHostConfig";
  const char* rootNs = credentials ? kEapHostCredentialsNs : kEapHostConfigNs;
  const char* bodyName = credentials ? "Credentials" : "Config";
  const XmlElement& root = document.root();
  if (root.localName != rootName || root.namespaceUri != rootNs) {
    *error = Malformed(call, "The document element is <" + root.localName + "> in namespace \"" + root.namespaceUri +
                                 "\", not <" + rootName + "> in \"" + rootNs + "\"");
    return false;
  }
  bool haveMethod = false, haveBody = false;
  for (std::size_t index : root.children) {
    const XmlElement& child = document.at(index);
    if (child.namespaceUri != rootNs) continue;  // the schema's xs:any of other namespaces
    if (child.localName == "EapMethod" && !haveMethod && !haveBody) {
      if (!ReadEapMethod(document, child, call, &out->methodType, error)) return false;
      haveMethod = true;
    } else if (child.localName == bodyName && haveMethod && !haveBody) {
      out->methodXml = xml::XmlWriteElement(document, index);
      haveBody = true;
    } else if (!credentials && child.localName == "ConfigBlob" && haveMethod && !haveBody) {
      if (!HexDecode(child.text, &out->blob)) {
        *error = Malformed(call, "<ConfigBlob> is not hexBinary");
        return false;
      }
      out->hasBlob = true;
      haveBody = true;
    } else {
      *error = Malformed(call, "<" + child.localName + "> is unexpected in <" + rootName + "> (expected <EapMethod> then <" +
                                   bodyName + (credentials ? ">)" : "> or <ConfigBlob>)"));
      return false;
    }
  }
  if (!haveMethod || !haveBody) {
    *error = Malformed(call, std::string("<") + rootName + "> needs <EapMethod> and <" + bodyName + ">");
    return false;
  }
  return true;
}

bool WriteEapHostConfig(const eap::EAP_METHOD_TYPE& type, const std::string& methodXml, const char* call,
                        std::string* out, EapErrorInfo* error) {
  WipedDocument wiped;
  std::string problem;
  if (!xml::XmlRead(methodXml, xml::XmlLimits(), &wiped.document, &problem)) {
    *error = Malformed(call, "The method returned malformed XML: " + problem);
    return false;
  }
  const XmlElement& root = wiped.document.root();
  bool isConfig = root.localName == "Config" && root.namespaceUri == kEapHostConfigNs;
  auto common = [](const char* name, eap::DWORD value) {
    return std::string("<") + name + " xmlns=\"" + kEapCommonNs + "\">" + std::to_string(value) + "</" + name + ">";
  };
  *out = std::string("<EapHostConfig xmlns=\"") + kEapHostConfigNs + "\"><EapMethod>" + common("Type", type.eapType.type) +
         common("VendorId", type.eapType.dwVendorId) + common("VendorType", type.eapType.dwVendorType) +
         common("AuthorId", type.dwAuthorId) + "</EapMethod>";
  if (!isConfig) *out += std::string("<Config xmlns=\"") + kEapHostConfigNs + "\">";
  *out += xml::XmlWriteElement(wiped.document, 0);
  if (!isConfig) *out += "</Config>";
  *out += "</EapHostConfig>";
  return true;
}

}  // namespace portable
}  // namespace eaphost
