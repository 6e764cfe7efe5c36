/** A module Code Integrity refused to map (ERROR_INVALID_IMAGE_HASH 577, from the loader's
 *  STATUS_INVALID_IMAGE_HASH 0xC0000428; EAPHost may hand it on as an HRESULT) is explained:
 *  which policy blocks it is logged by Windows as event 3077, and the error says where to look. */
import { strict as assert } from 'node:assert';
import { EapError } from '../lib/core/errors';

describe('a module Code Integrity blocked', () => {
  it('Win32 error 577 names the block, event 3077 and its log', () => {
    const error = new EapError({ win32Error: 577, call: 'LoadLibraryExW', origin: 'host' });
    assert.match(error.repair, /Code Integrity blocked the module/);
    assert.match(error.repair, /event 3077 in the Microsoft-Windows-CodeIntegrity\/Operational log/);
    assert.match(error.repair, /0xC0000428/);
  });

  it('as an HRESULT (0x80070241), as the NTSTATUS, or as the reason code, the same words', () => {
    for (const fields of [{ win32Error: 0x80070241 }, { win32Error: 0xc0000428 }, { win32Error: 13, reasonCode: 0x80070241 }]) {
      assert.match(new EapError(fields).repair, /event 3077/, JSON.stringify(fields));
    }
  });

  it("other load failures keep their own words (126: none; 193: the architecture's)", () => {
    assert.equal(new EapError({ win32Error: 126 }).repair, '');
    assert.doesNotMatch(new EapError({ win32Error: 193 }).repair, /Code Integrity/);
  });
});
