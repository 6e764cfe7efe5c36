#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for eaphost: system packages, then npm ci (which
# builds the native code with cmake-js and the TypeScript with tsc).
#   bash scripts/setup.sh          build tools only (enough for the library and the CLI)
#   bash scripts/setup.sh --all    also mingw-w64 + Wine, FreeRADIUS/hostapd/eapol_test and clang
#                                  (libFuzzer, for the fuzz lane),
#                                  which the full test suite (npm test) needs
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ make python3 pkg-config nettle-dev libgnutls28-dev binutils)
if [ "${1:-}" = "--all" ]; then
  packages+=(mingw-w64 wine wine64 freeradius freeradius-utils eapoltest hostapd openssl clang libclang-rt-14-dev ccache)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

npm ci
