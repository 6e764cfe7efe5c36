// Where a host finds method modules. On Windows EAPHost reads
//   HKLM\SYSTEM\CurrentControlSet\Services\EapHost\Methods\<AuthorId>\<Type>
// Off Windows the portable hosts read an equivalent JSON manifest:
//   { "methods": [ { "type": 4, "vendorId": 0, "vendorType": 0, "authorId": 32473,
//       "friendlyName": "EAP-MD5", "authorName": "eaphost", "properties": 0,
//       "peerDllPath": "eap_methods.so", "authenticatorDllPath": "eap_methods.so" } ] }
// Relative paths are resolved against the manifest's directory.
#pragma once

#include <string>
#include <vector>

#include "../abi/eap_types.h"
#include "../common/eap_error_info.h"

namespace eaphost {

// The Type octet of an expanded EAP type (RFC 3748 §5.7).
constexpr eap::BYTE kExpandedType = 254;

struct MethodRegistration {
  eap::EAP_METHOD_TYPE type{};
  std::string friendlyName;
  std::string authorName;
  eap::DWORD properties = 0;
  std::string peerDllPath;           // absolute; empty when no peer side
  std::string authenticatorDllPath;  // absolute; empty when no authenticator side
};

// True when type, vendor id, vendor type and author id all match: one registration each.
bool SameMethodType(const eap::EAP_METHOD_TYPE& a, const eap::EAP_METHOD_TYPE& b);
// "EAP type 26 from author 311", with the vendor id and type when they matter: for errors.
std::string DescribeMethodType(const eap::EAP_METHOD_TYPE& type);

class MethodRegistry {
 public:
  // Reads the manifest at `path`. Fails with a clear error on unreadable or malformed JSON.
  static bool LoadManifest(const std::string& path, MethodRegistry* registry, EapErrorInfo* error);
  // The manifest's text, already read; `path` names it in errors, relative module paths are
  // taken from `baseDirectory`. (LoadManifest reads the file, then calls this.)
  static bool ParseManifest(const std::string& text, const std::string& path,
                            const std::string& baseDirectory, MethodRegistry* registry,
                            EapErrorInfo* error);
  // The default: $EAPHOST_METHODS_MANIFEST if set, else "eaphost-methods.json" beside the
  // library containing this code (on Windows builds: the EapHost registry key).
  static bool LoadDefault(MethodRegistry* registry, EapErrorInfo* error);

  const std::vector<MethodRegistration>& methods() const { return methods_; }
  // Matches type, vendor id, vendor type and author id.
  const MethodRegistration* Find(const eap::EAP_METHOD_TYPE& type) const;
  // The first registration with this EAP type number (for Nak handling and the authenticator).
  const MethodRegistration* FindByEapType(eap::BYTE type) const;

 private:
  std::vector<MethodRegistration> methods_;
};

}  // namespace eaphost
