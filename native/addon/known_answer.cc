#include "known_answer.h"

#include <string>

#include "js_convert.h"

namespace eaphost {

namespace {

// The packed known answer (lib/core/users.ts, KnownAnswer), read with every length checked
// against what is left before a byte of it is read.
class PackedReader {
 public:
  PackedReader(const uint8_t* data, size_t size) : at_(data), left_(size) {}

  bool Word(uint32_t* out) {
    if (left_ < 4) return false;
    *out = static_cast<uint32_t>(at_[0]) | static_cast<uint32_t>(at_[1]) << 8 | static_cast<uint32_t>(at_[2]) << 16 |
           static_cast<uint32_t>(at_[3]) << 24;
    Skip(4);
    return true;
  }
  template <typename Out>
  bool Take(size_t size, Out* out) {
    if (left_ < size) return false;
    out->assign(at_, at_ + size);
    Skip(size);
    return true;
  }
  bool AtEnd() const { return left_ == 0; }

 private:
  void Skip(size_t size) {
    at_ += size;
    left_ -= size;
  }
  const uint8_t* at_;
  size_t left_;
};

std::shared_ptr<const KnownAnswer> KnownAnswerValue(Napi::Env env, Napi::Value value) {
  if (!value.IsBuffer()) throw Napi::TypeError::New(env, "a known answer must be a Buffer (lib/core/users.ts KnownAnswer)");
  auto buffer = value.As<Napi::Buffer<uint8_t>>();
  PackedReader reader(buffer.Data(), buffer.Length());
  auto known = std::make_shared<KnownAnswer>();
  uint32_t identityLength = 0;
  uint32_t count = 0;
  bool ok = reader.Word(&identityLength) && reader.Take(identityLength, &known->identity) && reader.Word(&count);
  // A rule takes 16 bytes at least: a count beyond what is left is refused before any room is made.
  ok = ok && count <= buffer.Length() / 16;
  if (ok) known->rules.resize(count);
  for (uint32_t i = 0; ok && i < count; ++i) {
    KnownAnswer::Rule& rule = known->rules[i];
    uint32_t type = 0;
    uint32_t minLength = 0;
    uint32_t prefixLength = 0;
    uint32_t answerLength = 0;
    ok = reader.Word(&type) && reader.Word(&minLength) && reader.Word(&prefixLength) && reader.Word(&answerLength) &&
         reader.Take(prefixLength, &rule.prefix) && reader.Take(answerLength, &rule.answer.value);
    rule.type = static_cast<eap::EAP_ATTRIBUTE_TYPE>(type);
    rule.minLength = minLength;
    rule.answer.type = rule.type;
  }
  if (!ok || !reader.AtEnd()) {
    throw Napi::TypeError::New(env, "a known answer's lengths do not match its size (lib/core/users.ts KnownAnswer)");
  }
  return known;
}

}  // namespace

std::shared_ptr<const KnownAnswer> KnownAnswerOf(Napi::Env env, Napi::Value value) {
  if (value.IsUndefined()) return nullptr;
  return KnownAnswerValue(env, value);
}

KnownAnswerTable KnownAnswerTableValue(Napi::Env env, Napi::Value value) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, "users must be an array of known answers");
  Napi::Array list = value.As<Napi::Array>();
  KnownAnswerTable table;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    std::shared_ptr<const KnownAnswer> known = KnownAnswerValue(env, list.Get(i));
    table[known->identity] = known;
  }
  return table;
}

}  // namespace eaphost
