#include "known_answer.h"

#include <string>

#include "js_convert.h"

namespace eaphost {

namespace {

// A Buffer's bytes, or a string's UTF-8, read straight into the bytes returned (no copy left
// behind: an answer is a password). lib/ hands over the table's own strings, the identity and a
// clear-text password, rather than a Buffer made of each for every conversation.
Bytes BytesOrTextValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsString()) return BytesValue(env, value, name);
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok) {
    throw Napi::TypeError::New(env, std::string(name) + " must be a Buffer or a string");
  }
  Bytes out(length + 1);  // room for the NUL napi writes
  napi_get_value_string_utf8(env, value, reinterpret_cast<char*>(out.data()), out.size(), &length);
  out.resize(length);
  return out;
}

std::shared_ptr<const KnownAnswer> KnownAnswerValue(Napi::Env env, Napi::Value value) {
  const char* shape = "knownAnswer must be [identity, [type, prefix, minLength, answer][]]";
  if (!value.IsArray()) throw Napi::TypeError::New(env, shape);
  Napi::Array parts = value.As<Napi::Array>();
  if (parts.Length() != 2 || !parts.Get(1u).IsArray()) throw Napi::TypeError::New(env, shape);
  auto known = std::make_shared<KnownAnswer>();
  Bytes identity = BytesOrTextValue(env, parts.Get(0u), "knownAnswer identity");
  known->identity.assign(identity.begin(), identity.end());
  Napi::Array rules = parts.Get(1u).As<Napi::Array>();
  for (uint32_t i = 0; i < rules.Length(); ++i) {
    Napi::Value item = rules.Get(i);
    if (!item.IsArray() || item.As<Napi::Array>().Length() != 4) throw Napi::TypeError::New(env, shape);
    Napi::Array rule = item.As<Napi::Array>();
    KnownAnswer::Rule made;
    made.type = static_cast<eap::EAP_ATTRIBUTE_TYPE>(DwordValue(env, rule.Get(0u), "knownAnswer type"));
    made.prefix = BytesValue(env, rule.Get(1u), "knownAnswer prefix");
    made.minLength = DwordValue(env, rule.Get(2u), "knownAnswer minLength");
    made.answer.type = made.type;
    made.answer.value = BytesOrTextValue(env, rule.Get(3u), "knownAnswer answer");
    known->rules.push_back(std::move(made));
  }
  return known;
}

}  // namespace

std::shared_ptr<const KnownAnswer> KnownAnswerArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || info[index].IsUndefined()) return nullptr;
  return KnownAnswerValue(info.Env(), info[index]);
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
