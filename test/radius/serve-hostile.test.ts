import { strict as assert } from 'node:assert';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthenticator } from '../../lib';
import { DynamicAuthorizationServer, RadiusServer } from '../../lib/radius';
import { RadSecPskTable } from '../../lib/radius/radsec/psk';
import type { RadiusConversationRecord } from '../../lib/radius';
import { main } from '../../lib/cli/main';
import { runRadclient, secretFlag } from '../support/cli-run';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';

/**
 * `eaphost serve` against the requests an attacker on a NAS's path, or a NAS of another kind,
 * sends: MAB shapes that are not MAB (a PAP or CHAP login named after a listed MAC, no password,
 * a User-Name that is not the Calling-Station-Id's MAC), PAP where nobody asked for it and PAP
 * guessed at datagram speed, repeated claims, replies too large for a packet, and policy and
 * allow-list files a careless or hostile hand wrote. radclient (freeradius-utils) sends every
 * request and verifies every reply; serve's --log line says why it refused.
 */
const SECRET = 'hostile-secret';
const MAC = 'aabbccddeeff';
const USERS = { bob: { password: 'bob pa55' }, admin: { password: 'admin pa55' }, dave: { password: 'dave pa55' },
  'nas-mapped': { password: 'mapped pa55' } };
const POLICY = {
  rules: [
    { match: { user: 'admin' }, reply: { class: 'admin-rule' } },
    { match: { user: 'nas-mapped', nas: '::ffff:127.0.0.1' }, reply: { class: 'mapped-rule' } },
    // MAB on wired ports only: a MAC on a wireless or VPN port is refused.
    { match: { method: 'mab', nasPortType: 'ethernet' }, reply: { sessionTimeout: 600 } },
    { match: { method: 'mab' }, reject: true },
  ],
};

const signed = 'Message-Authenticator = 0x00';
const rejected = 'Response-Packet-Type = Access-Reject';
const radclient = (port: number, lines: string[]) => runRadclient(port, SECRET, 'auth', `${[...lines, signed].join('\n')}\n`, 3);

function fileIn(dir: string, name: string, text: string | Buffer): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('serve refuses requests that only look like MAB, PAP nobody asked for, and repeated claims (radclient)', function () {
  this.timeout(60_000);
  const dir = makeTempDir('serve-hostile');
  let serve: ServeProcess;
  let papOff: ServeProcess;

  before(async () => {
    const users = fileIn(dir.path, 'users.json', JSON.stringify(USERS));
    serve = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', users, '--methods', 'md5', '--pap', '--log',
      '--policy', fileIn(dir.path, 'policy.json', JSON.stringify(POLICY)), '--mab', fileIn(dir.path, 'mab.txt', `${MAC} 30\n`)]);
    papOff = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', users, '--methods', 'md5', '--log']);
  });
  after(async () => {
    await serve?.stop();
    await papOff?.stop();
    dir.remove();
  });

  /** The request is refused, radclient verifies the Reject, and serve's log line gives `reason`. */
  async function refused(lines: string[], userName: string, reason: RegExp, at = serve): Promise<void> {
    const line = new RegExp(`identity="${userName}" .*outcome=reject .*reason="[^"]*${reason.source}`, 'g');
    const before = (at.output().match(line) ?? []).length;
    const run = await radclient(at.port, [...lines, rejected]);
    assert.match(run.output, /Received Access-Reject/, run.output);
    assert.equal(run.code, 0, run.output);
    await at.logged(new RegExp(line.source), before + 1);
  }

  it('a switch\'s MAB request (Call-Check, the MAC as User-Name and User-Password, its Calling-Station-Id) on a wired port: Accept with the MAC\'s VLAN', async () => {
    const run = await radclient(serve.port, [`User-Name = "${MAC}"`, `User-Password = "${MAC}"`, 'Calling-Station-Id = "AA-BB-CC-DD-EE-FF"',
      'Service-Type = Call-Check', 'NAS-Port-Type = Ethernet']);
    assert.match(run.output, /Received Access-Accept/, run.output);
    assert.match(run.output, /Tunnel-Private-Group-Id(:0)? = "30"/, run.output);
    assert.match(run.output, /Session-Timeout = 600/, run.output);
  });

  it('the same MAC as a PAP login (no Call-Check), with a VPN\'s IP address as Calling-Station-Id or none: Reject', async () => {
    await refused([`User-Name = "${MAC}"`, `User-Password = "${MAC}"`, 'Calling-Station-Id = "192.0.2.7"', 'NAS-Port-Type = Ethernet'], MAC,
      /MAB: User-Name and Calling-Station-Id must name the same MAC/);
    await refused([`User-Name = "AA:BB:CC:DD:EE:FF"`, `User-Password = "AA:BB:CC:DD:EE:FF"`, 'NAS-Port-Type = Ethernet'], 'AA:BB:CC:DD:EE:FF',
      /MAB: User-Name and Calling-Station-Id must name the same MAC/);
  });

  it('CHAP with the MAC as User-Name and any response: Reject', async () => {
    await refused([`User-Name = "${MAC}"`, 'CHAP-Password = "anything"', 'Calling-Station-Id = "AA-BB-CC-DD-EE-FF"',
      'Service-Type = Call-Check', 'NAS-Port-Type = Ethernet'], MAC, /CHAP: this server answers EAP, and PAP and MAB when asked/);
  });

  it('a Call-Check without User-Password, or whose User-Name is not the Calling-Station-Id\'s MAC: Reject', async () => {
    await refused([`User-Name = "${MAC}"`, 'Calling-Station-Id = "AA-BB-CC-DD-EE-FF"', 'Service-Type = Call-Check', 'NAS-Port-Type = Ethernet'],
      MAC, /MAB: no User-Password/);
    await refused(['User-Name = "112233445566"', 'User-Password = "112233445566"', 'Calling-Station-Id = "AA-BB-CC-DD-EE-FF"',
      'Service-Type = Call-Check', 'NAS-Port-Type = Ethernet'], '112233445566', /MAB: User-Name and Calling-Station-Id must name the same MAC/);
  });

  it('a Call-Check named admin from a listed MAC matches no user rule: Reject, no admin Class', async () => {
    await refused(['User-Name = "admin"', 'User-Password = "x"', 'Calling-Station-Id = "AA-BB-CC-DD-EE-FF"', 'Service-Type = Call-Check',
      'NAS-Port-Type = Ethernet'], 'admin', /MAB: User-Name and Calling-Station-Id must name the same MAC/);
  });

  it('the policy limits MAB to wired ports: the listed MAC from a wireless port is refused by its rule', async () => {
    await refused([`User-Name = "${MAC}"`, `User-Password = "${MAC}"`, 'Calling-Station-Id = "AA-BB-CC-DD-EE-FF"', 'Service-Type = Call-Check',
      'NAS-Port-Type = Wireless-802.11'], MAC, /the policy's rule 3 rejects/);
  });

  it('a repeated User-Name or Calling-Station-Id is refused, for PAP, MAB and an EAP conversation\'s first request', async () => {
    // The log names the last User-Name: the one a rule would have matched.
    await refused(['User-Name = "bob"', 'User-Name = "admin"', 'User-Password = "bob pa55"'], 'admin', /a repeated User-Name or Calling-Station-Id/);
    await refused([`User-Name = "${MAC}"`, `User-Password = "${MAC}"`, 'Calling-Station-Id = "AA-BB-CC-DD-EE-FF"',
      'Calling-Station-Id = "11-22-33-44-55-66"', 'Service-Type = Call-Check', 'NAS-Port-Type = Ethernet'], MAC, /a repeated User-Name/);
    // EAP-Response/Identity "bob" (RFC 3748 §5.1) under two User-Names: no Access-Challenge.
    const eap = await radclient(serve.port, ['User-Name = "bob"', 'User-Name = "admin"', 'EAP-Message = 0x0201000801626f62', rejected]);
    assert.match(eap.output, /Received Access-Reject/, eap.output);
    const once = await radclient(serve.port, ['User-Name = "bob"', 'EAP-Message = 0x0201000801626f62']);
    assert.match(once.output, /Received Access-Challenge/, once.output);
  });

  it('PAP is answered where asked for (--pap): the right password is an Accept; a NAS rule written ::ffff:127.0.0.1 matches 127.0.0.1', async () => {
    const right = await radclient(serve.port, ['User-Name = "bob"', 'User-Password = "bob pa55"']);
    assert.match(right.output, /Received Access-Accept/, right.output);
    const mapped = await radclient(serve.port, ['User-Name = "nas-mapped"', 'User-Password = "mapped pa55"']);
    assert.match(mapped.output, /Received Access-Accept/, mapped.output);
    assert.match(mapped.output, /Class = 0x6d61707065642d72756c65/, mapped.output);
  });

  it('without --pap (and no policy rule naming pap) even the right PAP password is refused, unchecked', async () => {
    await refused(['User-Name = "bob"', 'User-Password = "bob pa55"'], 'bob', /PAP: not answered here/, papOff);
  });
});

describe('serve slows PAP guessing per user and per NAS (radclient)', function () {
  this.timeout(120_000);
  const dir = makeTempDir('serve-pap-slowed');
  let serve: ServeProcess;
  const users: Record<string, { password: string }> = { carol: { password: 'carol pa55' }, dave: { password: 'dave pa55' } };
  for (let i = 0; i < 300; i++) users[`user${i}`] = { password: `pa55 ${i}` };

  before(async () => {
    serve = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', fileIn(dir.path, 'users.json', JSON.stringify(users)),
      '--methods', 'md5', '--pap', '--log']);
  });
  after(async () => {
    await serve?.stop();
    dir.remove();
  });

  /** radclient sends every request in `packets` (blank-line separated), one after another. */
  function batch(packets: string[][]) {
    const input = packets.map((lines) => [...lines, signed, rejected].join('\n')).join('\n\n');
    return runRadclient(serve.port, SECRET, 'auth', `${input}\n`, 5);
  }

  /** How many of `userName`'s (or of every) refusals were wrong passwords checked, and how many slowed unchecked. */
  function counted(output: string, who?: string): { checked: number; slowed: number } {
    const lines = output.split('\n').filter((line) => / outcome=reject /.test(line) && (who === undefined || line.includes(`identity="${who}"`)));
    return { checked: lines.filter((line) => /PAP: wrong user name or password/.test(line)).length,
      slowed: lines.filter((line) => /PAP: slowed: \d+ wrong passwords (for this user|from this NAS)/.test(line)).length };
  }

  it('30 wrong passwords for one user: at most 5, and one a second after, are checked; the rest are refused unchecked and logged', async () => {
    const started = Date.now();
    const run = await batch(Array.from({ length: 30 }, (_, i) => ['User-Name = "carol"', `User-Password = "guess ${i}"`]));
    const elapsed = Date.now() - started;
    assert.equal((run.output.match(/Received Access-Reject/g) ?? []).length, 30, run.output);
    const output = await serve.logged(/identity="carol" .*outcome=reject/, 30);
    const { checked, slowed } = counted(output, 'carol');
    assert.equal(checked + slowed, 30, output);
    // A password comes back each second: in `elapsed` ms at most 5 + ceil(elapsed / 1000) were checked.
    assert.ok(checked <= 5 + Math.ceil(elapsed / 1000), `${checked} checked in ${elapsed} ms`);
    if (slowed > 0) assert.match(output, /reason="[^"]*PAP: slowed: \d+ wrong passwords for this user; the next is checked in \d+ ms/);
    // Another user of the same NAS is not slowed.
    const other = await radclient(serve.port, ['User-Name = "dave"', 'User-Password = "dave pa55"']);
    assert.match(other.output, /Received Access-Accept/, other.output);
  });

  it('300 users guessed once each from one NAS: past 100 wrong passwords, at most 20 a second are checked', async () => {
    const before = counted(serve.output());
    const started = Date.now();
    const run = await batch(Array.from({ length: 300 }, (_, i) => [`User-Name = "user${i}"`, 'User-Password = "wrong"']));
    const elapsed = Date.now() - started;
    assert.equal((run.output.match(/Received Access-Reject/g) ?? []).length, 300, run.output.slice(-2000));
    const output = await serve.logged(/identity="user\d+" .*outcome=reject/, 300);
    const after = counted(output);
    const checked = after.checked - before.checked;
    const slowed = after.slowed - before.slowed;
    assert.equal(checked + slowed, 300);
    // The NAS had spent some of its 100 on carol's guesses already (none came back faster than 20 a second).
    assert.ok(checked <= 100 + Math.ceil((20 * elapsed) / 1000), `${checked} checked in ${elapsed} ms`);
    if (slowed > 0) assert.match(output, /reason="[^"]*PAP: slowed: \d+ wrong passwords from this NAS/);
  });
});

describe('serve refuses at start what a policy or allow-list should not say, naming the file and the line or rule', function () {
  this.timeout(60_000);
  const dir = makeTempDir('serve-hostile-files');
  after(() => dir.remove());
  const users = fileIn(dir.path, 'users.json', JSON.stringify(USERS));

  /** serve with `args`, stopped as soon as it listens (a file it should have refused): its exit code and stderr. */
  async function serveWith(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
    const controller = new AbortController();
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['serve', '--port', '0', ...secretFlag('secret', SECRET), '--users', users, '--methods', 'md5', ...args], (line) => {
      out.push(line);
      if (/^listening on /.test(line)) controller.abort();
    }, (line) => err.push(line), { stop: controller.signal });
    return { code, stderr: err.join('\n'), stdout: out.join('\n') };
  }

  const bigReply = { attributes: Array.from({ length: 15 }, () => ({ type: 18, value: 'm'.repeat(253) })) };
  const policies: Array<[string, unknown, RegExp]> = [
    ['a reply that cannot fit beside EAP\'s share in 4096 bytes', { rules: [{ match: { user: 'bob' } }, { reply: bigReply }] },
      /policy\.rules\[1\]\.reply: its attributes take 3825 bytes, and an Access-Accept holds 4096 with EAP's share/],
    ['VLAN "0"', { rules: [{ reply: { vlan: '0' } }] }, /rules\[0\]\.reply\.vlan must be a VLAN ID from 1 to 4094/],
    ['VLAN "4095"', { rules: [{ reply: { vlan: '4095' } }] }, /rules\[0\]\.reply\.vlan must be a VLAN ID from 1 to 4094/],
    ['VLAN "abc"', { rules: [{ reply: { vlan: 'abc' } }] }, /rules\[0\]\.reply\.vlan must be a VLAN ID/],
    ['VLAN "\u202e12"', { rules: [{ reply: { vlan: '\u202e12' } }] }, /rules\[0\]\.reply\.vlan must be a VLAN ID/],
    ['VLAN of 252 x', { rules: [{ reply: { vlan: 'x'.repeat(252) } }] }, /rules\[0\]\.reply\.vlan must be a VLAN ID/],
    ['a VLAN in both vlan and attributes', { rules: [{ reply: { vlan: 10, attributes: [{ type: 81, value: '20' }] } }] },
      /rules\[0\]\.reply\.attributes\[0\]: attribute 81 is what policy\.rules\[0\]\.reply\.vlan writes already/],
    ['a Session-Timeout twice', { rules: [{ reply: { sessionTimeout: 60, attributes: [{ type: 27, value: 30 }] } }] },
      /attributes\[0\]: attribute 27 is what policy\.rules\[0\]\.reply\.sessionTimeout writes/],
    ['NUL in Reply-Message', { rules: [{ reply: { replyMessage: 'hello\u0000world' } }] }, /replyMessage holds the control character U\+0000/],
    ['ESC in Filter-Id', { rules: [{ reply: { filterId: '\u001b[2Jstaff' } }] }, /filterId holds the control character U\+001B/],
    ['ESC in a raw Reply-Message', { rules: [{ reply: { attributes: [{ type: 18, value: 'a\u001bb' }] } }] },
      /attributes\[0\]\.value holds the control character U\+001B/],
    ['a NAS network with host bits set', { rules: [{ match: { nas: '10.0.0.1/8' } }] }, /rules\[0\]\.nas: 10\.0\.0\.1\/8 has address bits set past its prefix/],
    ['65,537 rules', { rules: Array.from({ length: 65537 }, () => ({})) }, /policy\.rules holds 65537 rules, more than 65536/],
  ];
  for (const [what, policy, message] of policies) {
    it(`--policy with ${what}: usage error naming the file and the rule`, async () => {
      const file = fileIn(dir.path, 'policy.json', JSON.stringify(policy));
      const run = await serveWith(['--policy', file]);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(`--policy ${file}: `), run.stderr);
      assert.match(run.stderr, message);
    });
  }

  it('--policy with a key given twice in one object: usage error naming its line', async () => {
    const file = fileIn(dir.path, 'twice.json', '{\n  "rules": [\n    { "reply": { "vlan": 10,\n      "vlan": 20 } }\n  ]\n}\n');
    const run = await serveWith(['--policy', file]);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes(`--policy ${file} line 4: "vlan" is given twice in one object`), run.stderr);
  });

  it('--policy or --mab with bytes that are not UTF-8 is refused, not read as U+FFFD', async () => {
    const policy = fileIn(dir.path, 'latin1.json', Buffer.concat([Buffer.from('{"rules":[{"reply":{"replyMessage":"caf'), Buffer.from([0xe9]),
      Buffer.from('"}}]}')]));
    const run = await serveWith(['--policy', policy]);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes(`--policy ${policy}: not UTF-8 text`), run.stderr);
    const mab = fileIn(dir.path, 'latin1.txt', Buffer.concat([Buffer.from(`${MAC} 30 # caf`), Buffer.from([0xe9, 0x0a])]));
    const list = await serveWith(['--mab', mab]);
    assert.equal(list.code, 2, list.stderr);
    assert.ok(list.stderr.includes(`--mab ${mab}: not UTF-8 text`), list.stderr);
  });

  const lists: Array<[string, string, RegExp]> = [
    ['a MAC listed twice, in two spellings', `${MAC} 30\n# again\nAA-BB-CC-DD-EE-FF 40\n`, /line 3: AA-BB-CC-DD-EE-FF is listed on line 1 already/],
    ['VLAN 4095', `${MAC} 4095\n`, /line 1: the VLAN must be a VLAN ID from 1 to 4094/],
    ['VLAN 0', `\n${MAC} 0\n`, /line 2: the VLAN must be a VLAN ID from 1 to 4094/],
  ];
  for (const [what, text, message] of lists) {
    it(`--mab with ${what}: usage error naming the file and the line`, async () => {
      const file = fileIn(dir.path, 'mab.txt', text);
      const run = await serveWith(['--mab', file]);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(`--mab ${file} line`), run.stderr);
      assert.match(run.stderr, message);
    });
  }

  it('a policy and an allow-list that begin with a byte-order mark are read as without one', async () => {
    const policy = fileIn(dir.path, 'bom.json', `\ufeff${JSON.stringify({ rules: [{ match: { method: 'mab' }, reply: { sessionTimeout: 60 } }] })}`);
    const mab = fileIn(dir.path, 'bom.txt', `\ufeff${MAC} 30\n`);
    const run = await serveWith(['--policy', policy, '--mab', mab]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /listening on 127\.0\.0\.1:\d+ \(EAP methods: md5; MAB\) \(policy: 1 rules\)/);
  });
});

describe('RadiusServer: an authorize() reply too large for an Access-Accept is a Reject that says so (radclient)', function () {
  this.timeout(30_000);

  it('sixteen 253-byte Reply-Messages beside PAP\'s Accept: Access-Reject, and the record says why', async () => {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { bob: { password: 'bob pa55' } } });
    let ended: (record: RadiusConversationRecord) => void = () => undefined;
    const record = new Promise<RadiusConversationRecord>((resolve) => { ended = resolve; });
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, secret: SECRET, authenticator, pap: true,
      authorize: () => ({ attributes: Array.from({ length: 16 }, () => ({ type: 18, value: 'm'.repeat(253) })) }),
      onConversationEnd: (done) => ended(done) });
    try {
      const { port } = await server.listen();
      const run = await radclient(port, ['User-Name = "bob"', 'User-Password = "bob pa55"', rejected]);
      assert.match(run.output, /Received Access-Reject/, run.output);
      assert.equal(run.code, 0, run.output);
      const seen = await record;
      assert.equal(seen.outcome, 'reject');
      assert.match(seen.reason ?? '', /the Access-Accept would pass 4096 bytes/);
      assert.equal(server.stats.accepts, 0);
    } finally {
      await server.close();
      await authenticator.close();
    }
  });
});

describe('a /0 client network is refused as a slip; every address is written "*"', function () {
  this.timeout(60_000);
  const dir = makeTempDir('serve-hostile-any');
  after(() => dir.remove());
  const users = fileIn(dir.path, 'users.json', JSON.stringify(USERS));
  const key = 'ab'.repeat(32);

  it('the library: RadiusServer and DAS clients, RadSec PSK networks', async () => {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: {} });
    try {
      for (const network of ['0.0.0.0/0', '10.0.0.0/0', '::/0']) {
        const family = network.includes(':') ? 'IPv6' : 'IPv4';
        const message = new RegExp(`"${network.replace(/[./]/g, '\\$&')}" admits every ${family} address; write "\\*" if every address is meant`);
        assert.throws(() => new RadiusServer({ port: 0, authenticator, clients: [{ network, secret: SECRET }] }),
          (error: Error) => error instanceof RangeError && message.test(error.message));
        assert.throws(() => new DynamicAuthorizationServer({ port: 0, clients: [{ network, secret: SECRET }], handle: () => ({ done: true }) }), message);
        assert.throws(() => new RadiusServer({ port: 0, authenticator,
          radsec: { psk: [{ identity: 'nas1', key: Buffer.from(key, 'hex'), networks: ['127.0.0.1', network] }] } }), message);
      }
      const table = new RadSecPskTable([{ identity: 'nas1', key: Buffer.from(key, 'hex'), networks: ['*'] }]);
      assert.deepEqual(['127.0.0.1', '::1', '203.0.113.9', '2001:db8::1'].map((address) => table.keyFor('nas1', address)?.toString('hex')),
        [key, key, key, key]);
      assert.deepEqual(table.entries().map(({ network, prefix }) => `${network}/${prefix}`), ['0.0.0.0/0', '::/0']);
    } finally {
      await authenticator.close();
    }
  });

  it('serve --clients FILE: a /0 line is a usage error naming the line; "* SECRET" answers radclient', async () => {
    const serveWith = async (args: string[]) => {
      const lines: string[] = [];
      const code = await main(['serve', '--port', '0', '--users', users, '--methods', 'md5', '--pap', ...args],
        (line) => lines.push(line), (line) => lines.push(line), { stop: AbortSignal.timeout(10_000) });
      return { code, output: lines.join('\n') };
    };
    const zero = await serveWith(['--clients', fileIn(dir.path, 'clients.zero', `127.0.0.1 ${SECRET}\n0.0.0.0/0 ${SECRET}\n`)]);
    assert.equal(zero.code, 2, zero.output);
    assert.match(zero.output, /clients\.zero line 2: "0\.0\.0\.0\/0" admits every IPv4 address; write "\*" if every address is meant/);
    const psk = fileIn(dir.path, 'clients.psk', `psk nas1 ${key} 127.0.0.1 ::/0\n`);
    chmodSync(psk, 0o600);
    const pskRun = await serveWith(['--radsec', '--clients', psk]);
    assert.equal(pskRun.code, 2, pskRun.output);
    assert.match(pskRun.output, /clients\.psk line 1: "::\/0" admits every IPv6 address; write "\*" if every address is meant/);
    const any = await startEaphostServe(0, ['--users', users, '--methods', 'md5', '--pap', '--clients', fileIn(dir.path, 'clients.any', `* ${SECRET}\n`)]);
    try {
      const run = await radclient(any.port, ['User-Name = "bob"', 'User-Password = "bob pa55"']);
      assert.match(run.output, /Received Access-Accept/, run.output);
    } finally {
      await any.stop();
    }
  });
});
