// The XML reader the configuration API trusts with hostile documents (EapHostConfig and
// EapHostUserCredentials from files and profiles), and the writer that cuts elements out of
// what it read: every element written out must read back.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "../native/common/xml_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  eaphost::xml::XmlLimits limits;
  limits.maxBytes = 64 * 1024;
  eaphost::xml::XmlDocument document;
  std::string problem;
  if (!eaphost::xml::XmlRead(text, limits, &document, &problem)) return 0;
  for (std::size_t i = 0; i < document.elements.size(); ++i) {
    std::string written = eaphost::xml::XmlWriteElement(document, i);
    eaphost::xml::XmlDocument again;
    eaphost::xml::XmlLimits loose;
    loose.maxBytes = written.size() + 1;
    if (!eaphost::xml::XmlRead(written, loose, &again, &problem)) std::abort();
    if (again.root().localName != document.at(i).localName ||
        again.root().namespaceUri != document.at(i).namespaceUri) {
      std::abort();
    }
  }
  return 0;
}
