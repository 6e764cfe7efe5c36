import { strict as assert } from 'node:assert';
import { mabFile } from '../../lib/cli/commands/serve/serve-policy';
import { checkPolicy } from '../../lib/radius/policy';

/**
 * `serve --mab FILE` read in one pass, a character at a time, with the native form made as it
 * reads: what a server is given must be what checkPolicy() makes of the same devices handed to it
 * plainly (each MAC and VLAN checked and converted there, one by one), and the devices a caller
 * reads must be the lines' own. Faults name their line as before.
 */
describe('serve --mab FILE, read in one pass', () => {
  const text = [
    '# printers',
    'aa:bb:cc:dd:ee:ff 30',
    'AA-BB-CC-DD-EE-01\t4094   # tab, then spaces before a comment',
    '0011.2233.4455',
    '001122334466 30',
    '  \u00a0 00:11:22:33:44:77 1\r',
    'aa:bb:cc:dd:ee:02#a comment right after the MAC',
    '',
  ].join('\n');

  it('the devices are the lines\', and the native form is what checkPolicy() makes of them one by one', () => {
    const list = mabFile('list.txt', text);
    assert.deepEqual(list.devices, [
      { mac: 'aabbccddeeff', vlan: '30' }, { mac: 'aabbccddee01', vlan: '4094' }, { mac: '001122334455' },
      { mac: '001122334466', vlan: '30' }, { mac: '001122334477', vlan: '1' }, { mac: 'aabbccddee02' },
    ]);
    const plain = checkPolicy(undefined, { devices: list.devices.map((device) => ({ ...device })) });
    assert.deepEqual(checkPolicy(undefined, list), plain);
    assert.deepEqual(checkPolicy(undefined, { ...list, devices: list.devices, vlanTag: 3 }), { ...plain, macVlanTag: 3 });
  });

  it('a fault names its line: a bad MAC or VLAN, a third word, a MAC listed twice in another spelling', () => {
    for (const [body, expected] of [
      ['aa:bb:cc:dd:ee:ff 30\naa:bb:cc:dd:ee:gg', /--mab list\.txt line 2: expected "MAC \[VLAN\]"/],
      ['\n\naa:bb:cc:dd:ee:ff 0', /--mab list\.txt line 3: the VLAN must be a VLAN ID from 1 to 4094/],
      ['aa:bb:cc:dd:ee:ff 4095', /line 1: the VLAN must be a VLAN ID from 1 to 4094/],
      ['aa:bb:cc:dd:ee:ff 030', /line 1: the VLAN must be a VLAN ID/],
      ['aa:bb:cc:dd:ee:ff 30 40', /line 1: expected "MAC \[VLAN\]"/],
      ['aa:bb:cc:dd:ee:ff\n# x\nAABB.CCDD.EEFF 7', /line 3: AABB\.CCDD\.EEFF is listed on line 1 already/],
    ] as const) {
      assert.throws(() => mabFile('list.txt', body), expected, body);
    }
  });
});
