#include "known_answer.h"

#include <algorithm>
#include <cstring>

#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "js_convert.h"

namespace eaphost {

KnownAnswer::~KnownAnswer() {
  for (Rule& rule : rules) SecureZeroContents(rule.answer.value);  // passwords, NT hashes
}

std::shared_ptr<const KnownAnswer> KnownAnswerArg(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  if (info.Length() <= index || info[index].IsUndefined()) return nullptr;
  const char* shape = "knownAnswer must be [identity, [type, prefix, minLength, answer][]]";
  if (!info[index].IsArray()) throw Napi::TypeError::New(env, shape);
  Napi::Array parts = info[index].As<Napi::Array>();
  if (parts.Length() != 2 || !parts.Get(1u).IsArray()) throw Napi::TypeError::New(env, shape);
  auto known = std::make_shared<KnownAnswer>();
  Bytes identity = BytesValue(env, parts.Get(0u), "knownAnswer identity");
  known->identity.assign(identity.begin(), identity.end());
  Napi::Array rules = parts.Get(1u).As<Napi::Array>();
  for (uint32_t i = 0; i < rules.Length(); ++i) {
    Napi::Value value = rules.Get(i);
    if (!value.IsArray() || value.As<Napi::Array>().Length() != 4) throw Napi::TypeError::New(env, shape);
    Napi::Array rule = value.As<Napi::Array>();
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

namespace {

// The identity a RESPOND asks about, as the user store is asked: the method's User-Name when it
// names one (PEAP's and TTLS's inner identity), else the conversation's EAP identity.
std::string AskedIdentity(const AuthenticatorStep& step) {
  for (const Attribute& attribute : step.attributes) {
    if (attribute.type == eap::eatUserName && !attribute.value.empty()) {
      return std::string(attribute.value.begin(), attribute.value.end());
    }
  }
  return Utf16ToUtf8(step.identity);
}

bool Asks(const KnownAnswer::Rule& rule, const Attributes& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const Attribute& attribute) {
    return attribute.type == rule.type && attribute.value.size() >= std::max(rule.minLength, rule.prefix.size()) &&
           std::equal(rule.prefix.begin(), rule.prefix.end(), attribute.value.begin());
  });
}

}  // namespace

bool AnswerKnownQuestions(AuthenticatorHost& authenticator, const KnownAnswer* known, AuthenticatorStep* step,
                          EapErrorInfo* error, std::u16string* answeredFor) {
  while (known != nullptr && step->kind == AuthenticatorStep::Kind::kRespond && AskedIdentity(*step) == known->identity) {
    Attributes answer;
    for (const KnownAnswer::Rule& rule : known->rules) {
      if (!Asks(rule, step->attributes)) continue;
      answer.push_back(rule.answer);
      break;
    }
    *answeredFor = step->identity;
    bool ok = authenticator.SetAttributes(answer, step, error);
    for (Attribute& attribute : answer) SecureZeroContents(attribute.value);
    if (!ok) return false;
  }
  return true;
}

}  // namespace eaphost
