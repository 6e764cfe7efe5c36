/**
 * unregister on a copy EapHost still holds (lib/register/index.ts setAsideForReboot): Session
 * Manager processes PendingFileRenameOperations by name at boot, so a busy file scheduled under
 * its real name would take a later registration's file of that name with it. A held file is renamed
 * to a unique name in its folder first and only that name is scheduled; the folder never is. Wine
 * lets a loaded image be deleted, so "held" is a recorder here; test/windows/wine/reboot-delete.test.ts
 * runs the real MoveFileEx, reads PendingFileRenameOperations back and reboots the prefix (wineboot -r).
 */
import { strict as assert } from 'node:assert';
import { EapError, RegistrationError } from '../lib/core/errors';
import { setAsideForReboot } from '../lib/register/index';

function recorder(held: string[]) {
  const calls: string[] = [];
  return {
    calls,
    io: {
      readdir: () => ['eap_methods.dll', 'libgnutls-30.dll', 'eaphost-methods.json'],
      remove: (file: string) => {
        calls.push(`remove ${file}`);
        if (held.some((name) => file.endsWith(`\\${name}`))) throw Object.assign(new Error('busy'), { code: 'EBUSY' });
      },
      rename: (from: string, to: string) => calls.push(`rename ${from} -> ${to}`),
      deleteAtReboot: (file: string) => calls.push(`deleteAtReboot ${file}`),
    },
  };
}

describe('unregister: a held file is renamed aside, and only that name is scheduled for deletion at boot', () => {
  const copy = 'C:\\Program Files\\eaphost\\0.1.0\\x64';

  it('deletes what it can now; renames the held ones to unique names and schedules those alone', () => {
    const { calls, io } = recorder(['eap_methods.dll', 'libgnutls-30.dll']);
    const aside = setAsideForReboot(copy, io);
    assert.equal(aside.length, 2);
    for (const name of ['eap_methods.dll', 'libgnutls-30.dll']) {
      const renamed = aside.find((file) => file.startsWith(`${copy}\\${name}.`));
      assert.ok(renamed && /\.[0-9a-f]{12}\.deleted$/.test(renamed), aside.join('\n'));
      assert.ok(calls.indexOf(`rename ${copy}\\${name} -> ${renamed}`) < calls.indexOf(`deleteAtReboot ${renamed}`));
    }
    assert.ok(calls.includes(`remove ${copy}\\eaphost-methods.json`));
    const scheduled = calls.filter((c) => c.startsWith('deleteAtReboot '));
    assert.deepEqual(scheduled.sort(), aside.map((file) => `deleteAtReboot ${file}`).sort(), 'nothing under a real name, not the folder');
  });

  it('two set-asides of the same file never share a name', () => {
    const first = setAsideForReboot(copy, recorder(['eap_methods.dll']).io);
    const second = setAsideForReboot(copy, recorder(['eap_methods.dll']).io);
    assert.notEqual(first[0], second[0]);
  });

  it('another failure than busy is thrown, nothing scheduled', () => {
    const { calls, io } = recorder([]);
    io.remove = () => { throw Object.assign(new Error('no such device'), { code: 'ENODEV' }); };
    assert.throws(() => setAsideForReboot(copy, io), /no such device/);
    assert.equal(calls.filter((c) => c.startsWith('deleteAtReboot')).length, 0);
  });

  // A standard user's unregister of a copy no registration names: Windows answers its delete with
  // access denied (EPERM), as it answers a held image's; only the rename tells them apart (a held
  // image can be renamed, a file in a folder Users may only read cannot), and the delete at reboot
  // writes Session Manager's list in HKLM (MoveFileEx: ERROR_ACCESS_DENIED).
  it('a rename refused, or a delete at reboot refused: needs-administrator, nothing scheduled', () => {
    const denied = recorder(['eap_methods.dll']);
    denied.io.rename = () => { throw Object.assign(new Error('operation not permitted, rename'), { code: 'EPERM' }); };
    assert.throws(() => setAsideForReboot(copy, denied.io),
      (error: unknown) => error instanceof RegistrationError && error.reason === 'needs-administrator' && error.path === `${copy}\\eap_methods.dll`);
    assert.equal(denied.calls.filter((c) => c.startsWith('deleteAtReboot')).length, 0);
    const unscheduled = recorder(['eap_methods.dll']);
    unscheduled.io.deleteAtReboot = () => { throw new EapError({ win32Error: 5, call: 'MoveFileExW' }); };
    assert.throws(() => setAsideForReboot(copy, unscheduled.io), (error: unknown) => error instanceof RegistrationError &&
      error.reason === 'needs-administrator' && /Session Manager: access denied\. .*elevated prompt/.test(error.message));
  });
});
