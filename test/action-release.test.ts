/**
 * The GitHub Action as a release tag carries it (docs/github-action.md, "How the package reaches
 * the runner"): action.yml, action/, package.json, dist/ and prebuilds/<platform>-<arch>/, and no
 * node_modules. The layout is made in a temporary folder (the prebuild from the files this lane
 * loads: build/Release on Linux, the Windows build in the Wine lane's node.exe) and the Action's
 * own entry, action/index.js, runs from there in a node of its own with a simulated runner's
 * variables, EAPHOST_ADDON_PATH unset: EAP-MSCHAPv2 against the embedded authenticator must
 * succeed, with the addon loaded from the layout's prebuilds/. An addon loader that needs a
 * package from npm (node-gyp-build, once) fails the step before it authenticates.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nativeDir } from '../lib/native';
import { makeTempDir } from './support/programs';
import { repoRoot } from './support/scratch';

const PASSWORD = 'correct horse battery staple';

/** The release layout in `dir`: the committed entry and metadata, dist/, the prebuild. */
function releaseLayout(dir: string): string {
  for (const entry of ['action.yml', 'action', 'package.json', path.join('dist', 'lib')]) {
    fs.cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  const prebuild = path.join(dir, 'prebuilds', `${process.platform}-${process.arch}`);
  fs.mkdirSync(prebuild, { recursive: true });
  const addon = fs.readdirSync(nativeDir).find((name) => /^eaphost(\.napi)?\.node$/.test(name));
  assert.ok(addon, `no addon in ${nativeDir}`);
  fs.copyFileSync(path.join(nativeDir, addon), path.join(prebuild, 'eaphost.napi.node'));
  // What the prebuild carries beside the addon: the manifest, the modules it names and the
  // portable EAPHost (off Windows), and on Windows the GnuTLS DLLs.
  const companions = fs.readdirSync(nativeDir).filter((name) =>
    name === 'eaphost-methods.json' || /^(eap_methods|eaphost_portable)\.(so|dylib|dll)$/.test(name) || /^lib(gnutls|nettle|hogweed|gmp)-\d+\.dll$/.test(name));
  assert.ok(companions.includes('eaphost-methods.json'), companions.join(', '));
  for (const name of companions) fs.copyFileSync(path.join(nativeDir, name), path.join(prebuild, name));
  return prebuild;
}

describe('the GitHub Action from its release layout (dist/ and prebuilds/, no node_modules)', function () {
  this.timeout(120_000);
  const scratch = makeTempDir('action-release');
  after(() => scratch.remove());

  it('action/index.js authenticates (EAP-MSCHAPv2, embedded authenticator) with the addon from prebuilds/', () => {
    const layout = path.join(scratch.path, 'eaphost');
    const prebuild = releaseLayout(layout);
    assert.equal(fs.existsSync(path.join(layout, 'node_modules')), false);
    const users = path.join(scratch.path, 'users.json');
    fs.writeFileSync(users, JSON.stringify({ alice: { password: PASSWORD } }));
    const output = path.join(scratch.path, 'output');
    fs.writeFileSync(output, '');
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(scratch.path, 'summary.md'),
      GITHUB_STATE: path.join(scratch.path, 'state'), RUNNER_TEMP: scratch.path, INPUT_METHOD: 'mschapv2', INPUT_IDENTITY: 'alice',
      INPUT_PASSWORD: PASSWORD, INPUT_USERS: users, NODE_PATH: '' };
    for (const name of ['EAPHOST_ADDON_PATH', 'GITHUB_ACTIONS']) delete env[name];
    const run = spawnSync(process.execPath, [path.join(layout, 'action', 'index.js')], { cwd: scratch.path, env, encoding: 'utf8', timeout: 100_000 });
    const said = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, said);
    assert.match(fs.readFileSync(output, 'utf8'), /^success<<(.+)\ntrue\n\1$/m, said);

    // Where that node found the addon: the layout's prebuild, through the same loader.
    const where = spawnSync(process.execPath, ['-p', `require(${JSON.stringify(path.join(layout, 'dist', 'lib', 'native'))}).addonPath`],
      { cwd: scratch.path, env, encoding: 'utf8' });
    assert.equal(where.status, 0, where.stderr);
    assert.equal(where.stdout.trim(), path.join(prebuild, 'eaphost.napi.node'));
  });
});
