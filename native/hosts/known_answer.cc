#include "known_answer.h"

#include <algorithm>

#include "../common/secure_zero.h"
#include "../common/utf16.h"

namespace eaphost {

KnownAnswer::~KnownAnswer() {
  for (Rule& rule : rules) SecureZeroContents(rule.answer.value);  // passwords, NT hashes
}

namespace {

class PackedReader {
 public:
  PackedReader(const uint8_t* data, size_t size) : at_(data), left_(size) {}

  bool Word(uint32_t* out) {
    if (left_ < 4) return false;
    *out = static_cast<uint32_t>(at_[0]) | static_cast<uint32_t>(at_[1]) << 8 | static_cast<uint32_t>(at_[2]) << 16 |
           static_cast<uint32_t>(at_[3]) << 24;
    Skip(4);
    return true;
  }
  template <typename Out>
  bool Take(size_t size, Out* out) {
    if (left_ < size) return false;
    out->assign(at_, at_ + size);
    Skip(size);
    return true;
  }
  bool AtEnd() const { return left_ == 0; }

 private:
  void Skip(size_t size) {
    at_ += size;
    left_ -= size;
  }
  const uint8_t* at_;
  size_t left_;
};

}  // namespace

bool ReadPackedKnownAnswer(const uint8_t* data, size_t size, KnownAnswer* known) {
  PackedReader reader(data, size);
  uint32_t identityLength = 0;
  uint32_t count = 0;
  bool ok = reader.Word(&identityLength) && reader.Take(identityLength, &known->identity) && reader.Word(&count);
  // A rule takes 16 bytes at least: a count beyond what is left is refused before any room is made.
  ok = ok && count <= size / 16;
  if (ok) known->rules.resize(count);
  for (uint32_t i = 0; ok && i < count; ++i) {
    KnownAnswer::Rule& rule = known->rules[i];
    uint32_t type = 0;
    uint32_t minLength = 0;
    uint32_t prefixLength = 0;
    uint32_t answerLength = 0;
    ok = reader.Word(&type) && reader.Word(&minLength) && reader.Word(&prefixLength) && reader.Word(&answerLength) &&
         reader.Take(prefixLength, &rule.prefix) && reader.Take(answerLength, &rule.answer.value);
    rule.type = static_cast<eap::EAP_ATTRIBUTE_TYPE>(type);
    rule.minLength = minLength;
    rule.answer.type = rule.type;
  }
  return ok && reader.AtEnd();
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
                    EapErrorInfo* error, bool lendRequest) {
  Attributes answer;
  if (known != nullptr) {
    for (const KnownAnswer::Rule& rule : known->rules) {
      if (!Asks(rule, step->attributes)) continue;
      answer.push_back(rule.answer);
      break;
    }
  }
  bool ok = authenticator.SetAttributes(answer, step, error, lendRequest);
  for (Attribute& attribute : answer) SecureZeroContents(attribute.value);
  return ok;
}

bool AnswerFromTable(AuthenticatorHost& authenticator, const KnownAnswerTable& table, AuthenticatorStep* step,
                     EapErrorInfo* error, std::u16string* answeredFor, bool lendRequest) {
  while (step->kind == AuthenticatorStep::Kind::kRespond) {
    if (answeredFor != nullptr) *answeredFor = step->identity;
    auto found = table.find(AskedIdentity(*step));
    if (!AnswerQuestion(authenticator, found == table.end() ? nullptr : found->second.get(), step, error,
                        lendRequest)) {
      return false;
    }
  }
  return true;
}

}  // namespace eaphost
