/** CMakeLists.txt and binding.gyp build from one list: native/sources.json with each method's
 *  files from its row of native/methods/methods.json (scripts/install/sources.js merges them), one folder
 *  per build unit, and native/ includes run one way between the units; inside native/methods/, a
 *  crypto library is included only in its folder (the TLS backend's, common/crypto/'s), and GnuTLS only
 *  through its one header; the TLS engine's sources build only where the engine is. */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    return entry.isDirectory() ? walk(rel) : [rel];
  });
}

describe('one source list for both builds', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sources: Record<string, unknown> = require(path.join(root, 'scripts', 'install', 'sources.js')).nativeSources();
  // Groups only CMake builds (the benchmark's addon): node-gyp, the package's fallback, leaves them out.
  const cmakeOnly = new Set((sources.cmake_only ?? []) as string[]);
  const groups = Object.entries(sources).filter(([name, v]) => Array.isArray(v) && name !== 'cmake_only') as
    [string, string[]][];
  const listed = new Set(groups.flatMap(([, files]) => files));

  it('every listed file exists', () => {
    for (const file of listed) assert.ok(fs.existsSync(path.join(root, file)), `${file} is listed but missing`);
  });

  it('every .cc under native/ and test/standins/ is listed (except the MSVC-only layout check)', () => {
    const unlisted = [...walk('native'), ...walk('test/standins')].filter((f) => f.endsWith('.cc') && !listed.has(f) && !f.endsWith('sdk_layout_check.cc'));
    assert.deepEqual(unlisted, []);
  });

  it('CMakeLists.txt reads every group from sources.json and names no source file itself', () => {
    const cmake = read('CMakeLists.txt');
    assert.match(cmake, /native\/sources\.json/);
    for (const [group] of groups) {
      // OS groups are picked as <name>_${EAPHOST_OS}.
      const picked = group.replace(/_(posix|win32)$/, '_${EAPHOST_OS}');
      assert.ok(cmake.includes(group) || cmake.includes(picked), `CMakeLists.txt does not use group ${group}`);
    }
    const named = cmake.match(/native\/[\w/]+\.cc\b/g) ?? [];
    assert.deepEqual(named.filter((f) => !f.endsWith('sdk_layout_check.cc')), []);
  });

  it('binding.gyp takes its sources from the same groups through scripts/install/sources.js', () => {
    const gyp = read('binding.gyp');
    const named = gyp.match(/native\/[\w/]+\.cc\b/g) ?? [];
    assert.deepEqual(named, [], 'binding.gyp must not list .cc files itself');
    const used = new Set([...gyp.matchAll(/scripts\/install\/sources\.js --unity ([\w ]+)\)/g)].flatMap((m) => m[1].split(' ')));
    for (const [group] of groups) {
      if (cmakeOnly.has(group)) assert.ok(!used.has(group), `binding.gyp builds the CMake-only group ${group}`);
      else assert.ok(used.has(group), `binding.gyp does not use group ${group}`);
    }
  });

  it('each group lives in exactly one folder, its build unit\'s (native/<unit>/)', () => {
    for (const [group, files] of groups) {
      const units = new Set(files.map(unitOf));
      // A group may be empty (the method module has no per-OS file since the catalog is generated).
      assert.ok(units.size === Math.min(files.length, 1), `group ${group} spans ${[...units].join(', ')}`);
    }
  });
});

describe('one set of unity batches for both builds (scripts/install/sources.js)', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { nativeSources, unityBatches } = require(path.join(root, 'scripts', 'install', 'sources.js'));
  const sources: Record<string, unknown> = nativeSources();
  const batchOf: Record<string, string> = unityBatches(sources);
  const members = new Map<string, string[]>();
  for (const [file, batch] of Object.entries(batchOf)) members.set(batch, [...(members.get(batch) ?? []), file]);
  // The repository-relative path of an #include of a batch (CMake's are absolute; in node.exe under
  // Wine this root is Z:\\..., the build's paths the Unix ones).
  const rootPosix = root.replace(/^[A-Za-z]:/, '').split(path.sep).join('/');
  const repoRelative = (included: string) => included.startsWith(`${rootPosix}/`) ? included.slice(rootPosix.length + 1) : included;
  const includesOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/^#include "([^"]+)"$/gm)].map((m) => m[1]);

  it('a batch is at most 8 files of one group, in its order; wlanapi.h\'s includers, the probes and their registration are in none', () => {
    assert.ok(members.size > 10, `${members.size} batches`);
    for (const [batch, files] of members) {
      const group = batch.replace(/_\d+$/, '');
      const list = sources[group] as string[];
      assert.ok(Array.isArray(list), `batch ${batch} names no group`);
      assert.ok(files.length >= 1 && files.length <= 8, `${batch}: ${files.length} files`);
      const at = files.map((f) => list.indexOf(f));
      assert.deepEqual(at, [...at].sort((a, b) => a - b), `${batch} is out of its group's order`);
    }
    const alone = Object.values(sources).flatMap((v) => Array.isArray(v) ? v as string[] : [])
      .filter((f) => /\/wlan_[a-z]+_win32\.cc$|\/seam_registration\.cc$|contract_probe/.test(f));
    assert.ok(alone.length >= 4, alone.join(' '));
    for (const file of alone) assert.equal(batchOf[file], undefined, `${file} is batched`);
  });

  it('the CMake build this suite loads compiled exactly those batches (UNITY_GROUP)', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const build = path.dirname(path.dirname(require(path.join(root, 'dist', 'lib', 'native')).addonPath));
    // The batches build.ninja compiles (a build directory keeps the batch files of an earlier
    // configuration until it is cleaned).
    const ninja = fs.readFileSync(path.join(build, 'build.ninja'), 'utf8');
    const unityFiles = [...new Set([...ninja.matchAll(/CMakeFiles\/[\w.]+\/Unity\/unity_\w+_cxx\.cxx(?=[\s|])/g)].map((m) => m[0]))]
      .map((f) => path.join(build, ...f.split('/')));
    assert.ok(unityFiles.length > 10, `${build}: ${unityFiles.length} unity files`);
    for (const file of unityFiles) {
      const batch = /^unity_(\w+)_cxx\.cxx$/.exec(path.basename(file))![1];
      assert.ok(members.has(batch), `${file}: CMake made a batch sources.js does not (${batch})`);
      assert.deepEqual(includesOf(file).map(repoRelative), members.get(batch), file);
    }
  });

  it('binding.gyp compiles the same batches: sources.js --unity writes each with its files, and lists the rest alone', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'install', 'sources.js'), '--unity', 'addon', 'methods_tls'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, EAPHOST_UNITY_BUILD: '' } });
    assert.equal(run.status, 0, run.stderr);
    const listedFiles = run.stdout.split(' ');
    const expected = new Set([...(sources.addon as string[]), ...(sources.methods_tls as string[])].map((f) => batchOf[f] ?? f));
    assert.deepEqual(listedFiles.map((f) => /^build\/unity\/unity_(\w+)\.cc$/.exec(f)?.[1] ?? f), [...expected]);
    for (const f of listedFiles.filter((f) => f.startsWith('build/unity/'))) {
      const batch = /unity_(\w+)\.cc$/.exec(f)![1];
      const included = includesOf(path.join(root, f)).map((i) => path.posix.normalize(path.posix.join('build/unity', i)));
      assert.deepEqual(included, members.get(batch), f);
    }
    const off = spawnSync(process.execPath, [path.join(root, 'scripts', 'install', 'sources.js'), '--unity', 'addon'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, EAPHOST_UNITY_BUILD: 'OFF' } });
    assert.deepEqual(off.stdout.split(' '), sources.addon, 'EAPHOST_UNITY_BUILD=OFF lists the files themselves');
  });
});

/** The build unit a file under native/ (or test/standins/) belongs to: its first folder there. */
function unitOf(file: string): string {
  return file.split('/')[1];
}

// Which units each unit may include from (besides its own): one way, from the addon and the
// method module down to the ABI; no host reaches method code, no method reaches a host.
const INCLUDES_FROM: Record<string, string[]> = {
  abi: [],
  common: ['abi'],
  methods: ['common', 'abi'],
  method_module: ['methods', 'common', 'abi'],
  hosts: ['common', 'abi'],
  method_registry: ['common', 'abi'],
  portable_eaphost: ['method_registry', 'hosts', 'common', 'abi'],
  eapol: ['common'],
  radius: ['hosts', 'common', 'abi'],
  // The OS services (EAPHost's function table, certificate stores, method registration, the
  // event log, Native Wifi): plain C++, no N-API, under the addon.
  platform: ['hosts', 'common', 'abi'],
  addon: ['platform', 'eapol', 'radius', 'hosts', 'common', 'abi'],
  bench: ['platform', 'hosts', 'common', 'abi'],
  // Stand-ins for Windows DLLs (the Wine lane's, test/standins/): over the hosts, never below them.
  standins: ['hosts', 'common', 'abi'],
};
describe('native/ includes run one way', () => {
  const files = [...walk('native'), ...walk('test/standins')].filter((f) => /\.(cc|h)$/.test(f));

  it('every folder under native/ is a known build unit', () => {
    const unknown = [...new Set(files.map(unitOf))].filter((unit) => !(unit in INCLUDES_FROM));
    assert.deepEqual(unknown, [], 'a new unit needs its place in INCLUDES_FROM');
  });

  it('no #include reaches a unit above its own', () => {
    assert.deepEqual(files.flatMap((file) => upwardIncludes(file, read(file))), []);
  });

  it('the check sees an upward include (a host including a method\'s header)', () => {
    assert.deepEqual(upwardIncludes('native/hosts/peer_method_host.cc', '#include "../methods/md5/md5_method.h"\n'),
      ['native/hosts/peer_method_host.cc -> native/methods/md5/md5_method.h']);
    assert.deepEqual(upwardIncludes('native/radius/server/radius_lane.cc', '#include "../../methods/md5/md5_method.h"\n'),
      ['native/radius/server/radius_lane.cc -> native/methods/md5/md5_method.h']);
    // RADIUS takes the OS's digests from native/common/crypto/, and nothing of the methods.
    assert.deepEqual(upwardIncludes('native/radius/wire/radius_md5.cc', '#include "../../methods/support/method_packet.h"\n'),
      ['native/radius/wire/radius_md5.cc -> native/methods/support/method_packet.h']);
    assert.deepEqual(upwardIncludes('native/radius/wire/radius_md5.cc', '#include "../../common/crypto/digest.h"\n'), []);
  });
});

// native/radius/'s folders, each over the folders it may include (besides its own): wire/ (the
// packet and attribute codecs, the digests, the reply cache, what a request sent through the client
// engine looks like) at the bottom, includes nothing of the others, as hostap's src/radius/radius.h
// includes no role; io/ (the socket per OS and the one loop) over it; then one folder per role:
// dtls/ (RADIUS/DTLS's record layer over GnuTLS), client/ (the client engine), das/ (the Dynamic
// Authorization Server) and server/ (the engine, its lane and the policy), which runs DTLS links.
// Each folder names only folders listed before it, so the table is the order and has no circle.
const RADIUS_FOLDERS: Record<string, string[]> = {
  wire: [],
  io: ['wire'],
  dtls: ['io', 'wire'],
  client: ['io', 'wire'],
  das: ['dtls', 'io', 'wire'],  // the DAS over RADIUS/DTLS plugs into the DTLS listener as the server does
  server: ['dtls', 'io', 'wire'],
};
// Outside native/radius/, a role's headers are its bindings' alone (the floor, wire/ and io/, is anyone's).
const RADIUS_BINDINGS: Record<string, string[]> = {
  // The PKCS#12 reader's fuzz target (fuzz/README.md) reads bundles through it alone.
  dtls: ['native/addon/radius/radius_dtls_binding.cc', 'fuzz/pkcs12_chain_fuzzer.cc'],
  client: ['native/addon/radius/radius_client_binding.cc'],
  das: ['native/addon/radius/dynamic_authorization_binding.cc'],
  // The step-pool and lane-headroom probes (test builds only) run the engine's step pool, and its
  // rule for keeping steps, on their own.
  server: ['native/addon/radius/radius_engine_binding.cc', 'native/addon/radius/radius_policy_binding.cc',
    'native/addon/probes/step_pool_probe_binding.cc', 'native/addon/probes/lane_headroom_probe_binding.cc'],
};

describe('native/radius/: folders that include only the folders below them, a role\'s header only its binding', () => {
  const files = [...walk('native'), ...walk('fuzz')].filter((f) => /\.(cc|h)$/.test(f));
  const radius = files.filter((f) => f.startsWith('native/radius/'));

  it('every file sits in a known folder, and each folder names only folders listed before it', () => {
    assert.deepEqual(radius.filter((f) => f.split('/').length !== 4 || !(f.split('/')[2] in RADIUS_FOLDERS)), []);
    const order = Object.keys(RADIUS_FOLDERS);
    for (const [folder, below] of Object.entries(RADIUS_FOLDERS)) {
      assert.ok(radius.some((f) => f.startsWith(`native/radius/${folder}/`)), `native/radius/${folder}/ holds no file`);
      assert.ok(below.every((b) => order.indexOf(b) >= 0 && order.indexOf(b) < order.indexOf(folder)), folder);
    }
  });

  it('no #include runs up or across folders, and none from outside reaches a role but its binding', () => {
    assert.deepEqual(files.flatMap((file) => radiusLeaks(file, read(file))), []);
  });

  it('the check sees the codec including the lane, the DAS the client, and the DAS\'s binding the client', () => {
    assert.deepEqual(radiusLeaks('native/radius/wire/radius_attribute_codec.h', '#include "../server/radius_lane.h"\n'),
      ['native/radius/wire/radius_attribute_codec.h -> native/radius/server/radius_lane.h']);
    assert.deepEqual(radiusLeaks('native/radius/das/radius_das.cc', '#include "../client/radius_client.h"\n'),
      ['native/radius/das/radius_das.cc -> native/radius/client/radius_client.h']);
    assert.deepEqual(radiusLeaks('native/addon/radius/dynamic_authorization_binding.cc', '#include "../../radius/client/radius_client.h"\n'),
      ['native/addon/radius/dynamic_authorization_binding.cc -> native/radius/client/radius_client.h']);
    assert.deepEqual(radiusLeaks('native/radius/server/radius_engine.h', '#include "radius_lane.h"\n#include "../wire/radius_base.h"\n'), []);
    assert.deepEqual(radiusLeaks('native/addon/radius/radius_values.h', '#include "../../radius/wire/radius_base.h"\n'), []);
  });

  it('one loop: no role waits on its socket or reads it but through radius_loop.cc', () => {
    const waits = (text: string) => /socket_?(->|\.)(Wait|Receive)\(/.test(text);
    assert.deepEqual(radius.filter((f) => !/\/radius_(loop|socket\w*)\.(cc|h)$/.test(f) && waits(read(f))), []);
    assert.ok(waits(read('native/radius/io/radius_loop.cc')), 'the check sees the loop\'s own wait');
  });

  it('its rooms (a header with its .cc) run back up at most once', () => {
    // The one left: the lane's private pieces (radius_lane_decision.h) and the lane include each other.
    assert.ok(arrowsBackUp(roomGraph(radius, 'native/radius/')) <= 1);
  });

  it('the count sees every knot, the fewest arrows back up each can have', () => {
    const graph = (edges: string) => {
      const made = new Map<string, Set<string>>();
      for (const edge of edges.split(' ')) {
        const [from, to] = edge.split('>');
        for (const room of [from, to]) if (!made.has(room)) made.set(room, new Set());
        made.get(from)?.add(to);
      }
      return made;
    };
    assert.equal(arrowsBackUp(graph('a>b b>c a>c')), 0);
    assert.equal(arrowsBackUp(graph('a>b b>a')), 1);
    assert.equal(arrowsBackUp(graph('a>b b>c c>a c>d d>c')), 2);
    assert.equal(arrowsBackUp(graph('a>b b>a c>d d>c')), 2);
  });
});

/** The includes of `file` (text) that reach a folder of native/radius/ it may not: from inside,
 *  a folder not below its own; from outside, a role's header from a file not its binding. */
function radiusLeaks(file: string, text: string): string[] {
  const folderOf = (f: string) => (f.startsWith('native/radius/') ? f.split('/')[2] : undefined);
  const from = folderOf(file);
  const leaks: string[] = [];
  for (const [, target] of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
    const to = folderOf(resolved);
    if (to === undefined || to === from) continue;
    const allowed = from !== undefined ? RADIUS_FOLDERS[from]?.includes(to) : !(to in RADIUS_BINDINGS) || RADIUS_BINDINGS[to].includes(file);
    if (!allowed) leaks.push(`${file} -> ${resolved}`);
  }
  return leaks;
}

/** The fewest includes that run back up (to a room on a floor above), whatever floors the rooms
 *  stand on: within each knot of rooms that reach each other, the order of floors that leaves
 *  the fewest, found exactly over the knot's subsets (a knot here is a few rooms). */
function arrowsBackUp(graph: Map<string, Set<string>>): number {
  const reach = (from: string) => {
    const seen = new Set([from]);
    const todo = [from];
    for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
      for (const next of graph.get(at) ?? []) {
        if (!seen.has(next)) todo.push(next);
        seen.add(next);
      }
    }
    return seen;
  };
  const reaches = new Map([...graph.keys()].map((room) => [room, reach(room)]));
  const placed = new Set<string>();
  let total = 0;
  for (const room of graph.keys()) {
    if (placed.has(room)) continue;
    const knot = [...(reaches.get(room) ?? [])].filter((other) => reaches.get(other)?.has(room));
    for (const member of knot) placed.add(member);
    assert.ok(knot.length <= 16, `a knot of ${knot.length} rooms: ${knot.join(', ')}`);
    // fewest[set]: the fewest arrows back up with the rooms of `set` on the lowest floors.
    const fewest = new Array<number>(1 << knot.length).fill(Infinity);
    fewest[0] = 0;
    for (let below = 0; below < fewest.length; below++) {
      knot.forEach((next, i) => {
        if (below & (1 << i)) return;
        const up = [...(graph.get(next) ?? [])].filter((to) => {
          const j = knot.indexOf(to);
          return j >= 0 && !(below & (1 << j));
        }).length;
        fewest[below | (1 << i)] = Math.min(fewest[below | (1 << i)], fewest[below] + up);
      });
    }
    total += fewest[fewest.length - 1];
  }
  return total;
}

describe('native/platform/: the OS services see no N-API', () => {
  const files = walk('native/platform').filter((f) => /\.(cc|h)$/.test(f));

  it('native/platform includes no napi.h (nor node_api.h) and nothing of the addon, its generated argument header included', () => {
    assert.ok(files.length >= 20, `native/platform holds ${files.length} files`);
    assert.deepEqual(files.flatMap((file) => napiIncludes(file, read(file))), []);
  });

  it('the check sees napi.h, node_api.h and the generated argument header', () => {
    assert.deepEqual(napiIncludes('native/platform/event_log.h', '#include <napi.h>\n'), ['native/platform/event_log.h -> <napi.h>']);
    assert.deepEqual(napiIncludes('native/platform/root_store_win32.cc', '#  include <node_api.h>\n'),
      ['native/platform/root_store_win32.cc -> <node_api.h>']);
    assert.deepEqual(napiIncludes('native/platform/wlan_profile.h', '#include "../addon/generated/arg_structs.h"\n'),
      ['native/platform/wlan_profile.h -> native/addon/generated/arg_structs.h']);
  });
});

/** The includes of `file` (text) that bring N-API: its headers, or any header of the addon. */
function napiIncludes(file: string, text: string): string[] {
  const found: string[] = [];
  for (const [, header] of text.matchAll(/^\s*#\s*include\s+(<(?:napi|node_api|js_native_api)[\w.]*>)/gm)) {
    found.push(`${file} -> ${header}`);
  }
  for (const [, target] of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
    if (resolved.startsWith('native/addon/')) found.push(`${file} -> ${resolved}`);
  }
  return found;
}

// native/addon/'s groups, each above the ones it may include: the runtime (the module, the host
// thread, JS conversion, the call seam) at the bottom, including no generated header; the seam's
// generated code over it, registering itself with the runtime (runtime/bindings.h); then one group
// per unit the bindings serve. A group includes only the groups listed here.
const BINDING_GROUPS: Record<string, string[]> = {
  runtime: [],
  generated: ['runtime'],
  // The module's own exports (configure, release, trimHeap, hostThreadStats).
  module: ['runtime', 'generated'],
  methods: ['runtime', 'generated'],
  platform: ['runtime', 'generated'],
  eapol: ['runtime', 'generated'],
  eaphost: ['methods', 'runtime', 'generated'],
  radius: ['methods', 'runtime', 'generated'],
  // The test-only exports (the contract probe, the RADIUS digest probes).
  probes: ['eaphost', 'radius', 'methods', 'runtime', 'generated'],
};

describe('native/addon/: bindings grouped by what they serve, over a small runtime', () => {
  const files = walk('native/addon').filter((f) => /\.(cc|h)$/.test(f));

  it('every file sits in a known group', () => {
    assert.deepEqual(files.filter((f) => !(f.split('/')[2] in BINDING_GROUPS) || f.split('/').length !== 4), []);
  });

  it('a binding group includes only the runtime and groups below it', () => {
    assert.deepEqual(files.flatMap((file) => groupLeaks(file, read(file))), []);
  });

  it('the check sees the runtime including a binding group or a generated header, and a group including its peer', () => {
    assert.deepEqual(groupLeaks('native/addon/runtime/module.cc', '#include "../eaphost/eaphost_call.h"\n'),
      ['native/addon/runtime/module.cc -> native/addon/eaphost/eaphost_call.h']);
    assert.deepEqual(groupLeaks('native/addon/runtime/js_convert.h', '#include "../generated/result_shapes.h"\n'),
      ['native/addon/runtime/js_convert.h -> native/addon/generated/result_shapes.h']);
    assert.deepEqual(groupLeaks('native/addon/generated/exports.h', '#include "../runtime/named_args.h"\n'), []);
    assert.deepEqual(groupLeaks('native/addon/methods/known_answer.cc', '#include "../radius/radius_values.h"\n'),
      ['native/addon/methods/known_answer.cc -> native/addon/radius/radius_values.h']);
    assert.deepEqual(groupLeaks('native/addon/radius/radius_values.h', '#include "../methods/known_answer.h"\n'), []);
  });

  it('its rooms (a header with its .cc) include each other in no cycle, in fewer than 10 layers', () => {
    const graph = roomGraph(files);
    assert.deepEqual(roomCycles(graph), []);
    assert.ok(roomLayers(graph) < 10, `native/addon has ${roomLayers(graph)} layers of rooms`);
  });

  it('the check sees a cycle through a .cc (the knot addon_state.h -> named_args.h -> js_convert -> addon_state.h)', () => {
    const knot = new Map([
      ['runtime/addon_state', new Set(['runtime/named_args'])],
      ['runtime/named_args', new Set(['runtime/js_convert'])],
      ['runtime/js_convert', new Set(['runtime/addon_state'])],
    ]);
    assert.deepEqual(roomCycles(knot), ['runtime/addon_state -> runtime/named_args -> runtime/js_convert -> runtime/addon_state']);
    assert.equal(roomLayers(knot), Infinity);
  });
});

/** The include graph by room of `files`, all under `folder` (native/addon/ unless told): a header
 *  and the .cc of the same name are one room; includes leaving the folder are not drawn. */
function roomGraph(files: string[], folder = 'native/addon/'): Map<string, Set<string>> {
  const room = (file: string) => file.slice(folder.length).replace(/\.(cc|h)$/, '');
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const edges = graph.get(room(file)) ?? new Set<string>();
    graph.set(room(file), edges);
    for (const [, target] of read(file).matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
      if (resolved.startsWith(folder) && room(resolved) !== room(file)) edges.add(room(resolved));
    }
  }
  return graph;
}

/** Each cycle of the graph once, as "a -> b -> a", found by a depth-first walk. */
function roomCycles(graph: Map<string, Set<string>>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (node: string, stack: string[]) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next, stack);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node, []);
  return cycles;
}

/** The longest include chain in rooms (Infinity when there is a cycle). */
function roomLayers(graph: Map<string, Set<string>>): number {
  if (roomCycles(graph).length > 0) return Infinity;
  const depth = new Map<string, number>();
  const of = (node: string): number => {
    if (!depth.has(node)) depth.set(node, 1 + Math.max(0, ...[...graph.get(node) ?? []].map(of)));
    return depth.get(node) as number;
  };
  return Math.max(...[...graph.keys()].map(of));
}

/** The includes of `file` (text), a file of native/addon/, that reach a group it may not include from. */
function groupLeaks(file: string, text: string): string[] {
  const from = file.split('/')[2];
  const leaks: string[] = [];
  for (const [, target] of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
    if (!resolved.startsWith('native/addon/')) continue;
    const to = resolved.split('/')[2];
    if (to !== from && !BINDING_GROUPS[from]?.includes(to)) leaks.push(`${file} -> ${resolved}`);
  }
  return leaks;
}

/** The includes of `file` (text) that reach a unit it may not include from. */
function upwardIncludes(file: string, text: string): string[] {
  const from = unitOf(file);
  const upward: string[] = [];
  for (const [, target] of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
    if (!fs.existsSync(path.join(root, resolved))) continue;  // a system or generated header
    const to = /^(native|test\/standins)\//.test(resolved) ? unitOf(resolved) : resolved;
    if (to !== from && !INCLUDES_FROM[from]?.includes(to)) upward.push(`${file} -> ${resolved}`);
  }
  return upward;
}

// Where each crypto library's headers may be included. The TLS-based methods reach their TLS
// library only through the engine (native/methods/tls/tls_engine.h), implemented by a backend
// in its own folder; every other hash and HMAC (the methods', RADIUS's) comes from native/common/crypto/.
// The bench measures GnuTLS's own handshake loop, the TLS methods' floor, and the X25519 GnuTLS
// computes with nettle (native/bench/x25519_floor_posix.cc), the key exchange's. RADIUS/DTLS's record
// layer (native/radius/dtls/radius_dtls_session.*, and radius_gnutls_posix.cc, which frees what GnuTLS
// allocated) is GnuTLS's too, on the RADIUS loop.
const LIBRARY_HOMES: Record<string, string[]> = {
  gnutls: ['native/methods/tls/gnutls/', 'native/bench/', 'native/radius/dtls/radius_dtls_session.', 'native/radius/dtls/radius_gnutls_posix.'],
  nettle: ['native/common/crypto/', 'native/bench/x25519_floor_posix.'],
};
// A TLS backend's folder: only its own files include its headers.
const BACKEND_FOLDERS = ['native/methods/tls/gnutls/'];

describe('native/methods/: the TLS backend and the crypto library stay in their folders', () => {
  const files = [...walk('native'), ...walk('fuzz')].filter((f) => /\.(cc|h)$/.test(f));

  it('no file outside its home includes a crypto library, and none reaches into a TLS backend', () => {
    assert.deepEqual(files.flatMap((file) => backendLeaks(file, read(file))), []);
  });

  it('the backend folder exists and holds the TLS library (the rule is not vacuous)', () => {
    for (const folder of BACKEND_FOLDERS) {
      assert.ok(files.some((f) => f.startsWith(folder) && /#\s*include\s+<gnutls\//.test(read(f))), folder);
    }
  });

  it('the check sees a method including GnuTLS, the neutral TLS side including the backend, and nettle outside crypto/', () => {
    assert.deepEqual(backendLeaks('native/methods/peap/peap_tlv.cc', '#include <gnutls/crypto.h>\n'),
      ['native/methods/peap/peap_tlv.cc -> <gnutls/crypto.h>']);
    assert.deepEqual(backendLeaks('native/methods/tls/tls_keys.cc', '#include "gnutls/tls_credentials.h"\n'),
      ['native/methods/tls/tls_keys.cc -> native/methods/tls/gnutls/tls_credentials.h']);
    assert.deepEqual(backendLeaks('fuzz/tls_tunnel_fuzzer.cc', '#include "../native/methods/tls/gnutls/tls_verify.h"\n'),
      ['fuzz/tls_tunnel_fuzzer.cc -> native/methods/tls/gnutls/tls_verify.h']);
    assert.deepEqual(backendLeaks('native/methods/md5/md5_method.cc', '#include <nettle/md5.h>\n'),
      ['native/methods/md5/md5_method.cc -> <nettle/md5.h>']);
    // Inside the homes, the same includes are the backend's own business.
    assert.deepEqual(backendLeaks('native/methods/tls/gnutls/tls_engine.cc',
      '#include <gnutls/gnutls.h>\n#include "tls_credentials.h"\n#include "../tls_engine.h"\n'), []);
  });
});

/** The includes of `file` (text) that take a crypto library outside its home, or a TLS backend's
 *  header outside that backend's folder. */
function backendLeaks(file: string, text: string): string[] {
  const leaks: string[] = [];
  for (const [, header, library] of text.matchAll(/^\s*#\s*include\s+(<(\w+)\/[^>]+>)/gm)) {
    const homes = LIBRARY_HOMES[library];
    if (homes && !homes.some((home) => file.startsWith(home))) leaks.push(`${file} -> ${header}`);
  }
  for (const [, target] of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
    const folder = BACKEND_FOLDERS.find((f) => resolved.startsWith(f));
    if (folder && !file.startsWith(folder)) leaks.push(`${file} -> ${resolved}`);
  }
  return leaks;
}

// The TLS engine (GnuTLS) and the methods on it build only where GnuTLS is: not for win32-arm64
// (no GnuTLS build exists for it), nor on Windows without a GnuTLS prefix. scripts/shipped-methods.js
// says where (tlsEngine), for the builds, the manifest and the prebuilds alike.
describe('a build without the TLS engine (win32-arm64, Windows given no GnuTLS)', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sources: Record<string, string[]> = require(path.join(root, 'scripts', 'install', 'sources.js')).nativeSources();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const shipped = require(path.join(root, 'scripts', 'shipped-methods.js')) as {
    tlsEngine(platform: string, arch: string, prefix?: string): { tls: boolean; line: string };
    allShippedMethods: ReadonlyArray<{ name: string; tls: boolean }>;
  };
  const table = JSON.parse(read('native/methods/methods.json')) as { methods: { name: string; tls: boolean; sources: string[] }[] };
  // What CMakeLists.txt and binding.gyp compile into eap_methods on Windows when the engine is absent.
  const withoutTls = ['common', 'common_win32', 'crypto_win32', 'methods', 'method_module', 'method_module_win32']
    .flatMap((group) => sources[group]);

  it('compiles no TLS source: nothing under native/methods/tls/ and nothing of a TLS-based method', () => {
    const tlsFolders = ['native/methods/tls/', ...table.methods.filter((m) => m.tls).map((m) => `native/methods/${m.name}/`)];
    assert.deepEqual(withoutTls.filter((file) => tlsFolders.some((folder) => file.startsWith(folder))), []);
    // ...and every such file is in a methods_tls group, so the engine's builds still get it.
    const tlsGroups = new Set(['methods_tls', 'methods_tls_posix', 'methods_tls_win32'].flatMap((group) => sources[group]));
    const everyTlsSource = walk('native/methods').filter((f) => f.endsWith('.cc') && tlsFolders.some((folder) => f.startsWith(folder)));
    assert.deepEqual(everyTlsSource.filter((file) => !tlsGroups.has(file)), []);
    assert.ok(everyTlsSource.some((file) => file.includes('/gnutls/')), 'the rule sees the GnuTLS backend');
  });

  it('still compiles MD5, GTC and MSCHAPv2, and its method table (EAPHOST_TLS_METHODS undefined) lists exactly them', () => {
    const plain = table.methods.filter((m) => !m.tls);
    assert.deepEqual(plain.map((m) => m.name), ['md5', 'gtc', 'mschapv2']);
    for (const m of plain) {
      for (const file of m.sources) assert.ok(withoutTls.includes(`native/methods/${file}`), `${file} is not compiled without TLS`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-method-table-'));
    try {
      const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'shipped-methods.js'), 'header', dir],
        { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const header = fs.readFileSync(path.join(dir, 'method_table.h'), 'utf8');
      const withoutEngine = /#else\n#define EAPHOST_METHOD_TABLE\(X\) (.*)\n#endif/.exec(header)?.[1];
      assert.equal(withoutEngine, 'X(md5, 4) X(gtc, 6) X(mschapv2, 26)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CMakeLists.txt and binding.gyp compile the methods_tls groups only under the engine', () => {
    const cmake = read('CMakeLists.txt');
    const guarded = /\nif\(EAPHOST_TLS_METHODS\)\n([^]*?)\nendif\(\)/.exec(cmake)?.[1] ?? '';
    assert.match(guarded, /eaphost_sources\(\w+ methods_tls\)/);
    assert.match(guarded, /eaphost_sources\(\w+ methods_tls_\$\{EAPHOST_OS\}\)/);
    assert.equal(cmake.split('methods_tls').length - 1, 2, 'CMakeLists.txt names methods_tls outside its guard');
    const gyp = read('binding.gyp');
    for (const [, condition, body] of gyp.matchAll(/\["([^"]*)", \{\n([^]*?)\n\s*\}\]/g)) {
      if (/sources\.js --unity [\w ]*methods_tls/.test(body)) assert.match(condition, /^tls_engine==1\b/, `binding.gyp: ${condition}`);
    }
    assert.equal([...gyp.matchAll(/sources\.js --unity [\w ]*methods_tls/g)].length, 3);
  });

  it('scripts/shipped-methods.js decides: none for win32-arm64 or Windows without a prefix, in one line; a wrong prefix throws', () => {
    for (const [platform, arch] of [['win32', 'arm64'], ['win', 'arm64'], ['win32', 'x64'], ['win32', 'ia32']]) {
      const { tls, line } = shipped.tlsEngine(platform, arch, '');
      assert.equal(tls, false, `${platform}-${arch}`);
      assert.ok(!line.includes('\n'), line);
      assert.match(line, /^eaphost: .*: building EAP-MD5, EAP-GTC, EAP-MSCHAPv2, without the TLS-based methods \(EAP-TLS, EAP-TTLS, TEAP, PEAP\)$/);
    }
    assert.equal(shipped.tlsEngine('linux', 'x64').tls, true);
    assert.equal(shipped.tlsEngine('darwin', 'arm64').tls, true);
    assert.throws(() => shipped.tlsEngine('win32', 'x64', path.join(root, 'no-such-gnutls')), /holds no GnuTLS for Windows/);
  });

  it('the manifest of a build without the engine lists MD5, GTC and MSCHAPv2 only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-manifest-'));
    try {
      for (const [flag, expected] of [['0', [4, 6, 26]], ['1', [4, 6, 26, 13, 21, 55, 25]]] as const) {
        const run = spawnSync(process.execPath,
          [path.join(root, 'scripts', 'install', 'write-manifest.js'), dir, '.dll', flag], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'eaphost-methods.json'), 'utf8')) as { methods: { type: number }[] };
        assert.deepEqual(manifest.methods.map((m) => m.type), expected);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GnuTLS comes through one header a side, which declares ssize_t for Windows', () => {
  // The methods' and RADIUS/DTLS's: native/radius may not include native/methods.
  const wrappers = ['native/methods/tls/gnutls/gnutls_headers.h', 'native/radius/dtls/radius_dtls_session.h'];

  it(`no file but ${wrappers.join(' and ')} includes a GnuTLS header, except POSIX-only ones (*_posix.cc)`, () => {
    const files = [...walk('native'), ...walk('fuzz')].filter((f) => /\.(cc|h)$/.test(f) && !wrappers.includes(f) && !f.endsWith('_posix.cc'));
    assert.deepEqual(files.filter((f) => /^\s*#\s*include\s+<gnutls\//m.test(read(f))), []);
    for (const wrapper of wrappers) assert.match(read(wrapper), /#if defined\(_WIN32\)\n#include <cstddef>\ntypedef std::ptrdiff_t ssize_t;/);
  });
});
