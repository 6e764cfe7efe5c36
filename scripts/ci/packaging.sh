#!/usr/bin/env bash
# The packaging lane: what a consumer gets from `npm install eaphost`.
#   1. prebuilds: linux-x64 natively, win32-x64 cross-built with mingw-w64 (npm run prebuild); under
#      npm test, the win32-x64 prebuild the win32 lane built and ran
#   2. npm pack, and a check of what the tarball holds (scripts/ci/packaging/check-tarball.js)
#   3. install the tarball into an empty project in a temp dir, from the local npm cache, with
#      no compiler on PATH: the prebuild must serve; then `npx eaphost auth` on the embedded
#      authenticator, an ES module import, a CommonJS require, the exports map (the same names
#      from import and require() for eaphost, eaphost/radius, eaphost/profile; private paths
#      refused) and TypeScript files checked against the shipped declarations under node16 (CJS
#      and ESM), bundler and node10 resolution
#   3b. the same with npm install --ignore-scripts: the prebuild serves with no install script
#   4. the same consumer again with --build-from-source: node-gyp builds from the tarball, warnings
#      as errors (EAPHOST_WERROR=1)
#   5. the win32-x64 prebuild from the tarball, under Wine (scripts/wine/packed-prebuild.sh)
# Ends with one line "packaging: passed" or "packaging: failed (<why>)" and exits non-zero on
# any failure; a missing tool is a failure, never a skip.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
lane_start=$(date +%s)
fail() {
  # The source build that runs beside the other consumers (below) ends with the lane.
  [ -z "${from_source_pid:-}" ] || kill "$from_source_pid" 2>/dev/null
  echo "packaging: $1" >&2
  echo "packaging: failed ($1) after $(( $(date +%s) - lane_start )) s"
  exit 1
}

# The consumer's npm must see neither this repository's npm settings (npm test exports them
# as npm_config_*) nor the machine user's (a nodedir there would hide a download).
cache=$(npm config get cache) || fail "npm config get cache failed"
for var in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$var"; done
work=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-packaging.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$work"' EXIT
: >"$work/npmrc"
export npm_config_userconfig="$work/npmrc" npm_config_cache="$cache" npm_config_prefer_offline=true \
  npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
tsc_version=$(node -p "require('./node_modules/typescript/package.json').version") || fail "run npm ci first"
types_node_version=$(node -p "require('./node_modules/@types/node/package.json').version") || fail "run npm ci first"

echo "== prebuilds"
# Under npm test, with the win32 lane in another stream (scripts/test-all.sh), the win32-x64
# prebuild is that lane's: built by the release's script and run in node.exe there. This lane
# waits for the lane's mark (its prebuild and node.exe in place), or for its verdict should it
# end without one; then it builds the prebuild itself.
win32_from_lane=0
if [ -n "${EAPHOST_WIN32_PREBUILD_MARK:-}" ]; then
  waited=$(date +%s)
  # Once a minute it says it still waits (the lane's watchdog reads silence as a hang); the win32
  # lane's own watchdog ends that lane, and with its verdict this wait, should it hang.
  said=$waited
  while [ ! -f "$EAPHOST_WIN32_PREBUILD_MARK" ] && [ ! -f "${EAPHOST_WIN32_VERDICT:?}" ]; do
    sleep 1
    if [ $(( $(date +%s) - said )) -ge 60 ]; then
      said=$(date +%s)
      echo "   win32-x64: waiting for the win32 lane's prebuild ($(( said - waited )) s)"
    fi
  done
  if [ -f "$EAPHOST_WIN32_PREBUILD_MARK" ]; then
    win32_from_lane=1
    echo "   win32-x64: the win32 lane's (waited $(( $(date +%s) - waited )) s for it)"
  else
    echo "   win32-x64: the win32 lane ended without its prebuild; built here"
  fi
fi
# EAPHOST_PACKAGING_REUSE_PREBUILDS=1 packs the prebuilds already in prebuilds/ (iterating on
# this script); otherwise each is rebuilt from scratch but the win32 lane's above.
if [ "${EAPHOST_PACKAGING_REUSE_PREBUILDS:-0}" = 1 ] && [ -d prebuilds/linux-x64 ] && [ -d prebuilds/win32-x64 ]; then
  echo "   reusing prebuilds/linux-x64 and prebuilds/win32-x64"
else
  node scripts/dev/prebuild.js >"$work/prebuild-linux.log" 2>&1 || { tail -n 40 "$work/prebuild-linux.log"; fail "linux-x64 prebuild failed"; }
  if [ "$win32_from_lane" = 0 ]; then
    node scripts/dev/prebuild.js --platform win32 --arch x64 >"$work/prebuild-win32.log" 2>&1 ||
      { tail -n 40 "$work/prebuild-win32.log"; fail "win32-x64 prebuild failed"; }
  fi
  grep -sh '^prebuild: prebuilds/' "$work/prebuild-linux.log" "$work/prebuild-win32.log"
fi

echo "== npm pack"
# dist/ is built once by npm test (lanes may run side by side), or here when the lane runs alone;
# npm pack then runs no prepare script, which would rebuild it under a running lane.
if [ "${EAPHOST_DIST_BUILT:-0}" != 1 ]; then
  npm run --silent build:ts >"$work/tsc.log" 2>&1 || { cat "$work/tsc.log"; fail "tsc failed"; }
fi
npm pack --ignore-scripts --json --pack-destination "$work" >"$work/pack.json" 2>"$work/pack.log" || { cat "$work/pack.log"; fail "npm pack failed"; }
node scripts/ci/packaging/check-tarball.js "$work/pack.json" "$repo" linux-x64 win32-x64 || fail "the tarball's contents are wrong"
tarball="$work/$(node -p "require('$work/pack.json')[0].filename")"

# A PATH on which every compiler and build tool fails loudly and leaves a trace.
mkdir -p "$work/no-compiler"
for tool in cc c++ gcc g++ clang clang++ make cmake ninja; do
  printf '#!/bin/sh\necho "%s $*" >>"%s/compiler-calls"\nexit 1\n' "$tool" "$work" >"$work/no-compiler/$tool"
  chmod +x "$work/no-compiler/$tool"
done

# consume <name> [npm install flags...]: an empty project that installs the tarball and uses it.
consume() {
  local name=$1 dir="$work/$1"
  shift
  mkdir -p "$dir" && cd "$dir" || fail "cannot make $dir"
  npm init -y >/dev/null 2>&1 || fail "$name: npm init failed"
  npm install --foreground-scripts "$@" "$tarball" "typescript@$tsc_version" "@types/node@$types_node_version" \
    >"$dir/install.log" 2>&1 || { tail -n 40 "$dir/install.log"; fail "$name: npm install of the tarball failed"; }
  grep '^eaphost: ' "$dir/install.log"
  # The embedded default a newcomer runs (README): PEAP-MSCHAPv2 with the ephemeral CA, then
  # the plain methods.
  for method in peap mschapv2 md5; do
    npx --no-install eaphost auth --method $method --identity alice --password 'correct horse battery staple' \
      --users "$repo/examples/users.json" || fail "$name: npx eaphost auth --method $method did not authenticate"
    npx --no-install eaphost auth --method $method --identity alice --password 'wrong' \
      --users "$repo/examples/users.json" >/dev/null 2>&1
    [ $? -eq 1 ] || fail "$name: npx eaphost auth --method $method with a wrong password did not exit 1"
  done
  cp "$repo"/scripts/ci/packaging/{consumer.mjs,consumer.cjs,consumer.ts,exports.mjs,entries.ts,private.ts} "$dir/"
  node consumer.mjs || fail "$name: ES module import failed"
  node consumer.cjs || fail "$name: CommonJS require failed"
  node exports.mjs || fail "$name: the exports map is wrong"
  local tsc=(npx --no-install tsc --noEmit --strict --target es2022 --types node)
  "${tsc[@]}" --module node16 --moduleResolution node16 consumer.ts ||
    fail "$name: TypeScript check against the shipped declarations failed"
  echo "   typescript: consumer.ts type-checks (--module node16 --strict)"
  cd "$repo" || fail "cd"
}

# install_consumer: scripts/ci/install-consumer.js, which windows.yml's package and consumer-windows
# jobs run, with the package job's arguments.
install_consumer() {
  node "$repo/scripts/ci/install-consumer.js" "$tarball" -- auth --method md5 --identity alice \
    --password 'correct horse battery staple' --users "$repo/examples/users.json" >"$work/install-consumer.log" 2>&1 ||
    { tail -n 30 "$work/install-consumer.log"; fail "scripts/ci/install-consumer.js did not install and authenticate"; }
  echo "   scripts/ci/install-consumer.js: installed the tarball and authenticated (md5)"
}

# typecheck_entries <consumer>: the entry points under each resolution a TypeScript consumer
# uses, from CommonJS and from an ES module (.mts under node16). The declarations are the same
# in every consumer, so one consumer checks them.
typecheck_entries() {
  cd "$work/$1" || fail "cd $1"
  local tsc=(npx --no-install tsc --noEmit --strict --target es2022 --types node)
  cp entries.ts entries.mts && cp private.ts private.mts
  "${tsc[@]}" --module node16 --moduleResolution node16 entries.ts private.ts entries.mts private.mts ||
    fail "$1: the entry points do not type-check under node16 resolution (CommonJS and ES module)"
  "${tsc[@]}" --module esnext --moduleResolution bundler entries.ts private.ts ||
    fail "$1: the entry points do not type-check under bundler resolution"
  "${tsc[@]}" --module commonjs --moduleResolution node10 entries.ts ||
    fail "$1: the entry points do not type-check under node10 resolution (typesVersions)"
  echo "   typescript: the entry points type-check (node16 CJS and ESM, bundler, node10; --strict); private paths do not resolve"
  cd "$repo" || fail "cd"
}

# loaded_addon <consumer>: the addon file the installed package loaded (an internal module, by path:
# the exports map keeps it from being imported by name).
loaded_addon() {
  (cd "$work/$1" && node -p "require('./node_modules/eaphost/dist/lib/native').addonPath")
}

# The source build is most of this lane's time and the consumers below mostly wait (npm, node's
# start, Wine), so it starts now, beside them, and is checked where it used to run. With warnings
# as errors, as this project's own builds: a warning a consumer's compiler would print (in our
# code or in a header we include) fails the lane.
from_source_start=$(date +%s)
(EAPHOST_WERROR=1 consume from-source --build-from-source) >"$work/from-source.out" 2>&1 &
from_source_pid=$!

echo "== consumer with the prebuild (no compiler on PATH)"
start=$(date +%s)
PATH="$work/no-compiler:$PATH" consume with-prebuild
typecheck_entries with-prebuild
[ ! -e "$work/compiler-calls" ] || { cat "$work/compiler-calls"; fail "installing with a prebuild ran a compiler"; }
[ ! -e "$work/with-prebuild/node_modules/eaphost/build" ] || fail "installing with a prebuild made a build/ directory"
chosen=$(loaded_addon with-prebuild) || fail "cannot resolve the addon"
case "$chosen" in */prebuilds/linux-x64/*) ;; *) fail "the consumer loaded $chosen, not the prebuild" ;; esac
echo "   $(( $(date +%s) - start )) s"

echo "== scripts/ci/install-consumer.js (the release workflow's consumer, same arguments)"
PATH="$work/no-compiler:$PATH" install_consumer

# What npm 12 (and pnpm 10) do to a dependency whose scripts nobody allowed: nothing runs at
# install, so the prebuild must serve as it is in the tarball.
echo "== consumer installing with --ignore-scripts (no install script, no compiler on PATH)"
start=$(date +%s)
PATH="$work/no-compiler:$PATH" consume ignore-scripts --ignore-scripts
[ ! -e "$work/compiler-calls" ] || { cat "$work/compiler-calls"; fail "installing with --ignore-scripts ran a compiler"; }
! grep -q '^eaphost: ' "$work/ignore-scripts/install.log" || fail "the install script ran despite --ignore-scripts"
[ ! -e "$work/ignore-scripts/node_modules/eaphost/build" ] || fail "installing with --ignore-scripts made a build/ directory"
chosen=$(loaded_addon ignore-scripts) || fail "cannot resolve the addon"
case "$chosen" in */prebuilds/linux-x64/*) ;; *) fail "the --ignore-scripts consumer loaded $chosen, not the prebuild" ;; esac
echo "   $(( $(date +%s) - start )) s"

echo "== win32-x64 prebuild from the tarball, under Wine"
bash scripts/wine/packed-prebuild.sh "$tarball" || fail "the packed win32-x64 prebuild did not work under Wine"

echo "== consumer building from source (npm install --build-from-source, started with the consumers above)"
from_source_status=0
wait "$from_source_pid" || from_source_status=$?
cat "$work/from-source.out"
[ "$from_source_status" -eq 0 ] || exit 1
chosen=$(loaded_addon from-source) || fail "cannot resolve the addon"
case "$chosen" in */build/Release/eaphost.node) ;; *) fail "the source-built consumer loaded $chosen" ;; esac
[ ! -e "$work/compiler-calls" ] || fail "unexpected compiler trace"
echo "   $(( $(date +%s) - from_source_start )) s"

echo "packaging: passed in $(( $(date +%s) - lane_start )) s"
