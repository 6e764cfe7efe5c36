// A bounded XML reader: no recursion (open elements live on an explicit stack whose depth is
// capped), every length checked against the input's end before it is read, and no DTDs, so no
// entity expansion beyond the five predefined entities and character references.
#include <cstdint>
#include <utility>

#include "utf16.h"
#include "xml_tree.h"

namespace eaphost {
namespace xml {

namespace {

std::string Number(std::size_t value) {
  char digits[24];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 && n < sizeof digits);
  std::string out;
  while (n > 0) out.push_back(digits[--n]);
  return out;
}

// XML 1.0 Char: tab, LF, CR, and everything from U+0020 but surrogates, U+FFFE and U+FFFF.
bool IsXmlChar(std::uint32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  return cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

// Well-formed UTF-8 of XML characters only: the tree then never holds bytes a writer or a
// UTF-16 conversion would have to guess about.
bool ValidText(const std::string& text, std::size_t* where) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    std::uint32_t cp = p[i];
    std::size_t length = cp < 0x80 ? 1 : (cp >> 5) == 0x6 ? 2 : (cp >> 4) == 0xE ? 3 : (cp >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || length > size - i) {
      *where = i;
      return false;
    }
    if (length > 1) {
      cp &= 0x3F >> (length - 1);
      for (std::size_t k = 1; k < length; ++k) {
        if ((p[i + k] & 0xC0) != 0x80) {
          *where = i;
          return false;
        }
        cp = (cp << 6) | (p[i + k] & 0x3F);
      }
      static const std::uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < kMinimum[length]) {
        *where = i;
        return false;
      }
    }
    if (!IsXmlChar(cp)) {
      *where = i;
      return false;
    }
    i += length;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsNameStart(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || u == '_' || u == ':' || u >= 0x80;
}
bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

struct Declaration {
  std::string prefix;  // empty: the default namespace
  std::string uri;
};

struct OpenElement {
  std::size_t index;
  std::string qualifiedName;
  std::size_t declarations;  // how many entries of the scope stack this element added
};

class Reader {
 public:
  Reader(const std::string& text, const XmlLimits& limits, XmlDocument* out)
      : text_(text), limits_(limits), out_(out) {}

  bool Run(std::string* problem) {
    bool ok = Parse();
    if (!ok) *problem = problem_ + " (at byte " + Number(pos_) + ")";
    return ok;
  }

 private:
  bool Fail(const std::string& what) {
    problem_ = what;
    return false;
  }
  bool At(const char* literal) const { return text_.compare(pos_, std::char_traits<char>::length(literal), literal) == 0; }
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  // Moves past the next `terminator`, or fails naming what was left open.
  bool SkipPast(const char* terminator, const char* what) {
    std::size_t end = text_.find(terminator, pos_);
    if (end == std::string::npos) return Fail(std::string("unterminated ") + what);
    pos_ = end + std::char_traits<char>::length(terminator);
    return true;
  }

  bool ReadName(std::string* name) {
    if (pos_ >= text_.size() || !IsNameStart(text_[pos_])) return Fail("a name was expected");
    std::size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    name->assign(text_, start, pos_ - start);
    return true;
  }

  // One "&...;" at pos_, appended decoded.
  bool ReadReference(std::string* out) {
    std::size_t end = text_.find(';', pos_);
    if (end == std::string::npos || end - pos_ > 12) return Fail("an unterminated entity reference");
    std::string name = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    if (name == "amp") return out->push_back('&'), true;
    if (name == "lt") return out->push_back('<'), true;
    if (name == "gt") return out->push_back('>'), true;
    if (name == "quot") return out->push_back('"'), true;
    if (name == "apos") return out->push_back('\''), true;
    if (name.size() < 2 || name[0] != '#') return Fail("the entity &" + name + "; is not one of XML's five");
    bool hex = name[1] == 'x';
    std::size_t i = hex ? 2 : 1;
    if (i >= name.size()) return Fail("an empty character reference");
    std::uint32_t cp = 0;
    for (; i < name.size(); ++i) {
      char c = name[i];
      int digit = c >= '0' && c <= '9' ? c - '0'
                  : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                  : -1;
      if (digit < 0) return Fail("the character reference &" + name + "; is malformed");
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
      if (cp > 0x10FFFF) return Fail("the character reference &" + name + "; is out of range");
    }
    if (!IsXmlChar(cp)) return Fail("the character reference &" + name + "; is not an XML character");
    AppendUtf8(out, cp);
    return true;
  }

  bool ReadAttributeValue(std::string* value) {
    if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'')) {
      return Fail("an attribute value must be quoted");
    }
    char quote = text_[pos_++];
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_];
      if (c == '<') return Fail("'<' inside an attribute value");
      if (c == '&') {
        if (!ReadReference(value)) return false;
      } else {
        value->push_back(c);
        ++pos_;
      }
    }
    if (pos_ >= text_.size()) return Fail("an unterminated attribute value");
    ++pos_;
    return true;
  }

  bool Resolve(const std::string& prefix, std::string* uri) {
    if (prefix == "xml") {
      *uri = "http://www.w3.org/XML/1998/namespace";
      return true;
    }
    for (std::size_t i = scope_.size(); i > 0; --i) {
      if (scope_[i - 1].prefix == prefix) {
        *uri = scope_[i - 1].uri;
        return true;
      }
    }
    if (prefix.empty()) {
      uri->clear();
      return true;
    }
    return Fail("the prefix '" + prefix + "' is not declared");
  }

  // XML Namespaces §3: prefix and local part are each a name without a colon, and a colon
  // means a prefix: ":name" is no name (it would read as unprefixed, and ":xmlns" as a
  // namespace declaration once written back).
  static bool NamespaceWellFormed(const std::string& qualified, const std::string& prefix, const std::string& local) {
    if (local.empty() || local.find(':') != std::string::npos || !IsNameStart(local[0])) return false;
    if (qualified.find(':') != std::string::npos && prefix.empty()) return false;
    return prefix.empty() || IsNameStart(prefix[0]);
  }

  static void Split(const std::string& qualified, std::string* prefix, std::string* local) {
    std::size_t colon = qualified.find(':');
    if (colon == std::string::npos) {
      prefix->clear();
      *local = qualified;
    } else {
      *prefix = qualified.substr(0, colon);
      *local = qualified.substr(colon + 1);
    }
  }

  bool StartTag() {
    ++pos_;  // '<'
    if (rootClosed_) return Fail("content after the document element");
    if (open_.size() >= limits_.maxDepth) return Fail("elements nest deeper than " + Number(limits_.maxDepth));
    if (out_->elements.size() >= limits_.maxElements) return Fail("more than " + Number(limits_.maxElements) + " elements");
    std::string qualified;
    if (!ReadName(&qualified)) return false;
    struct Raw {
      std::string name, value;
    };
    std::vector<Raw> raw;
    bool empty = false;
    for (;;) {
      std::size_t before = pos_;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("an unterminated start tag <" + qualified + ">");
      if (At("/>")) {
        pos_ += 2;
        empty = true;
        break;
      }
      if (text_[pos_] == '>') {
        ++pos_;
        break;
      }
      if (pos_ == before) return Fail("attributes must be separated by white space");
      if (raw.size() >= limits_.maxAttributes) return Fail("more than " + Number(limits_.maxAttributes) + " attributes on <" + qualified + ">");
      Raw attribute;
      if (!ReadName(&attribute.name)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '=') return Fail("'=' expected after attribute " + attribute.name);
      ++pos_;
      SkipSpace();
      if (!ReadAttributeValue(&attribute.value)) return false;
      for (const Raw& seen : raw) {
        if (seen.name == attribute.name) return Fail("attribute " + attribute.name + " appears twice");
      }
      raw.push_back(std::move(attribute));
    }
    std::size_t declared = 0;
    for (const Raw& attribute : raw) {
      if (attribute.name == "xmlns" || attribute.name.compare(0, 6, "xmlns:") == 0) {
        std::string prefix = attribute.name == "xmlns" ? std::string() : attribute.name.substr(6);
        if (attribute.name != "xmlns" && (prefix.empty() || prefix.find(':') != std::string::npos || !IsNameStart(prefix[0]))) {
          return Fail("attribute " + attribute.name + " declares no namespace-well-formed prefix");
        }
        if (!prefix.empty() && attribute.value.empty()) return Fail("the prefix '" + prefix + "' is bound to no namespace");
        scope_.push_back(Declaration{prefix, attribute.value});
        ++declared;
      }
    }
    XmlElement element;
    std::string prefix;
    Split(qualified, &prefix, &element.localName);
    if (!NamespaceWellFormed(qualified, prefix, element.localName)) {
      return Fail("<" + qualified + "> is not a namespace-well-formed name");
    }
    if (!Resolve(prefix, &element.namespaceUri)) return false;
    for (const Raw& attribute : raw) {
      if (attribute.name == "xmlns" || attribute.name.compare(0, 6, "xmlns:") == 0) continue;
      XmlAttribute resolved;
      std::string attributePrefix;
      Split(attribute.name, &attributePrefix, &resolved.localName);
      if (!NamespaceWellFormed(attribute.name, attributePrefix, resolved.localName)) {
        return Fail("attribute " + attribute.name + " is not a namespace-well-formed name");
      }
      if (!attributePrefix.empty() && !Resolve(attributePrefix, &resolved.namespaceUri)) return false;
      resolved.value = attribute.value;
      element.attributes.push_back(std::move(resolved));
    }
    std::size_t index = out_->elements.size();
    element.parent = open_.empty() ? index : open_.back().index;
    out_->elements.push_back(std::move(element));
    if (!open_.empty()) out_->elements[open_.back().index].children.push_back(index);
    if (empty) {
      scope_.resize(scope_.size() - declared);
      if (open_.empty()) rootClosed_ = true;
    } else {
      open_.push_back(OpenElement{index, qualified, declared});
    }
    return true;
  }

  bool EndTag() {
    pos_ += 2;  // "</"
    std::string qualified;
    if (!ReadName(&qualified)) return false;
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != '>') return Fail("an unterminated end tag </" + qualified + ">");
    ++pos_;
    if (open_.empty()) return Fail("</" + qualified + "> closes nothing");
    if (open_.back().qualifiedName != qualified) {
      return Fail("</" + qualified + "> closes <" + open_.back().qualifiedName + ">");
    }
    scope_.resize(scope_.size() - open_.back().declarations);
    open_.pop_back();
    if (open_.empty()) rootClosed_ = true;
    return true;
  }

  bool Parse() {
    if (text_.size() > limits_.maxBytes) return Fail("the XML is over " + Number(limits_.maxBytes) + " bytes");
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    std::size_t bad = 0;
    if (!ValidText(text_, &bad)) {
      pos_ = bad;
      return Fail("the text is not well-formed UTF-8 of XML characters");
    }
    out_->elements.clear();
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '<') {
        if (At("<?")) {
          if (!SkipPast("?>", "processing instruction")) return false;
        } else if (At("<!--")) {
          if (!SkipPast("-->", "comment")) return false;
        } else if (At("<![CDATA[")) {
          if (open_.empty()) return Fail("CDATA outside the document element");
          std::size_t start = pos_ + 9;
          std::size_t end = text_.find("]]>", start);
          if (end == std::string::npos) return Fail("unterminated CDATA section");
          AppendText(text_.substr(start, end - start));
          pos_ = end + 3;
        } else if (At("<!")) {
          return Fail("a DTD or declaration (<!...>): DTDs are refused");
        } else if (At("</")) {
          if (!EndTag()) return false;
        } else if (!StartTag()) {
          return false;
        }
      } else if (open_.empty()) {
        if (!IsSpace(c)) return Fail(rootClosed_ ? "text after the document element" : "text before the document element");
        ++pos_;
      } else if (c == '&') {
        std::string decoded;
        if (!ReadReference(&decoded)) return false;
        out_->elements[open_.back().index].text += decoded;
      } else {
        std::size_t end = text_.find_first_of("<&", pos_);
        if (end == std::string::npos) end = text_.size();
        AppendText(text_.substr(pos_, end - pos_));
        pos_ = end;
      }
    }
    if (!open_.empty()) return Fail("<" + open_.back().qualifiedName + "> is never closed (the XML is truncated)");
    if (out_->elements.empty()) return Fail("there is no document element");
    return true;
  }

  // Character data with its line ends normalised (XML 1.0 §2.11): CRLF and CR become LF.
  void AppendText(const std::string& raw) {
    std::string& text = out_->elements[open_.back().index].text;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\r') {
        text.push_back('\n');
        if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      } else {
        text.push_back(raw[i]);
      }
    }
  }

  const std::string& text_;
  const XmlLimits& limits_;
  XmlDocument* out_;
  std::size_t pos_ = 0;
  std::vector<Declaration> scope_;
  std::vector<OpenElement> open_;
  bool rootClosed_ = false;
  std::string problem_;
};

}  // namespace

bool XmlRead(const std::string& text, const XmlLimits& limits, XmlDocument* out,
             std::string* problem) {
  Reader reader(text, limits, out);
  return reader.Run(problem);
}

std::string XmlTrim(const std::string& value) {
  std::size_t start = 0;
  std::size_t end = value.size();
  while (start < end && IsSpace(value[start])) ++start;
  while (end > start && IsSpace(value[end - 1])) --end;
  return value.substr(start, end - start);
}

}  // namespace xml
}  // namespace eaphost
