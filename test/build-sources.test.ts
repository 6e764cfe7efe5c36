/** CMakeLists.txt and binding.gyp build from one list: native/sources.json. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
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
  const sources: Record<string, unknown> = JSON.parse(read('native/sources.json'));
  // Groups only CMake builds (the benchmark's addon): node-gyp, the package's fallback, leaves them out.
  const cmakeOnly = new Set((sources.cmake_only ?? []) as string[]);
  const groups = Object.entries(sources).filter(([name, v]) => Array.isArray(v) && name !== 'cmake_only') as
    [string, string[]][];
  const listed = new Set(groups.flatMap(([, files]) => files));

  it('every listed file exists', () => {
    for (const file of listed) assert.ok(fs.existsSync(path.join(root, file)), `${file} is listed but missing`);
  });

  it('every .cc under native/ is listed (except the MSVC-only layout check)', () => {
    const unlisted = walk('native').filter((f) => f.endsWith('.cc') && !listed.has(f) && !f.endsWith('sdk_layout_check.cc'));
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

  it('binding.gyp takes its sources from the same groups through scripts/sources.js', () => {
    const gyp = read('binding.gyp');
    const named = gyp.match(/native\/[\w/]+\.cc\b/g) ?? [];
    assert.deepEqual(named, [], 'binding.gyp must not list .cc files itself');
    const used = new Set([...gyp.matchAll(/scripts\/sources\.js ([\w ]+)\)/g)].flatMap((m) => m[1].split(' ')));
    for (const [group] of groups) {
      if (cmakeOnly.has(group)) assert.ok(!used.has(group), `binding.gyp builds the CMake-only group ${group}`);
      else assert.ok(used.has(group), `binding.gyp does not use group ${group}`);
    }
  });
});
