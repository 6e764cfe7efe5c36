// PeerMethod: one loaded, initialized peer method module (EapPeerGetInfo -> EapPeerInitialize
// ... EapPeerShutdown) and its configuration-time calls. The session's call-order guard is in
// peer_method_session.cc.
//
// Memory rule at this boundary: every EAP_ERROR goes back through the module's
// EapPeerFreeErrorMemory, and every pointer the method stores into an out-parameter or into a
// struct we passed (identity, user data, UI context, credential field array, user blob, result
// data, attribute array) is ONE allocation, copied and then given once to its
// EapPeerFreeMemory. Pointers inside such a block (field labels, attribute values) belong to
// the block and are never freed on their own. Nothing past the hosts holds module memory.
#include "peer_method_host.h"

#include <algorithm>

#include "method_call.h"

namespace eaphost {

namespace {

constexpr eap::DWORD kMaxCredentialFields = 64;

std::vector<eap::WCHAR> ToWide(const std::u16string& text) {
  std::vector<eap::WCHAR> wide(text.begin(), text.end());
  wide.push_back(0);
  return wide;
}

}  // namespace

std::shared_ptr<PeerMethod> PeerMethod::Open(const std::string& path, EapErrorInfo* error) {
  return Load<PeerMethod>(path, nullptr, error);
}

std::shared_ptr<PeerMethod> PeerMethod::Open(const std::string& path, const eap::EAP_METHOD_TYPE& type,
                                             EapErrorInfo* error) {
  return Load<PeerMethod>(path, &type, error);
}

// A method fills EapPeerGetIdentity or EapPeerSetCredentials, never both: Microsoft's EAPHost
// method sample says so where it fills its table, and EAPHost is reported to refuse a table with
// both right after GetInfo (docs/WINDOWS-CONTRACT.md, "The method table"). This host drives the
// GetIdentity form, so a table must name GetIdentity and leave SetCredentials null.
std::string PeerSide::TableDefect(const Routines& r) {
  if (r.EapPeerGetIdentity != nullptr && r.EapPeerSetCredentials != nullptr) {
    return "filled both EapPeerGetIdentity and EapPeerSetCredentials in its routine table; a method fills "
           "one of them (EAPHost refuses a table with both)";
  }
  return FirstMissing({
      {"EapPeerInitialize", r.EapPeerInitialize != nullptr},
      {"EapPeerGetIdentity", r.EapPeerGetIdentity != nullptr},
      {"EapPeerBeginSession", r.EapPeerBeginSession != nullptr},
      {"EapPeerProcessRequestPacket", r.EapPeerProcessRequestPacket != nullptr},
      {"EapPeerGetResponsePacket", r.EapPeerGetResponsePacket != nullptr},
      {"EapPeerGetResult", r.EapPeerGetResult != nullptr},
      {"EapPeerGetUIContext", r.EapPeerGetUIContext != nullptr},
      {"EapPeerSetUIContext", r.EapPeerSetUIContext != nullptr},
      {"EapPeerGetResponseAttributes", r.EapPeerGetResponseAttributes != nullptr},
      {"EapPeerSetResponseAttributes", r.EapPeerSetResponseAttributes != nullptr},
      {"EapPeerEndSession", r.EapPeerEndSession != nullptr},
      {"EapPeerShutdown", r.EapPeerShutdown != nullptr},
  });
}

bool PeerMethod::GetIdentity(eap::DWORD flags, const Bytes& connectionData, const Bytes& userData,
                             PeerIdentity* identity, EapErrorInfo* error) {
  eap::BOOL invokeUI = eap::kFalse;
  eap::DWORD userDataOutSize = 0;
  eap::BYTE* userDataOut = nullptr;
  eap::LPWSTR identityOut = nullptr;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = routines().EapPeerGetIdentity(
      flags, static_cast<eap::DWORD>(connectionData.size()), DataOrNull(connectionData),
      static_cast<eap::DWORD>(userData.size()), DataOrNull(userData), nullptr, &invokeUI,
      &userDataOutSize, &userDataOut, &identityOut, &raw);
  // Outputs are only defined on success; a failing method keeps (or has freed) its own.
  if (!MethodSucceeded(*this, result, raw, "EapPeerGetIdentity", error)) return false;
  PeerIdentity copy;
  copy.invokeUI = invokeUI != eap::kFalse;
  if (userDataOut != nullptr) copy.userDataOut.assign(userDataOut, userDataOut + userDataOutSize);
  copy.identity = CopyMethodString(identityOut);
  FreeSecret(userDataOut, userDataOutSize);
  FreeMemory(identityOut);
  Report(identity, std::move(copy));
  return true;
}

bool PeerMethod::QueryCredentialInputFields(eap::DWORD flags, const Bytes& connectionData,
                                            std::vector<CredentialField>* fields,
                                            EapErrorInfo* error) {
  if (library()->peerQueryCredentialInputFields == nullptr) {
    Report(error, HostError(eap::kErrorProcNotFound, EAP_PEER_QUERY_CREDENTIAL_INPUT_FIELDS_NAME,
                            library()->path() +
                                " does not export " EAP_PEER_QUERY_CREDENTIAL_INPUT_FIELDS_NAME));
    return false;
  }
  Bytes connection = connectionData;  // the ABI takes a non-const pointer
  eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = library()->peerQueryCredentialInputFields(
      nullptr, eap::EAP_METHOD_TYPE{type(), openedAs().dwAuthorId}, flags,
      static_cast<eap::DWORD>(connection.size()), connection.empty() ? nullptr : connection.data(),
      &array, &raw);
  if (!MethodSucceeded(*this, result, raw, EAP_PEER_QUERY_CREDENTIAL_INPUT_FIELDS_NAME, error)) {
    return false;
  }
  std::vector<CredentialField> copy;
  if (array.pFields != nullptr) {
    eap::DWORD count = std::min(array.dwNumberOfFields, kMaxCredentialFields);
    for (eap::DWORD i = 0; i < count; ++i) {
      const eap::EAP_CONFIG_INPUT_FIELD_DATA& field = array.pFields[i];
      CredentialField out;
      out.type = field.Type;
      out.flags = field.dwFlagProps;
      out.label = CopyMethodString(field.pwszLabel);
      out.data = CopyMethodString(field.pwszData);
      out.minLength = field.dwMinDataLength;
      out.maxLength = field.dwMaxDataLength;
      copy.push_back(std::move(out));
    }
    // One pointer handed to us, one allocation: the strings live inside the same block.
    FreeMemory(array.pFields);
  }
  Report(fields, std::move(copy));
  return true;
}

bool PeerMethod::QueryUserBlobFromCredentialInputFields(eap::DWORD flags,
                                                        const Bytes& connectionData,
                                                        const std::vector<CredentialField>& fields,
                                                        Bytes* userBlob, EapErrorInfo* error) {
  if (library()->peerQueryUserBlob == nullptr) {
    Report(error, HostError(eap::kErrorProcNotFound, EAP_PEER_QUERY_USER_BLOB_NAME,
                            library()->path() + " does not export " EAP_PEER_QUERY_USER_BLOB_NAME));
    return false;
  }
  std::vector<std::vector<eap::WCHAR>> strings;  // labels and data, kept alive for the call
  strings.reserve(fields.size() * 2);
  std::vector<eap::EAP_CONFIG_INPUT_FIELD_DATA> items;
  items.reserve(fields.size());
  for (const CredentialField& field : fields) {
    eap::EAP_CONFIG_INPUT_FIELD_DATA item{};
    item.dwSize = sizeof(item);
    item.Type = field.type;
    item.dwFlagProps = field.flags;
    strings.push_back(ToWide(field.label));
    item.pwszLabel = strings.back().data();
    strings.push_back(ToWide(field.data));
    item.pwszData = strings.back().data();
    item.dwMinDataLength = field.minLength;
    item.dwMaxDataLength = field.maxLength;
    items.push_back(item);
  }
  eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
  array.dwVersion = eap::EAP_CREDENTIAL_VERSION;
  array.dwNumberOfFields = static_cast<eap::DWORD>(items.size());
  array.pFields = items.empty() ? nullptr : items.data();

  Bytes connection = connectionData;
  eap::DWORD blobSize = 0;
  eap::BYTE* blob = nullptr;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = library()->peerQueryUserBlob(
      nullptr, eap::EAP_METHOD_TYPE{type(), openedAs().dwAuthorId}, flags,
      static_cast<eap::DWORD>(connection.size()), connection.empty() ? nullptr : connection.data(),
      &array, &blobSize, &blob, &raw);
  // Our copies of the field data may hold a password: wipe them whatever the outcome.
  for (std::vector<eap::WCHAR>& text : strings) SecureZeroContents(text);
  SecureZeroContents(connection);
  if (!MethodSucceeded(*this, result, raw, EAP_PEER_QUERY_USER_BLOB_NAME, error)) return false;
  Bytes copy;
  if (blob != nullptr) copy.assign(blob, blob + blobSize);
  FreeSecret(blob, blobSize);  // the user blob carries the password
  Report(userBlob, std::move(copy));
  return true;
}

}  // namespace eaphost
