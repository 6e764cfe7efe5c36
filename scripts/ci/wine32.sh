#!/usr/bin/env bash
# Installs Debian's wine32 (i386), which the Wine lane needs to run 32-bit Windows programs
# (Debian's wine64 alone cannot start a 32-bit .exe). Idempotent: nothing happens when it is
# installed. Called by scripts/setup.sh --all.
#
# dpkg gets the i386 architecture, as any i386 package needs. The package lists come into an
# apt state of this script's own (sources: the machine's; lists: a scratch directory, removed
# after), so the machine's own lists are never touched here, and an i386 index that fails (a
# mirror in mid-sync fails its size check, apt-get update exit 100) fails this script alone,
# after three tries, with one message. Messages go to stderr.
set -euo pipefail

# Why wine32 could not be installed, for the Wine lane to name; removed once it is installed.
unavailable=${XDG_CACHE_HOME:-$HOME/.cache}/eaphost/wine32-unavailable
fail() {
  echo "wine32: $*" >&2
  mkdir -p "$(dirname "$unavailable")" && echo "$(date -u +%FT%TZ) $*" >"$unavailable"
  exit 1
}

installed() { dpkg-query -W -f='${Status}' wine32:i386 2>/dev/null | grep -q 'install ok installed'; }
installed && { rm -f "$unavailable"; exit 0; }

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
added=0
if ! dpkg --print-foreign-architectures | grep -qx i386; then
  "${sudo[@]}" dpkg --add-architecture i386
  added=1
fi

state=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-wine32-apt.XXXXXX")
# Whatever the outcome, the scratch state goes; and an i386 architecture this run added with no
# i386 package installed goes too, so the machine's next apt-get update does not fetch i386 lists.
cleanup() {
  "${sudo[@]}" rm -rf "$state"
  if [ "$added" = 1 ] && ! installed; then "${sudo[@]}" dpkg --remove-architecture i386 || true; fi
}
trap cleanup EXIT
mkdir -p "$state/lists/partial"
apt_opts=(-o "Dir::State::Lists=$state/lists" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
  -o "APT::Sandbox::User=root")

# The machine's sources, amd64 and i386 (dpkg's architectures), read into the scratch lists.
for try in 1 2 3; do
  if "${sudo[@]}" apt-get "${apt_opts[@]}" update >"$state/update.log" 2>&1; then
    updated=1
    break
  fi
  updated=0
  [ "$try" = 3 ] || sleep $((try * 30))
done
if [ "$updated" != 1 ]; then
  grep -E '^(E|W):' "$state/update.log" >&2 || tail -n 5 "$state/update.log" >&2
  fail "apt-get update (amd64 + i386, a private apt state) failed 3 times; the machine's own lists are untouched"
fi
# --no-remove: when the i386 versions on offer do not match the installed amd64 ones of a
# Multi-Arch: same library (an i386 index missing from the lists), apt would remove amd64
# packages, wine64 among them; it fails instead. Upgrades to the archive's versions go ahead, as
# any apt-get install's do.
"${sudo[@]}" apt-get "${apt_opts[@]}" install -y --no-remove --no-install-recommends wine32:i386 >"$state/install.log" 2>&1 ||
  { tail -n 20 "$state/install.log" >&2; fail "apt-get install wine32:i386 failed (nothing was removed)"; }
installed || fail "wine32:i386 is still not installed"
rm -f "$unavailable"
echo "wine32: installed $(dpkg-query -W -f='${Version}' wine32:i386)" >&2
