// The small XML subset the configuration API needs, as a tree: elements with their resolved
// namespaces, attributes and character data. XmlRead (xml_reader.cc) builds it from text with
// hard bounds; XmlWriteElement (xml_writer.cc) turns an element back into standalone text.
//
// Everything is UTF-8 std::string: method modules link this code, and they avoid
// std::u16string (see methods/support/wide_text.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace eaphost {
namespace xml {

// Limits that hold for every document read, so hostile input costs bounded time and memory.
struct XmlLimits {
  std::size_t maxBytes = 1024 * 1024;  // the configuration API's documents are a few KiB
  std::size_t maxDepth = 16;
  std::size_t maxElements = 4096;
  std::size_t maxAttributes = 32;  // per element, namespace declarations included
};

struct XmlAttribute {
  std::string namespaceUri;  // empty for an unprefixed attribute (XML Namespaces §6.2)
  std::string localName;
  std::string value;
};

struct XmlElement {
  std::string namespaceUri;
  std::string localName;
  std::vector<XmlAttribute> attributes;  // xmlns declarations are not attributes
  // Character data directly inside this element (text and CDATA, entities resolved, line
  // ends normalised to LF), concatenated in document order.
  std::string text;
  std::vector<std::size_t> children;  // indices into XmlDocument::elements, in order
  std::size_t parent = 0;             // the root is its own parent
};

struct XmlDocument {
  std::vector<XmlElement> elements;  // [0] is the document element once read
  const XmlElement& root() const { return elements[0]; }
  const XmlElement& at(std::size_t index) const { return elements[index]; }
};

// Parses `text` (UTF-8, optional BOM) into *out. On failure returns false with *problem
// saying what and where (byte offset); DTDs, unknown entities, undeclared prefixes, mismatched
// tags, invalid UTF-8 and anything over `limits` are failures.
bool XmlRead(const std::string& text, const XmlLimits& limits, XmlDocument* out,
             std::string* problem);

// Standalone XML text for one element and everything below it: every namespace it uses is
// declared on it, so it reads the same outside its document.
std::string XmlWriteElement(const XmlDocument& document, std::size_t index);

// `value` escaped for element content or a double-quoted attribute.
void XmlAppendEscaped(const std::string& value, std::string* out);

// `value` without leading and trailing XML whitespace (space, tab, CR, LF).
std::string XmlTrim(const std::string& value);

}  // namespace xml
}  // namespace eaphost
