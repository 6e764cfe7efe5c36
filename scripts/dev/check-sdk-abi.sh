#!/usr/bin/env bash
# Compiles native/abi/sdk_layout_check.cc (and onex_sdk_layout_check.cc, the 802.1X
# notification structures of dot1x.h) against the Windows SDK's own EAP headers with
# mingw-w64, for x86_64 and for i686 (the one target where WINAPI and __cdecl differ), warnings
# as errors. It proves what the MSVC build proves, from Linux.
#
#   bash scripts/dev/check-sdk-abi.sh SDK_UM_DIR
#
# SDK_UM_DIR holds the SDK's um headers (eaptypes.h, eappapis.h, eapmethodpeerapis.h, ...), for
# instance generation/WinSDK/RecompiledIdlHeaders/um of microsoft/win32metadata. This script only
# reads that directory: it downloads nothing and copies nothing into the project.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
sdk=${1:-}
if [[ -z "$sdk" || ! -d "$sdk" ]]; then
  echo "usage: $0 SDK_UM_DIR (a directory holding the Windows SDK's eaptypes.h, eappapis.h, ...)" >&2
  exit 2
fi
sdk=$(cd "$sdk" && pwd)

compilers=(x86_64-w64-mingw32-g++-posix i686-w64-mingw32-g++-posix)
for cxx in "${compilers[@]}"; do
  if ! command -v "$cxx" >/dev/null; then
    echo "$cxx not found: install mingw-w64 (bash scripts/setup.sh --all installs it)" >&2
    exit 2
  fi
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/sdk" "$scratch/shim"

# Only the SDK's EAP headers go first on the include path: mingw-w64's own copies are broken,
# and the rest of windows.h must stay mingw's. The SDK spells its file names in mixed case
# (EapHostError.h, #include "EapTypes.h") for a case-insensitive file system: each header is
# linked under its lower-case name and under every spelling the headers include it by.
while IFS= read -r -d '' header; do
  name=$(basename "$header")
  ln -sf "$header" "$scratch/sdk/${name,,}"
done < <(find "$sdk" -maxdepth 1 \( -type f -o -type l \) \( -iname 'eap*.h' -o -iname 'dot1x.h' -o -iname 'l2cmn.h' \) -print0)
for spelling in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p' \
  "$scratch"/sdk/*.h 2>/dev/null | sort -u); do
  if [[ -e "$scratch/sdk/${spelling,,}" && ! -e "$scratch/sdk/$spelling" ]]; then
    ln -s "$(readlink "$scratch/sdk/${spelling,,}")" "$scratch/sdk/$spelling"
  fi
done

required=(eaptypes.h eaphosterror.h eapmethodtypes.h eapauthenticatoractiondefine.h
  eapauthenticatortypes.h eapmethodpeerapis.h eapmethodauthenticatorapis.h eaphostpeertypes.h
  eappapis.h eaphostpeerconfigapis.h dot1x.h l2cmn.h)
for name in "${required[@]}"; do
  if [[ ! -e "$scratch/sdk/$name" ]]; then
    echo "$sdk has no $name (case-insensitive): pass the SDK's um header directory" >&2
    exit 2
  fi
done

# The configuration API header includes msxml6.h, which older mingw-w64 lacks; msxml2.h declares
# the two interfaces it uses (IXMLDOMNode, IXMLDOMDocument2).
if ! echo '#include <msxml6.h>' | "${compilers[0]}" -E -x c++ - >/dev/null 2>&1; then
  echo '#include <msxml2.h>' >"$scratch/shim/msxml6.h"
fi

status=0
for cxx in "${compilers[@]}"; do
  arch=${cxx%%-*}
  # A 64-bit time_t on i686 too, as every Windows build has it (native/abi/eap_platform.h).
  flags=(-std=c++17 -D__MINGW_USE_VC2005_COMPAT -Wall -Wextra -Wshadow -Werror -isystem "$scratch/sdk" -isystem "$scratch/shim")
  for check in sdk_layout_check onex_sdk_layout_check; do
  source="$root/native/abi/$check.cc"
  # Prove every SDK-named EAP header came from the SDK directory, not from mingw-w64 (the
  # compiler may report the symlinks' targets).
  foreign=$("$cxx" "${flags[@]}" -M "$source" | tr ' \\' '\n\n' | grep -i -e '/eap[^/_]*\.h$' -e '/dot1x\.h$' -e '/l2cmn\.h$' |
    grep -v -e "^$scratch/sdk/" -e "^$sdk/" || true)
  if [[ -n "$foreign" ]]; then
    echo "$arch: SDK headers found outside the SDK directory ($check):" >&2
    echo "$foreign" >&2
    status=1
    continue
  fi
  if "$cxx" "${flags[@]}" -c "$source" -o "$scratch/$check-$arch.o"; then
    echo "$arch: native/abi matches the Windows SDK ($check)"
  else
    echo "$arch: native/abi differs from the Windows SDK ($check; see the errors above)" >&2
    status=1
  fi
  done
done
exit $status
