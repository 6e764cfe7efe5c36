#include "json_reader.h"

#include "../common/utf16.h"

#include <cmath>
#include <cstdlib>
#include <unordered_set>

namespace eaphost {

namespace {
// Deep enough for any configuration file, shallow enough that recursion cannot exhaust the
// stack of a small thread.
constexpr int kMaxDepth = 64;
// Far above any configuration file, far below what would hold the host thread or its memory:
// a 1 MiB document could otherwise hold half a million values.
constexpr std::size_t kMaxMembersPerObject = 4096;
constexpr std::size_t kMaxValues = 65536;

}  // namespace

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : text_(text) {}

  bool ParseDocument(JsonValue* root, std::string* error) {
    SkipWhitespace();
    if (!ParseValue(root, 0)) return Report(error);
    SkipWhitespace();
    if (pos_ != text_.size()) {
      Fail("unexpected data after the JSON value");
      return Report(error);
    }
    return true;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void Advance() {
    if (AtEnd()) return;
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  bool Fail(const std::string& message) {
    if (message_.empty()) {
      message_ = message;
      errorLine_ = line_;
      errorColumn_ = column_;
    }
    return false;
  }

  bool Report(std::string* error) {
    if (error != nullptr) {
      *error = "line " + std::to_string(errorLine_) + ", column " + std::to_string(errorColumn_) +
               ": " + message_;
    }
    return false;
  }

  void SkipWhitespace() {
    while (!AtEnd()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      Advance();
    }
  }

  bool Expect(const char* literal) {
    for (const char* p = literal; *p != '\0'; ++p) {
      if (Peek() != *p) return Fail(std::string("invalid literal, expected '") + literal + "'");
      Advance();
    }
    return true;
  }

  bool ParseValue(JsonValue* value, int depth) {
    if (depth > kMaxDepth) return Fail("nesting deeper than " + std::to_string(kMaxDepth));
    if (++values_ > kMaxValues) return Fail("more than " + std::to_string(kMaxValues) + " values");
    value->line_ = line_;
    value->column_ = column_;
    char c = Peek();
    if (AtEnd()) return Fail("unexpected end of input, expected a value");
    switch (c) {
      case '{': return ParseObject(value, depth);
      case '[': return ParseArray(value, depth);
      case '"':
        value->kind_ = JsonValue::Kind::kString;
        return ParseString(&value->string_);
      case 't':
        value->kind_ = JsonValue::Kind::kBool;
        value->bool_ = true;
        return Expect("true");
      case 'f':
        value->kind_ = JsonValue::Kind::kBool;
        value->bool_ = false;
        return Expect("false");
      case 'n':
        value->kind_ = JsonValue::Kind::kNull;
        return Expect("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(value);
        return Fail(std::string("unexpected character '") + c + "'");
    }
  }

  bool ParseObject(JsonValue* value, int depth) {
    value->kind_ = JsonValue::Kind::kObject;
    Advance();  // '{'
    SkipWhitespace();
    if (Peek() == '}') {
      Advance();
      return true;
    }
    // Duplicate keys are found through a hash set: a linear scan per key made a document
    // with many keys quadratic.
    std::unordered_set<std::string> seen;
    for (;;) {
      SkipWhitespace();
      if (Peek() != '"') return Fail("expected a string as object key");
      if (value->members_.size() >= kMaxMembersPerObject) {
        return Fail("more than " + std::to_string(kMaxMembersPerObject) + " keys in one object");
      }
      std::size_t keyLine = line_, keyColumn = column_;
      std::string key;
      if (!ParseString(&key)) return false;
      if (!seen.insert(key).second) {
        line_ = keyLine;
        column_ = keyColumn;
        return Fail("duplicate key \"" + key + "\"");
      }
      SkipWhitespace();
      if (Peek() != ':') return Fail("expected ':' after object key");
      Advance();
      SkipWhitespace();
      value->members_.emplace_back(std::move(key), JsonValue());
      if (!ParseValue(&value->members_.back().second, depth + 1)) return false;
      SkipWhitespace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == '}') {
        Advance();
        return true;
      }
      return Fail("expected ',' or '}' in object");
    }
  }

  bool ParseArray(JsonValue* value, int depth) {
    value->kind_ = JsonValue::Kind::kArray;
    Advance();  // '['
    SkipWhitespace();
    if (Peek() == ']') {
      Advance();
      return true;
    }
    for (;;) {
      SkipWhitespace();
      value->items_.emplace_back();
      if (!ParseValue(&value->items_.back(), depth + 1)) return false;
      SkipWhitespace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == ']') {
        Advance();
        return true;
      }
      return Fail("expected ',' or ']' in array");
    }
  }

  bool ParseHex4(std::uint32_t* out) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = Peek();
      int digit;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      else return Fail("invalid \\u escape");
      v = (v << 4) | static_cast<std::uint32_t>(digit);
      Advance();
    }
    *out = v;
    return true;
  }

  bool ParseEscape(std::string* out) {
    char c = Peek();
    Advance();
    switch (c) {
      case '"': out->push_back('"'); return true;
      case '\\': out->push_back('\\'); return true;
      case '/': out->push_back('/'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'u': break;
      default: return Fail("invalid escape sequence");
    }
    std::uint32_t cp;
    if (!ParseHex4(&cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail("unpaired low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // A high surrogate must be followed by an escaped low one: together one code point.
      if (Peek() != '\\') return Fail("unpaired high surrogate in \\u escape");
      Advance();
      if (Peek() != 'u') return Fail("unpaired high surrogate in \\u escape");
      Advance();
      std::uint32_t low;
      if (!ParseHex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return Fail("unpaired high surrogate in \\u escape");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(out, static_cast<char32_t>(cp));
    return true;
  }

  bool ParseString(std::string* out) {
    Advance();  // opening quote
    for (;;) {
      if (AtEnd()) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        Advance();
        return true;
      }
      if (c < 0x20) return Fail("control character in string (escape it)");
      if (c == '\\') {
        Advance();
        if (AtEnd()) return Fail("unterminated string");
        if (!ParseEscape(out)) return false;
        continue;
      }
      out->push_back(static_cast<char>(c));
      Advance();
    }
  }

  bool ParseNumber(JsonValue* value) {
    std::size_t start = pos_;
    if (Peek() == '-') Advance();
    if (Peek() == '0') {
      Advance();
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') Advance();
    } else {
      return Fail("invalid number");
    }
    if (Peek() == '.') {
      Advance();
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("invalid number: digit expected after '.'");
      while (Peek() >= '0' && Peek() <= '9') Advance();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      Advance();
      if (Peek() == '+' || Peek() == '-') Advance();
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("invalid number: digit expected in exponent");
      while (Peek() >= '0' && Peek() <= '9') Advance();
    }
    // The grammar above already validated the token, so strtod sees only a well-formed number
    // (a copy, because the source is not NUL-terminated at the token's end).
    std::string token = text_.substr(start, pos_ - start);
    value->kind_ = JsonValue::Kind::kNumber;
    value->number_ = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(value->number_)) return Fail("number out of range");
    return true;
  }

  const std::string& text_;
  std::size_t pos_ = 0;
  std::size_t values_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
  std::string message_;
  std::size_t errorLine_ = 0;
  std::size_t errorColumn_ = 0;
};

const char* JsonValue::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "boolean";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kArray: return "array";
    case Kind::kObject: return "object";
  }
  return "unknown";
}

const JsonValue* JsonValue::Member(const std::string& key) const {
  for (const auto& member : members_) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

bool JsonValue::AsUnsigned(std::uint64_t max, std::uint64_t* out) const {
  if (kind_ != Kind::kNumber) return false;
  // Doubles hold integers exactly up to 2^53; anything the manifest needs is far below.
  if (number_ < 0 || number_ > 9007199254740992.0) return false;
  if (std::floor(number_) != number_) return false;
  std::uint64_t v = static_cast<std::uint64_t>(number_);
  if (v > max) return false;
  *out = v;
  return true;
}

bool ParseJson(const std::string& text, JsonValue* root, std::string* error) {
  *root = JsonValue();
  JsonParser parser(text);
  return parser.ParseDocument(root, error);
}

}  // namespace eaphost
