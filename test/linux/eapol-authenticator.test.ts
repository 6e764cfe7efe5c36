/**
 * Our authenticator port on the wire (`eaphost serve --interface`), against wpa_supplicant -Dwired
 * in another network namespace: on the embedded authenticator (PEAP-MSCHAPv2, two supplicants on
 * one port told apart; with --policy, whose refusal the supplicant sees as EAP-Failure and whose
 * reply the outcome lists as a RADIUS server would send it) and passing EAP through to FreeRADIUS as a switch does. FreeRADIUS only
 * accepts when the Access-Request carries NAS-Port-Type Ethernet, the supplicant's MAC as
 * Calling-Station-Id, the port's as Called-Station-Id and the interface as NAS-Port-Id (check
 * items), and its VLAN, Session-Timeout and Filter-Id must come out in our event.
 */
import { strict as assert } from 'node:assert';
import { randomBytes, randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { makeWiredLink, WiredLink } from '../support/netns';
import { makeTempDir, quoteConfigString } from '../support/programs';
import { eventFor, runWpaSupplicant, servePort, someone } from '../support/wired-8021x';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';

describe('802.1X authenticator port on the wire: eaphost serve --interface against wpa_supplicant -Dwired', function () {
  this.timeout(120_000);
  let pki: InteropPki;
  let dir: { path: string; remove(): void };

  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('eapol-port');
  });
  after(() => {
    pki?.remove();
    dir?.remove();
  });

  const peap = (user: { identity: string; password: string }): string[] => [
    'eap=PEAP', `identity=${quoteConfigString(user.identity)}`, `password=${quoteConfigString(user.password)}`,
    `ca_cert="${pki.files.ca}"`, `domain_match="${SERVER_NAME}"`, 'phase2="auth=MSCHAPV2"',
  ];

  /** A wired link and `serve --interface` on the embedded authenticator (PEAP, MSCHAPv2) for `users`, with `extra` flags. */
  async function embeddedPort(name: string, users: { identity: string; password: string }[], extra: string[] = []):
      Promise<{ link: WiredLink; port: Awaited<ReturnType<typeof servePort>> }> {
    const link = await makeWiredLink();
    const file = join(dir.path, name);
    writeFileSync(file, JSON.stringify(Object.fromEntries(users.map((user) => [user.identity, { password: user.password }]))));
    const port = await servePort(link, ['--users', file, '--methods', 'peap,mschapv2', '--cert', pki.files.serverCert,
      '--key', pki.files.serverKey, ...extra]);
    return { link, port };
  }

  describe('the embedded authenticator', () => {
    let link: WiredLink;
    let port: Awaited<ReturnType<typeof servePort>>;
    const alice = someone();
    const bob = someone();

    before(async () => {
      ({ link, port } = await embeddedPort('users.json', [alice, bob]));
    });
    after(async () => {
      await port?.stop();
      await link?.remove();
    });

    it('authorizes PEAP-MSCHAPv2 (CTRL-EVENT-EAP-SUCCESS) and says who and how', async () => {
      const mac = await link.newSupplicantAddress();
      const run = await runWpaSupplicant(link.supplicant.ns, link.supplicant.ifname, peap(alice));
      assert.equal(run.outcome, 'success', run.log.slice(-3000) + port.log().slice(-2000));
      const event = await eventFor(port, (e) => e.event === 'authorized' && e.supplicant === mac);
      assert.equal(event.identity, alice.identity);
      assert.equal(event.method, 25);
    });

    it('refuses a wrong password (CTRL-EVENT-EAP-FAILURE), and says unauthorized', async () => {
      const mac = await link.newSupplicantAddress();
      const run = await runWpaSupplicant(link.supplicant.ns, link.supplicant.ifname, peap({ ...alice, password: `${alice.password}x` }));
      assert.equal(run.outcome, 'failure', run.log.slice(-3000));
      const event = await eventFor(port, (e) => e.event === 'unauthorized' && e.supplicant === mac);
      assert.equal(event.identity, alice.identity);
    });

    it('tracks two supplicants on one port apart', async () => {
      // Two macvlan stations over the link, each with its own MAC (the lower interface would see
      // the other's unicast frames too, as a hub port would).
      const [first, second] = [await link.addStation(), await link.addStation()];
      const [one, two] = await Promise.all([
        runWpaSupplicant(link.supplicant.ns, first.ifname, peap(alice)),
        runWpaSupplicant(link.supplicant.ns, second.ifname, peap(bob)),
      ]);
      assert.equal(one.outcome, 'success', one.log.slice(-2000));
      assert.equal(two.outcome, 'success', two.log.slice(-2000) + port.log());
      const forFirst = await eventFor(port, (e) => e.event === 'authorized' && e.supplicant === first.mac);
      assert.equal(forFirst.identity, alice.identity);
      const forSecond = await eventFor(port, (e) => e.event === 'authorized' && e.supplicant === second.mac);
      assert.equal(forSecond.identity, bob.identity);
    });
  });

  describe('the embedded authenticator with --policy: what the port would send, and its refusals', () => {
    let link: WiredLink;
    let port: Awaited<ReturnType<typeof servePort>>;
    const alice = someone();
    const bob = someone();

    before(async () => {
      const policy = join(dir.path, 'policy.json');
      writeFileSync(policy, JSON.stringify({ rules: [
        { match: { user: alice.identity, method: 'peap', nasPortType: 'ethernet' },
          reply: { vlan: 100, vlanTag: 1, sessionTimeout: 3600, filterId: 'staff' } },
        { match: { user: bob.identity }, reject: true },
      ] }));
      ({ link, port } = await embeddedPort('policy-users.json', [alice, bob], ['--policy', policy]));
    });
    after(async () => {
      await port?.stop();
      await link?.remove();
    });

    it('a rule\'s reply: the outcome carries the VLAN, Session-Timeout, Filter-Id and the tagged attributes as RADIUS would send them', async () => {
      const mac = await link.newSupplicantAddress();
      const run = await runWpaSupplicant(link.supplicant.ns, link.supplicant.ifname, peap(alice));
      assert.equal(run.outcome, 'success', run.log.slice(-3000) + port.log().slice(-2000));
      const event = await eventFor(port, (e) => e.event === 'authorized' && e.supplicant === mac) as
        Awaited<ReturnType<typeof eventFor>> & { replyAttributes?: { type: number; value: string }[]; tunnelType?: number };
      assert.equal(event.vlan, '100');
      assert.equal(event.sessionTimeout, 3600);
      assert.equal(event.filterId, 'staff');
      assert.equal(event.tunnelType, 13);
      assert.deepEqual(event.replyAttributes, [
        { type: 64, value: '0100000d' }, { type: 65, value: '01000006' }, { type: 81, value: Buffer.from('\x01100').toString('hex') },
        { type: 27, value: '00000e10' }, { type: 11, value: Buffer.from('staff').toString('hex') },
      ]);
    });

    it('a rule that rejects: the port stays unauthorized for the right password, and the outcome says why', async () => {
      const mac = await link.newSupplicantAddress();
      // The port sends EAP-Failure; wpa_supplicant's PEAP, whose tunnel already said success
      // (Result TLV), ignores it (RFC 4137's UNCOND_SUCC) and waits: never CTRL-EVENT-EAP-SUCCESS.
      const run = await runWpaSupplicant(link.supplicant.ns, link.supplicant.ifname, peap(bob), 6000);
      assert.notEqual(run.outcome, 'success', run.log.slice(-3000));
      assert.match(run.log, /EAP-TLV: TLV Result - Success/, 'the inner authentication itself succeeded');
      const event = await eventFor(port, (e) => e.event === 'unauthorized' && e.supplicant === mac);
      assert.match(event.reason ?? '', /the policy's rule 1 rejects/);
    });
  });

  describe('pass-through to FreeRADIUS, as a switch', () => {
    let link: WiredLink;
    let port: Awaited<ReturnType<typeof servePort>>;
    let radius: FreeRadiusInstance | undefined;
    const user = someone();
    const vlan = String(randomInt(2, 4094));
    const filterId = `acl-${randomBytes(3).toString('hex')}`;
    const secret = randomBytes(12).toString('hex');
    let portMac: string;
    let supplicantMac: string;

    before(async () => {
      link = await makeWiredLink();
      supplicantMac = await link.newSupplicantAddress();
      portMac = await link.newAuthenticatorAddress();
      const station = (mac: string): string => `"${mac.toUpperCase().replace(/:/g, '-')}"`;
      radius = await startFreeRadius({
        secret, netns: link.authenticator.ns,
        users: [{
          ...user,
          check: ['NAS-Port-Type == Ethernet', `Calling-Station-Id == ${station(supplicantMac)}`,
            `Called-Station-Id == ${station(portMac)}`, `NAS-Port-Id == "${link.authenticator.ifname}"`],
          reply: ['Tunnel-Type = VLAN', 'Tunnel-Medium-Type = IEEE-802', `Tunnel-Private-Group-Id = "${vlan}"`,
            'Session-Timeout = 3600', `Filter-Id = "${filterId}"`],
        }],
      });
      const secretFile = join(dir.path, 'secret');
      writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
      port = await servePort(link, ['--radius', `127.0.0.1:${radius.port}`, '--secret-file', secretFile, '--timeout', '3000']);
      assert.equal(port.events().find((e) => e.event === 'listening')?.address, portMac);
    });
    after(async () => {
      await port?.stop();
      await radius?.stop();
      await link?.remove();
    });

    const md5 = (password: string): string[] =>
      ['eap=MD5', `identity=${quoteConfigString(user.identity)}`, `password=${quoteConfigString(password)}`];

    it('authorizes the supplicant with the VLAN, Session-Timeout and Filter-Id FreeRADIUS sent', async () => {
      const run = await runWpaSupplicant(link.supplicant.ns, link.supplicant.ifname, md5(user.password));
      assert.equal(run.outcome, 'success', run.log.slice(-2000) + radius!.log().slice(-3000));
      const event = await eventFor(port, (e) => e.event === 'authorized' && e.supplicant === supplicantMac);
      assert.equal(event.identity, user.identity);
      assert.equal(event.method, 4);
      assert.equal(event.vlan, vlan);
      assert.equal(event.sessionTimeout, 3600);
      assert.equal(event.filterId, filterId);
    });

    it('refuses a wrong password', async () => {
      const run = await runWpaSupplicant(link.supplicant.ns, link.supplicant.ifname, md5(`${user.password}x`));
      assert.equal(run.outcome, 'failure', run.log.slice(-2000));
      await eventFor(port, (e) => e.event === 'unauthorized' && e.supplicant === supplicantMac);
    });
  });
});
