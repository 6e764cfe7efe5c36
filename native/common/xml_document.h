// XML documents as they cross the configuration ABI: made from text, read back as text,
// released. The addon, the portable EAPHost and the method modules all go through here, so
// one code path serves both kinds of node (see abi/eap_config_types.h):
//   Windows  MSXML 6 (CoCreateInstance(CLSID_DOMDocument60), IXMLDOMDocument2, loadXML with
//            async off, get_documentElement, get_xml): xml_document_win32.cc. The calling
//            thread must have entered COM.
//   elsewhere  the portable node: a reference-counted UTF-16 text behind the two-function
//            table, made and read in xml_document_posix.cc.
// Text is UTF-8 on this side of the interface; nodes carry UTF-16 like MSXML's BSTRs.
#pragma once

#include <string>

#include "../abi/eap_config_types.h"

namespace eaphost {
namespace xml {

// A new document holding `utf8` (parsed by MSXML on Windows; checked with XmlRead elsewhere,
// so both refuse malformed text and DTDs). Returns null with *problem set on failure.
eap::IXMLDOMDocument2* MakeDocument(const std::string& utf8, std::string* problem);

// The document's root element as a node of its own (a new reference). Null with *problem set
// when the document has none.
eap::IXMLDOMNode* DocumentElement(eap::IXMLDOMDocument2* document, std::string* problem);

// The XML text of a node (a whole document's, or one element's) as UTF-8. False with
// *problem set when the node cannot be read or its text is over `maxBytes`.
bool ReadNodeXml(eap::IXMLDOMNode* node, std::size_t maxBytes, std::string* utf8,
                 std::string* problem);

// Drops one reference; null is ignored.
void ReleaseNode(eap::IXMLDOMNode* node);

// Owns one reference.
class NodeRef {
 public:
  explicit NodeRef(eap::IXMLDOMNode* node = nullptr) : node_(node) {}
  ~NodeRef() { ReleaseNode(node_); }
  NodeRef(const NodeRef&) = delete;
  NodeRef& operator=(const NodeRef&) = delete;
  eap::IXMLDOMNode* get() const { return node_; }
  eap::IXMLDOMNode* release() {
    eap::IXMLDOMNode* node = node_;
    node_ = nullptr;
    return node;
  }

 private:
  eap::IXMLDOMNode* node_;
};

}  // namespace xml
}  // namespace eaphost
