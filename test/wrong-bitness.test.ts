/** A method module of the other architecture (Win32 error 193, ERROR_BAD_EXE_FORMAT, which a
 *  32-bit node.exe gets from eappcfg.dll loading the 64-bit PeerDllPath) is explained, not left
 *  as a bare code; other errors keep the repair text their owner gave, or none. */
import { strict as assert } from 'node:assert';
import { EapError } from '../lib/core/errors';

describe('a method module of the other architecture', () => {
  it('Win32 error 193 carries a repair naming both architectures and the WOW64 way out', () => {
    const error = new EapError({ win32Error: 193, call: 'EapHostPeerConfigXml2Blob', origin: 'eaphost' });
    assert.match(error.repair, new RegExp(`this ${process.arch} process`));
    assert.match(error.repair, /32-bit node\.exe cannot use a 64-bit method module/);
    assert.match(error.repair, /SysWOW64/);
    assert.equal(error.win32Error, 193);
  });

  it('the same error wrapped as an HRESULT (0x800700C1) is recognised too', () => {
    assert.match(new EapError({ win32Error: 0x800700c1 }).repair, /Win32 error 193/);
    assert.match(new EapError({ win32Error: 13, reasonCode: 0x800700c1 }).repair, /PeerDllPath/);
  });

  it("another error keeps its owner's repair text, or none", () => {
    assert.equal(new EapError({ win32Error: 126 }).repair, '');
    assert.equal(new EapError({ win32Error: 193, repair: 'reinstall the method' }).repair, 'reinstall the method');
  });
});
