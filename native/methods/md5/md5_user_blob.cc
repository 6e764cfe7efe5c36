#include "md5_user_blob.h"

#include <cstring>

#include "../common/method_error.h"
#include "../common/method_identity.h"
#include "../common/method_memory.h"
#include "../common/wide_text.h"

namespace eaphost {
namespace md5 {

namespace {
const eap::EAP_METHOD_TYPE kMethodType = MethodTypeOf(kEapTypeMd5Challenge);
const eap::BYTE kMagic[4] = {0x65, 0x4D, 0x44, 0x35};  // "eMD5"
constexpr eap::BYTE kVersion = 1;
constexpr std::size_t kFixedSize = 4 + 1 + 2 + 2;

std::string Num(std::size_t n) { return Decimal(n); }

std::size_t ReadU16(const eap::BYTE* p) { return (static_cast<std::size_t>(p[0]) << 8) | p[1]; }

eap::BYTE* WriteU16(eap::BYTE* p, std::size_t value) {
  p[0] = static_cast<eap::BYTE>(value >> 8);
  p[1] = static_cast<eap::BYTE>(value & 0xFF);
  return p + 2;
}

const char kUserNameLabel[] = "User name";
const char kPasswordLabel[] = "Password";

const eap::EAP_CONFIG_INPUT_FIELD_DATA* FindField(const eap::EAP_CONFIG_INPUT_FIELD_ARRAY& fields,
                                                  eap::EAP_CONFIG_INPUT_FIELD_TYPE preferred,
                                                  eap::EAP_CONFIG_INPUT_FIELD_TYPE fallback) {
  const eap::EAP_CONFIG_INPUT_FIELD_DATA* found = nullptr;
  for (eap::DWORD i = 0; i < fields.dwNumberOfFields; ++i) {
    const eap::EAP_CONFIG_INPUT_FIELD_DATA& field = fields.pFields[i];
    if (field.Type == preferred) return &field;
    if (field.Type == fallback && found == nullptr) found = &field;
  }
  return found;
}
}  // namespace

bool ParseUserBlob(const eap::BYTE* blob, eap::DWORD size, Md5Credentials* out, std::string* why) {
  if (blob == nullptr || size < kFixedSize) {
    *why = "The EAP-MD5 user blob is truncated: " + Num(blob == nullptr ? 0 : size) +
           " bytes, a version-1 blob has at least " + Num(kFixedSize + 1);
    return false;
  }
  if (std::memcmp(blob, kMagic, sizeof(kMagic)) != 0) {
    *why = "The user blob is not an EAP-MD5 credential blob (its first 4 bytes are not \"eMD5\")";
    return false;
  }
  if (blob[4] != kVersion) {
    *why = "The EAP-MD5 user blob has format version " + Num(blob[4]) +
           "; this module reads version " + Num(kVersion);
    return false;
  }
  std::size_t userLength = ReadU16(blob + 5);
  if (userLength == 0 || userLength > kMaxUserNameBytes) {
    *why = "The EAP-MD5 user blob has a user-name length of " + Num(userLength) +
           " bytes; it must be 1 to " + Num(kMaxUserNameBytes);
    return false;
  }
  // Checked before the password length is read from behind the user name.
  if (userLength > size - kFixedSize) {
    *why = "The EAP-MD5 user blob is truncated: the user name claims " + Num(userLength) +
           " bytes but only " + Num(size - kFixedSize) + " remain for it and the password";
    return false;
  }
  const eap::BYTE* user = blob + 7;
  if (std::memchr(user, 0, userLength) != nullptr) {
    *why = "The EAP-MD5 user blob's user name contains a NUL byte";
    return false;
  }
  std::size_t passwordLength = ReadU16(user + userLength);
  std::size_t remaining = size - kFixedSize - userLength;
  if (passwordLength > kMaxPasswordBytes || passwordLength != remaining) {
    *why = "The EAP-MD5 user blob's password length field (" + Num(passwordLength) +
           " bytes) does not match the " + Num(remaining) +
           " bytes that follow it (the limit is " + Num(kMaxPasswordBytes) + ")";
    return false;
  }
  out->userName.assign(reinterpret_cast<const char*>(user), userLength);
  out->password.Assign(user + userLength + 2, passwordLength);
  return true;
}

eap::BYTE* BuildUserBlob(const std::string& userName, const SecretBytes& password,
                         eap::DWORD* size) {
  std::size_t total = kFixedSize + userName.size() + password.size();
  auto* blob = static_cast<eap::BYTE*>(AllocateMethodMemory(total));
  if (blob == nullptr) return nullptr;
  std::memcpy(blob, kMagic, sizeof(kMagic));
  blob[4] = kVersion;
  eap::BYTE* cursor = WriteU16(blob + 5, userName.size());
  std::memcpy(cursor, userName.data(), userName.size());
  cursor = WriteU16(cursor + userName.size(), password.size());
  if (password.size() != 0) std::memcpy(cursor, password.data(), password.size());
  *size = static_cast<eap::DWORD>(total);
  return blob;
}

eap::BYTE* CopyUserBlob(const eap::BYTE* blob, eap::DWORD size) {
  auto* copy = static_cast<eap::BYTE*>(AllocateMethodMemory(size));
  if (copy != nullptr) std::memcpy(copy, blob, size);
  return copy;
}

eap::DWORD QueryCredentialInputFields(eap::EAP_METHOD_TYPE methodType,
                                      eap::EAP_CONFIG_INPUT_FIELD_ARRAY* fields,
                                      eap::EAP_ERROR** ppEapError) {
  if (!IsMethodType(methodType, kEapTypeMd5Challenge)) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorNotSupported, 0,
                      "This module implements EAP type 4 (MD5-Challenge) under author " +
                          Num(kEaphostAuthorId) + "; it was asked for type " +
                          Num(methodType.eapType.type) + " under author " +
                          Num(methodType.dwAuthorId));
  }
  if (fields == nullptr) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorInvalidParameter, 0,
                      "EapPeerQueryCredentialInputFields was given no field array to fill");
  }
  const std::string userLabel(kUserNameLabel);
  const std::string passwordLabel(kPasswordLabel);
  std::size_t userUnits = WideSizeOfUtf8(userLabel) + 1;
  std::size_t passwordUnits = WideSizeOfUtf8(passwordLabel) + 1;
  // One block holds both fields and their labels: the host frees pFields once.
  std::size_t size = 2 * sizeof(eap::EAP_CONFIG_INPUT_FIELD_DATA) +
                     (userUnits + passwordUnits) * sizeof(eap::WCHAR);
  auto* data = static_cast<eap::EAP_CONFIG_INPUT_FIELD_DATA*>(AllocateMethodMemory(size));
  if (data == nullptr) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorNotEnoughMemory, 0,
                      "No memory for the EAP-MD5 credential input fields");
  }
  auto* labels = reinterpret_cast<eap::WCHAR*>(data + 2);
  WriteWideFromUtf8(userLabel, labels);
  WriteWideFromUtf8(passwordLabel, labels + userUnits);
  data[0] = {sizeof(eap::EAP_CONFIG_INPUT_FIELD_DATA), eap::EapConfigInputUsername,
             eap::EAP_CONFIG_INPUT_FIELD_PROPS_DEFAULT, labels, nullptr, 1,
             static_cast<eap::DWORD>(kMaxUserNameUnits)};
  data[1] = {sizeof(eap::EAP_CONFIG_INPUT_FIELD_DATA), eap::EapConfigInputPassword,
             eap::EAP_CONFIG_INPUT_FIELD_PROPS_NON_DISPLAYABLE,
             labels + userUnits, nullptr, 0,
             static_cast<eap::DWORD>(kMaxPasswordUnits)};
  fields->dwVersion = eap::EAP_CREDENTIAL_VERSION;
  fields->dwNumberOfFields = 2;
  fields->pFields = data;
  return eap::kErrorSuccess;
}

eap::DWORD QueryUserBlobFromCredentialInputFields(
    eap::EAP_METHOD_TYPE methodType, const eap::EAP_CONFIG_INPUT_FIELD_ARRAY* fields,
    eap::DWORD* blobSize, eap::BYTE** blob, eap::EAP_ERROR** ppEapError) {
  if (!IsMethodType(methodType, kEapTypeMd5Challenge)) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorNotSupported, 0,
                      "This module implements EAP type 4 (MD5-Challenge) under author " +
                          Num(kEaphostAuthorId) + "; it was asked for type " +
                          Num(methodType.eapType.type) + " under author " +
                          Num(methodType.dwAuthorId));
  }
  if (fields == nullptr || blobSize == nullptr || blob == nullptr ||
      (fields->dwNumberOfFields != 0 && fields->pFields == nullptr)) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorInvalidParameter, 0,
                      "EapPeerQueryUserBlobFromCredentialInputFields needs a field array and "
                      "somewhere to return the blob and its size");
  }
  *blobSize = 0;
  *blob = nullptr;
  const auto* user = FindField(*fields, eap::EapConfigInputUsername,
                               eap::EapConfigInputNetworkUsername);
  const auto* password = FindField(*fields, eap::EapConfigInputPassword,
                                   eap::EapConfigInputNetworkPassword);
  std::string userName;
  if (user == nullptr || !ReadWideAsUtf8(user->pwszData, kMaxUserNameUnits, &userName) ||
      userName.empty()) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorInvalidData,
                      eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                      "The credential fields hold no usable user name (a username field with 1 "
                      "to " + Num(kMaxUserNameUnits) + " characters is required)",
                      "Fill in the \"User name\" field");
  }
  SecretBytes secret;
  if (password == nullptr) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorInvalidData, 0,
                      "The credential fields hold no password field",
                      "Fill in the \"Password\" field");
  }
  if (!WideToUtf8Secret(password->pwszData, kMaxPasswordUnits, &secret)) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorInvalidData, 0,
                      "The password is longer than " + Num(kMaxPasswordUnits) + " characters");
  }
  // The name was read up to its first NUL, so it holds none, as the blob format requires.
  *blob = BuildUserBlob(userName, secret, blobSize);
  if (*blob == nullptr) {
    return RaiseError(ppEapError, kMethodType, eap::kErrorNotEnoughMemory, 0,
                      "No memory for the EAP-MD5 user blob");
  }
  return eap::kErrorSuccess;
}

}  // namespace md5
}  // namespace eaphost
