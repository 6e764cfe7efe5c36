// The portable XML node (abi/eap_config_types.h): a reference count and the node's XML as
// UTF-16, behind GetXml / Release. Documents and elements are the same kind of object; an
// element is made by writing the document's root element out as standalone text.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "utf16.h"
#include "xml_document.h"
#include "xml_tree.h"

namespace eaphost {
namespace xml {

namespace {

struct PortableNode : eap::IXMLDOMDocument2 {
  std::atomic<int> references{1};
  eap::WCHAR* text = nullptr;
  eap::DWORD length = 0;
};

eap::DWORD EAP_API GetXml(eap::IXMLDOMNode* node, const eap::WCHAR** text, eap::DWORD* length) {
  if (node == nullptr || text == nullptr || length == nullptr) return eap::kErrorInvalidParameter;
  auto* self = static_cast<PortableNode*>(node);
  *text = self->text;
  *length = self->length;
  return eap::kErrorSuccess;
}

void EAP_API Release(eap::IXMLDOMNode* node) {
  auto* self = static_cast<PortableNode*>(node);
  if (self == nullptr || --self->references != 0) return;
  std::free(self->text);
  delete self;
}

const eap::EapXmlNodeFunctions kFunctions = {GetXml, Release};

// UTF-8 (already checked well-formed by XmlRead) to UTF-16.
bool ToUtf16(const std::string& utf8, eap::WCHAR** out, eap::DWORD* length) {
  auto* buffer = static_cast<eap::WCHAR*>(std::malloc((utf8.size() + 1) * sizeof(eap::WCHAR)));
  if (buffer == nullptr) return false;
  std::size_t n = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  for (std::size_t i = 0; i < utf8.size();) {
    std::uint32_t cp = p[i];
    std::size_t extra = cp < 0x80 ? 0 : cp < 0xE0 ? 1 : cp < 0xF0 ? 2 : 3;
    if (extra > utf8.size() - i - 1) break;
    if (extra > 0) cp &= 0x3F >> extra;
    for (std::size_t k = 1; k <= extra; ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
    i += extra + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      buffer[n++] = static_cast<eap::WCHAR>(0xD800 + (cp >> 10));
      buffer[n++] = static_cast<eap::WCHAR>(0xDC00 + (cp & 0x3FF));
    } else {
      buffer[n++] = static_cast<eap::WCHAR>(cp);
    }
  }
  buffer[n] = 0;
  *out = buffer;
  *length = static_cast<eap::DWORD>(n);
  return true;
}

eap::IXMLDOMDocument2* NewNode(const std::string& utf8, std::string* problem) {
  auto* node = new (std::nothrow) PortableNode();
  if (node == nullptr || !ToUtf16(utf8, &node->text, &node->length)) {
    delete node;
    *problem = "out of memory";
    return nullptr;
  }
  node->functions = &kFunctions;
  return node;
}

}  // namespace

eap::IXMLDOMDocument2* MakeDocument(const std::string& utf8, std::string* problem) {
  XmlDocument parsed;
  if (!XmlRead(utf8, XmlLimits(), &parsed, problem)) return nullptr;
  return NewNode(utf8, problem);
}

eap::IXMLDOMNode* DocumentElement(eap::IXMLDOMDocument2* document, std::string* problem) {
  std::string text;
  if (!ReadNodeXml(document, XmlLimits().maxBytes, &text, problem)) return nullptr;
  XmlDocument parsed;
  if (!XmlRead(text, XmlLimits(), &parsed, problem)) return nullptr;
  return NewNode(XmlWriteElement(parsed, 0), problem);
}

bool ReadNodeXml(eap::IXMLDOMNode* node, std::size_t maxBytes, std::string* utf8,
                 std::string* problem) {
  if (node == nullptr || node->functions == nullptr || node->functions->GetXml == nullptr) {
    *problem = "no XML node was given";
    return false;
  }
  const eap::WCHAR* text = nullptr;
  eap::DWORD length = 0;
  if (node->functions->GetXml(node, &text, &length) != eap::kErrorSuccess ||
      (text == nullptr && length != 0)) {
    *problem = "the XML node could not be read";
    return false;
  }
  // Each unit is at most 3 UTF-8 bytes: refuse before converting what cannot fit.
  if (length > maxBytes) {
    *problem = "the XML is over the size limit";
    return false;
  }
  utf8->clear();
  for (eap::DWORD i = 0; i < length; ++i) {
    std::uint32_t unit = text[i];
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < length && text[i + 1] >= 0xDC00 &&
        text[i + 1] <= 0xDFFF) {
      unit = 0x10000 + ((unit - 0xD800) << 10) + (text[i + 1] - 0xDC00);
      ++i;
    } else if (unit >= 0xD800 && unit <= 0xDFFF) {
      unit = 0xFFFD;
    }
    AppendUtf8(utf8, unit);
  }
  if (utf8->size() > maxBytes) {
    *problem = "the XML is over the size limit";
    return false;
  }
  return true;
}

void ReleaseNode(eap::IXMLDOMNode* node) {
  if (node != nullptr && node->functions != nullptr && node->functions->Release != nullptr) {
    node->functions->Release(node);
  }
}

}  // namespace xml
}  // namespace eaphost
