/**
 * What docs/windows.md and docs/WINDOWS-CONTRACT.md say of the Windows build and of `register`'s
 * copy, held to the code that does it: every security descriptor they quote for what `register`
 * creates is one lib/register/security.ts sets, both of those are quoted, and the GnuTLS for
 * Windows they describe has no system configuration file, as scripts/ci/gnutls-mingw.sh
 * configures it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTECTED_FILE_SDDL, PROTECTED_FOLDER_SDDL } from '../../lib/register/security';

const root = join(__dirname, '..', '..', '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

describe('docs/windows.md and WINDOWS-CONTRACT.md: the copy\'s DACL and GnuTLS\'s configuration as the code has them', () => {
  const docs = ['docs/windows.md', 'docs/WINDOWS-CONTRACT.md'];

  it('every SDDL of register\'s folders and copies they quote is one security.ts sets; the contract quotes both', () => {
    for (const file of docs) {
      for (const [quoted] of read(file).matchAll(/O:BAD:P(?:\([^)`]*\))+/g)) {
        assert.ok([PROTECTED_FOLDER_SDDL, PROTECTED_FILE_SDDL].includes(quoted), `${file} quotes ${quoted}, which register does not set`);
      }
    }
    const contract = read('docs/WINDOWS-CONTRACT.md');
    assert.ok(contract.includes(PROTECTED_FOLDER_SDDL), 'the contract quotes the folders\' DACL');
    assert.ok(contract.includes(PROTECTED_FILE_SDDL), 'the contract quotes the copies\' DACL');
  });

  it('GnuTLS for Windows is configured with no system configuration file, and the docs say so', () => {
    const script = read('scripts/ci/gnutls-mingw.sh');
    assert.match(script, /--with-system-priority-file= \\\n/, 'gnutls-mingw.sh configures the file away (empty)');
    const windows = read('docs/windows.md');
    assert.match(windows, /GnuTLS is built with no system configuration file \(`--with-system-priority-file=`/);
    assert.doesNotMatch(windows, /still built with its default system configuration file/);
    assert.doesNotMatch(windows, /keep `C:\\etc` creatable by administrators only/);
  });
});
