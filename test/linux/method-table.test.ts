/** One method table: a new method is its folder plus one row of native/methods/methods.json. In a
 *  scratch copy of the package, a dummy method added that way (and nothing else edited) is built
 *  into the native catalog and shows up in lib/'s types, the CLI's help and the JSON schema. */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');

const DUMMY_CC = `// A method that exists only to prove the table: it serves nothing.
#include "../support/method_identity.h"
#include "../method.h"

namespace eaphost {
namespace dummy {

extern const MethodDescriptor kDescriptor;
const MethodDescriptor kDescriptor = {kEapTypeDummy, kMethodTitleDummy, true, nullptr, nullptr};

}  // namespace dummy
}  // namespace eaphost
`;

describe('one method table', function () {
  this.timeout(900000);
  let scratch = '';

  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-method-table-'));
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      if (!fs.existsSync(path.join(root, file))) continue;
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(scratch, file));
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    // The package's addon, which the CLI loads on start (the method module is rebuilt below, in the
    // same folder, by the package build's own command).
    fs.mkdirSync(path.join(scratch, 'build', 'Release'), { recursive: true });
    fs.copyFileSync(path.join(root, 'build', 'Release', 'eaphost.node'), path.join(scratch, 'build', 'Release', 'eaphost.node'));
    // The method: its folder, and its one row.
    fs.mkdirSync(path.join(scratch, 'native/methods/dummy'));
    fs.writeFileSync(path.join(scratch, 'native/methods/dummy/dummy_method.cc'), DUMMY_CC);
    const tableFile = path.join(scratch, 'native/methods/methods.json');
    const table = JSON.parse(fs.readFileSync(tableFile, 'utf8'));
    table.methods.push({ name: 'dummy', type: 250, title: 'EAP-Dummy-Table-Row', tls: false, inner: false, properties: 'password', sources: ['dummy/dummy_method.cc'] });
    fs.writeFileSync(tableFile, JSON.stringify(table, null, 2));
  });

  after(() => { if (scratch) fs.rmSync(scratch, { recursive: true, force: true }); });

  it('the native build compiles it into the catalog: its title is in the module, after the others', () => {
    const build = path.join(scratch, 'build');
    // The package's own native build command (package.json's build:native), for the module alone.
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const [tool, ...args] = String(pkg.scripts['build:native']).split(' ');
    assert.equal(tool, 'cmake-js');
    const env = { ...process.env, CCACHE_BASEDIR: scratch, CCACHE_NOHASHDIR: '1' };
    // Without the release build's -O3: what the catalog holds is the question, not how well it is
    // optimised, and a copy elsewhere never hits the compiler cache (CMake's unity files name each
    // source by its absolute path), so every unit is compiled: 11 processor seconds against 22.
    const unoptimised = '--CDCMAKE_CXX_FLAGS_RELEASE=-DNDEBUG';
    execFileSync(process.execPath, [path.join(root, 'node_modules/cmake-js/bin/cmake-js'), ...args, unoptimised, '--target', 'eap_methods'],
      { cwd: scratch, stdio: 'pipe', env });
    const header = fs.readFileSync(path.join(build, 'generated/method_table.h'), 'utf8');
    assert.match(header, /X\(mschapv2, 26\) X\(dummy, 250\)\n/);
    const moduleFile = fs.readdirSync(path.join(build, 'Release')).find((f) => f.startsWith('eap_methods.'));
    assert.ok(moduleFile, 'the method module was built');
    const binary = fs.readFileSync(path.join(build, 'Release', moduleFile!));
    assert.ok(binary.includes('EAP-Dummy-Table-Row'), 'the dummy descriptor is linked into the module');
  });

  it('lib/ types it, the CLI helps with it, the schema and the manifest name it', () => {
    const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: scratch, encoding: 'utf8' });
    node('scripts/shipped-methods.js', 'ts', 'lib/core/method-table.ts');
    node('scripts/shipped-methods.js', 'schema', 'schema/cli-output.schema.json');
    const types = fs.readFileSync(path.join(scratch, 'lib/core/method-table.ts'), 'utf8');
    assert.match(types, /export type BuiltinMethodName = [^;]*'dummy'/);
    const schema = JSON.parse(fs.readFileSync(path.join(scratch, 'schema/cli-output.schema.json'), 'utf8'));
    assert.match(schema.properties.method.description, /^dummy, peap, /);
    // lib/ alone, with the package's compiler settings: the CLI needs nothing from test/ or bench/.
    fs.writeFileSync(path.join(scratch, 'tsconfig.lib.json'), JSON.stringify({ extends: './tsconfig.json', include: ['lib/**/*.ts'] }));
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], { cwd: scratch, stdio: 'pipe' });
    const help = node('dist/lib/cli/main.js', 'auth', '--help');
    assert.match(help, /--method dummy\|peap\|teap\|ttls\|tls\|mschapv2\|gtc\|md5 /);
    const manifestDir = path.join(scratch, 'manifest');
    node('scripts/install/write-manifest.js', manifestDir, '.so');
    const manifest = JSON.parse(fs.readFileSync(path.join(manifestDir, 'eaphost-methods.json'), 'utf8'));
    assert.deepEqual(manifest.methods.map((m: { type: number }) => m.type), [4, 6, 26, 13, 21, 55, 25, 250]);
  });
});
