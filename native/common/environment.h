// Reads the process environment without the CRT's getenv: the UCRT declares getenv deprecated
// (C4996) and MSVC's /sdl makes that an error, so the Windows half asks the Win32 API instead.
#pragma once

#include <optional>
#include <string>

namespace eaphost {

// The value of an environment variable as UTF-8, or nothing when it is not set. `name` is ASCII.
std::optional<std::string> EnvironmentValue(const char* name);

}  // namespace eaphost
