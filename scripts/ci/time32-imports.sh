#!/usr/bin/env bash
# Fails when a Windows binary imports one of msvcrt's 32-bit time_t functions. Those are the
# functions mingw-w64's i686 headers call unless __MINGW_USE_VC2005_COMPAT selects a 64-bit
# time_t; MSVC's builds always pass a 64-bit one, so a DLL holding them reads another's dates
# wrong (4 of 8 bytes) and overflows after 2038. The 64-bit forms (_time64, _gmtime64, ...)
# pass. Usage: time32-imports.sh <mingw triple> <file>...
set -euo pipefail

triple=${1:?usage: time32-imports.sh <mingw triple> <file>...}
shift
objdump="$triple-objdump"
command -v "$objdump" >/dev/null || { echo "time32-imports: $objdump missing: apt-get install mingw-w64" >&2; exit 2; }

# msvcrt's exports whose time_t (or struct holding one) is 32 bits: the unsuffixed names are
# the 32-bit ones in msvcrt.dll, as are the *32 forms. Two families are left out, each imported
# only by a library mingw-w64 links in statically, built with the 32-bit default, that keeps the
# time to itself: findfirst (libmingwex's opendir/readdir, which hand out names, never times) and
# utime (libstdc++'s std::filesystem, for last_write_time's setter, which nothing here calls;
# its getter reads _wstat64).
time32='^(time|gmtime|localtime|mktime|ctime|difftime|_mkgmtime|_wctime|_ftime|_stat|_wstat|_fstat|_stati64|_wstati64|_fstati64|_(time|gmtime|localtime|mktime|ctime|wctime|difftime|mkgmtime|ftime|stat|wstat|fstat)32(_s|i64)?)$'

status=0
for file in "$@"; do
  [ -f "$file" ] || { echo "time32-imports: $file not found" >&2; status=1; continue; }
  # objdump -p lists each imported DLL ("DLL Name: x") and then its functions, the name last.
  found=$("$objdump" -p "$file" | awk -v pattern="$time32" '
    /^[[:space:]]*DLL Name:/ { dll = tolower($NF); next }
    /^[[:space:]]*$/ { dll = ""; next }
    dll ~ /^msvcr/ && NF >= 3 && $(NF) ~ pattern { print $(NF) }' | sort -u | tr '\n' ' ')
  if [ -n "$found" ]; then
    echo "$(basename "$file") imports msvcrt's 32-bit time functions: $found" >&2
    status=1
  fi
done
exit $status
