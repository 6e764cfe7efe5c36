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

// A known answer about `identity` (a Buffer, or a string's UTF-8), its rules still to add.
std::shared_ptr<KnownAnswer> KnownAnswerAbout(Napi::Env env, Napi::Value identity) {
  auto known = std::make_shared<KnownAnswer>();
  Bytes bytes = BytesOrTextValue(env, identity, "knownAnswer identity");
  known->identity.assign(bytes.begin(), bytes.end());
  return known;
}

// One rule from its four parts [type, prefix, minLength, answer].
KnownAnswer::Rule RuleOf(Napi::Env env, Napi::Value type, Napi::Value prefix, Napi::Value minLength, Napi::Value answer) {
  KnownAnswer::Rule made;
  made.type = static_cast<eap::EAP_ATTRIBUTE_TYPE>(DwordValue(env, type, "knownAnswer type"));
  made.prefix = BytesValue(env, prefix, "knownAnswer prefix");
  made.minLength = DwordValue(env, minLength, "knownAnswer minLength");
  made.answer.type = made.type;
  made.answer.value = BytesOrTextValue(env, answer, "knownAnswer answer");
  return made;
}

std::shared_ptr<const KnownAnswer> KnownAnswerValue(Napi::Env env, Napi::Value value) {
  const char* shape = "knownAnswer must be [identity, [type, prefix, minLength, answer][]]";
  if (!value.IsArray()) throw Napi::TypeError::New(env, shape);
  Napi::Array parts = value.As<Napi::Array>();
  // Each element read once: an element read from here is one of the dearest calls there are.
  Napi::Value listed = parts.Length() == 2 ? parts.Get(1u) : Napi::Value();
  if (listed.IsEmpty() || !listed.IsArray()) throw Napi::TypeError::New(env, shape);
  std::shared_ptr<KnownAnswer> known = KnownAnswerAbout(env, parts.Get(0u));
  Napi::Array rules = listed.As<Napi::Array>();
  uint32_t count = rules.Length();
  known->rules.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Napi::Value item = rules.Get(i);
    if (!item.IsArray() || item.As<Napi::Array>().Length() != 4) throw Napi::TypeError::New(env, shape);
    Napi::Array rule = item.As<Napi::Array>();
    known->rules.push_back(RuleOf(env, rule.Get(0u), rule.Get(1u), rule.Get(2u), rule.Get(3u)));
  }
  return known;
}

}  // namespace

std::shared_ptr<const KnownAnswer> KnownAnswerArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || info[index].IsUndefined()) return nullptr;
  if (!info[index].IsString()) return KnownAnswerValue(info.Env(), info[index]);
  // Its parts as arguments: the identity, then each rule's four until one is undefined.
  Napi::Env env = info.Env();
  std::shared_ptr<KnownAnswer> known = KnownAnswerAbout(env, info[index]);
  for (size_t at = index + 1; at < info.Length() && !info[at].IsUndefined(); at += 4) {
    if (info[at + 3].IsUndefined()) throw Napi::TypeError::New(env, "a knownAnswer rule is [type, prefix, minLength, answer]");
    known->rules.push_back(RuleOf(env, info[at], info[at + 1], info[at + 2], info[at + 3]));
  }
  return known;
}

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
