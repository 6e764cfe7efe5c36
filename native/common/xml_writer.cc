// Standalone text for one element of a read document. The configuration API cuts documents
// apart (EapHostConfig's Config element goes to the method, the method's element comes back
// inside a new EapHostConfig), and an element cut out of its document loses the namespace
// declarations it inherited; this writer declares every namespace on the element that uses
// it, without prefixes, so the text means the same on its own.
//
// Character data is written before the child elements: the configuration documents never mix
// text and elements, and white space between elements is dropped.
#include <utility>

#include "xml_tree.h"

namespace eaphost {
namespace xml {

void XmlAppendEscaped(const std::string& value, std::string* out) {
  for (char c : value) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      case '\r': *out += "&#13;"; break;  // survives the reader's line-end normalisation
      default: out->push_back(c);
    }
  }
}

namespace {

void OpenTag(const XmlElement& element, const std::string& inheritedNamespace, std::string* out) {
  *out += '<';
  *out += element.localName;
  if (element.namespaceUri != inheritedNamespace) {
    *out += " xmlns=\"";
    XmlAppendEscaped(element.namespaceUri, out);
    *out += '"';
  }
  std::size_t prefixes = 0;
  for (const XmlAttribute& attribute : element.attributes) {
    *out += ' ';
    if (!attribute.namespaceUri.empty()) {
      // A namespaced attribute needs a prefix of its own: a0, a1, ... declared right here.
      std::string prefix = "a";
      prefix += static_cast<char>('0' + prefixes % 10);
      if (prefixes >= 10) prefix += static_cast<char>('0' + (prefixes / 10) % 10);
      ++prefixes;
      *out += "xmlns:" + prefix + "=\"";
      XmlAppendEscaped(attribute.namespaceUri, out);
      *out += "\" " + prefix + ':';
    }
    *out += attribute.localName;
    *out += "=\"";
    XmlAppendEscaped(attribute.value, out);
    *out += '"';
  }
}

}  // namespace

std::string XmlWriteElement(const XmlDocument& document, std::size_t index) {
  std::string out;
  // (element, inherited default namespace, next child to write); the reader capped the depth.
  struct Frame {
    std::size_t element;
    std::string inherited;
    std::size_t nextChild;
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{index, std::string(), 0});
  OpenTag(document.at(index), std::string(), &out);
  out += '>';
  XmlAppendEscaped(XmlTrim(document.at(index).text).empty() ? std::string() : document.at(index).text, &out);
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const XmlElement& element = document.at(frame.element);
    if (frame.nextChild < element.children.size()) {
      std::size_t child = element.children[frame.nextChild++];
      const XmlElement& childElement = document.at(child);
      OpenTag(childElement, element.namespaceUri, &out);
      out += '>';
      const std::string& text = childElement.text;
      if (!XmlTrim(text).empty()) XmlAppendEscaped(text, &out);
      stack.push_back(Frame{child, element.namespaceUri, 0});
      continue;
    }
    out += "</" + element.localName + '>';
    stack.pop_back();
  }
  return out;
}

}  // namespace xml
}  // namespace eaphost
