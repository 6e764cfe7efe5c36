#include "known_answer.h"

#include <algorithm>

#include "../common/secure_zero.h"
#include "../common/utf16.h"

namespace eaphost {

KnownAnswer::~KnownAnswer() {
  for (Rule& rule : rules) SecureZeroContents(rule.answer.value);  // passwords, NT hashes
}

std::string AskedIdentity(const AuthenticatorStep& step) {
  for (const Attribute& attribute : step.attributes) {
    if (attribute.type == eap::eatUserName && !attribute.value.empty()) {
      return std::string(attribute.value.begin(), attribute.value.end());
    }
  }
  return Utf16ToUtf8(step.identity);
}

namespace {

bool Asks(const KnownAnswer::Rule& rule, const Attributes& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const Attribute& attribute) {
    return attribute.type == rule.type && attribute.value.size() >= std::max(rule.minLength, rule.prefix.size()) &&
           std::equal(rule.prefix.begin(), rule.prefix.end(), attribute.value.begin());
  });
}

}  // namespace

bool AnswerQuestion(AuthenticatorHost& authenticator, const KnownAnswer* known, AuthenticatorStep* step,
                    EapErrorInfo* error) {
  Attributes answer;
  if (known != nullptr) {
    for (const KnownAnswer::Rule& rule : known->rules) {
      if (!Asks(rule, step->attributes)) continue;
      answer.push_back(rule.answer);
      break;
    }
  }
  bool ok = authenticator.SetAttributes(answer, step, error);
  for (Attribute& attribute : answer) SecureZeroContents(attribute.value);
  return ok;
}

bool AnswerFromTable(AuthenticatorHost& authenticator, const KnownAnswerTable& table, AuthenticatorStep* step,
                     EapErrorInfo* error, std::u16string* answeredFor) {
  while (step->kind == AuthenticatorStep::Kind::kRespond) {
    if (answeredFor != nullptr) *answeredFor = step->identity;
    auto found = table.find(AskedIdentity(*step));
    if (!AnswerQuestion(authenticator, found == table.end() ? nullptr : found->second.get(), step, error)) return false;
  }
  return true;
}

}  // namespace eaphost
