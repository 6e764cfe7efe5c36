#include "user_secret.h"

#include "method_attributes.h"
#include "method_identity.h"

namespace eaphost {

std::vector<MethodAttribute> SecretQuestions(const std::string& identity, bool ntHashWelcome) {
  std::vector<MethodAttribute> questions;
  questions.push_back(
      MethodAttribute{eap::eatUserName, std::vector<std::uint8_t>(identity.begin(), identity.end())});
  questions.push_back(MethodAttribute{eap::eatClearTextPassword, {}});
  if (ntHashWelcome) {
    questions.push_back(MethodAttribute{
        eap::eatVendorSpecific, VendorSpecific(kEaphostAuthorId, kNtHashVendorType, ByteSpan{})});
  }
  return questions;
}

bool FindClearTextPassword(const eap::EapAttributes& given, ByteSpan* password) {
  for (eap::DWORD i = 0; i < given.dwNumberOfAttributes; ++i) {
    const eap::EAP_ATTRIBUTE& attribute = given.pAttribs[i];
    // A null value is our own question echoed back unanswered.
    if (attribute.eaType == eap::eatClearTextPassword && attribute.pValue != nullptr) {
      *password = ByteSpan{attribute.pValue, attribute.dwLength};
      return true;
    }
  }
  return false;
}

bool FindNtHash(const eap::EapAttributes& given, ByteSpan* ntHash) {
  for (eap::DWORD i = 0; i < given.dwNumberOfAttributes; ++i) {
    ByteSpan data;
    if (ReadVendorSpecific(given.pAttribs[i], kEaphostAuthorId, kNtHashVendorType, &data) &&
        data.size == kNtHashSize) {
      *ntHash = data;
      return true;
    }
  }
  return false;
}

}  // namespace eaphost
