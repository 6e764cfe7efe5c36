// A known answer (hosts/known_answer.h) from JS: one identity's, or a whole plain table's.
#pragma once

#include <memory>

#include <napi.h>

#include "../../hosts/known_answer.h"

namespace eaphost {

// `value`: undefined (null), or one known answer: a Buffer laid out as lib/core/users.ts
// KnownAnswer documents. Anything else, or lengths that do not add up to its size, is a TypeError.
std::shared_ptr<const KnownAnswer> KnownAnswerOf(Napi::Env env, Napi::Value value);

// `value`: an array of known answers, one per identity.
KnownAnswerTable KnownAnswerTableValue(Napi::Env env, Napi::Value value);

}  // namespace eaphost
