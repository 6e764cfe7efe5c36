// MethodRegistry::LoadDefault on Windows: the methods EAPHost itself knows, read from
//   HKLM\SYSTEM\CurrentControlSet\Services\EapHost\Methods\<AuthorId>\<Type>
//   HKLM\...\Methods\<AuthorId>\254\<VendorId>\<VendorType>   (expanded EAP types)
// with the value names and types Microsoft documents for method registration. Every value
// is read with its length checked and without trusting a terminator: the registry is written
// by installers we do not control.
#include <string>
#include <vector>

#include "../abi/eap_platform.h"
#include "../common/utf16.h"
#include "method_registry.h"

namespace eaphost {

namespace {

constexpr wchar_t kMethodsKey[] = L"SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods";
// A REG_SZ path is at most 32767 UTF-16 units; anything larger is not a value we wrote.
constexpr DWORD kMaxValueBytes = 32768 * sizeof(wchar_t);
// Registry key names are at most 255 characters.
constexpr DWORD kMaxKeyNameChars = 256;

std::string Narrow(const std::wstring& wide) {
  return Utf16ToUtf8(std::u16string(wide.begin(), wide.end()));
}

// Closes a registry key on every path out of a scope.
class RegKey {
 public:
  RegKey() = default;
  ~RegKey() {
    if (key_ != nullptr) RegCloseKey(key_);
  }
  RegKey(const RegKey&) = delete;
  RegKey& operator=(const RegKey&) = delete;

  LSTATUS Open(HKEY parent, const wchar_t* name) {
    return RegOpenKeyExW(parent, name, 0, KEY_READ, &key_);
  }
  HKEY get() const { return key_; }

 private:
  HKEY key_ = nullptr;
};

// Subkey names of `key`, in registry order. A failure mid-enumeration ends the list rather
// than the load: the keys already read are still good.
std::vector<std::wstring> SubkeyNames(HKEY key) {
  std::vector<std::wstring> names;
  for (DWORD index = 0;; ++index) {
    wchar_t name[kMaxKeyNameChars];
    DWORD length = kMaxKeyNameChars;
    LSTATUS status = RegEnumKeyExW(key, index, name, &length, nullptr, nullptr, nullptr, nullptr);
    if (status != ERROR_SUCCESS) break;  // ERROR_NO_MORE_ITEMS ends the normal case
    if (length >= kMaxKeyNameChars) break;
    names.emplace_back(name, length);
  }
  return names;
}

// A key name that is a whole decimal number no larger than `max`.
bool ParseNumber(const std::wstring& text, unsigned long long max, unsigned long long* out) {
  if (text.empty() || text.size() > 10) return false;
  unsigned long long value = 0;
  for (wchar_t c : text) {
    if (c < L'0' || c > L'9') return false;
    value = value * 10 + static_cast<unsigned long long>(c - L'0');
  }
  if (value > max) return false;
  *out = value;
  return true;
}

// Raw bytes and type of a value. The size is re-queried when the value grows between the
// two calls (ERROR_MORE_DATA), a bounded number of times.
bool QueryRaw(HKEY key, const wchar_t* name, DWORD* type, std::vector<BYTE>* data) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    DWORD size = 0;
    if (RegQueryValueExW(key, name, nullptr, type, nullptr, &size) != ERROR_SUCCESS) return false;
    if (size > kMaxValueBytes) return false;
    data->assign(size, 0);
    DWORD got = size;
    LSTATUS status =
        RegQueryValueExW(key, name, nullptr, type, data->empty() ? nullptr : data->data(), &got);
    if (status == ERROR_MORE_DATA) continue;
    if (status != ERROR_SUCCESS || got > size) return false;
    data->resize(got);
    return true;
  }
  return false;
}

// A REG_SZ / REG_EXPAND_SZ value as UTF-16. Stops at the first NUL inside the data and copes
// with none at all, and with an odd byte count (the stray byte is dropped).
bool QueryString(HKEY key, const wchar_t* name, std::wstring* out, DWORD* typeOut) {
  DWORD type = REG_NONE;
  std::vector<BYTE> data;
  if (!QueryRaw(key, name, &type, &data)) return false;
  if (type != REG_SZ && type != REG_EXPAND_SZ) return false;
  std::size_t units = data.size() / sizeof(wchar_t);
  std::wstring text;
  text.reserve(units);
  for (std::size_t i = 0; i < units; ++i) {
    wchar_t c = static_cast<wchar_t>(data[2 * i] | (data[2 * i + 1] << 8));
    if (c == L'\0') break;
    text.push_back(c);
  }
  *out = text;
  if (typeOut != nullptr) *typeOut = type;
  return true;
}

// %SystemRoot% and friends, as EAPHost expands PeerDllPath. Returns false when the
// expansion fails or would exceed the path limit.
bool Expand(const std::wstring& text, std::wstring* out) {
  DWORD needed = ExpandEnvironmentStringsW(text.c_str(), nullptr, 0);
  for (int attempt = 0; attempt < 3 && needed != 0 && needed <= kMaxValueBytes / 2; ++attempt) {
    std::vector<wchar_t> buffer(needed);
    DWORD written = ExpandEnvironmentStringsW(text.c_str(), buffer.data(), needed);
    if (written == 0) return false;
    if (written <= needed) {
      // `written` counts the terminator; stop at the first NUL regardless.
      std::size_t length = 0;
      while (length < written && buffer[length] != L'\0') ++length;
      out->assign(buffer.data(), length);
      return true;
    }
    needed = written;  // the environment changed between the calls
  }
  return false;
}

// A DLL path value: REG_EXPAND_SZ as documented; a plain REG_SZ is taken literally.
std::string QueryDllPath(HKEY key, const wchar_t* name) {
  std::wstring raw;
  DWORD type = REG_NONE;
  if (!QueryString(key, name, &raw, &type) || raw.empty()) return std::string();
  if (type == REG_EXPAND_SZ) {
    std::wstring expanded;
    if (!Expand(raw, &expanded)) return std::string();
    return Narrow(expanded);
  }
  return Narrow(raw);
}

bool QueryDword(HKEY key, const wchar_t* name, DWORD* out) {
  DWORD type = REG_NONE;
  std::vector<BYTE> data;
  if (!QueryRaw(key, name, &type, &data)) return false;
  if (type != REG_DWORD || data.size() != sizeof(DWORD)) return false;
  *out = static_cast<DWORD>(data[0]) | (static_cast<DWORD>(data[1]) << 8) |
         (static_cast<DWORD>(data[2]) << 16) | (static_cast<DWORD>(data[3]) << 24);
  return true;
}

bool EnvironmentVariable(const wchar_t* name, std::wstring* out) {
  DWORD needed = GetEnvironmentVariableW(name, nullptr, 0);
  for (int attempt = 0; attempt < 3 && needed != 0 && needed <= kMaxValueBytes / 2; ++attempt) {
    std::vector<wchar_t> buffer(needed);
    DWORD length = GetEnvironmentVariableW(name, buffer.data(), needed);
    if (length == 0) return false;
    if (length < needed) {
      out->assign(buffer.data(), length);
      return true;
    }
    needed = length;  // grew between the calls: `length` is now the size to allocate
  }
  return false;
}

// One method key. A key with neither a peer nor an authenticator DLL registers nothing
// (EAPHost ignores it as well) and is skipped.
bool ReadMethodKey(HKEY key, const eap::EAP_METHOD_TYPE& type, MethodRegistration* out) {
  MethodRegistration registration;
  registration.type = type;
  registration.peerDllPath = QueryDllPath(key, L"PeerDllPath");
  registration.authenticatorDllPath = QueryDllPath(key, L"AuthenticatorDllPath");
  if (registration.peerDllPath.empty() && registration.authenticatorDllPath.empty()) return false;

  std::wstring name;
  if (QueryString(key, L"PeerFriendlyName", &name, nullptr) && !name.empty()) {
    registration.friendlyName = Narrow(name);
  } else if (QueryString(key, L"AuthenticatorFriendlyName", &name, nullptr)) {
    registration.friendlyName = Narrow(name);
  }
  DWORD properties = 0;
  if (QueryDword(key, L"Properties", &properties)) registration.properties = properties;
  *out = std::move(registration);
  return true;
}

}  // namespace

bool MethodRegistry::LoadDefault(MethodRegistry* registry, EapErrorInfo* error) {
  // The manifest override lets tests and embedders pin the method set without touching HKLM.
  // (GetEnvironmentVariableW, not _wgetenv: it sees changes made through the Win32 API, which
  // is where node's process.env writes, and MSVC's /sdl rejects the CRT call.)
  std::wstring manifest;
  if (EnvironmentVariable(L"EAPHOST_METHODS_MANIFEST", &manifest) && !manifest.empty()) {
    return LoadManifest(Narrow(manifest), registry, error);
  }

  registry->methods_.clear();
  RegKey methods;
  LSTATUS status = methods.Open(HKEY_LOCAL_MACHINE, kMethodsKey);
  // No Methods key means no third-party method is installed: an empty list, not an error.
  if (status == ERROR_FILE_NOT_FOUND) return true;
  if (status != ERROR_SUCCESS) {
    if (error != nullptr) {
      *error = HostError(static_cast<eap::DWORD>(status), "RegOpenKeyExW",
                         "cannot open HKLM\\" + Narrow(kMethodsKey));
    }
    return false;
  }

  for (const std::wstring& authorName : SubkeyNames(methods.get())) {
    unsigned long long authorId = 0;
    if (!ParseNumber(authorName, 0xFFFFFFFFull, &authorId)) continue;
    RegKey author;
    if (author.Open(methods.get(), authorName.c_str()) != ERROR_SUCCESS) continue;
    // The author's name is the <AuthorId> key's default value, as production registrations
    // (GEANTLink's DllRegisterServer) write it; GetMethods reports it as pwszAuthorName.
    std::wstring authorDisplay;
    std::string authorText = QueryString(author.get(), nullptr, &authorDisplay, nullptr) ? Narrow(authorDisplay) : "";

    for (const std::wstring& typeName : SubkeyNames(author.get())) {
      unsigned long long typeNumber = 0;
      if (!ParseNumber(typeName, 255, &typeNumber) || typeNumber == 0) continue;
      RegKey typeKey;
      if (typeKey.Open(author.get(), typeName.c_str()) != ERROR_SUCCESS) continue;

      eap::EAP_METHOD_TYPE type{};
      type.eapType.type = static_cast<eap::BYTE>(typeNumber);
      type.dwAuthorId = static_cast<eap::DWORD>(authorId);

      if (type.eapType.type != kExpandedType) {
        MethodRegistration registration;
        if (ReadMethodKey(typeKey.get(), type, &registration)) {
          registration.authorName = authorText;
          registry->methods_.push_back(std::move(registration));
        }
        continue;
      }
      // Expanded types nest two more levels: the 24-bit vendor id, then the vendor type.
      for (const std::wstring& vendorName : SubkeyNames(typeKey.get())) {
        unsigned long long vendorId = 0;
        if (!ParseNumber(vendorName, 0xFFFFFFull, &vendorId)) continue;
        RegKey vendor;
        if (vendor.Open(typeKey.get(), vendorName.c_str()) != ERROR_SUCCESS) continue;
        for (const std::wstring& vendorTypeName : SubkeyNames(vendor.get())) {
          unsigned long long vendorType = 0;
          if (!ParseNumber(vendorTypeName, 0xFFFFFFFFull, &vendorType)) continue;
          RegKey method;
          if (method.Open(vendor.get(), vendorTypeName.c_str()) != ERROR_SUCCESS) continue;
          eap::EAP_METHOD_TYPE expanded = type;
          expanded.eapType.dwVendorId = static_cast<eap::DWORD>(vendorId);
          expanded.eapType.dwVendorType = static_cast<eap::DWORD>(vendorType);
          MethodRegistration registration;
          if (ReadMethodKey(method.get(), expanded, &registration)) {
            registration.authorName = authorText;
            registry->methods_.push_back(std::move(registration));
          }
        }
      }
    }
  }
  return true;
}

}  // namespace eaphost
