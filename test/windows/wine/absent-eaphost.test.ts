/**
 * Wine prefix only (.mocharc.win32.json): with eappcfg.dll gone from System32, opening the
 * 'windows' backend must fail with an EapError naming the DLL and carrying Win32 error 126
 * (ERROR_MOD_NOT_FOUND). The check runs in a child node.exe, so no copy of the DLL already
 * loaded into this process can satisfy the load, and the stand-in is put back afterwards.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot, requireWindows } from '../support';

const system32 = path.join(process.env.SystemRoot ?? 'C:\\windows', 'System32');
const probe = `
  require(${JSON.stringify(path.join(repoRoot, 'dist', 'lib', 'index.js'))})
    .openEapHost({ backend: 'windows' })
    .then(() => console.log(JSON.stringify({ opened: true })),
          (e) => console.log(JSON.stringify({ name: e.name, message: e.message, win32Error: e.win32Error,
                                              call: e.call, rootCause: e.rootCause })));
`;

function openInChild(): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: process.env });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
}

for (const dll of ['eappcfg.dll', 'eappprxy.dll']) {
  describe(`windows backend without ${dll} (Wine prefix)`, function () {
    const installed = path.join(system32, dll);
    const aside = `${installed}.absent-test`;

    before(function () {
      requireWindows();
      assert.equal(process.env.EAPHOST_WINE, '1', 'renames System32 DLLs: only ever run in the Wine lane');
      assert.ok(existsSync(installed), `${installed} missing: scripts/wine/run.sh installs the stand-in there`);
      renameSync(installed, aside);
    });

    after(function () {
      if (existsSync(aside)) renameSync(aside, installed);
    });

    it(`rejects with an EapError naming ${dll} and Win32 error 126`, function () {
      const outcome = openInChild();
      assert.equal(outcome.opened, undefined, 'the backend opened without its DLL');
      assert.equal(outcome.name, 'EapError');
      assert.equal(outcome.win32Error, 126);
      assert.match(String(outcome.message), new RegExp(dll.replace('.', '\\.')));
      assert.match(String(outcome.rootCause), /could not be loaded from System32.*EAPHost is unavailable/);
    });
  });
}
