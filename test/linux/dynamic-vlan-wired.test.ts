/**
 * `serve --policy` behind a NAS that enforces dynamic VLANs (RFC 3580 §3.31): hostapd driver=wired
 * on a veth pair between two network namespaces this test makes, with `dynamic_vlan=2` (an
 * Access-Accept must name a VLAN) and its RADIUS client pointed at `eaphost serve`, which runs in
 * the authenticator's namespace; wpa_supplicant -Dwired authenticates with EAP-MD5 through it.
 * hostapd is the judge: its log and its control interface's STA command say whether it authorized
 * the station and on which VLAN.
 *
 * hostapd applies the VLAN check for every driver (ieee802_1x_update_vlan, on each Access-Accept)
 * and takes a VLAN only if its vlan_file lists it. The wired driver cannot create a VLAN's
 * interface itself (it has no if_add, so a wildcard `*` entry fails: "could not add dynamic VLAN
 * interface"), and kernels without 802.1Q (this test's VM among them) cannot make `IF.100` either:
 * each VLAN's port is therefore a veth the test makes in the authenticator's namespace, listed in
 * vlan_file; hostapd's full dynamic VLAN code puts it in a bridge brvlanN. The wired driver has no
 * set_sta_vlan: the VLAN hostapd assigns is its decision (vlan_id in STA), no frame is tagged.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RadiusPolicy } from '../../lib/radius/policy';
import { secretFlag } from '../support/cli-run';
import { ServeProcess, startEaphostServeIn } from '../support/eaphost-serve';
import { makeWiredLink, WiredLink } from '../support/netns';
import { Daemon, findProgram, makeTempDir, runProgram } from '../support/programs';
import { hostapdStation, md5Network, startWiredHostapd, startWiredSupplicant } from '../support/wired-8021x';

const NAS_IDENTIFIER = 'eaphost-wired';
const password = (): string => randomBytes(9).toString('base64');
const USERS = { staff: password(), lab: password(), contractor: password(), visitor: password() };

/** staff → VLAN 100 (only from this NAS), lab → 200, contractor → an Accept with no VLAN, visitor → a VLAN hostapd does not have. */
const POLICY: RadiusPolicy = {
  rules: [
    { match: { user: 'staff', nas: NAS_IDENTIFIER }, reply: { vlan: 100 } },
    { match: { user: 'lab' }, reply: { vlan: '200', sessionTimeout: 3600 } },
    { match: { user: 'contractor' }, reply: { sessionTimeout: 600, filterId: 'contractors' } },
    { match: { user: 'visitor' }, reply: { vlan: 300 } },
  ],
};

describe('serve --policy behind hostapd (driver=wired, dynamic_vlan=2): the VLAN decides the port', function () {
  this.timeout(120_000);
  const secret = randomBytes(12).toString('hex');
  let files: { path: string; remove(): void };
  let link: WiredLink;
  let serve: ServeProcess;
  let hostapd: Daemon;
  let supplicant: Daemon | undefined;
  const hostapdControl = (): string => join(files.path, 'hostapd-ctrl');

  before(async () => {
    findProgram(['wpa_supplicant'], 'wpasupplicant');
    files = makeTempDir('dynamic-vlan-wired');
    const file = (name: string, text: string): string => {
      writeFileSync(join(files.path, name), text, { mode: 0o600 });
      return join(files.path, name);
    };
    link = await makeWiredLink();
    const ip = findProgram(['ip'], 'iproute2');
    for (const vlan of [100, 200]) {
      const made = await runProgram(ip, ['-n', link.authenticator.ns, 'link', 'add', `vlan${vlan}`, 'type', 'veth', 'peer', 'name', `vlan${vlan}-peer`]);
      assert.equal(made.code, 0, made.stderr);
    }
    const users = Object.fromEntries(Object.entries(USERS).map(([identity, secretWord]) => [identity, { password: secretWord }]));
    serve = await startEaphostServeIn(link.authenticator.ns, [...secretFlag('secret', secret), '--users', file('users.json', JSON.stringify(users)),
      '--methods', 'md5', '--policy', file('policy.json', JSON.stringify(POLICY)), '--log']);
    hostapd = await startWiredHostapd({
      ns: link.authenticator.ns, ifname: link.authenticator.ifname, radius: { host: '127.0.0.1', port: serve.port, secret },
      extraConfig: [`ctrl_interface=${hostapdControl()}`, 'dynamic_vlan=2', `vlan_file=${file('vlans', '100 vlan100\n200 vlan200\n')}`],
    });
  });
  after(async () => {
    await supplicant?.stop();
    await hostapd?.stop();
    await serve?.stop();
    await link?.remove();
    files?.remove();
  });

  /** `identity` authenticates as a new station; hostapd's verdict on it (the log from the start of it, and its STA view). */
  async function authenticate(identity: keyof typeof USERS): Promise<{ station: string; log: string; sta: Record<string, string> | null }> {
    await supplicant?.stop();
    supplicant = undefined;
    const station = await link.newSupplicantAddress();
    const mark = hostapd.log().length;
    supplicant = await startWiredSupplicant(link.supplicant.ns, link.supplicant.ifname, join(files.path, 'wpa-ctrl'),
      md5Network({ identity, password: USERS[identity] }), 'CTRL-EVENT-EAP-STARTED');
    const verdict = new RegExp(`STA ${station} IEEE 802\\.1X: (authorizing port|authentication failed)`);
    await hostapd.logUntil(mark, verdict, 15_000);
    // serve answered with an Access-Accept in every case: a refusal is hostapd's.
    const accepted = new RegExp(`identity="${identity}" method=md5 outcome=accept`);
    await serve.logged(accepted, 1, 5000);
    return { station, log: hostapd.log().slice(mark), sta: await hostapdStation(hostapdControl(), link.authenticator.ifname, station) };
  }

  it("an Accept with the rule's VLAN: hostapd authorizes the station on that VLAN, another user on another", async () => {
    const staff = await authenticate('staff');
    assert.match(staff.log, new RegExp(`STA ${staff.station} RADIUS: VLAN ID 100\\n`), staff.log.slice(-4000));
    assert.ok(staff.sta, `hostapd lists ${staff.station}`);
    assert.match(staff.sta.flags, /\[AUTHORIZED\]/);
    assert.equal(staff.sta.vlan_id, '100');
    assert.equal(staff.sta.dot1xAuthSessionUserName, 'staff');
    const lab = await authenticate('lab');
    assert.match(lab.log, new RegExp(`STA ${lab.station} RADIUS: VLAN ID 200\\n`), lab.log.slice(-4000));
    assert.match(lab.sta?.flags ?? '', /\[AUTHORIZED\]/, JSON.stringify(lab.sta));
    assert.equal(lab.sta?.vlan_id, '200');
  });

  it('an Accept without a VLAN: hostapd refuses the station ("did not include required VLAN ID")', async () => {
    const contractor = await authenticate('contractor');
    assert.match(contractor.log, new RegExp(`STA ${contractor.station} IEEE 802\\.1X: authentication server did not include required VLAN ID in Access-Accept`),
      contractor.log.slice(-4000));
    assert.match(contractor.log, new RegExp(`STA ${contractor.station} IEEE 802\\.1X: authentication failed`));
    assert.doesNotMatch(contractor.log, new RegExp(`STA ${contractor.station} IEEE 802\\.1X: authorizing port`));
    assert.doesNotMatch(contractor.sta?.flags ?? '', /\[AUTHORIZED\]/, JSON.stringify(contractor.sta));
  });

  it("an Accept with a VLAN hostapd's vlan_file does not list: refused as invalid", async () => {
    const visitor = await authenticate('visitor');
    assert.match(visitor.log, new RegExp(`STA ${visitor.station} RADIUS: Invalid VLAN 300 received from RADIUS server`), visitor.log.slice(-4000));
    assert.doesNotMatch(visitor.log, new RegExp(`STA ${visitor.station} IEEE 802\\.1X: authorizing port`));
    assert.doesNotMatch(visitor.sta?.flags ?? '', /\[AUTHORIZED\]/, JSON.stringify(visitor.sta));
  });
});
