// What registering a method module with EAPHost needs from Windows (method_registration_win32.cc):
// the EapHost Methods key under HKLM read and written through the registry API (no reg.exe
// process: under Wine a process start fails now and then, docs/windows.md), a file's owner and
// DACL as Windows reports them, a protected security descriptor set on a file or directory, and
// the machine the OS itself runs on. The policy (which SIDs may write, where the copy goes) is
// lib/'s (lib/cli/register/). Elsewhere every call fails with ERROR_NOT_SUPPORTED.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../common/eap_error_info.h"

namespace eaphost {

// A registry value as EAPHost reads it: REG_SZ / REG_EXPAND_SZ text, or a REG_DWORD. Any other
// type is reported as "other" with no data. An empty name is the key's default value.
struct RegistryValue {
  std::u16string name;
  std::string type;  // "sz" | "expandSz" | "dword" | "other"
  std::u16string text;
  uint32_t number = 0;
};

struct RegistryKeyState {
  std::vector<RegistryValue> values;
  std::vector<std::u16string> subkeys;  // names, not paths
};

// `key` is below HKEY_LOCAL_MACHINE, in the 64-bit view (KEY_WOW64_64KEY; the Methods key is
// shared anyway). *exists is false for a key that is not there (not an error).
bool ReadMachineKey(const std::u16string& key, bool* exists, RegistryKeyState* state, EapErrorInfo* error);
// Creates the key as needed and sets each value.
bool WriteMachineValues(const std::u16string& key, const std::vector<RegistryValue>& values, EapErrorInfo* error);
// Deletes the named values (one that is not there is not an error).
bool DeleteMachineValues(const std::u16string& key, const std::vector<std::u16string>& names, EapErrorInfo* error);
// Deletes a key that has no subkeys; a key that is not there is not an error.
bool DeleteMachineKey(const std::u16string& key, EapErrorInfo* error);

struct SecurityAce {
  bool allow = false;  // ACCESS_ALLOWED_ACE_TYPE; false: ACCESS_DENIED_ACE_TYPE
  std::string sid;     // S-1-...
  uint32_t mask = 0;   // generic rights already mapped to the file's specific rights
  uint32_t flags = 0;  // AceFlags (INHERIT_ONLY_ACE and friends)
};

struct FileSecurity {
  std::string owner;
  bool nullDacl = false;  // no DACL at all: everyone may do anything
  std::vector<SecurityAce> aces;
  uint32_t otherAces = 0;  // ACEs of other types (object, callback, audit-like), counted, not read
};

bool ReadFileSecurity(const std::u16string& path, FileSecurity* security, EapErrorInfo* error);
// Sets the owner and the DACL the SDDL gives, protected from inheritance.
bool WriteFileSecurity(const std::u16string& path, const std::u16string& sddl, EapErrorInfo* error);

struct WindowsPlatform {
  uint16_t nativeMachine = 0;   // IMAGE_FILE_MACHINE_* of the OS (IsWow64Process2)
  uint16_t processMachine = 0;  // 0 unless this process runs under WOW64
  bool wine = false;            // ntdll exports wine_get_version
  // The 64-bit Program Files, where `eaphost register` keeps its copies: SHGetKnownFolderPath's
  // FOLDERID_ProgramFiles, or under WOW64 (which the known-folder API refuses FOLDERID_ProgramFilesX64)
  // ProgramFilesDir in the registry's 64-bit view (HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion,
  // KEY_WOW64_64KEY), which only administrators change: never an environment variable.
  std::u16string programFiles;
  // The code page a console program such as netsh writes its text in: the console's output code
  // page (chcp; GetConsoleOutputCP), or the OEM code page (GetOEMCP) when this process has no console.
  uint32_t consoleCodePage = 0;
};

bool ReadWindowsPlatform(WindowsPlatform* platform, EapErrorInfo* error);
// Its machines alone (ReadWindowsPlatform's first half).
bool ReadPlatformMachines(WindowsPlatform* platform, EapErrorInfo* error);

}  // namespace eaphost
