#include "credential_blob.h"

#include <cstring>

#include "method_error.h"
#include "method_memory.h"
#include "wide_text.h"

namespace eaphost {

namespace {
const eap::BYTE kMagic[4] = {0x65, 0x4D, 0x44, 0x35};  // "eMD5"
constexpr eap::BYTE kVersion = 1;
constexpr std::size_t kFixedSize = 4 + 1 + 2 + 2;

std::size_t ReadU16(const eap::BYTE* p) { return (static_cast<std::size_t>(p[0]) << 8) | p[1]; }

eap::BYTE* WriteU16(eap::BYTE* p, std::size_t value) {
  p[0] = static_cast<eap::BYTE>(value >> 8);
  p[1] = static_cast<eap::BYTE>(value & 0xFF);
  return p + 2;
}

const char kUserNameLabel[] = "User name";
const char kPasswordLabel[] = "Password";
const char kRemake[] = "Make the blob again with EapPeerQueryUserBlobFromCredentialInputFields";

MethodFailure BadBlob(const std::string& why) {
  return MethodFailure{eap::kErrorInvalidData, eap::EAP_E_USER_CREDENTIALS_REJECTED,
                       "The credential blob " + why, kRemake};
}

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
void WriteBlob(const std::string& userName, const SecretBytes& secret, eap::DWORD* blobSize, eap::BYTE** blob);

// UTF-16 units of UTF-8 text: one per character, two for those beyond the BMP (4-byte leads).
std::size_t Utf16Units(const eap::BYTE* utf8, std::size_t size) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if ((utf8[i] & 0xC0) != 0x80) ++units;
    if ((utf8[i] & 0xF8) == 0xF0) ++units;
  }
  return units;
}
}  // namespace

void ParseCredentialBlob(const eap::BYTE* blob, eap::DWORD size, PeerCredentials* out) {
  if (blob == nullptr || size < kFixedSize) {
    throw BadBlob("is truncated: " + Decimal(blob == nullptr ? 0 : size) +
                  " bytes, a version-1 blob has at least " + Decimal(kFixedSize + 1));
  }
  if (std::memcmp(blob, kMagic, sizeof(kMagic)) != 0) {
    throw BadBlob("is not this module's (its first 4 bytes are not \"eMD5\")");
  }
  if (blob[4] != kVersion) {
    throw BadBlob("has format version " + Decimal(blob[4]) + "; this module reads version " +
                  Decimal(kVersion));
  }
  std::size_t userLength = ReadU16(blob + 5);
  if (userLength == 0 || userLength > kMaxUserNameBytes) {
    throw BadBlob("has a user-name length of " + Decimal(userLength) + " bytes; it must be 1 to " +
                  Decimal(kMaxUserNameBytes));
  }
  // Checked before the password length is read from behind the user name.
  if (userLength > size - kFixedSize) {
    throw BadBlob("is truncated: the user name claims " + Decimal(userLength) + " bytes but only " +
                  Decimal(size - kFixedSize) + " remain for it and the password");
  }
  const eap::BYTE* user = blob + 7;
  if (std::memchr(user, 0, userLength) != nullptr) throw BadBlob("has a NUL in its user name");
  std::size_t passwordLength = ReadU16(user + userLength);
  std::size_t remaining = size - kFixedSize - userLength;
  if (passwordLength > kMaxPasswordBytes || passwordLength != remaining) {
    throw BadBlob("has a password length field of " + Decimal(passwordLength) +
                  " bytes that does not match the " + Decimal(remaining) +
                  " bytes that follow it (the limit is " + Decimal(kMaxPasswordBytes) + ")");
  }
  out->identity.assign(reinterpret_cast<const char*>(user), userLength);
  out->password.Assign(user + userLength + 2, passwordLength);
  out->present = true;
}

eap::BYTE* CopyCredentialBlob(const eap::BYTE* blob, eap::DWORD size) {
  auto* copy = static_cast<eap::BYTE*>(AllocateMethodMemory(size));
  if (copy != nullptr) std::memcpy(copy, blob, size);
  return copy;
}

void QueryCredentialInputFields(eap::EAP_CONFIG_INPUT_FIELD_ARRAY* fields) {
  if (fields == nullptr) {
    throw MethodFailure{eap::kErrorInvalidParameter, 0,
                        "EapPeerQueryCredentialInputFields was given no field array to fill",
                        std::string()};
  }
  const std::string userLabel(kUserNameLabel);
  const std::string passwordLabel(kPasswordLabel);
  std::size_t userUnits = WideSizeOfUtf8(userLabel) + 1;
  std::size_t passwordUnits = WideSizeOfUtf8(passwordLabel) + 1;
  // One block holds both fields and their labels: the host frees pFields once.
  std::size_t size = 2 * sizeof(eap::EAP_CONFIG_INPUT_FIELD_DATA) +
                     (userUnits + passwordUnits) * sizeof(eap::WCHAR);
  auto* data = static_cast<eap::EAP_CONFIG_INPUT_FIELD_DATA*>(AllocateMethodMemory(size));
  if (data == nullptr) throw std::bad_alloc();
  auto* labels = reinterpret_cast<eap::WCHAR*>(data + 2);
  WriteWideFromUtf8(userLabel, labels);
  WriteWideFromUtf8(passwordLabel, labels + userUnits);
  data[0] = {sizeof(eap::EAP_CONFIG_INPUT_FIELD_DATA), eap::EapConfigInputUsername,
             eap::EAP_CONFIG_INPUT_FIELD_PROPS_DEFAULT, labels, nullptr, 1,
             static_cast<eap::DWORD>(kMaxUserNameUnits)};
  data[1] = {sizeof(eap::EAP_CONFIG_INPUT_FIELD_DATA), eap::EapConfigInputPassword,
             eap::EAP_CONFIG_INPUT_FIELD_PROPS_NON_DISPLAYABLE, labels + userUnits, nullptr, 0,
             static_cast<eap::DWORD>(kMaxPasswordUnits)};
  fields->dwVersion = eap::EAP_CREDENTIAL_VERSION;
  fields->dwNumberOfFields = 2;
  fields->pFields = data;
}

void QueryCredentialBlob(const eap::EAP_CONFIG_INPUT_FIELD_ARRAY* fields, eap::DWORD* blobSize,
                         eap::BYTE** blob) {
  if (fields == nullptr || blobSize == nullptr || blob == nullptr ||
      (fields->dwNumberOfFields != 0 && fields->pFields == nullptr)) {
    throw MethodFailure{eap::kErrorInvalidParameter, 0,
                        "EapPeerQueryUserBlobFromCredentialInputFields needs a field array and "
                        "somewhere to return the blob and its size",
                        std::string()};
  }
  *blobSize = 0;
  *blob = nullptr;
  const auto* user = FindField(*fields, eap::EapConfigInputUsername,
                               eap::EapConfigInputNetworkUsername);
  const auto* password = FindField(*fields, eap::EapConfigInputPassword,
                                   eap::EapConfigInputNetworkPassword);
  std::size_t userUnits = 0;
  if (user != nullptr && !MeasureWide(user->pwszData, kMaxUserNameUnits, &userUnits)) {
    throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                        "The user name is too long: the limit is " + Decimal(kMaxUserNameUnits) +
                            " UTF-16 units (RFC 7542 caps a NAI at 253 octets)",
                        "Use a shorter user name"};
  }
  std::string userName;
  if (user == nullptr || !ReadWideAsUtf8(user->pwszData, kMaxUserNameUnits, &userName) ||
      userName.empty()) {
    throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                        "The credential fields hold no user name (a username field with 1 to " +
                            Decimal(kMaxUserNameUnits) + " characters is required)",
                        "Fill in the \"User name\" field"};
  }
  if (password == nullptr) {
    throw MethodFailure{eap::kErrorInvalidData, 0, "The credential fields hold no password field",
                        "Fill in the \"Password\" field"};
  }
  SecretBytes secret;
  if (!WideToUtf8Secret(password->pwszData, kMaxPasswordUnits, &secret)) {
    throw MethodFailure{eap::kErrorInvalidData, 0,
                        "The password is too long: the limit is " + Decimal(kMaxPasswordUnits) +
                            " UTF-16 units",
                        std::string()};
  }
  // The name was read up to its first NUL, so it holds none, as the blob format requires.
  WriteBlob(userName, secret, blobSize, blob);
}

void CredentialBlobFromUtf8(const std::string& identity, const SecretBytes& password,
                            eap::DWORD* blobSize, eap::BYTE** blob) {
  *blobSize = 0;
  *blob = nullptr;
  if (identity.empty() || Utf16Units(reinterpret_cast<const eap::BYTE*>(identity.data()), identity.size()) > kMaxUserNameUnits ||
      identity.find('\0') != std::string::npos) {
    throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                        "The identity must be 1 to " + Decimal(kMaxUserNameUnits) + " UTF-16 units without NUL",
                        "Use a shorter user name"};
  }
  if (Utf16Units(password.data(), password.size()) > kMaxPasswordUnits) {
    throw MethodFailure{eap::kErrorInvalidData, 0,
                        "The password is too long: the limit is " + Decimal(kMaxPasswordUnits) + " UTF-16 units",
                        std::string()};
  }
  WriteBlob(identity, password, blobSize, blob);
}

namespace {
void WriteBlob(const std::string& userName, const SecretBytes& secret, eap::DWORD* blobSize, eap::BYTE** blob) {
  std::size_t total = kFixedSize + userName.size() + secret.size();
  auto* out = static_cast<eap::BYTE*>(AllocateMethodMemory(total));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, kMagic, sizeof(kMagic));
  out[4] = kVersion;
  eap::BYTE* cursor = WriteU16(out + 5, userName.size());
  std::memcpy(cursor, userName.data(), userName.size());
  cursor = WriteU16(cursor + userName.size(), secret.size());
  if (secret.size() != 0) std::memcpy(cursor, secret.data(), secret.size());
  *blob = out;
  *blobSize = static_cast<eap::DWORD>(total);
}
}  // namespace

}  // namespace eaphost
