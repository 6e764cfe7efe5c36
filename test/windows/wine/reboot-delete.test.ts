/**
 * Wine prefix only: a registration survives the boot after an unregister of a busy copy and a
 * register of the same version. Wine's MoveFileEx(MOVEFILE_DELAY_UNTIL_REBOOT) writes Session
 * Manager's PendingFileRenameOperations (read back here, its raw bytes printed beside the decoded
 * pairs), and `wineboot -r` processes that list as a restart does. Two ways a delete ends up
 * there: the current unregister's set-aside name (a held file renamed to <name>.<12 hex>.deleted,
 * only that name scheduled), and a real name an earlier unregister scheduled; register clears the
 * latter. What Wine cannot show: a loaded image that refuses deletion (Wine deletes a mapped
 * file), so "held" is setAsideForReboot's io failing the remove with EBUSY, the rename and the
 * MoveFileEx real; and Session Manager itself (wineboot stands in for it, processing the same value).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { register, setAsideForReboot, useProgramFilesForTests } from '../../../lib/register';
import { decodePendingRenames } from '../../../lib/register/pending-renames';
import { PROTECTED_FOLDER_SDDL } from '../../../lib/register/security';
import { builtinMethods } from '../../../lib/index';
import { binding } from '../../../lib/native';
import { methodsKey, requireWindows, runCli } from '../support';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { version } = require('../../../../package.json') as { version: string };

const AUTHOR = 4294967002;
const TYPE = 251;
const method = { type: TYPE, author: AUTHOR, name: 'reboot-test', properties: 0, authorName: 'reboot-test' };
const VALUE = 'PendingFileRenameOperations';

/** The value's pairs, and its bytes as read, for the log beside them. */
function pending(): { raw: string; pairs: ReturnType<typeof decodePendingRenames> } {
  const data = binding.pendingRenamesRead({ value: VALUE });
  return { raw: data === null ? '(absent)' : data.toString('hex'), pairs: data === null ? [] : decodePendingRenames(data) };
}

const ntPath = (file: string): string => `\\??\\${file}`.toLowerCase();
const schedules = (file: string): boolean => pending().pairs.some((pair) => pair.source.toLowerCase() === ntPath(file) && pair.destination === '');

/** wineboot -r: Wine's restart, which runs the pending renames and deletes. */
function reboot(): void {
  const wineboot = path.join(process.env.SystemRoot ?? 'C:\\windows', 'System32', 'wineboot.exe');
  const run = spawnSync(wineboot, ['-r'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `wineboot -r: ${run.error?.message ?? run.stderr}`);
}

describe('a registration survives the restart after an unregister of a busy copy (Wine: MoveFileEx, wineboot -r)', function () {
  this.timeout(180_000);
  let root: string;
  let copy: string;
  let dll: string;
  const doRegister = (): string[] => {
    const said: string[] = [];
    register({ module: builtinMethods.md5.path, methods: method, sides: { peer: true, authenticator: false } }, (line) => said.push(line));
    return said;
  };

  before(function () {
    requireWindows();
    assert.equal(process.env.EAPHOST_WINE, '1', 'reboots the prefix: only ever run in the Wine lane');
    root = `C:\\eaphost-reboot-${randomBytes(4).toString('hex')}`;
    const programFiles = path.win32.join(root, 'Program Files');
    fs.mkdirSync(programFiles, { recursive: true });
    for (const at of [root, programFiles]) binding.setFileSecurity({ path: at, sddl: PROTECTED_FOLDER_SDDL });
    useProgramFilesForTests(programFiles);
    copy = path.win32.join(programFiles, 'eaphost', version, process.arch);
    dll = path.win32.join(copy, path.win32.basename(builtinMethods.md5.path));
  });

  after(async function () {
    if (!root) return;
    await runCli(['unregister', '--author', String(AUTHOR), '--type', String(TYPE)]);
    useProgramFilesForTests(undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('Wine writes the delete as Windows documents it, and register clears the one naming its DLL', () => {
    doRegister();
    // What an unregister before the set-aside scheduled: the copy's real name.
    binding.deleteAtReboot({ path: dll });
    const before = pending();
    console.log(`      ${VALUE} after MoveFileEx: ${before.raw}\n      decoded: ${JSON.stringify(before.pairs)}`);
    assert.ok(schedules(dll), `MoveFileEx scheduled ${dll}: ${JSON.stringify(before.pairs)}`);
    const said = doRegister();
    const after = pending();
    console.log(`      ${VALUE} after register: ${after.raw}\n      decoded: ${JSON.stringify(after.pairs)}`);
    assert.ok(!schedules(dll), `register left the delete of its own DLL scheduled: ${JSON.stringify(after.pairs)}`);
    assert.ok(said.some((line) => line.startsWith('cleared a pending delete')), said.join('\n'));
  });

  it('unregister(busy) + register + wineboot -r: the fresh DLL is there, the set-aside file is gone', async () => {
    doRegister();
    assert.equal((await runCli(['unregister', '--author', String(AUTHOR), '--type', String(TYPE)])).status, 0);
    // Wine deleted the copy, which Windows would have kept while EapHost held it: put it back and
    // set it aside as a held one, the rename and the MoveFileEx the real ones.
    fs.mkdirSync(copy, { recursive: true });
    for (let at = copy; at.length > root.length + 'Program Files'.length + 1; at = path.win32.dirname(at)) {
      binding.setFileSecurity({ path: at, sddl: PROTECTED_FOLDER_SDDL });
    }
    fs.copyFileSync(builtinMethods.md5.path, dll);
    // What an unregister before the set-aside scheduled: the real name.
    binding.deleteAtReboot({ path: dll });
    const aside = setAsideForReboot(copy, {
      readdir: (folder) => fs.readdirSync(folder),
      remove: (file) => {
        if (file.toLowerCase() === dll.toLowerCase()) throw Object.assign(new Error('held'), { code: 'EBUSY' });
        fs.rmSync(file, { force: true });
      },
      rename: (from, to) => fs.renameSync(from, to),
      deleteAtReboot: (file) => binding.deleteAtReboot({ path: file }),
    });
    assert.equal(aside.length, 1);
    assert.ok(schedules(dll) && schedules(aside[0]), JSON.stringify(pending().pairs));
    doRegister();
    const scheduled = pending();
    console.log(`      ${VALUE} before the restart: ${scheduled.raw}\n      decoded: ${JSON.stringify(scheduled.pairs)}`);
    assert.ok(schedules(aside[0]), JSON.stringify(scheduled.pairs));
    reboot();
    assert.ok(fs.existsSync(dll), `${dll} was deleted by the restart: the registration names a missing file`);
    assert.ok(!fs.existsSync(aside[0]), `${aside[0]} outlived the restart`);
    assert.ok(!schedules(aside[0]), 'wineboot -r left the set-aside delete pending');
    const registered = binding.registryRead({ key: `${methodsKey}\\${AUTHOR}\\${TYPE}` });
    assert.ok(registered?.values.some((value) => value.name === 'PeerDllPath' && 'data' in value && String(value.data).toLowerCase() === dll.toLowerCase()),
      JSON.stringify(registered));
  });
});
