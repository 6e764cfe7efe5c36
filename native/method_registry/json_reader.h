// A small strict JSON reader (RFC 8259) for configuration files such as the method manifest.
// Strict: no comments, no trailing commas, no duplicate object keys, no control characters in
// strings, nesting depth bounded. Every read is bounds-checked; errors carry line and column
// (1-based, columns counted in bytes) so a hand-edited manifest can be fixed quickly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace eaphost {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const { return kind_; }
  static const char* KindName(Kind kind);
  // Where the value starts in the source text (1-based).
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }

  bool boolValue() const { return bool_; }
  double numberValue() const { return number_; }
  const std::string& stringValue() const { return string_; }  // UTF-8
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }

  // The member named `key` of an object, or null.
  const JsonValue* Member(const std::string& key) const;
  // True when this is a number with an integral value in [0, max] (exactly representable).
  bool AsUnsigned(std::uint64_t max, std::uint64_t* out) const;

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  std::size_t line_ = 0;
  std::size_t column_ = 0;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses one JSON document (surrounding whitespace allowed). On failure returns false and
// sets *error to "line L, column C: what was wrong".
bool ParseJson(const std::string& text, JsonValue* root, std::string* error);

}  // namespace eaphost
