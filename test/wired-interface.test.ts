/**
 * The wired interface's name to its GUID through the API (lib/profile/connect/wired-interface.ts
 * over the addon's networkAdapters(), GetAdaptersAddresses' UTF-16 friendly names), and console
 * text decoded in the console's code page (lib/core/console-text.ts). The adapters here are a
 * recorder's list: Wine names its adapters after the Unix interfaces (it lists a veth called
 * 以太网 in a network namespace as 以太网), and the lane's prefix has only lo and the host's;
 * test/windows/network-adapters.test.ts matches those through the real call.
 * The CP932, CP936 and CP949 bytes are Python's codecs' (`'イーサネット'.encode('cp932')`).
 */
import { strict as assert } from 'node:assert';
import { decodeConsoleText } from '../lib/core/console-text';
import type { NativeNetworkAdapter } from '../lib/native/contract';
import { adapterNamed, adapterNames, recordGuid, wlanInterfaceName } from '../lib/profile/connect/wired-interface';

const adapters: NativeNetworkAdapter[] = [
  { friendlyName: 'vEthernet (Default Switch)', guid: '{0b7e4c1d-2a3f-4e5b-8c6d-7e8f9a0b1c2d}', ifType: 6 },
  { friendlyName: 'イーサネット', guid: '{6C1A5E2B-3F4D-4E8A-9B7C-0D1E2F3A4B5C}', ifType: 6 },
  { friendlyName: 'Ethernet 2', guid: '{11111111-2222-3333-4444-555555555555}', ifType: 6 },
  { friendlyName: 'Straße', guid: '{AAAAAAAA-2222-3333-4444-555555555555}', ifType: 6 },
];

describe('wired connect: the interface\'s name to its GUID, through the adapters Windows lists', () => {
  it('finds a localized name, and returns the GUID as the records write it (braces, upper case)', () => {
    assert.equal(adapterNamed(adapters, 'イーサネット')?.guid, adapters[1].guid);
    assert.equal(recordGuid(adapters[0]), '{0B7E4C1D-2A3F-4E5B-8C6D-7E8F9A0B1C2D}');
  });

  it('compares without regard to case, one character at a time, as Windows does', () => {
    assert.equal(adapterNamed(adapters, 'ETHERNET 2'), adapters[2]);
    assert.equal(adapterNamed(adapters, 'vethernet (default switch)'), adapters[0]);
    assert.equal(adapterNamed(adapters, 'STRASSE'), undefined, 'ß is not SS');
    assert.equal(adapterNamed(adapters, 'STRAßE'), adapters[3]);
  });

  it('WLAN --interface: the name users see ("Wi-Fi", "WLAN") becomes its adapter\'s GUID; a GUID or a description is passed as given', () => {
    const withWifi: NativeNetworkAdapter[] = [...adapters,
      { friendlyName: 'Wi-Fi', guid: '{3f2a8c4e-1b5d-4c6e-9a7f-0e1d2c3b4a59}', ifType: 71 },
      { friendlyName: 'WLAN 2', guid: '{99999999-8888-7777-6666-555555555555}', ifType: 71 }];
    assert.equal(wlanInterfaceName(withWifi, 'Wi-Fi'), '{3F2A8C4E-1B5D-4C6E-9A7F-0E1D2C3B4A59}');
    assert.equal(wlanInterfaceName(withWifi, 'wlan 2'), '{99999999-8888-7777-6666-555555555555}');
    // What Native Wifi matches itself (wlan_api_win32.h Names): left as it is.
    assert.equal(wlanInterfaceName(withWifi, 'Intel(R) Wi-Fi 6 AX201 160MHz'), 'Intel(R) Wi-Fi 6 AX201 160MHz');
    assert.equal(wlanInterfaceName(withWifi, '3f2a8c4e-1b5d-4c6e-9a7f-0e1d2c3b4a59'), '3f2a8c4e-1b5d-4c6e-9a7f-0e1d2c3b4a59');
    assert.equal(wlanInterfaceName([], 'Wi-Fi'), 'Wi-Fi');
  });

  it('a name no adapter has is undefined, never a near one; the refusal lists what there is', () => {
    assert.equal(adapterNamed(adapters, 'Ethernet'), undefined);
    assert.equal(adapterNamed(adapters, 'Ethernet 2 '), undefined);
    assert.equal(adapterNamed([], 'Ethernet'), undefined);
    assert.equal(adapterNames([]), 'none');
    assert.match(adapterNames(adapters), /"イーサネット", "Ethernet 2"/);
  });
});

describe('console text in the console\'s code page', () => {
  // Raw bytes beside the decoded string: what netsh writes to a pipe on Japanese, Simplified
  // Chinese and Korean Windows for the default wired interface's name.
  const cases: Array<[number, string, string]> = [
    [932, '83 43 81 5b 83 54 83 6c 83 62 83 67', 'イーサネット'],
    [936, 'd2 d4 cc ab cd f8', '以太网'],
    [949, 'c0 cc b4 f5 b3 dd', '이더넷'],
  ];
  for (const [codePage, hex, text] of cases) {
    it(`CP${codePage}: ${hex} is ${text}, and not what UTF-8 reads`, () => {
      const bytes = Buffer.from(hex.replace(/ /g, ''), 'hex');
      assert.equal(decodeConsoleText(bytes, codePage), text);
      assert.notEqual(bytes.toString('utf8'), text);
    });
  }

  it('a code page TextDecoder does not know keeps ASCII and shows the rest as \\xNN', () => {
    assert.equal(decodeConsoleText(Buffer.from([0x4f, 0x4b, 0x20, 0x82, 0x81]), 437), 'OK \\x82\\x81');
  });
});
