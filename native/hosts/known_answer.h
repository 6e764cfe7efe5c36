// The user store's answers, known before the question is asked: a store that answers from a plain
// table (nothing of the caller's runs in a lookup) is handed over whole (the embedded
// authenticator's conversations, the native RADIUS lane), so the authenticator's questions
// (RESPOND) are answered where the conversation steps, with no trip through JS; a store that is
// JS's answers one question at a time (AnswerQuestion).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "authenticator_host.h"

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

// A plain table's answers for every identity it holds. An identity it does not hold has no
// record: its questions get the empty answer, as the table's lookup would give.
using KnownAnswerTable = std::unordered_map<std::string, std::shared_ptr<const KnownAnswer>>;

// Reads one packed known answer (lib/core/users.ts KnownAnswer: the identity, then each rule's
// type, minimum length, prefix and answer, lengths as little-endian 32-bit words) with every
// length checked against what is left. False, with `out` unusable, when they do not add up.
bool ReadPackedKnownAnswer(const uint8_t* data, size_t size, KnownAnswer* out);

// The identity a RESPOND asks about, as the user store is asked (UTF-8): the method's User-Name
// when it names one (PEAP's and TTLS's inner identity), else the conversation's EAP identity.
std::string AskedIdentity(const AuthenticatorStep& step);

// Answers the RESPOND `step` from `known` (null: no record, the empty answer), whoever it asks
// about, and takes the step that makes: the user store's answer to a question JS was asked.
// `lendRequest`: as AuthenticatorHost::Receive's, for the request the answer makes.
bool AnswerQuestion(AuthenticatorHost& authenticator, const KnownAnswer* known, AuthenticatorStep* step,
                    EapErrorInfo* error, bool lendRequest = false);

// While `step` is a RESPOND, answers it from `table`, whoever it asks about, and takes the step
// that makes. False only when SetAttributes failed (*error). `answeredFor`, when given, is set to
// the conversation's identity at the last question answered here.
bool AnswerFromTable(AuthenticatorHost& authenticator, const KnownAnswerTable& table, AuthenticatorStep* step,
                     EapErrorInfo* error, std::u16string* answeredFor = nullptr, bool lendRequest = false);

}  // namespace eaphost
