#include "known_answer.h"

#include <string>

#include "../common/secure_zero.h"
#include "js_convert.h"

namespace eaphost {

namespace {

// A Buffer's bytes, or a string's UTF-8, read straight into the bytes returned (no copy left
// behind: an answer is a password). lib/ hands over the table's own strings, the identity and a
// clear-text password, rather than a Buffer made of each for every conversation.
Bytes BytesOrTextValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsString()) return BytesValue(env, value, name);
  size_t length = 0;
  // Most identities and passwords fit here: one read of the text instead of two (its length,
  // then its bytes). What the stack held is wiped: it may be a password.
  char shortText[128];
  if (napi_get_value_string_utf8(env, value, shortText, sizeof shortText, &length) != napi_ok) {
    throw Napi::TypeError::New(env, std::string(name) + " must be a Buffer or a string");
  }
  // Room left for any character (four bytes in UTF-8, the NUL's place aside) means none was cut.
  if (length + 4 < sizeof shortText - 1) {
    Bytes out(shortText, shortText + length);
    SecureZero(shortText, sizeof shortText);
    return out;
  }
  SecureZero(shortText, sizeof shortText);
  napi_get_value_string_utf8(env, value, nullptr, 0, &length);
  Bytes out(length + 1);  // room for the NUL napi writes
  napi_get_value_string_utf8(env, value, reinterpret_cast<char*>(out.data()), out.size(), &length);
  out.resize(length);
  return out;
}

// A field of a known answer or one of its rules, named in the TypeError when it is missing.
Napi::Value Field(Napi::Object object, const char* name) {
  Napi::Value value = GetField(object, name);
  if (value.IsUndefined()) throw Napi::TypeError::New(object.Env(), std::string("knownAnswer ") + name + " is required");
  return value;
}

// { identity, rules: { type, prefix, minLength, answer }[] }: the identity and each answer a
// Buffer or a string (its UTF-8).
std::shared_ptr<const KnownAnswer> KnownAnswerValue(Napi::Env env, Napi::Value value) {
  if (!value.IsObject() || value.IsArray()) throw Napi::TypeError::New(env, "knownAnswer must be { identity, rules }");
  Napi::Object object = value.As<Napi::Object>();
  auto known = std::make_shared<KnownAnswer>();
  Bytes identity = BytesOrTextValue(env, Field(object, "identity"), "knownAnswer identity");
  known->identity.assign(identity.begin(), identity.end());
  Napi::Value listed = Field(object, "rules");
  if (!listed.IsArray()) throw Napi::TypeError::New(env, "knownAnswer rules must be an array");
  Napi::Array rules = listed.As<Napi::Array>();
  uint32_t count = rules.Length();
  known->rules.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Napi::Value item = rules.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "a knownAnswer rule is { type, prefix, minLength, answer }");
    Napi::Object rule = item.As<Napi::Object>();
    KnownAnswer::Rule made;
    made.type = static_cast<eap::EAP_ATTRIBUTE_TYPE>(DwordValue(env, Field(rule, "type"), "knownAnswer type"));
    made.prefix = BytesValue(env, Field(rule, "prefix"), "knownAnswer prefix");
    made.minLength = DwordValue(env, Field(rule, "minLength"), "knownAnswer minLength");
    made.answer.type = made.type;
    made.answer.value = BytesOrTextValue(env, Field(rule, "answer"), "knownAnswer answer");
    known->rules.push_back(std::move(made));
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
