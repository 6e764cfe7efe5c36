// A known answer (hosts/known_answer.h) from JS: one identity's, or a whole plain table's.
#pragma once

#include <memory>

#include <napi.h>

#include "../hosts/known_answer.h"

namespace eaphost {

// Argument `index`: undefined (no known answer: null), or [identity, rules: [type, prefix: Buffer,
// minLength, answer][]], the identity and each answer a Buffer or a string (its UTF-8); or, when
// it is the call's last part, the same as arguments: the identity (a string) at `index`, then each
// rule's four parts after it until an undefined one. Anything else is a TypeError.
std::shared_ptr<const KnownAnswer> KnownAnswerArg(const Napi::CallbackInfo& info, size_t index);

// `value`: undefined (null), or one known answer [identity, rules] as KnownAnswerArg's array form.
std::shared_ptr<const KnownAnswer> KnownAnswerOf(Napi::Env env, Napi::Value value);

// `value`: an array of known answers in the shape KnownAnswerArg takes, one per identity.
KnownAnswerTable KnownAnswerTableValue(Napi::Env env, Napi::Value value);

}  // namespace eaphost
