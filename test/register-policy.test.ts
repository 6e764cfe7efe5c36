/**
 * `eaphost register`'s policy on what Windows reports, without Windows: the owner and DACLs of
 * folders as a default Windows install has them (icacls's view of C:\ and C:\Program Files, the
 * rights as winnt.h numbers them), and the path forms Windows names. Under Wine, file security
 * comes from Unix modes (owner and Everyone only), so the grants only Windows makes (Users,
 * Authenticated Users, OWNER RIGHTS, inherit-only ACEs) are judged here; test/windows/register.test.ts
 * runs the whole command against the prefix.
 */
import * as assert from 'node:assert/strict';
import { RegistrationError } from '../lib/core/errors';
import { DANGEROUS, PROTECTED_FILE_SDDL, PROTECTED_FOLDER_SDDL, SID, ancestorsOf, localAbsolutePath, trustedSids, untrustedWriters } from '../lib/register/security';
import type { NativeFileSecurity, NativeSecurityAce } from '../lib/native';

// Rights (winnt.h): FILE_ALL_ACCESS, Modify (icacls M), read and execute (RX), add subfolder (AD).
const FULL = 0x1f01ff;
const MODIFY = 0x1301bf;
const READ_EXECUTE = 0x1200a9;
const ADD_SUBFOLDER = 0x4;
// ACE flags: object inherit, container inherit, inherit only.
const OI_CI = 0x3;
const IO = 0x8;

const USERS = 'S-1-5-32-545';
const AUTHENTICATED_USERS = 'S-1-5-11';
const SOME_USER = 'S-1-5-21-1004336348-1177238915-682003330-1001';
const ALL_APPLICATION_PACKAGES = 'S-1-15-2-1';

const allow = (sid: string, mask: number, flags = 0): NativeSecurityAce => ({ allow: true, sid, mask, flags });
const security = (owner: string, aces: NativeSecurityAce[]): NativeFileSecurity => ({ owner, nullDacl: false, aces, otherAces: 0 });
const windows = trustedSids(false);

// C:\Program Files as Windows installs it.
const PROGRAM_FILES = security(SID.TRUSTED_INSTALLER, [
  allow(SID.TRUSTED_INSTALLER, FULL), allow(SID.TRUSTED_INSTALLER, FULL, 0x2 | IO),
  allow(SID.SYSTEM, MODIFY), allow(SID.SYSTEM, FULL, OI_CI | IO),
  allow(SID.ADMINISTRATORS, MODIFY), allow(SID.ADMINISTRATORS, FULL, OI_CI | IO),
  allow(USERS, READ_EXECUTE), allow(USERS, 0xa0000000, OI_CI | IO),
  allow(SID.CREATOR_OWNER, FULL, OI_CI | IO),
  allow(ALL_APPLICATION_PACKAGES, READ_EXECUTE), allow(ALL_APPLICATION_PACKAGES, 0xa0000000, OI_CI | IO),
]);
// C:\ as Windows installs it: Authenticated Users may add folders to it (AD) and modify what they make.
const DRIVE_ROOT = security(SID.TRUSTED_INSTALLER, [
  allow(SID.ADMINISTRATORS, FULL, OI_CI), allow(SID.SYSTEM, FULL, OI_CI), allow(USERS, READ_EXECUTE, OI_CI),
  allow(AUTHENTICATED_USERS, MODIFY, OI_CI | IO), allow(AUTHENTICATED_USERS, ADD_SUBFOLDER),
]);

describe("eaphost register's path policy", function () {
  // Wine keeps no DACL (Unix modes): what the descriptors grant is read from their SDDL here.
  it('the copies grant ALL APPLICATION PACKAGES read and execute, as Program Files does, and nothing more', function () {
    const aces = (sddl: string): string[] => sddl.slice(sddl.indexOf('D:P') + 3).match(/\([^)]*\)/g) ?? [];
    const rx = READ_EXECUTE.toString(16);
    assert.ok(aces(PROTECTED_FOLDER_SDDL).includes(`(A;OICI;0x${rx};;;AC)`), PROTECTED_FOLDER_SDDL);
    assert.ok(aces(PROTECTED_FILE_SDDL).includes(`(A;;0x${rx};;;AC)`), PROTECTED_FILE_SDDL);
    const granted = security(SID.ADMINISTRATORS, [allow(SID.SYSTEM, FULL, OI_CI), allow(SID.ADMINISTRATORS, FULL, OI_CI),
      allow(USERS, READ_EXECUTE, OI_CI), allow(ALL_APPLICATION_PACKAGES, READ_EXECUTE, OI_CI)]);
    assert.deepEqual(untrustedWriters(granted, DANGEROUS.folder, windows), []);
  });

  it('passes the folders above a copy as a default Windows install leaves them', function () {
    assert.deepEqual(untrustedWriters(PROGRAM_FILES, DANGEROUS.ancestor, windows), []);
    assert.deepEqual(untrustedWriters(PROGRAM_FILES, DANGEROUS.folder, windows), []);
    assert.deepEqual(untrustedWriters(DRIVE_ROOT, DANGEROUS.ancestor, windows), []);
  });

  it('refuses C:\\ itself as the copy\'s folder: Authenticated Users may add to it', function () {
    assert.deepEqual(untrustedWriters(DRIVE_ROOT, DANGEROUS.folder, windows),
      [{ sid: AUTHENTICATED_USERS, rights: ['append data / add subfolder'] }]);
  });

  it('refuses a grant to Users of modify, on the file, its folder and a folder above', function () {
    const granted = security(SID.ADMINISTRATORS, [allow(SID.SYSTEM, FULL), allow(SID.ADMINISTRATORS, FULL), allow(USERS, MODIFY)]);
    for (const place of ['file', 'folder', 'ancestor'] as const) {
      const writers = untrustedWriters(granted, DANGEROUS[place], windows);
      assert.equal(writers.length, 1, place);
      assert.equal(writers[0].sid, USERS);
      assert.ok(writers[0].rights.includes('delete'), place);
    }
    assert.deepEqual(untrustedWriters(granted, DANGEROUS.file, windows)[0].rights, ['write data / add file', 'append data / add subfolder', 'delete']);
  });

  it('refuses an owner who is not an administrator (WRITE_DAC is implied), unless OWNER RIGHTS limits it', function () {
    const owned = security(SOME_USER, [allow(SID.SYSTEM, FULL), allow(SID.ADMINISTRATORS, FULL), allow(USERS, READ_EXECUTE)]);
    assert.deepEqual(untrustedWriters(owned, DANGEROUS.ancestor, windows), [{ sid: SOME_USER, rights: ['write DAC'] }]);
    const limited = security(SOME_USER, [...owned.aces, allow(SID.OWNER_RIGHTS, READ_EXECUTE)]);
    assert.deepEqual(untrustedWriters(limited, DANGEROUS.ancestor, windows), []);
    const widened = security(SOME_USER, [...owned.aces, allow(SID.OWNER_RIGHTS, MODIFY)]);
    assert.deepEqual(untrustedWriters(widened, DANGEROUS.file, windows)[0].sid, SOME_USER);
  });

  it('skips ACEs that apply only to children, and effective CREATOR OWNER ones, which match no token', function () {
    const inheritOnly = security(SID.ADMINISTRATORS, [allow(USERS, FULL, OI_CI | IO), allow(SID.CREATOR_OWNER, FULL)]);
    assert.deepEqual(untrustedWriters(inheritOnly, DANGEROUS.folder, windows), []);
  });

  it('refuses no DACL at all, and ACEs it cannot read', function () {
    assert.equal(untrustedWriters({ owner: SID.SYSTEM, nullDacl: true, aces: [], otherAces: 0 }, DANGEROUS.file, windows).length, 1);
    assert.equal(untrustedWriters({ ...security(SID.SYSTEM, []), otherAces: 1 }, DANGEROUS.file, windows).length, 1);
  });

  it("counts Wine's one user as the prefix's administrator only under Wine", function () {
    const prefix = security(SID.WINE_USER, [allow(SID.SYSTEM, FULL, OI_CI), allow(SID.WINE_USER, FULL, OI_CI), allow('S-1-1-0', READ_EXECUTE, OI_CI)]);
    assert.deepEqual(untrustedWriters(prefix, DANGEROUS.folder, trustedSids(true)), []);
    assert.equal(untrustedWriters(prefix, DANGEROUS.folder, windows)[0].sid, SID.WINE_USER);
  });

  it('takes a local absolute path, refuses UNC, device and relative ones with their reasons', function () {
    assert.equal(localAbsolutePath('C:/Program Files/x/eap_methods.dll'), 'C:\\Program Files\\x\\eap_methods.dll');
    assert.equal(localAbsolutePath('\\\\?\\D:\\m\\eap_methods.dll'), 'D:\\m\\eap_methods.dll');
    const reason = (given: string): string => {
      try {
        localAbsolutePath(given);
      } catch (error) {
        assert.ok(error instanceof RegistrationError);
        assert.equal(error.path, given);
        return error.reason;
      }
      return 'accepted';
    };
    for (const unc of ['\\\\server\\share\\m.dll', '\\\\?\\UNC\\server\\share\\m.dll', '\\\\.\\pipe\\m', '//server/share/m.dll']) {
      assert.equal(reason(unc), 'unc-path', unc);
    }
    for (const relative of ['m.dll', '.\\m.dll', 'C:m.dll', '\\m.dll', '%SystemRoot%\\m.dll']) {
      assert.equal(reason(relative), 'relative-path', relative);
    }
  });

  it('walks every folder above a path up to the drive', function () {
    assert.deepEqual(ancestorsOf('C:\\Program Files\\eaphost\\1.0.0\\x64'),
      ['C:\\Program Files\\eaphost\\1.0.0', 'C:\\Program Files\\eaphost', 'C:\\Program Files', 'C:\\']);
  });
});
