#!/usr/bin/env bash
# better-sqlite3 (the tests' SQLite accounting store, a development dependency) for each Node the
# lanes load it in: the machine's node (set-up, the sanitizers lane) and the linux lane's
# (scripts/ci/node-binary.sh). It is a native module of one Node ABI, and its loader (the npm
# package `bindings`) also looks in lib/binding/node-v<ABI>-<platform>-<arch>/: each build goes
# there, one folder per ABI, and build/ is emptied, so whichever node loads it finds its own.
# Each is built from source against that node's own headers, as set-up's npm ci builds it (no
# prebuilt binary is fetched), at -O1 (scripts/setup.sh says why). A build already in place is kept.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/ci/node-binary.sh
source scripts/ci/node-binary.sh
module=node_modules/better-sqlite3
[ -f "$module/package.json" ] || { echo "better-sqlite3-abis: $module is missing (npm ci first)" >&2; exit 1; }

# abi_dir <node>: where that node's build goes.
abi_dir() {
  echo "$module/lib/binding/$("$1" -p '`node-v${process.versions.modules}-${process.platform}-${process.arch}`')"
}

# place <node>: that node's build in its folder: npm ci's own build when it is that node's,
# otherwise built against the node's installation (bin/ and include/node/ under one folder).
place() {
  local node=$1 dir
  dir=$(abi_dir "$node")
  [ -f "$dir/better_sqlite3.node" ] && return 0
  if [ ! -f "$module/build/Release/better_sqlite3.node" ] || [ "$(realpath "$node")" != "$(realpath "$(command -v node)")" ]; then
    env npm_config_build_from_source=better-sqlite3 npm_config_nodedir="$(dirname "$(dirname "$node")")" CFLAGS=-O1 \
      npm rebuild better-sqlite3 --foreground-scripts >"$module/rebuild.log" 2>&1 ||
      { cat "$module/rebuild.log" >&2; return 1; }
  fi
  mkdir -p "$dir"
  mv "$module/build/Release/better_sqlite3.node" "$dir/better_sqlite3.node"
  "$node" -e "new (require('./$module'))(':memory:').close()" ||
    { echo "better-sqlite3-abis: the build in $dir does not load in $("$node" --version)" >&2; return 1; }
  echo "better-sqlite3-abis: $("$node" --version) loads $dir/better_sqlite3.node"
}

place "$(command -v node)"
place "$(node_binary "$LINUX_LANE_NODE_VERSION")"
rm -rf "$module/build" "$module/rebuild.log"
