// A known answer (hosts/known_answer.h) from JS: one identity's, or a whole plain table's.
#pragma once

#include <memory>

#include <napi.h>

#include "../hosts/known_answer.h"

namespace eaphost {

// `value`: undefined (null), or one known answer { identity, rules: { type, prefix, minLength, answer }[] }, the identity and
// each answer a Buffer or a string (its UTF-8). Anything else is a TypeError naming the field.
std::shared_ptr<const KnownAnswer> KnownAnswerOf(Napi::Env env, Napi::Value value);

// `value`: an array of known answers, one per identity.
KnownAnswerTable KnownAnswerTableValue(Napi::Env env, Napi::Value value);

}  // namespace eaphost
