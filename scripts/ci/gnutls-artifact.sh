#!/usr/bin/env bash
# gnutls-windows.yml's artifact: GnuTLS for Windows x64 and x86 (scripts/ci/gnutls-mingw.sh,
# cached) copied into <dir>/x64 and <dir>/x86, each with the .def the MSVC builds make their
# delay-load import library from (lib /def:). Usage: gnutls-artifact.sh <dir>
set -euo pipefail
out=${1:?usage: gnutls-artifact.sh <dir>}
mapfile -t prefixes < <(bash "$(dirname "${BASH_SOURCE[0]}")/gnutls-mingw.sh" x64 x86)
[ ${#prefixes[@]} -eq 2 ] || { echo "gnutls-artifact: gnutls-mingw.sh x64 x86 failed" >&2; exit 1; }
for i in 0 1; do
  arch=$([ $i = 0 ] && echo x64 || echo x86)
  prefix=${prefixes[$i]}
  mkdir -p "$out/$arch"
  cp -a "$prefix"/. "$out/$arch/"
  ls -l "$out/$arch/bin"
  test -f "$out/$arch/lib/libgnutls-30.def" || { echo "gnutls-artifact: no lib/libgnutls-30.def for $arch" >&2; exit 1; }
done
