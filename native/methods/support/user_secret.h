// How an authenticator method learns the user's secret: it answers RESPOND, the host calls
// GetAttributes and finds questions (attributes without a value), the user store fills them
// in, and SetAttributes brings the answers back. Two secrets can be asked for: the clear-text
// password (eatClearTextPassword) and, for MS-CHAP methods, the NT password hash, asked as a
// Vendor-Specific attribute under this project's vendor id (kEaphostAuthorId), type 1:
//   question: Vendor-Id(4) Vendor-Type 1 Vendor-Length 2
//   answer:   Vendor-Id(4) Vendor-Type 1 Vendor-Length 18 NT-Hash(16) = MD4(UTF-16LE password)
#pragma once

#include <string>
#include <vector>

#include "../method.h"

namespace eaphost {

constexpr eap::BYTE kNtHashVendorType = 1;
constexpr std::size_t kNtHashSize = 16;

// eatUserName (the identity) and the password question, plus the NT-hash question when the
// method can use a hash instead of the password.
std::vector<MethodAttribute> SecretQuestions(const std::string& identity, bool ntHashWelcome);

// The answers, when given. Values point into `given`, valid only during SetAttributes.
bool FindClearTextPassword(const eap::EapAttributes& given, ByteSpan* password);
bool FindNtHash(const eap::EapAttributes& given, ByteSpan* ntHash);

}  // namespace eaphost
