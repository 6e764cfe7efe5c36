/**
 * `eaphost serve --interface IF --policy FILE`: the embedded authenticator's port has no RADIUS
 * reply, so the policy's word shows in what the port does (a rule that rejects turns a right
 * password into wpa_supplicant's CTRL-EVENT-EAP-FAILURE) and in the outcome it prints: the VLAN,
 * Session-Timeout and the attributes a RADIUS server would have sent, as native/radius encodes them.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { makeWiredLink, WiredLink } from '../support/netns';
import { makeTempDir, quoteConfigString } from '../support/programs';
import { eventFor, runWpaSupplicant, servePort, someone } from '../support/wired-8021x';

describe('serve --interface --policy: what the port would send, and its refusals', function () {
  this.timeout(120_000);
  let pki: InteropPki;
  let dir: { path: string; remove(): void };
  let link: WiredLink;
  let port: Awaited<ReturnType<typeof servePort>>;
  const alice = someone();
  const bob = someone();

  const peap = (user: { identity: string; password: string }): string[] => [
    'eap=PEAP', `identity=${quoteConfigString(user.identity)}`, `password=${quoteConfigString(user.password)}`,
    `ca_cert="${pki.files.ca}"`, `domain_match="${SERVER_NAME}"`, 'phase2="auth=MSCHAPV2"',
  ];

  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('eapol-policy');
    link = await makeWiredLink();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [alice.identity]: { password: alice.password }, [bob.identity]: { password: bob.password } }));
    const policy = join(dir.path, 'policy.json');
    writeFileSync(policy, JSON.stringify({ rules: [
      { match: { user: alice.identity, method: 'peap', nasPortType: 'ethernet' }, reply: { vlan: 100, vlanTag: 1, sessionTimeout: 3600, filterId: 'staff' } },
      { match: { user: bob.identity }, reject: true },
    ] }));
    port = await servePort(link, ['--users', users, '--methods', 'peap,mschapv2', '--cert', pki.files.serverCert,
      '--key', pki.files.serverKey, '--policy', policy]);
  });
  after(async () => {
    await port?.stop();
    await link?.remove();
    pki?.remove();
    dir?.remove();
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

  it('a rule that rejects: the supplicant with the right password gets EAP-Failure, and the outcome says why', async () => {
    const mac = await link.newSupplicantAddress();
    const run = await runWpaSupplicant(link.supplicant.ns, link.supplicant.ifname, peap(bob));
    assert.equal(run.outcome, 'failure', run.log.slice(-3000));
    const event = await eventFor(port, (e) => e.event === 'unauthorized' && e.supplicant === mac);
    assert.match(event.reason ?? '', /the policy's rule 1 rejects/);
  });
});
