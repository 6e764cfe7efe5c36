// The registry, file security and machine facts method registration rests on, through the
// documented Win32 calls only (docs/WINDOWS-CONTRACT.md, "Method registration"): no process is
// started, so nothing here depends on CreateProcessW, which Wine fails now and then under load.
#include "method_registration.h"

#include <algorithm>
#include <cstring>

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include "../common/utf16.h"
#include "win32_text_errors.h"

namespace eaphost {

namespace {


std::u16string FromWide(const wchar_t* text, size_t length) { return std::u16string(text, text + length); }

std::string Describe(const std::string& verb, const std::u16string& key) {
  return verb + " HKLM\\" + Utf16ToUtf8(key);
}

// Closes a key on every path out.
class Key {
 public:
  Key() = default;
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  ~Key() {
    if (handle_ != nullptr) RegCloseKey(handle_);
  }
  HKEY* out() { return &handle_; }
  HKEY get() const { return handle_; }

 private:
  HKEY handle_ = nullptr;
};

// REG_SZ / REG_EXPAND_SZ data need not end in a NUL; whatever NULs end it are not text.
std::u16string RegistryText(const std::vector<BYTE>& data, DWORD size) {
  size_t units = size / sizeof(wchar_t);
  const auto* text = reinterpret_cast<const wchar_t*>(data.data());
  while (units > 0 && text[units - 1] == L'\0') --units;
  return FromWide(text, units);
}

}  // namespace

bool ReadMachineKey(const std::u16string& key, bool* exists, RegistryKeyState* state, EapErrorInfo* error) {
  Key opened;
  LSTATUS status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, Wide(key).c_str(), 0, KEY_READ | KEY_WOW64_64KEY, opened.out());
  *exists = status != ERROR_FILE_NOT_FOUND;
  if (!*exists) return true;
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), "RegOpenKeyExW", Describe("cannot open", key));
    return false;
  }
  DWORD subkeys = 0, longestSubkey = 0, values = 0, longestName = 0, longestData = 0;
  status = RegQueryInfoKeyW(opened.get(), nullptr, nullptr, nullptr, &subkeys, &longestSubkey, nullptr, &values,
                            &longestName, &longestData, nullptr, nullptr);
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), "RegQueryInfoKeyW", Describe("cannot read", key));
    return false;
  }
  std::vector<wchar_t> name(static_cast<size_t>(std::max(longestName, longestSubkey)) + 1);
  std::vector<BYTE> data(static_cast<size_t>(longestData) + sizeof(wchar_t));
  for (DWORD i = 0; i < values; ++i) {
    DWORD nameLength = static_cast<DWORD>(name.size());
    DWORD type = 0;
    DWORD size = static_cast<DWORD>(data.size());
    status = RegEnumValueW(opened.get(), i, name.data(), &nameLength, nullptr, &type, data.data(), &size);
    if (status == ERROR_NO_MORE_ITEMS) break;
    if (status != ERROR_SUCCESS) {
      *error = Win32Failure(static_cast<DWORD>(status), "RegEnumValueW", Describe("cannot read the values of", key));
      return false;
    }
    RegistryValue value;
    value.name = FromWide(name.data(), nameLength);
    if (type == REG_SZ || type == REG_EXPAND_SZ) {
      value.type = type == REG_SZ ? "sz" : "expandSz";
      value.text = RegistryText(data, size);
    } else if (type == REG_DWORD && size == sizeof(DWORD)) {
      value.type = "dword";
      std::memcpy(&value.number, data.data(), sizeof(DWORD));
    } else {
      value.type = "other";
    }
    state->values.push_back(std::move(value));
  }
  for (DWORD i = 0; i < subkeys; ++i) {
    DWORD nameLength = static_cast<DWORD>(name.size());
    status = RegEnumKeyExW(opened.get(), i, name.data(), &nameLength, nullptr, nullptr, nullptr, nullptr);
    if (status == ERROR_NO_MORE_ITEMS) break;
    if (status != ERROR_SUCCESS) {
      *error = Win32Failure(static_cast<DWORD>(status), "RegEnumKeyExW", Describe("cannot list the subkeys of", key));
      return false;
    }
    state->subkeys.push_back(FromWide(name.data(), nameLength));
  }
  return true;
}

bool WriteMachineValues(const std::u16string& key, const std::vector<RegistryValue>& values, EapErrorInfo* error) {
  Key created;
  LSTATUS status = RegCreateKeyExW(HKEY_LOCAL_MACHINE, Wide(key).c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                                   KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, created.out(), nullptr);
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), "RegCreateKeyExW",
                          Describe("cannot create", key) + (status == ERROR_ACCESS_DENIED ? "; it needs an administrator" : ""));
    return false;
  }
  for (const RegistryValue& value : values) {
    std::wstring name = Wide(value.name);
    if (value.type == "dword") {
      DWORD number = value.number;
      status = RegSetValueExW(created.get(), name.c_str(), 0, REG_DWORD, reinterpret_cast<const BYTE*>(&number),
                              sizeof(number));
    } else {
      std::wstring text = Wide(value.text);
      // The size counts the terminating NUL (RegSetValueExW's page).
      status = RegSetValueExW(created.get(), name.c_str(), 0, value.type == "expandSz" ? REG_EXPAND_SZ : REG_SZ,
                              reinterpret_cast<const BYTE*>(text.c_str()),
                              static_cast<DWORD>((text.size() + 1) * sizeof(wchar_t)));
    }
    if (status != ERROR_SUCCESS) {
      *error = Win32Failure(static_cast<DWORD>(status), "RegSetValueExW",
                            Describe("cannot set", key) + "\\" + Utf16ToUtf8(value.name));
      return false;
    }
  }
  return true;
}

bool DeleteMachineValues(const std::u16string& key, const std::vector<std::u16string>& names, EapErrorInfo* error) {
  Key opened;
  LSTATUS status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, Wide(key).c_str(), 0, KEY_SET_VALUE | KEY_WOW64_64KEY, opened.out());
  if (status == ERROR_FILE_NOT_FOUND) return true;
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), "RegOpenKeyExW", Describe("cannot open", key));
    return false;
  }
  for (const std::u16string& name : names) {
    status = RegDeleteValueW(opened.get(), Wide(name).c_str());
    if (status != ERROR_SUCCESS && status != ERROR_FILE_NOT_FOUND) {
      *error = Win32Failure(static_cast<DWORD>(status), "RegDeleteValueW",
                            Describe("cannot delete", key) + "\\" + Utf16ToUtf8(name));
      return false;
    }
  }
  return true;
}

bool DeleteMachineKey(const std::u16string& key, EapErrorInfo* error) {
  LSTATUS status = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, Wide(key).c_str(), KEY_WOW64_64KEY, 0);
  if (status == ERROR_SUCCESS || status == ERROR_FILE_NOT_FOUND) return true;
  *error = Win32Failure(static_cast<DWORD>(status), "RegDeleteKeyExW", Describe("cannot delete", key));
  return false;
}

bool ReadFileSecurity(const std::u16string& path, FileSecurity* security, EapErrorInfo* error) {
  PSID owner = nullptr;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  DWORD code = GetNamedSecurityInfoW(Wide(path).c_str(), SE_FILE_OBJECT,
                                     OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, nullptr, &dacl,
                                     nullptr, &descriptor);
  if (code != ERROR_SUCCESS) {
    *error = Win32Failure(code, "GetNamedSecurityInfoW", "cannot read the security of " + Utf16ToUtf8(path));
    return false;
  }
  auto sidText = [](PSID sid) {
    LPSTR text = nullptr;
    std::string out = sid != nullptr && ConvertSidToStringSidA(sid, &text) ? text : "";
    if (text != nullptr) LocalFree(text);
    return out;
  };
  security->owner = sidText(owner);
  security->nullDacl = dacl == nullptr;
  // Generic rights in an ACE mean the file object's specific ones (FILE_GENERIC_* mapping).
  GENERIC_MAPPING mapping{FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS};
  for (DWORD i = 0; dacl != nullptr && i < dacl->AceCount; ++i) {
    void* raw = nullptr;
    if (!GetAce(dacl, i, &raw)) continue;
    const auto* header = static_cast<const ACE_HEADER*>(raw);
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE && header->AceType != ACCESS_DENIED_ACE_TYPE) {
      ++security->otherAces;
      continue;
    }
    // Allowed and denied ACEs share the layout: header, mask, then the SID.
    const auto* ace = static_cast<const ACCESS_ALLOWED_ACE*>(raw);
    SecurityAce entry;
    entry.allow = header->AceType == ACCESS_ALLOWED_ACE_TYPE;
    entry.sid = sidText(const_cast<DWORD*>(&ace->SidStart));
    DWORD mask = ace->Mask;
    MapGenericMask(&mask, &mapping);
    entry.mask = mask;
    entry.flags = header->AceFlags;
    security->aces.push_back(std::move(entry));
  }
  LocalFree(descriptor);
  return true;
}

bool WriteFileSecurity(const std::u16string& path, const std::u16string& sddl, EapErrorInfo* error) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(Wide(sddl).c_str(), SDDL_REVISION_1, &descriptor, nullptr)) {
    *error = Win32Failure(GetLastError(), "ConvertStringSecurityDescriptorToSecurityDescriptorW",
                          "not a security descriptor: " + Utf16ToUtf8(sddl));
    return false;
  }
  PSID owner = nullptr;
  PACL dacl = nullptr;
  BOOL ownerDefaulted = FALSE, daclPresent = FALSE, daclDefaulted = FALSE;
  GetSecurityDescriptorOwner(descriptor, &owner, &ownerDefaulted);
  GetSecurityDescriptorDacl(descriptor, &daclPresent, &dacl, &daclDefaulted);
  SECURITY_INFORMATION what = PROTECTED_DACL_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
  if (owner != nullptr) what |= OWNER_SECURITY_INFORMATION;
  DWORD code = ERROR_INVALID_PARAMETER;
  if (daclPresent && dacl != nullptr) {
    code = SetNamedSecurityInfoW(const_cast<wchar_t*>(Wide(path).c_str()), SE_FILE_OBJECT, what, owner, nullptr, dacl,
                                 nullptr);
  }
  LocalFree(descriptor);
  if (code != ERROR_SUCCESS) {
    *error = Win32Failure(code, "SetNamedSecurityInfoW", "cannot set the security of " + Utf16ToUtf8(path) +
                                                             (code == ERROR_INVALID_PARAMETER ? " (the SDDL has no DACL)" : ""));
    return false;
  }
  return true;
}

namespace {

// Program Files from the known-folder API, shell32.dll loaded from System32 at the call (the addon
// imports no shell32): FOLDERID_ProgramFiles, this process's own, which is the 64-bit folder in a
// 64-bit process and the only one on 32-bit Windows.
bool ReadKnownProgramFiles(std::u16string* out, EapErrorInfo* error) {
  // FOLDERID_ProgramFiles {905E63B6-C1BF-494E-B29C-65B732D3D21A} (KnownFolders.h).
  static const GUID kProgramFiles = {0x905e63b6, 0xc1bf, 0x494e, {0xb2, 0x9c, 0x65, 0xb7, 0x32, 0xd3, 0xd2, 0x1a}};
  HMODULE shell32 = LoadLibraryExW(L"shell32.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (shell32 == nullptr) {
    *error = Win32Failure(GetLastError(), "LoadLibraryExW", "cannot load shell32.dll from System32");
    return false;
  }
  using KnownFolderFn = HRESULT(WINAPI*)(const GUID&, DWORD, HANDLE, PWSTR*);
  auto known = reinterpret_cast<KnownFolderFn>(reinterpret_cast<void*>(GetProcAddress(shell32, "SHGetKnownFolderPath")));
  PWSTR found = nullptr;
  HRESULT result = known != nullptr ? known(kProgramFiles, 0, nullptr, &found) : E_NOTIMPL;
  if (SUCCEEDED(result) && found != nullptr) *out = FromWide(found, wcslen(found));
  CoTaskMemFree(found);
  FreeLibrary(shell32);
  if (FAILED(result)) {
    *error = Win32Failure(static_cast<DWORD>(result), "SHGetKnownFolderPath", "cannot tell where Program Files is");
    return false;
  }
  return true;
}

// The 64-bit Program Files to a WOW64 (32-bit) process on 64-bit Windows. The known-folder API
// refuses FOLDERID_ProgramFilesX64 to such a process (KNOWNFOLDERID), and FOLDERID_ProgramFiles
// gives it Program Files (x86); the ProgramW6432 variable is the user's to set, never trusted for
// a folder EapHost (SYSTEM) loads from. So: the ProgramFilesDir value Windows keeps under
// HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion, read in the registry's 64-bit view
// (KEY_WOW64_64KEY: HKLM\SOFTWARE is otherwise redirected to Wow6432Node, where the same value
// names Program Files (x86)); only administrators may change it. REG_SZ only: a REG_EXPAND_SZ
// would be expanded from this process's environment, the user's again.
bool ReadProgramFilesX64(std::u16string* out, EapErrorInfo* error) {
  static const char16_t kKey[] = u"SOFTWARE\\Microsoft\\Windows\\CurrentVersion";
  const std::u16string value = std::u16string(kKey) + u"\\ProgramFilesDir (the 64-bit view)";
  Key opened;
  LSTATUS status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, Wide(kKey).c_str(), 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, opened.out());
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), "RegOpenKeyExW", Describe("cannot open", kKey));
    return false;
  }
  DWORD type = REG_NONE;
  DWORD size = 0;
  status = RegQueryValueExW(opened.get(), L"ProgramFilesDir", nullptr, &type, nullptr, &size);
  std::vector<BYTE> data(static_cast<size_t>(size) + sizeof(wchar_t));
  if (status == ERROR_SUCCESS && type == REG_SZ) {
    status = RegQueryValueExW(opened.get(), L"ProgramFilesDir", nullptr, &type, data.data(), &size);
  }
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), "RegQueryValueExW", Describe("cannot read", value));
    return false;
  }
  if (type != REG_SZ) {
    *error = Win32Failure(ERROR_INVALID_DATA, "RegQueryValueExW",
                          Describe("type " + std::to_string(type) + ", not REG_SZ (1), in", value));
    return false;
  }
  *out = RegistryText(data, size);
  if (out->empty() || out->find(u'\0') != std::u16string::npos) {
    *error = Win32Failure(ERROR_INVALID_DATA, "RegQueryValueExW", Describe("no folder (empty, or a NUL inside) in", value));
    return false;
  }
  return true;
}

}  // namespace

bool ReadWindowsPlatform(WindowsPlatform* platform, EapErrorInfo* error) {
  if (!ReadPlatformMachines(platform, error)) return false;
  UINT console = GetConsoleOutputCP();
  platform->consoleCodePage = console != 0 ? console : GetOEMCP();
  // processMachine is not 0 exactly in a WOW64 process (IsWow64Process2).
  if (platform->processMachine != 0) return ReadProgramFilesX64(&platform->programFiles, error);
  return ReadKnownProgramFiles(&platform->programFiles, error);
}

bool ReadPlatformMachines(WindowsPlatform* platform, EapErrorInfo* error) {
  HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  platform->wine = ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
  // IsWow64Process2 (Windows 10 1709 and later, every Windows on Arm) names the OS's machine
  // even to an emulated x64 process; GetNativeSystemInfo tells an x64 process on Arm64 "AMD64".
  using IsWow64Process2Fn = BOOL(WINAPI*)(HANDLE, USHORT*, USHORT*);
  auto isWow64Process2 = reinterpret_cast<IsWow64Process2Fn>(
      reinterpret_cast<void*>(kernel32 != nullptr ? GetProcAddress(kernel32, "IsWow64Process2") : nullptr));
  if (isWow64Process2 != nullptr) {
    USHORT process = 0, native = 0;
    if (!isWow64Process2(GetCurrentProcess(), &process, &native)) {
      *error = Win32Failure(GetLastError(), "IsWow64Process2", "cannot tell this machine's architecture");
      return false;
    }
    platform->processMachine = process;
    platform->nativeMachine = native;
    return true;
  }
  // Older Windows 10 and Windows 8.1 run on x86 and x64 only, where this answer is true.
  SYSTEM_INFO info{};
  GetNativeSystemInfo(&info);
  switch (info.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64: platform->nativeMachine = IMAGE_FILE_MACHINE_AMD64; break;
    case PROCESSOR_ARCHITECTURE_INTEL: platform->nativeMachine = IMAGE_FILE_MACHINE_I386; break;
    default:
      *error = HostError(eap::kErrorNotSupported, "GetNativeSystemInfo",
                         "this Windows has no IsWow64Process2 and an architecture other than x86 or x64");
      return false;
  }
  return true;
}

}  // namespace eaphost
