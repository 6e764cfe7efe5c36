/**
 * Wine prefix only (.mocharc.win32.json): connecting through Native Wifi to a network that answers.
 * The prefix's wlanapi.dll is the stand-in (test/standins/wlanapi/), which lists one interface
 * while EAPHOST_WLAN_STANDIN names its network file; its WlanConnect runs a real PEAP-MSCHAPv2
 * conversation between the System32 EAPHost (the stand-in eappprxy.dll over the registered
 * eap_methods.dll) and the embedded authenticator, and reports it as Windows' ACM and ONEX
 * notifications. The judges are the authenticator's own verdict (its users, its certificate)
 * and the peer's refusal of a CA it was not told to trust, read back through the addon's
 * decoding of the notification blobs.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { binding } from '../../../lib/native';
import { authenticatorConnectionData } from '../../../lib/core/connection-data';
import { createEphemeralCa, processEphemeralCa } from '../../../lib/core/ephemeral-ca';
import { recordAnswer } from '../../../lib/core/users';
import { connectWlan } from '../../../lib/profile/connect/wlan';
import type { ConnectEvent } from '../../../lib/profile/connect/outcome';
import { shippedConfigXml, shippedCredentialsXml } from '../../../lib/profile/shipped-config';
import { writeWindowsProfiles } from '../../../lib/profile/windows-profile';
import { methodModuleFor } from '../../../lib/session/builtin';
import { randomCredentials, requireWindows } from '../support';

const INTERFACE_GUID = '{5EA1D0E5-0000-4000-8000-0000000057A1}';
const TIMEOUT_MS = 20_000;
// The peer's own verdicts, as the shipped methods give them through EAPHost (eaptypes.h, winerror.h).
const EAP_E_USER_NAME_PASSWORD_REJECTED = 0x8042_0112;
const EAP_E_SERVER_ROOT_CERT_NOT_FOUND = 0x8042_0400;
const ERROR_AUTHENTICATION_FAILURE = 691;  // MS-CHAPv2's E=691 from the authenticator
const CERT_E_UNTRUSTEDROOT = 0x800b_0109;
const ONEX_EAP_FAILURE_RECEIVED = 0x5_0005;

function codeValues(outcome: { codes: { source: string; value: number | string }[] }, source: string): number[] {
  return outcome.codes.filter((code) => code.source === source).map((code) => (code.value as number) >>> 0);
}

describe('connecting through the stand-in Native Wifi (Wine prefix)', function () {
  let dir: string;
  let identity: string;
  let password: string;

  before(function () {
    requireWindows();
    assert.equal(process.env.EAPHOST_WINE, '1', 'needs the stand-in wlanapi.dll: only ever run in the Wine lane');
    dir = mkdtempSync(path.join(tmpdir(), 'eaphost-wlan-standin-'));
    ({ identity, password } = randomCredentials());
    const ephemeral = processEphemeralCa();
    const { path: modulePath, methodType } = methodModuleFor('peap');
    assert.ok(methodType, 'the shipped PEAP has its method type');
    const { type, vendorId, vendorType, authorId } = methodType;
    const network = path.join(dir, 'network.txt');
    writeFileSync(network, [
      `interface ${INTERFACE_GUID} eaphost stand-in WLAN adapter`,
      `method ${type} ${vendorId} ${vendorType} ${authorId} ${modulePath}`,
      `connection-data ${authenticatorConnectionData('peap', { cert: ephemeral.server.cert, key: ephemeral.server.key }).toString('hex')}`,
      `user ${recordAnswer(identity, { password }).toString('hex')}`,
      '',
    ].join('\n'));
    process.env.EAPHOST_WLAN_STANDIN = network;
  });

  after(function () {
    delete process.env.EAPHOST_WLAN_STANDIN;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Installs a Wi-Fi profile naming the shipped PEAP (trusting `ca`) with `secret` as the
   *  user's password, then connects to it by name, as a service would. */
  async function attempt(options: { secret: string; ca?: string }) {
    const ephemeral = processEphemeralCa();
    const name = `eaphost-${randomCredentials().identity}`;
    const profile = writeWindowsProfiles({ version: 1, networks: [{ type: 'wifi', ssid: name }], eap: [{ method: 'mschapv2' }],
      credentials: { identity, password: options.secret } }).documents[0];
    const config = shippedConfigXml('peap', { ca: options.ca ?? ephemeral.ca, serverName: ephemeral.serverName })
      .replace(/^<\?xml[^>]*\?>\s*/, '');
    const profileXml = profile.text.replace(/<EapHostConfig[\s\S]*<\/EapHostConfig>/, config);
    assert.notEqual(profileXml, profile.text, 'the profile names the shipped PEAP');
    const interfaces = await binding.wlanSetProfile({ profileXml, profileName: profile.name,
      eapUserDataXml: shippedCredentialsXml('peap', { identity, password: options.secret }) });
    assert.deepEqual(interfaces.map((wlan) => wlan.guid), [INTERFACE_GUID]);
    const events: ConnectEvent[] = [];
    const outcome = await connectWlan({ name: profile.name, timeoutMs: TIMEOUT_MS, onEvent: (event) => events.push(event) });
    assert.equal(outcome.via, 'wlan');
    assert.ok(outcome.elapsedMs < TIMEOUT_MS, `ended by connection_complete, not the timeout (${outcome.elapsedMs} ms)`);
    return { outcome, events };
  }

  it('the right password: connected, the authenticator having accepted it', async function () {
    const { outcome, events } = await attempt({ secret: password });
    assert.equal(outcome.connected, true, JSON.stringify(outcome));
    assert.equal(outcome.category, 'connected');
    assert.deepEqual(outcome.codes.filter((code) => code.source === 'eap-error'), []);
    assert.ok(events.some((event) => event.state === '802.1x-started'), JSON.stringify(events));
  });

  it('a wrong password: credentials-rejected, with the EAP method\'s EAP_E code kept', async function () {
    const { outcome } = await attempt({ secret: `${password}-wrong` });
    assert.equal(outcome.connected, false);
    assert.equal(outcome.category, 'credentials-rejected', JSON.stringify(outcome));
    assert.deepEqual(codeValues(outcome, 'eap-error'), [EAP_E_USER_NAME_PASSWORD_REJECTED]);
    assert.deepEqual(codeValues(outcome, 'win32'), [ERROR_AUTHENTICATION_FAILURE]);
    // The authenticator ended it with an EAP-Failure: the stand-in says so in 802.1X's words.
    assert.deepEqual(codeValues(outcome, 'onex-reason'), [ONEX_EAP_FAILURE_RECEIVED]);
  });

  it('a server certificate from a CA the profile does not trust: server-untrusted', async function () {
    const { outcome } = await attempt({ secret: password, ca: createEphemeralCa().ca });
    assert.equal(outcome.connected, false);
    assert.equal(outcome.category, 'server-untrusted', JSON.stringify(outcome));
    assert.deepEqual(codeValues(outcome, 'eap-error'), [EAP_E_SERVER_ROOT_CERT_NOT_FOUND]);
    assert.deepEqual(codeValues(outcome, 'win32'), [CERT_E_UNTRUSTEDROOT]);
  });
});
