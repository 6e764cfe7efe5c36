/**
 * `eaphost register` run by a standard user. The code decides elevation by what Windows answers,
 * not by asking the token (no IsUserAnAdmin, no CheckTokenMembership: UAC's filtered token of an
 * administrator is not elevated either, and only the write says so): access denied from the first
 * write under Program Files (EACCES / EPERM from node:fs), from HKLM (the registry API's Win32
 * error 5) or from Session Manager's pending operations is the typed `needs-administrator`; any
 * other failure passes through as it was. Wine's one user's token is always a member of
 * Administrators (docs/windows.md); test/wine-host/standard-user.test.ts shows the registry's
 * refusal of a restricted token (a stand-in launcher's) through the real path, but Wine refuses
 * no file write to it, so what a standard user's token gets back from node:fs under Program Files
 * is a recorder's failure here, and only a windows-latest run as a standard user could show it.
 */
import { strict as assert } from 'node:assert';
import { EapError, RegistrationError } from '../lib/core/errors';
import { refused } from '../lib/cli/commands/register/run';
import { asNeedsAdministrator } from '../lib/register/index';
import { clearPendingDeletes } from '../lib/register/pending-renames';

const isNeedsAdministrator = (error: unknown): boolean =>
  error instanceof RegistrationError && error.reason === 'needs-administrator' && /elevated prompt/.test(error.message);

describe('register as a standard user: access denied is the typed needs-administrator', () => {
  for (const code of ['EACCES', 'EPERM']) {
    it(`node:fs's ${code} creating the copies' folder under Program Files`, () => {
      const denied = Object.assign(new Error(`${code}: operation not permitted, mkdir`), { code });
      const typed = asNeedsAdministrator(denied, 'C:\\Program Files\\eaphost');
      assert.ok(isNeedsAdministrator(typed), String(typed));
      assert.equal((typed as RegistrationError).path, 'C:\\Program Files\\eaphost');
    });
  }

  it('the registry\'s ERROR_ACCESS_DENIED (5) as the addon reports it', () => {
    const denied = new EapError({ win32Error: 5, call: 'RegCreateKeyExW', rootCause: 'cannot create HKLM\\...\\Methods\\32473' });
    assert.ok(isNeedsAdministrator(asNeedsAdministrator(denied, 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods')));
  });

  it('clearing its own pending delete from Session Manager\'s list, which only an administrator may write', () => {
    const entry = Buffer.from('\\??\\C:\\Program Files\\eaphost\\0.1.0\\x64\\eap_methods.dll\0\0\0', 'utf16le');
    let caught: unknown;
    try {
      clearPendingDeletes(['C:\\Program Files\\eaphost\\0.1.0\\x64\\eap_methods.dll'], {
        read: (value) => (value === 'PendingFileRenameOperations' ? entry : null),
        write: () => { throw new EapError({ win32Error: 5, call: 'RegSetValueExW' }); },
      });
    } catch (error) {
      caught = asNeedsAdministrator(error, 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager');
    }
    assert.ok(isNeedsAdministrator(caught), String(caught));
  });

  it('access denied no step typed reaches the CLI as needs-administrator, exit 1, named by its call or path', () => {
    for (const [error, where] of [[new EapError({ win32Error: 5, call: 'SetNamedSecurityInfoW' }), 'SetNamedSecurityInfoW'],
      [Object.assign(new Error('EPERM: operation not permitted, rmdir'), { code: 'EPERM', path: 'C:\\Program Files\\eaphost\\0.1.0' }),
        'C:\\Program Files\\eaphost\\0.1.0']] as const) {
      const said: string[] = [];
      const io = { out: (line: string) => said.push(line), err: (line: string) => said.push(line) };
      assert.equal(refused(error, io as Parameters<typeof refused>[1]), 1);
      assert.deepEqual(said.map((line) => /^eaphost: refused \(needs-administrator\): (.*?): access denied\./.exec(line)?.[1]), [where], said.join('\n'));
    }
    assert.throws(() => refused(new EapError({ win32Error: 32, call: 'MoveFileExW' }), { out: () => undefined, err: () => undefined } as never), EapError);
  });

  it('any other failure is not taken for a missing elevation', () => {
    for (const error of [Object.assign(new Error('no space'), { code: 'ENOSPC' }), new EapError({ win32Error: 32, call: 'MoveFileExW' }), new TypeError('x')]) {
      assert.equal(asNeedsAdministrator(error, 'C:\\x'), error);
    }
  });
});
