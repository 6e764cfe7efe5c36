import { strict as assert } from 'node:assert';
import { flagReader } from '../../lib/cli/command-line';
import { nasAttributes, normaliseStationId } from '../../lib/cli/nas-attributes';
import { decodeReplyAttributes } from '../../lib/cli/commands/auth/reply-attributes';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';
import { CliRun, runCli, secretFlag, eaphostCommand } from '../support/cli-run';

const runRadiusAuth = eaphostCommand('auth');

/**
 * NAS attributes as FreeRADIUS decodes them: the users-file entry carries check items, so the
 * password only applies when FreeRADIUS's own dictionary decoding of our request yields exactly
 * these values; its reply items come back decoded in --json.
 */
const SECRET = 'nas-secret';
const NAS = {
  identity: 'nasuser', password: 'nas pass',
  check: [
    'NAS-Identifier == "sw1"', 'NAS-IP-Address == 192.0.2.1', 'Called-Station-Id == "00-11-22-33-44-55:eduroam"',
    'Calling-Station-Id == "AA-BB-CC-DD-EE-0F"', 'Framed-MTU == 1300', 'Operator-Name == "1example.net"',
    'NAS-Port == 42', 'NAS-Port-Id == "port7"', 'Cisco-AVPair == "shell:priv-lvl=15"',
  ],
  reply: [
    'Tunnel-Type = VLAN', 'Tunnel-Medium-Type = IEEE-802', 'Tunnel-Private-Group-Id = "100"',
    'Class = 0x65617070726f6265', 'Session-Timeout = 3600', 'Filter-Id = "staff"',
  ],
};
const NAS_FLAGS = ['--nas-identifier', 'sw1', '--nas-ip-address', '192.0.2.1',
  '--called-station-id', '00:11:22:33:44:55:eduroam', '--calling-station-id', 'aabb.ccdd.ee0f', '--framed-mtu', '1300',
  '--operator-name', '1example.net', '--attr', 'NAS-Port=42', '--attr', '87:string=port7',
  '--attr', '26:9:1:string=shell:priv-lvl=15'];

const run = (argv: string[]): Promise<CliRun> => runCli(runRadiusAuth, argv);

describe('NAS attributes: --nas-*, --called/calling-station-id, --framed-mtu, --operator-name, --attr', function () {
  this.timeout(60_000);
  let server: FreeRadiusInstance;
  const base = () => ['--radius', `127.0.0.1:${server.port}`, ...secretFlag('secret', SECRET), '--method', 'md5',
    '--identity', NAS.identity, ...secretFlag('password', NAS.password), '--json'];

  before(async () => {
    server = await startFreeRadius({ secret: SECRET, users: [NAS] });
  });
  after(async () => {
    await server?.stop();
  });

  it('FreeRADIUS matches every attribute as given; the Access-Accept\'s VLAN, Class, Session-Timeout, Filter-Id decoded', async () => {
    const { code, out, err } = await run([...base(), ...NAS_FLAGS]);
    assert.equal(code, 0, `${err.join('\n')}\n${out.join('\n')}\n${server.log()}`);
    const result = JSON.parse(out[0]);
    assert.equal(result.reply.code, 'Access-Accept');
    const byName = (name: string) => result.reply.attributes.find((a: { name: string }) => a.name === name);
    assert.deepEqual(byName('Tunnel-Type'), { type: 64, name: 'Tunnel-Type', tag: 0, value: 13 });
    assert.deepEqual(byName('Tunnel-Medium-Type'), { type: 65, name: 'Tunnel-Medium-Type', tag: 0, value: 6 });
    assert.equal(byName('Tunnel-Private-Group-Id')?.value, '100', JSON.stringify(result.reply));
    assert.equal(byName('Class').value, Buffer.from('eapprobe').toString('hex'));
    assert.equal(byName('Session-Timeout').value, 3600);
    assert.equal(byName('Filter-Id').value, 'staff');
    assert.equal(byName('User-Name').value, NAS.identity);
    // FreeRADIUS's eap module strips Reply-Message from EAP replies (RFC 3579 §2.6.5 discourages it).
    assert.ok(!result.reply.attributes.some((a: { type: number }) => [79, 80, 24].includes(a.type)), 'framing left out');
  });

  it('one attribute different (NAS-Identifier sw2): FreeRADIUS\'s entry does not apply, Access-Reject', async () => {
    const flags = [...NAS_FLAGS];
    flags[1] = 'sw2';
    const { code } = await run([...base(), ...flags]);
    assert.equal(code, 1);
  });

  it('bad attribute arguments are usage errors (exit 2) with the reason', async () => {
    for (const [flags, reason] of [
      [['--attr', '79:octets=0x01'], /EAP-Message/],
      [['--attr', '26:9:1=x'], /26:VENDOR:TYPE:FORMAT=VALUE|unknown attribute/],
      [['--attr', 'Foo-Bar=1'], /unknown attribute name/],
      [['--attr', '5:integer=-1'], /not an integer/],
      [['--nas-ip-address', '300.1.1.1'], /not an IP address/],
      [['--framed-mtu', '10'], /64 to 65535/],
    ] as const) {
      const { code, err } = await run([...base(), ...flags]);
      assert.equal(code, 2, flags.join(' '));
      assert.match(err[0], reason);
    }
  });

  it('reply decoding: Reply-Message, a tagged Tunnel-Private-Group-Id, a vendor attribute; MS-MPPE keys never shown', () => {
    const vsa = (vendor: number, type: number, data: Buffer) => {
      const value = Buffer.alloc(6 + data.length);
      value.writeUInt32BE(vendor);
      value[4] = type;
      value[5] = 2 + data.length;
      data.copy(value, 6);
      return { type: 26, value };
    };
    const decoded = decodeReplyAttributes([
      { type: 18, value: Buffer.from('welcome') },
      { type: 81, value: Buffer.from([1, ...Buffer.from('200')]) },
      vsa(9, 1, Buffer.from('shell:priv-lvl=15')),
      vsa(311, 16, Buffer.alloc(34, 7)),
      { type: 80, value: Buffer.alloc(16) },
    ]);
    assert.deepEqual(decoded, [
      { type: 18, name: 'Reply-Message', value: 'welcome' },
      { type: 81, name: 'Tunnel-Private-Group-Id', tag: 1, value: '200' },
      { type: 26, name: 'Vendor-Specific', vendor: 9, vendorType: 1, value: 'shell:priv-lvl=15' },
    ]);
  });

  it('MAC spellings normalise to AA-BB-CC-DD-EE-FF (RFC 3580); NAS-IPv6-Address is 16 bytes', () => {
    for (const spelling of ['aa:bb:cc:dd:ee:ff', 'aa-bb-cc-dd-ee-ff', 'aabb.ccdd.eeff', 'AABBCCDDEEFF']) {
      assert.equal(normaliseStationId(spelling, false), 'AA-BB-CC-DD-EE-FF');
    }
    assert.equal(normaliseStationId('aabb.ccdd.eeff:eduroam', true), 'AA-BB-CC-DD-EE-FF:eduroam');
    assert.equal(normaliseStationId('not a mac', true), 'not a mac');
    const [v6] = nasAttributes(flagReader({ 'nas-ip-address': '2001:db8::1' }));
    assert.equal(v6.type, 95);
    assert.equal(v6.value.toString('hex'), '20010db8000000000000000000000001');
  });
});
