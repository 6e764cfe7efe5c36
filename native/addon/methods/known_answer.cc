#include "known_answer.h"

#include <string>

#include "../runtime/js_convert.h"

namespace eaphost {

namespace {

std::shared_ptr<const KnownAnswer> KnownAnswerValue(Napi::Env env, Napi::Value value) {
  if (!value.IsBuffer()) throw Napi::TypeError::New(env, "a known answer must be a Buffer (lib/core/users.ts KnownAnswer)");
  auto buffer = value.As<Napi::Buffer<uint8_t>>();
  auto known = std::make_shared<KnownAnswer>();
  if (!ReadPackedKnownAnswer(buffer.Data(), buffer.Length(), known.get())) {
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
