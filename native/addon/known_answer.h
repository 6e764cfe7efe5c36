// The user store's answer, known before the conversation began: JS looked the peer's identity
// up in a store that answers from a plain table (nothing of the caller's runs in a lookup), so
// the authenticator's questions (RESPOND) about that identity are answered in the same host-thread
// job as the rounds around them, with no trip through JS. A question about anyone else, or none
// this answer covers, is left to JS as before.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <napi.h>

#include "../hosts/authenticator_host.h"

namespace eaphost {

struct KnownAnswer {
  // The identity the answer is for, UTF-8, compared byte for byte with the one asked about.
  std::string identity;
  // In order of preference: a question (an attribute of `type` whose value starts with `prefix`
  // and is at least `minLength` long) and the attribute that answers it. None matching: the
  // record answers nothing (an empty answer), as the user store would.
  struct Rule {
    eap::EAP_ATTRIBUTE_TYPE type{};
    Bytes prefix;
    size_t minLength = 0;
    Attribute answer;
  };
  std::vector<Rule> rules;

  KnownAnswer() = default;
  KnownAnswer(const KnownAnswer&) = delete;
  KnownAnswer& operator=(const KnownAnswer&) = delete;
  KnownAnswer(KnownAnswer&&) = default;
  KnownAnswer& operator=(KnownAnswer&&) = default;
  ~KnownAnswer();
};

// Argument `index`: undefined (no known answer: null), or [identity: Buffer, rules: [type,
// prefix: Buffer, minLength, answer: Buffer][]]; anything else is a TypeError.
std::shared_ptr<const KnownAnswer> KnownAnswerArg(const Napi::CallbackInfo& info, size_t index);

// Host thread: while `step` is a RESPOND about the known identity, answers it (SetAttributes)
// and takes the step that makes. False only when SetAttributes failed (*error). `answeredFor`
// is set to the identity of the last question answered here.
bool AnswerKnownQuestions(AuthenticatorHost& authenticator, const KnownAnswer* known, AuthenticatorStep* step,
                          EapErrorInfo* error, std::u16string* answeredFor);

}  // namespace eaphost
