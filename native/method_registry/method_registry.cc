// The JSON method manifest (format in method_registry.h) and registry look-ups. OS-specific
// default locations live in method_registry_posix.cc / method_registry_win32.cc.
#include "method_registry.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "json_reader.h"

namespace eaphost {

namespace {

namespace fs = std::filesystem;

constexpr const char* kLoadCall = "MethodRegistry::LoadManifest";
// A manifest lists a handful of methods; anything this large is not one.
constexpr std::uintmax_t kMaxManifestBytes = 1024 * 1024;
// RFC 3748 section 5.7: an Expanded Type is named by its vendor id and vendor type.

std::string Where(const std::string& path, const JsonValue& value) {
  return path + ": line " + std::to_string(value.line()) + ", column " +
         std::to_string(value.column());
}

bool ManifestError(const std::string& message, EapErrorInfo* error) {
  if (error != nullptr) *error = HostError(eap::kErrorInvalidData, kLoadCall, message);
  return false;
}

// Reads one entry of "methods" into *out; every field is type-checked so a typo in a
// hand-written manifest is reported where it is rather than surfacing as "not installed".
class EntryReader {
 public:
  EntryReader(const std::string& path, const JsonValue& entry, std::size_t index)
      : path_(path), entry_(entry), index_(index) {}

  bool Read(const fs::path& baseDir, MethodRegistration* out, EapErrorInfo* error) {
    if (entry_.kind() != JsonValue::Kind::kObject) {
      return Fail(entry_, "must be an object", error);
    }
    for (const auto& member : entry_.members()) {
      if (!IsKnownKey(member.first)) {
        return Fail(member.second, "unknown field \"" + member.first + "\"", error);
      }
    }
    std::uint64_t value = 0;
    if (!Unsigned("type", true, 255, &value, error)) return false;
    if (value == 0) return Fail(*entry_.Member("type"), "\"type\" must be 1..255", error);
    out->type.eapType.type = static_cast<eap::BYTE>(value);
    if (!Unsigned("vendorId", false, 0xFFFFFF, &value, error)) return false;  // 3-octet SMI PEN
    out->type.eapType.dwVendorId = static_cast<eap::DWORD>(value);
    if (!Unsigned("vendorType", false, 0xFFFFFFFF, &value, error)) return false;
    out->type.eapType.dwVendorType = static_cast<eap::DWORD>(value);
    if (!Unsigned("authorId", true, 0xFFFFFFFF, &value, error)) return false;
    out->type.dwAuthorId = static_cast<eap::DWORD>(value);
    if (!Unsigned("properties", false, 0xFFFFFFFF, &value, error)) return false;
    out->properties = static_cast<eap::DWORD>(value);
    if (!String("friendlyName", true, &out->friendlyName, error)) return false;
    if (!String("authorName", false, &out->authorName, error)) return false;
    std::string peer, authenticator;
    if (!String("peerDllPath", false, &peer, error)) return false;
    if (!String("authenticatorDllPath", false, &authenticator, error)) return false;
    if (peer.empty() && authenticator.empty()) {
      return Fail(entry_, "needs \"peerDllPath\" or \"authenticatorDllPath\"", error);
    }
    out->peerDllPath = Resolve(baseDir, peer);
    out->authenticatorDllPath = Resolve(baseDir, authenticator);
    return true;
  }

 private:
  static bool IsKnownKey(const std::string& key) {
    static const char* const kKeys[] = {"type",       "vendorId",     "vendorType",
                                        "authorId",   "friendlyName", "authorName",
                                        "properties", "peerDllPath",  "authenticatorDllPath"};
    for (const char* known : kKeys) {
      if (key == known) return true;
    }
    return key.rfind("//", 0) == 0;  // comment members, as in native/sources.json
  }

  static std::string Resolve(const fs::path& baseDir, const std::string& dll) {
    if (dll.empty()) return dll;
    fs::path p = fs::u8path(dll);
    if (p.is_relative()) p = baseDir / p;
    return p.lexically_normal().u8string();
  }

  bool Fail(const JsonValue& at, const std::string& what, EapErrorInfo* error) const {
    return ManifestError(Where(path_, at) + ": methods[" + std::to_string(index_) + "] " + what,
                         error);
  }

  bool Unsigned(const char* key, bool required, std::uint64_t max, std::uint64_t* out,
                EapErrorInfo* error) const {
    const JsonValue* v = entry_.Member(key);
    if (v == nullptr) {
      if (required) return Fail(entry_, std::string("lacks \"") + key + "\"", error);
      *out = 0;
      return true;
    }
    if (!v->AsUnsigned(max, out)) {
      return Fail(*v,
                  std::string("\"") + key + "\" must be an integer 0.." + std::to_string(max) +
                      " (found " + JsonValue::KindName(v->kind()) + ")",
                  error);
    }
    return true;
  }

  bool String(const char* key, bool required, std::string* out, EapErrorInfo* error) const {
    const JsonValue* v = entry_.Member(key);
    if (v == nullptr) {
      if (required) return Fail(entry_, std::string("lacks \"") + key + "\"", error);
      out->clear();
      return true;
    }
    if (v->kind() != JsonValue::Kind::kString) {
      return Fail(*v,
                  std::string("\"") + key + "\" must be a string (found " +
                      JsonValue::KindName(v->kind()) + ")",
                  error);
    }
    *out = v->stringValue();
    return true;
  }

  const std::string& path_;
  const JsonValue& entry_;
  std::size_t index_;
};

}  // namespace

bool SameMethodType(const eap::EAP_METHOD_TYPE& a, const eap::EAP_METHOD_TYPE& b) {
  return a.eapType.type == b.eapType.type && a.eapType.dwVendorId == b.eapType.dwVendorId &&
         a.eapType.dwVendorType == b.eapType.dwVendorType && a.dwAuthorId == b.dwAuthorId;
}

std::string DescribeMethodType(const eap::EAP_METHOD_TYPE& type) {
  std::string text = "EAP type " + std::to_string(type.eapType.type);
  if (type.eapType.type == kExpandedType || type.eapType.dwVendorId != 0 ||
      type.eapType.dwVendorType != 0) {
    text += " (vendor " + std::to_string(type.eapType.dwVendorId) + ", vendor type " +
            std::to_string(type.eapType.dwVendorType) + ")";
  }
  return text + " from author " + std::to_string(type.dwAuthorId);
}

bool MethodRegistry::LoadManifest(const std::string& path, MethodRegistry* registry,
                                  EapErrorInfo* error) {
  // u8path: callers hand us UTF-8 on every OS, including Windows where narrow paths would be
  // read in the ANSI code page.
  fs::path file = fs::u8path(path);
  std::error_code ec;
  std::uintmax_t size = fs::file_size(file, ec);
  if (ec) {
    if (error != nullptr) {
      *error = HostError(eap::kErrorFileNotFound, kLoadCall,
                         "cannot read method manifest " + path + ": " + ec.message());
    }
    return false;
  }
  if (size > kMaxManifestBytes) {
    return ManifestError(path + ": method manifest larger than 1 MiB", error);
  }
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    if (error != nullptr) {
      *error = HostError(eap::kErrorFileNotFound, kLoadCall, "cannot read method manifest " + path);
    }
    return false;
  }

  fs::path baseDir = fs::absolute(file, ec).parent_path();
  if (ec) baseDir = file.parent_path();
  return ParseManifest(text, path, baseDir.u8string(), registry, error);
}

bool MethodRegistry::ParseManifest(const std::string& text, const std::string& path,
                                   const std::string& baseDirectory, MethodRegistry* registry,
                                   EapErrorInfo* error) {
  const fs::path baseDir = fs::u8path(baseDirectory);
  JsonValue root;
  std::string parseError;
  if (!ParseJson(text, &root, &parseError)) {
    return ManifestError(path + ": malformed JSON: " + parseError, error);
  }
  if (root.kind() != JsonValue::Kind::kObject) {
    return ManifestError(Where(path, root) + ": the manifest must be an object", error);
  }
  const JsonValue* methods = root.Member("methods");
  if (methods == nullptr) {
    return ManifestError(Where(path, root) + ": the manifest lacks \"methods\"", error);
  }
  if (methods->kind() != JsonValue::Kind::kArray) {
    return ManifestError(Where(path, *methods) + ": \"methods\" must be an array", error);
  }

  std::vector<MethodRegistration> loaded;
  for (std::size_t i = 0; i < methods->items().size(); ++i) {
    const JsonValue& entry = methods->items()[i];
    MethodRegistration registration;
    if (!EntryReader(path, entry, i).Read(baseDir, &registration, error)) return false;
    for (const auto& earlier : loaded) {
      if (SameMethodType(earlier.type, registration.type)) {
        return ManifestError(Where(path, entry) + ": methods[" + std::to_string(i) +
                                 "] registers the same type and author as an earlier entry",
                             error);
      }
    }
    loaded.push_back(std::move(registration));
  }
  registry->methods_ = std::move(loaded);
  return true;
}

const MethodRegistration* MethodRegistry::Find(const eap::EAP_METHOD_TYPE& type) const {
  for (const auto& registration : methods_) {
    if (SameMethodType(registration.type, type)) return &registration;
  }
  return nullptr;
}

const MethodRegistration* MethodRegistry::FindByEapType(eap::BYTE type) const {
  for (const auto& registration : methods_) {
    if (registration.type.eapType.type == type) return &registration;
  }
  return nullptr;
}

}  // namespace eaphost
