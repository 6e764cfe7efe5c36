// The peer's credentials as EAPHost stores them: the methods' opaque "user blob", made by
// EapPeerQueryUserBlobFromCredentialInputFields and handed back to EapPeerGetIdentity and
// EapPeerBeginSession as pUserData. Every password method of this module (MD5, GTC, MS-CHAPv2)
// reads the same blob, so one set of credentials serves whichever method the server picks.
//
// Format, version 1 (all integers big-endian, no padding):
//
//   offset     size  field
//   0          4     magic "eMD5" (65 4D 44 35): the format first shipped with EAP-MD5, kept so
//                    stored blobs stay valid; it tells a stale or foreign blob from ours
//   4          1     format version, 1
//   5          2     U: user-name length in bytes, 1..kMaxUserNameBytes
//   7          U     user name, UTF-8, no NUL octet
//   7+U        2     P: password length in bytes, 0..kMaxPasswordBytes
//   9+U        P     password, UTF-8
//
// The blob ends exactly at 9+U+P; anything else is malformed. A later version must bump the
// version octet; version-1 readers reject it rather than guess.
#pragma once

#include <cstddef>
#include <string>

#include "../../abi/eap_types.h"
#include "../method.h"

namespace eaphost {

// Credential field limits in UTF-16 units: a NAI is at most 253 octets (RFC 7542 §2.2), and
// 255 is the customary ceiling for a password field.
constexpr std::size_t kMaxUserNameUnits = 253;
constexpr std::size_t kMaxPasswordUnits = 255;
// One UTF-16 unit never needs more than 3 UTF-8 bytes (a surrogate pair: 2 units, 4 bytes).
constexpr std::size_t kMaxUserNameBytes = kMaxUserNameUnits * 3;
constexpr std::size_t kMaxPasswordBytes = kMaxPasswordUnits * 3;

// Throws MethodFailure naming the first problem (never the password) when the blob is not a
// well-formed version-1 blob.
void ParseCredentialBlob(const eap::BYTE* blob, eap::DWORD size, PeerCredentials* out);

// A method-memory copy of an existing blob (EapPeerGetIdentity's ppUserDataOut).
eap::BYTE* CopyCredentialBlob(const eap::BYTE* blob, eap::DWORD size);

// The bodies of the two credential-field exports; they throw MethodFailure. The field array's
// pFields is ONE block holding both fields and their labels: the host frees it with a single
// EapPeerFreeMemory.
void QueryCredentialInputFields(eap::EAP_CONFIG_INPUT_FIELD_ARRAY* fields);
void QueryCredentialBlob(const eap::EAP_CONFIG_INPUT_FIELD_ARRAY* fields, eap::DWORD* blobSize,
                         eap::BYTE** blob);
// The same blob from UTF-8 identity and password (EapPeerCredentialsXml2Blob), with the same
// limits counted in UTF-16 units.
void CredentialBlobFromUtf8(const std::string& identity, const SecretBytes& password,
                            eap::DWORD* blobSize, eap::BYTE** blob);

}  // namespace eaphost
