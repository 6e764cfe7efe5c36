/**
 * The peer routine table's documented form: a method fills EapPeerGetIdentity or
 * EapPeerSetCredentials, never both (Microsoft's EAPHost method sample; EAPHost is reported to
 * refuse a table with both). The hosts refuse a module that fills both, as EAPHost does, and the
 * shipped module fills the documented form (every other test opens it). Linux: the fixture
 * module is compiled here with the system's C compiler.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EapError } from '../../lib';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { repoRoot } from '../support/scratch';

describe('peer routine table form', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-table-form-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a module that fills both EapPeerGetIdentity and EapPeerSetCredentials', async () => {
    const module = path.join(dir, 'both_identity_routines.so');
    const build = spawnSync('cc', ['-O1', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC',
      path.join(repoRoot, 'test', 'fixtures', 'both_identity_routines.c'), '-o', module], { encoding: 'utf8' });
    assert.equal(build.status, 0, `the fixture did not compile:\n${build.stderr}`);
    await assert.rejects(loadPeerMethod({ path: module }), (error: unknown) => {
      assert.ok(error instanceof EapError);
      assert.match(error.message, /both EapPeerGetIdentity and EapPeerSetCredentials/);
      assert.equal(error.call, 'EapPeerGetInfo');
      return true;
    });
  });

  it('opens the shipped module, which fills the documented form', async () => {
    const method = await loadPeerMethod('mschapv2');
    await method.close();
  });
});
