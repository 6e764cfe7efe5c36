import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createAuthenticator } from '../../lib';
import { checkPolicy } from '../../lib/radius/policy';
import { repoRoot } from '../support/scratch';
import { RadiusServer } from '../../lib/radius';
import type { AuthorizeRequest, AuthorizeResult, RadiusPolicy } from '../../lib/radius/policy';
import { runRadclient, secretFlag } from '../support/cli-run';
import { runEapolTest } from '../support/eapol-test';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { FREERADIUS_VERDICT, FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { makeTempDir } from '../support/programs';
import { CLIENT_KEY_PASSWORD, InteropPki, makeInteropPki } from '../support/interop-pki';

/**
 * What an Access-Accept carries, decided by `serve --policy` / `--mab` and by authorize(), seen by
 * peers this package did not write: radclient decodes and verifies every reply (its -x dump names
 * the RFC 2868 tagged attributes), eapol_test runs PEAP against serve and prints the Accept it
 * got, and FreeRADIUS 3.2 proxies to serve and decodes the reply in its debug log.
 */
const SECRET = 'policy-secret';

/** The VLAN by SSID: corp-wifi → 100, lab-wifi → 200, guest-wifi refused; PAP's bob → 300; MAB devices by the list. */
const POLICY: RadiusPolicy = {
  rules: [
    { match: { ssid: 'guest-wifi' }, reject: true },
    { match: { user: 'alice', ssid: 'corp-wifi', method: 'peap' },
      reply: { vlan: 100, vlanTag: 1, sessionTimeout: 3600, filterId: 'staff', class: 'corp', replyMessage: 'welcome alice' } },
    { match: { user: 'alice', ssid: 'lab-wifi' }, reply: { vlan: '200', vlanTag: 2 } },
    { match: { method: 'mab' }, reply: { sessionTimeout: 600, attributes: [{ vendor: 9, vendorType: 1, value: 'device-traffic-class=voice' }] } },
    { match: { method: 'pap', user: ['bob', '*@corp.test'] }, reply: { vlan: 300, attributes: [{ type: 85, value: 60 }] } },
  ],
};
const USERS = { alice: { password: 'alice pa55' }, bob: { password: 'bob pa55' }, 'carol@corp.test': { password: 'carol pa55' } };

function fileIn(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** `serve --policy` with POLICY and USERS (files in `dir`), PEAP with the PKI's server certificate, and `args`. */
function startPolicyServe(dir: string, pki: InteropPki, args: string[]): Promise<ServeProcess> {
  return startEaphostServe(0, ['--users', fileIn(dir, 'users.json', JSON.stringify(USERS)), '--methods', 'peap,mschapv2',
    '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--policy', fileIn(dir, 'policy.json', JSON.stringify(POLICY)), '--log', ...args]);
}

/** eapol_test PEAP as alice (outer identity `outer`) from an access point whose SSID is `ssid`. */
const alicePeap = (port: number, ssid: string, outer = 'anonymous') => runEapolTest({ host: '127.0.0.1', port, secret: SECRET,
  method: 'PEAP', identity: 'alice', anonymousIdentity: outer, password: 'alice pa55', phase2: 'auth=MSCHAPV2',
  attributes: [`30:s:00-11-22-33-44-55:${ssid}`, '61:d:19'], timeoutSeconds: 10 });

/** The Access-Accept in eapol_test's output, as it dumped it. */
const acceptIn = (stdout: string): string => stdout.slice(stdout.lastIndexOf('(Access-Accept)'));

/** hostap's dump of the three RFC 3580 VLAN attributes under `tag`, the VLAN's name in hex. */
function assertVlanDump(accept: string, tag: number, vlan: string): void {
  const hex = (value: number) => value.toString(16).padStart(2, '0');
  const name = Buffer.from(vlan).toString('hex');
  assert.match(accept, new RegExp(`Attribute 64 \\(Tunnel-Type\\) length=6\\s+Value: ${hex(tag)}00000d\\n`), accept.slice(0, 3000));
  assert.match(accept, new RegExp(`Attribute 65 \\(Tunnel-Medium-Type\\) length=6\\s+Value: ${hex(tag)}000006\\n`), accept.slice(0, 3000));
  assert.match(accept, new RegExp(`Attribute 81 \\(Tunnel-Private-Group-Id\\) length=${3 + vlan.length}\\s+Value: ${hex(tag)}${name}\\n`),
    accept.slice(0, 3000));
}

const radclient = (port: number, attributes: string[]) =>
  runRadclient(port, SECRET, 'auth', `${attributes.join('\n')}\n`, 2);
const signed = 'Message-Authenticator = 0x00';
const mab = (mac: string, callingStationId: string) => [`User-Name = "${mac}"`, `User-Password = "${mac}"`,
  `Calling-Station-Id = "${callingStationId}"`, 'Service-Type = Call-Check', signed];

describe('serve --policy and --mab against radclient, eapol_test and a FreeRADIUS proxy', function () {
  this.timeout(90_000);
  let serve: ServeProcess;
  let dir: ReturnType<typeof makeTempDir>;
  let pki: InteropPki;

  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('serve-policy');
    serve = await startPolicyServe(dir.path, pki, [...secretFlag('secret', SECRET),
      '--mab', fileIn(dir.path, 'mab.txt', '# printers\naa:bb:cc:dd:ee:ff 30\n0011.2233.4455   # no VLAN of its own\n')]);
  });
  after(async () => {
    await serve?.stop();
    dir?.remove();
    pki?.remove();
  });

  it('PAP: the right password is an Accept with the rule\'s VLAN, a wrong one a Reject; radclient verifies both', async () => {
    const right = await radclient(serve.port, ['User-Name = "bob"', 'User-Password = "bob pa55"', signed]);
    assert.match(right.output, /Received Access-Accept/, right.output);
    assert.equal(right.code, 0, right.output);
    assert.match(right.output, /Tunnel-Type:0 = VLAN|Tunnel-Type = VLAN/, right.output);
    assert.match(right.output, /Tunnel-Medium-Type(:0)? = IEEE-802/, right.output);
    assert.match(right.output, /Tunnel-Private-Group-Id(:0)? = "300"/, right.output);
    assert.match(right.output, /Acct-Interim-Interval = 60/, right.output);
    const wrong = await radclient(serve.port, ['User-Name = "bob"', 'User-Password = "not it"', signed,
      'Response-Packet-Type = Access-Reject']);
    assert.match(wrong.output, /Received Access-Reject/, wrong.output);
    assert.equal(wrong.code, 0, wrong.output);
    const nobody = await radclient(serve.port, ['User-Name = "mallory"', 'User-Password = "bob pa55"', signed,
      'Response-Packet-Type = Access-Reject']);
    assert.match(nobody.output, /Received Access-Reject/, nobody.output);
  });

  it('MAB: a listed MAC (any spelling) is an Accept with its own VLAN and the MAB rule\'s attributes; an unlisted one a Reject', async () => {
    const listed = await radclient(serve.port, mab('aabbccddeeff', 'AA-BB-CC-DD-EE-FF'));
    assert.match(listed.output, /Received Access-Accept/, listed.output);
    assert.equal(listed.code, 0, listed.output);
    assert.match(listed.output, /Tunnel-Private-Group-Id(:0)? = "30"/, listed.output);
    assert.match(listed.output, /Session-Timeout = 600/, listed.output);
    assert.match(listed.output, /Cisco-AVPair = "device-traffic-class=voice"/, listed.output);
    const plain = await radclient(serve.port, mab('001122334455', '00:11:22:33:44:55'));
    assert.match(plain.output, /Received Access-Accept/, plain.output);
    assert.doesNotMatch(plain.output, /Tunnel-Private-Group-Id/, plain.output);
    const unlisted = await radclient(serve.port, [...mab('665544332211', '66-55-44-33-22-11'), 'Response-Packet-Type = Access-Reject']);
    assert.match(unlisted.output, /Received Access-Reject/, unlisted.output);
    assert.equal(unlisted.code, 0, unlisted.output);
  });

  it('a PAP request without Message-Authenticator is dropped by default', async () => {
    const unsigned = await radclient(serve.port, ['User-Name = "bob"', 'User-Password = "bob pa55"']);
    assert.notEqual(unsigned.code, 0, unsigned.output);
    assert.doesNotMatch(unsigned.output, /Received Access-/, unsigned.output);
  });

  it('eapol_test PEAP: the Accept carries the SSID\'s VLAN under the rule\'s tag and Session-Timeout; another SSID another VLAN or a Reject', async () => {
    const corp = await alicePeap(serve.port, 'corp-wifi');
    assert.ok(corp.success, corp.stdout.slice(-4000));
    const accept = acceptIn(corp.stdout);
    // hostap's dump of each attribute: its number, name and value (the tagged ones in hex: tag, then the value).
    assertVlanDump(accept, 1, '100');
    assert.match(accept, /Attribute 27 \(Session-Timeout\) length=6\s+Value: 3600/, accept.slice(0, 3000));
    assert.equal(corp.mppeKeysOk, 1, 'the MPPE keys still match eapol_test\'s MSK');
    const lab = await alicePeap(serve.port, 'lab-wifi');
    assert.ok(lab.success, lab.stdout.slice(-4000));
    assertVlanDump(acceptIn(lab.stdout), 2, '200');
    const guest = await alicePeap(serve.port, 'guest-wifi');
    assert.equal(guest.success, false, guest.stdout.slice(-4000));
    assert.match(guest.stdout, /\(Access-Reject\)/);
    await serve.logged(/identity="anonymous" method=peap outcome=reject[^\n]*the policy's rule 0 rejects/);
  });

  it('FreeRADIUS 3.2 proxying to serve decodes the tagged attributes as sent', async () => {
    const proxy = await startFreeRadius({ secret: SECRET, users: [], debug: true,
      proxyTo: { realm: 'corp.test', port: serve.port, secret: SECRET } });
    try {
      await papThroughProxy(proxy);
    } finally {
      await proxy.stop();
    }
  });
});

/** radclient PAP as carol@corp.test to a FreeRADIUS that proxies corp.test to serve: an Accept, and
 *  the PAP rule's VLAN 300 as FreeRADIUS decoded serve's reply in its debug log and passed it on. */
async function papThroughProxy(proxy: FreeRadiusInstance): Promise<string> {
  const from = proxy.log().length;
  const reply = await runRadclient(proxy.port, SECRET, 'auth', `User-Name = "carol@corp.test"\nUser-Password = "carol pa55"\n${signed}\n`, 5);
  assert.match(reply.output, /Received Access-Accept/, `${reply.output}\n${proxy.log().slice(-3000)}`);
  assert.match(reply.output, /Tunnel-Private-Group-Id(:0)? = "300"/, 'FreeRADIUS passes the VLAN on to its client');
  const log = await proxy.logUntil(from, FREERADIUS_VERDICT);
  const received = log.slice(log.indexOf('Received Access-Accept'));
  assert.match(received, /Tunnel-Type(:0)? = VLAN/, received.slice(0, 2000));
  assert.match(received, /Tunnel-Medium-Type(:0)? = IEEE-802/, received.slice(0, 2000));
  assert.match(received, /Tunnel-Private-Group-Id(:0)? = "300"/, received.slice(0, 2000));
  assert.match(received, /Acct-Interim-Interval = 60/, received.slice(0, 2000));
  return received;
}

/**
 * serve's RadSec listener (RFC 6614) with the same policy, behind FreeRADIUS 3.2 proxying to it over
 * RadSec (a TLS home server with the PKI's client certificate): the policy's attributes reach the
 * Access-Accept on TLS as they do on UDP, decoded by FreeRADIUS and passed on to radclient and
 * eapol_test.
 */
describe('serve --radsec --policy behind FreeRADIUS 3.2 proxying over RadSec', function () {
  this.timeout(90_000);
  let serve: ServeProcess;
  let dir: ReturnType<typeof makeTempDir>;
  let pki: InteropPki;
  let proxy: FreeRadiusInstance;

  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('serve-policy-radsec');
    serve = await startPolicyServe(dir.path, pki, ['--radsec', '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey,
      '--radsec-ca', pki.files.ca]);
    assert.match(serve.output(), /\(RadSec, TCP\)/, serve.output());
    proxy = await startFreeRadius({ secret: SECRET, users: [], debug: true, proxyTo: { realm: 'corp.test', port: serve.port, secret: 'radsec',
      radsec: { ca: pki.files.ca, clientCert: pki.files.clientCert, clientKey: pki.files.clientKey, clientKeyPassword: CLIENT_KEY_PASSWORD } } });
  });
  after(async () => {
    await proxy?.stop();
    await serve?.stop();
    dir?.remove();
    pki?.remove();
  });

  it('PAP: FreeRADIUS gets the PAP rule\'s VLAN over TLS and radclient sees it', async () => {
    const received = await papThroughProxy(proxy);
    assert.match(proxy.log(), new RegExp(`Proxying request to home server 127\\.0\\.0\\.1 port ${serve.port} \\(TLS\\)`),
      'FreeRADIUS proxied over TLS');
    await serve.logged(/identity="carol@corp\.test" method=pap outcome=accept/);
    assert.match(received, /Message-Authenticator/, received.slice(0, 2000));
  });

  it("eapol_test PEAP through the proxy: the SSID's VLAN under the rule's tag, Session-Timeout; guest-wifi refused", async () => {
    const corp = await alicePeap(proxy.port, 'corp-wifi', 'anonymous@corp.test');
    assert.ok(corp.success, `${corp.stdout.slice(-4000)}\n${proxy.log().slice(-3000)}`);
    const accept = acceptIn(corp.stdout);
    assertVlanDump(accept, 1, '100');
    assert.match(accept, /Attribute 27 \(Session-Timeout\) length=6\s+Value: 3600/, accept.slice(0, 3000));
    assert.equal(corp.mppeKeysOk, 1, 'the MPPE keys FreeRADIUS passed on match eapol_test\'s MSK');
    const guest = await alicePeap(proxy.port, 'guest-wifi', 'anonymous@corp.test');
    assert.equal(guest.success, false, guest.stdout.slice(-4000));
    assert.match(guest.stdout, /\(Access-Reject\)/);
    await serve.logged(/identity="anonymous@corp\.test" method=peap outcome=reject[^\n]*the policy's rule 0 rejects/);
  });
});

describe('RadiusServer policy, mab and authorize()', function () {
  this.timeout(30_000);

  it('refuses a bad policy when it is given, naming the rule and the key', async () => {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: USERS });
    const make = (policy: unknown) => () => new RadiusServer({ port: 0, secret: SECRET, authenticator, policy: policy as RadiusPolicy });
    try {
      assert.throws(make({ rules: [{}, { match: { ssid: 'x' }, reply: { vlan: 5000 } }] }),
        (error: Error) => error instanceof RangeError && /policy\.rules\[1\]\.reply\.vlan must be from 1 to 4094/.test(error.message));
      assert.throws(make({ rules: [{ match: { sid: 'x' } }] }),
        (error: Error) => error instanceof TypeError && /policy\.rules\[0\]\.match\.sid: unknown key/.test(error.message));
      assert.throws(make({ rules: [{ reply: { attributes: [{ type: 80, value: 'x' }] } }] }),
        (error: Error) => error instanceof TypeError && /rules\[0\]\.reply\.attributes\[0\]\.type: Message-Authenticator \(80\) is written by the server/.test(error.message));
      assert.throws(make({ rules: [{ reply: { attributes: [{ vendor: 311, vendorType: 16, value: 'x' }] } }] }),
        (error: Error) => error instanceof TypeError && /MS-MPPE-Send-Key is written by the server/.test(error.message));
      assert.throws(make({ rules: [{ reply: { attributes: [{ type: 79, value: 'x' }] } }] }), /EAP-Message \(79\)/);
      assert.throws(make({ rules: [{ reply: { attributes: [{ type: 24, value: 'x' }] } }] }), /State \(24\)/);
      assert.throws(make({ rules: [{ match: { method: 'pop' } }] }), /rules\[0\]\.match\.method: "pop" is not a method/);
      assert.throws(make({ rules: [{ match: { callingStationId: 'aa:bb' } }] }), /rules\[0\]\.match\.callingStationId/);
      assert.throws(make({ rules: [{ reject: true, reply: {} }] }), /rejects or replies, not both/);
      assert.throws(make({ rules: [{ reply: { vlanTag: 40, vlan: 3 } }] }), /vlanTag must be from 0 to 31/);
      assert.throws(() => new RadiusServer({ port: 0, secret: SECRET, authenticator, policy: { rules: [] }, authorize: () => undefined }),
        /policy or authorize, not both/);
      // A MAC given twice in other spellings, far apart: the first repeat, named with the device it repeats.
      const devices = Array.from({ length: 5000 }, (_, i) => ({ mac: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}` }));
      devices.push({ mac: '0200.0000.1388' }, { mac: '02-00-00-00-00-07' }, { mac: '02000000000a' });
      assert.throws(() => new RadiusServer({ port: 0, secret: SECRET, authenticator, mab: { devices } }),
        (error: Error) => error instanceof TypeError && error.message === 'mab.devices[5001].mac 02-00-00-00-00-07 is devices[7]\'s already');
    } finally {
      await authenticator.close();
    }
  });

  it('schema/serve-policy.schema.json names the keys checkPolicy takes, and no other', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'serve-policy.schema.json'), 'utf8'));
    const keys = (object: { properties: Record<string, unknown> }) => Object.keys(object.properties).sort();
    const samples: Record<string, unknown> = { user: 'u', userName: 'u', method: 'peap', nas: '10.0.0.0/8', ssid: 's',
      calledStationId: '00:11:22:33:44:55', callingStationId: 'aabb.ccdd.eeff', nasPortType: 'ethernet' };
    assert.deepEqual(keys(schema.$defs.match), Object.keys(samples).sort());
    for (const [key, value] of Object.entries(samples)) checkPolicy({ rules: [{ match: { [key]: value } }] });
    const reply: Record<string, unknown> = { vlan: 10, vlanTag: 1, sessionTimeout: 60, filterId: 'f', class: 'c', replyMessage: 'm',
      attributes: [{ type: 85, value: 60, format: 'integer', tag: 2 }, { vendor: 9, vendorType: 1, value: 'x' }] };
    assert.deepEqual(keys(schema.$defs.reply), Object.keys(reply).sort());
    assert.deepEqual(keys(schema.$defs.reply.properties.attributes.items), ['format', 'tag', 'type', 'value', 'vendor', 'vendorType']);
    checkPolicy({ rules: [{ reply }] });
    assert.deepEqual(keys(schema.properties.rules.items), ['match', 'name', 'reject', 'reply']);
    assert.throws(() => checkPolicy({ rules: [{ match: {}, answer: {} }] }), /policy\.rules\[0\]\.answer: unknown key/);
    // A rule's name: what the schema allows, checkPolicy takes; what it refuses, checkPolicy refuses.
    const name = schema.properties.rules.items.properties.name;
    checkPolicy({ rules: [{ name: 'x'.repeat(name.maxLength), reply }] });
    assert.throws(() => checkPolicy({ rules: [{ name: 'x'.repeat(name.maxLength + 1) }] }), /policy\.rules\[0\]\.name must be 1 to 64/);
    assert.throws(() => checkPolicy({ rules: [{ name: '' }] }), /policy\.rules\[0\]\.name must be 1 to 64/);
    assert.throws(() => checkPolicy({ rules: [{ name: 'a\u001bb' }] }), /none a control character/);
    assert.doesNotMatch('a\u001bb', new RegExp(name.pattern, 'u'));
    assert.throws(() => checkPolicy({ rules: [{ name: 'staff' }, { name: 'staff' }] }), /policy\.rules\[1\]\.name "staff" names an earlier rule too/);
  });

  /** A RadiusServer whose authorize() is `authorize`, for one radclient PAP request from bob. */
  async function papWith(authorize: (request: AuthorizeRequest) => AuthorizeResult | Promise<AuthorizeResult>,
    expect: 'Access-Accept' | 'Access-Reject'): Promise<{ output: string; seen: AuthorizeRequest[] }> {
    const seen: AuthorizeRequest[] = [];
    const authenticator = await createAuthenticator({ methods: ['md5'], users: USERS, lookupTimeoutMs: 300,
      authorize: (request) => { seen.push(request); return authorize(request); } });
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, pap: true });
    try {
      const { port } = await server.listen();
      const reply = await radclient(port, ['User-Name = "bob"', 'User-Password = "bob pa55"', 'NAS-Identifier = "sw1"',
        'Called-Station-Id = "00:11:22:33:44:55:corp-wifi"', 'Calling-Station-Id = "02-00-00-00-00-01"', 'NAS-Port-Type = Ethernet',
        signed, `Response-Packet-Type = ${expect}`]);
      assert.equal(reply.code, 0, reply.output);
      assert.match(reply.output, new RegExp(`Received ${expect}`), reply.output);
      return { output: reply.output, seen };
    } finally {
      await server.close();
      await authenticator.close();
    }
  }

  it('authorize() sees the request and its reply goes out: VLAN, Filter-Id, Class, a VSA', async () => {
    const { output, seen } = await papWith(() => ({ vlan: '120', filterId: 'acl-1', class: 'c1',
      attributes: [{ vendor: 14122, vendorType: 1, value: 'loc' }] }), 'Access-Accept');
    assert.deepEqual(seen.map(({ user, method, nasIdentifier, ssid, callingStationId, nasPortType }) =>
      ({ user, method, nasIdentifier, ssid, callingStationId, nasPortType })),
    [{ user: 'bob', method: 'pap', nasIdentifier: 'sw1', ssid: 'corp-wifi', callingStationId: '02-00-00-00-00-01', nasPortType: 15 }]);
    assert.match(output, /Tunnel-Private-Group-Id(:0)? = "120"/, output);
    assert.match(output, /Filter-Id = "acl-1"/, output);
    assert.match(output, /Class = 0x6331/, output);
    assert.match(output, /WISPr-Location-ID = "loc"/, output);
  });

  it('authorize() that rejects, throws, gives no reply or answers too late rejects that request alone', async () => {
    await papWith(() => ({ reject: true }), 'Access-Reject');
    await papWith(() => { throw new Error('policy database down'); }, 'Access-Reject');
    await papWith(() => Promise.reject(new Error('later')), 'Access-Reject');
    await papWith(() => ({ vlan: 99999 }), 'Access-Reject');
    await papWith(() => ({ attributes: [{ type: 80, value: 'forged' }] }), 'Access-Reject');
    await papWith(() => new Promise<AuthorizeResult>((resolve) => setTimeout(() => resolve(undefined), 2000)), 'Access-Reject');
    await papWith(() => undefined, 'Access-Accept');
  });
});
