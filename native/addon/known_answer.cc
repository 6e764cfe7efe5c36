#include "known_answer.h"

#include "js_convert.h"

namespace eaphost {

namespace {

std::shared_ptr<const KnownAnswer> KnownAnswerValue(Napi::Env env, Napi::Value value) {
  const char* shape = "knownAnswer must be [identity, [type, prefix, minLength, answer][]]";
  if (!value.IsArray()) throw Napi::TypeError::New(env, shape);
  Napi::Array parts = value.As<Napi::Array>();
  if (parts.Length() != 2 || !parts.Get(1u).IsArray()) throw Napi::TypeError::New(env, shape);
  auto known = std::make_shared<KnownAnswer>();
  Bytes identity = BytesValue(env, parts.Get(0u), "knownAnswer identity");
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
    made.answer.value = BytesValue(env, rule.Get(3u), "knownAnswer answer");
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
