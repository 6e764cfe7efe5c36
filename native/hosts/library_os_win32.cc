#include <string>

#include "../common/code_integrity.h"
#include "../common/utf16.h"
#include "library_os.h"

namespace eaphost {
namespace library_os {

namespace {

bool IsAbsolutePath(const std::string& path) {
  bool drive = path.size() >= 3 && path[1] == ':' && (path[2] == '\\' || path[2] == '/');
  bool unc = path.size() >= 2 && (path[0] == '\\' || path[0] == '/') &&
             (path[1] == '\\' || path[1] == '/');
  return drive || unc;
}

std::string SystemMessage(DWORD code) {
  wchar_t* text = nullptr;
  DWORD length = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  std::u16string message;
  for (DWORD i = 0; i < length; ++i) message.push_back(static_cast<char16_t>(text[i]));
  if (text != nullptr) LocalFree(text);
  while (!message.empty() && (message.back() == u'\r' || message.back() == u'\n' ||
                              message.back() == u' ' || message.back() == u'.')) {
    message.pop_back();
  }
  return Utf16ToUtf8(message);
}

}  // namespace

// LoadLibraryExW with the "cannot find the DLL" message box suppressed for this thread only:
// hosts run in services and headless test runs, where a dialog would hang the caller.
HMODULE LoadQuietly(const wchar_t* name, DWORD flags, DWORD* code) {
  DWORD previousMode = 0;
  BOOL modeSet = SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX, &previousMode);
  HMODULE module = LoadLibraryExW(name, nullptr, flags);
  // Read before anything else can overwrite the thread's last error.
  *code = module == nullptr ? GetLastError() : 0;
  if (modeSet) SetThreadErrorMode(previousMode, nullptr);
  if (module == nullptr && *code == 0) *code = eap::kErrorModNotFound;
  return module;
}

void* OpenSystemLibrary(const wchar_t* name, eap::DWORD* code) {
  // By full path: a bare name is first matched against the modules already loaded, whatever
  // folder they came from, so a same-named DLL loaded earlier in the process (the portable
  // EAPHost's stand-in eappprxy.dll, say) would be handed back for System32's.
  // LOAD_LIBRARY_SEARCH_SYSTEM32 keeps the DLL's own dependencies in System32 too.
  wchar_t folder[MAX_PATH + 1] = {};
  UINT length = GetSystemDirectoryW(folder, MAX_PATH);
  if (length == 0 || length >= MAX_PATH) {
    *code = length == 0 ? GetLastError() : ERROR_INSUFFICIENT_BUFFER;
    return nullptr;
  }
  std::wstring path(folder, length);
  path += L'\\';
  path += name;
  DWORD error = 0;
  HMODULE module = LoadQuietly(path.c_str(), LOAD_LIBRARY_SEARCH_SYSTEM32, &error);
  *code = error;
  return module;
}

void* OpenLibrary(const std::string& path, const char* what, EapErrorInfo* error) {
  std::u16string wide = Utf8ToUtf16(path);
  std::wstring widePath(wide.begin(), wide.end());
  // LOAD_WITH_ALTERED_SEARCH_PATH makes the module's own folder the place its dependencies are
  // found; Windows only allows it with an absolute path.
  DWORD flags = IsAbsolutePath(path) ? LOAD_WITH_ALTERED_SEARCH_PATH : 0;
  DWORD code = 0;
  HMODULE module = LoadQuietly(widePath.c_str(), flags, &code);
  if (module == nullptr && error != nullptr) {
    *error = HostError(code, "LoadLibraryExW",
                       "cannot load " + std::string(what) + " " + path + ": Win32 error " +
                           std::to_string(code) + ": " + SystemMessage(code) + CodeIntegrityNote(code));
  }
  return module;
}

ExportAddress FindExport(void* handle, const char* name) {
  return reinterpret_cast<ExportAddress>(GetProcAddress(static_cast<HMODULE>(handle), name));
}

void CloseLibrary(void* handle) {
  if (handle != nullptr) FreeLibrary(static_cast<HMODULE>(handle));
}

}  // namespace library_os
}  // namespace eaphost
