/**
 * register and Session Manager's PendingFileRenameOperations (lib/register/pending-renames.ts):
 * a pending delete of a file register is about to use would take the fresh registration's DLL
 * at the next boot. The package's own deletes are cleared and every other entry kept byte for
 * byte; a rename from or onto such a file is refused as `pending-delete`, nothing written.
 * The list's bytes are a recorder's here; test/windows/wine/reboot-delete.test.ts reads the
 * real value Wine's MoveFileEx writes and reboots the prefix (wineboot -r).
 */
import { strict as assert } from 'node:assert';
import { RegistrationError } from '../lib/core/errors';
import {
  PendingRenameValue, PendingRenamesFormatError, clearPendingDeletes, decodePendingRenames, encodePendingRenames,
} from '../lib/register/pending-renames';

// What Wine 8's MoveFileExW(L"C:\\w5test.txt", NULL, MOVEFILE_DELAY_UNTIL_REBOOT) left in
// PendingFileRenameOperations (RegQueryValueExW: type 7, REG_MULTI_SZ, 40 bytes), as read:
// "\??\C:\w5test.txt" NUL, "" NUL (delete), then the list's closing NUL.
const WINE_RAW = Buffer.from('5c003f003f005c0043003a005c007700350074006500730074002e00740078007400000000000000', 'hex');

const copy = 'C:\\Program Files\\eaphost\\0.1.0\\x64';
const dll = `${copy}\\eap_methods.dll`;
const gnutls = `${copy}\\libgnutls-30.dll`;

function recorder(values: Partial<Record<PendingRenameValue, Buffer>>) {
  const writes: Array<{ value: PendingRenameValue; data: Buffer }> = [];
  return {
    writes,
    io: {
      read: (value: PendingRenameValue) => values[value] ?? null,
      write: (value: PendingRenameValue, data: Buffer) => { writes.push({ value, data }); },
    },
  };
}

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

describe('register: Session Manager\'s pending file operations on the files it uses', () => {
  it('reads the bytes Wine\'s MoveFileEx writes: one delete, source as an NT path', () => {
    assert.deepEqual(decodePendingRenames(WINE_RAW), [{ source: '\\??\\C:\\w5test.txt', destination: '' }]);
    assert.deepEqual(encodePendingRenames(decodePendingRenames(WINE_RAW)), WINE_RAW);
  });

  it('clears its own pending deletes and keeps everyone else\'s entries, byte for byte and in order', () => {
    const others = '\\??\\C:\\Windows\\Temp\\setup.tmp\0\0\\??\\C:\\a.new\0!\\??\\C:\\a.dll\0';
    const raw = utf16(`${others}\\??\\${dll.toUpperCase()}\0\0\\??\\C:\\Windows\\Temp\\other.tmp\0\0\\??\\${gnutls}\0\0\0`);
    const { writes, io } = recorder({ PendingFileRenameOperations: raw });
    const removed = clearPendingDeletes([copy, dll, gnutls], io);
    assert.equal(removed.length, 2);
    assert.equal(writes.length, 1);
    assert.equal(writes[0].value, 'PendingFileRenameOperations');
    // The expectation is written out from the strings, not from the code's encoder.
    assert.equal(writes[0].data.toString('hex'), utf16(`${others}\\??\\C:\\Windows\\Temp\\other.tmp\0\0\0`).toString('hex'));
  });

  it('deletes the value when its own deletes were all it held, and looks at PendingFileRenameOperations2 too', () => {
    const { writes, io } = recorder({ PendingFileRenameOperations2: utf16(`\\??\\${dll}\0\0\0`) });
    clearPendingDeletes([dll], io);
    assert.deepEqual(writes, [{ value: 'PendingFileRenameOperations2', data: Buffer.alloc(0) }]);
  });

  it('leaves the set-aside names (<name>.<12 hex>.deleted) to be deleted, and writes nothing then', () => {
    const { writes, io } = recorder({ PendingFileRenameOperations: utf16(`\\??\\${dll}.0123456789ab.deleted\0\0\0`) });
    assert.deepEqual(clearPendingDeletes([copy, dll], io), []);
    assert.deepEqual(writes, []);
  });

  for (const [what, entry] of [
    ['a rename onto the DLL (replacing it)', `\\??\\C:\\Users\\x\\evil.dll\0!\\??\\${dll}\0`],
    ['a rename of the DLL elsewhere', `\\??\\${dll}\0\\??\\C:\\elsewhere.dll\0`],
  ] as const) {
    it(`refuses ${what} as pending-delete and writes nothing, its own deletes included`, () => {
      const { writes, io } = recorder({ PendingFileRenameOperations: utf16(`\\??\\${gnutls}\0\0${entry}\0`) });
      assert.throws(() => clearPendingDeletes([dll, gnutls], io),
        (error: unknown) => error instanceof RegistrationError && error.reason === 'pending-delete' && /next restart/.test(error.message));
      assert.deepEqual(writes, []);
    });
  }

  for (const [what, raw] of [
    ['an odd byte count', Buffer.from([0x41, 0x00, 0x00])],
    ['no closing NUL', utf16(`\\??\\${dll}\0\0`)],
    ['bytes after the closing NUL', utf16(`\\??\\${dll}\0\0\0junk\0`)],
  ] as const) {
    it(`refuses a value with ${what}: read as not Windows' form, nothing written`, () => {
      assert.throws(() => decodePendingRenames(raw), PendingRenamesFormatError);
      const { writes, io } = recorder({ PendingFileRenameOperations: raw });
      assert.throws(() => clearPendingDeletes([dll], io),
        (error: unknown) => error instanceof RegistrationError && error.reason === 'pending-delete');
      assert.deepEqual(writes, []);
    });
  }
});
