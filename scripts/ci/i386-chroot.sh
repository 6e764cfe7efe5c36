#!/usr/bin/env bash
# Makes (once) and caches the Debian chroot in which the Wine lane runs 32-bit Windows programs
# (its name says what it is for: i386 Windows, not the Debian inside): an amd64 Debian with i386
# multiarch and Debian's wine, wine64 and wine32:i386 from Debian's own archive, so one Wine
# serves both 32-bit Windows the lane needs: a pure 32-bit prefix (WINEARCH=win32, the x86
# part's) and a 64-bit prefix in which a 32-bit program runs under WoW64, as a 32-bit node.exe
# or Electron does on 64-bit Windows (the WoW64 part's). An i386 Debian can give only the first.
# Usage:
#   i386-chroot.sh           makes it when it is not cached; prints its directory on stdout
#   i386-chroot.sh --path    prints where it is (made or not), makes nothing
#
# Why a chroot: Debian's wine64 alone cannot start a 32-bit .exe (syswow64\ntdll.dll is
# c0000135 without wine32), and wine32 on the machine itself means an i386 dpkg architecture, so
# every apt-get update of the machine fetches i386 lists too, and a failing i386 index (seen for
# days on bookworm-security) blocks it. The chroot takes nothing from the machine's apt state and
# changes nothing in it: debootstrap fetches an amd64 "stable" minbase from the Debian main
# archive the machine's sources name (apt-cache policy; deb.debian.org when none is named, as on
# Ubuntu), and apt inside it adds the i386 architecture and installs wine, wine64 and
# wine32:i386. The result lives under ${XDG_CACHE_HOME:-~/.cache}/eaphost/i386-chroot/, never in
# the tree; a run after the first costs nothing. It is made in a staging directory and renamed
# into place only once complete, so an interrupted run leaves no half chroot to be taken for one.
# Mounts (proc, /dev) exist only inside a private mount namespace (unshare -m) for the duration
# of one command: nothing stays mounted. Needs root (sudo when not root). Messages go to stderr.
set -euo pipefail

fail() { echo "i386-chroot: $*" >&2; exit 1; }

# What the chroot is made of; a change here makes a new one.
recipe="debian stable amd64 minbase, i386 multiarch; wine wine64 wine32:i386 (no recommends)"
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/eaphost/i386-chroot
root="$cache_root/root"
stamp="$root/.eaphost-i386-chroot"

if [ "${1:-}" = --path ]; then
  echo "$root"
  exit 0
fi
[ $# -eq 0 ] || fail "usage: i386-chroot.sh [--path]"

if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$recipe" ]; then
  echo "$root"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo -n); fi
command -v debootstrap >/dev/null || fail "debootstrap missing: apt-get install debootstrap (scripts/setup.sh --all)"
command -v unshare >/dev/null || fail "unshare missing: apt-get install util-linux"

# The Debian main archive the machine's apt sources name: the URL whose release is Debian's own
# (o=Debian, l=Debian: not -Security) for a suite without a dash (not -updates, -backports).
mirror=$(apt-cache policy 2>/dev/null | awk '
  $1 ~ /^[0-9]+$/ && $2 ~ /^(https?|ftp):/ { url = $2; suite = $3; next }
  $1 == "release" && url != "" {
    if ($2 ~ /(^|,)o=Debian(,|$)/ && $2 ~ /(^|,)l=Debian(,|$)/ && suite !~ /-/) { print url; exit }
    url = ""
  }')
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$cache_root"
stage=$(mktemp -d "$cache_root/.stage.XXXXXX")
log="$stage.log"
cleanup() { "${sudo[@]}" rm -rf "$stage"; }
trap cleanup EXIT

# in_stage <command...>: runs a command as root inside the staging chroot, with proc and /dev
# mounted in a mount namespace of its own (they vanish with it).
in_stage() {
  "${sudo[@]}" unshare --mount --propagation private -- sh -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && exec chroot "$root" "$@"' \
    in_stage "$stage" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive "$@"
}

start=$(date +%s)
echo "i386-chroot: debootstrap --arch=amd64 --variant=minbase stable from $mirror" >&2
"${sudo[@]}" debootstrap --arch=amd64 --variant=minbase stable "$stage" "$mirror" >"$log" 2>&1 ||
  { tail -n 20 "$log" >&2; fail "debootstrap failed (full log: $log)"; }
# The machine's resolver, so apt inside reaches the archive.
"${sudo[@]}" cp /etc/resolv.conf "$stage/etc/resolv.conf"
echo "i386-chroot: apt-get install wine wine64 wine32:i386 inside ($(($(date +%s) - start)) s so far)" >&2
in_stage dpkg --add-architecture i386 >>"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "dpkg --add-architecture i386 failed in the chroot"; }
tries=0
until in_stage sh -c 'apt-get update && apt-get install -y --no-install-recommends wine wine64 wine32:i386' >>"$log" 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 3 ] || { tail -n 20 "$log" >&2; fail "apt-get install wine wine64 wine32:i386 in the chroot failed 3 times (log: $log)"; }
  sleep $((tries * 20))
done
in_stage sh -c 'apt-get clean' >>"$log" 2>&1 || true
wine_version=$(in_stage wine --version 2>>"$log") || { tail -n 20 "$log" >&2; fail "wine does not run in the chroot"; }
printf '%s\nmirror %s\n%s\n' "$recipe" "$mirror" "$wine_version" | "${sudo[@]}" tee "$stage/.eaphost-i386-chroot" >/dev/null
"${sudo[@]}" rm -rf "$root"
"${sudo[@]}" mv "$stage" "$root"
rm -f "$log"
echo "i386-chroot: $root ($wine_version, $(($(date +%s) - start)) s)" >&2
echo "$root"
