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
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { binding } from '../../../lib/native';
import { authenticatorConnectionData } from '../../../lib/core/connection-data';
import { createEphemeralCa, processEphemeralCa } from '../../../lib/core/ephemeral-ca';
import { recordAnswer } from '../../../lib/core/users';
import { connect } from '../../../lib/profile/connect';
import { connectWlan } from '../../../lib/profile/connect/wlan';
import type { ConnectEvent } from '../../../lib/profile/connect/outcome';
import { ProfileError } from '../../../lib/profile/network-profile';
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
const ONEX_AUTH_FAILURE = 4;  // ONEX_AUTH_STATUS OneXAuthFailure (dot1x.h)
// WlanConnect's wlan_connection_mode_profile, WlanQueryInterface's wlan_intf_opcode_current_connection (wlanapi.h).
const MODE_PROFILE = 0;
const OPCODE_CURRENT_CONNECTION = 7;
// An attempt that ends only by the timeout, kept short: the already-connected case waits for it.
const SHORT_TIMEOUT_MS = 3_000;

function codeValues(outcome: { codes: { source: string; value: number | string }[] }, source: string): number[] {
  return outcome.codes.filter((code) => code.source === source).map((code) => (code.value as number) >>> 0);
}

describe('connecting through the stand-in Native Wifi (Wine prefix)', function () {
  let dir: string;
  let identity: string;
  let password: string;
  let files = 0;

  /** Names a new network file to the stand-in: the authenticator over the shipped `method` with
   *  the one user, and `extra` lines (its scripts); returns the record file it will append to. */
  function useNetwork(options: { method?: 'peap' | 'md5'; extra?: string[] } = {}): string {
    const method = options.method ?? 'peap';
    const ephemeral = processEphemeralCa();
    const { path: modulePath, methodType } = methodModuleFor(method);
    assert.ok(methodType, `the shipped ${method} has its method type`);
    const { type, vendorId, vendorType, authorId } = methodType;
    files += 1;
    const network = path.join(dir, `network-${files}.txt`);
    const record = path.join(dir, `record-${files}.txt`);
    writeFileSync(network, [
      `interface ${INTERFACE_GUID} eaphost stand-in WLAN adapter`,
      `method ${type} ${vendorId} ${vendorType} ${authorId} ${modulePath}`,
      ...(method === 'peap'
        ? [`connection-data ${authenticatorConnectionData('peap', { cert: ephemeral.server.cert, key: ephemeral.server.key }).toString('hex')}`]
        : []),
      `user ${recordAnswer(identity, { password }).toString('hex')}`,
      `record ${record}`,
      ...(options.extra ?? []),
      '',
    ].join('\n'));
    process.env.EAPHOST_WLAN_STANDIN = network;
    return record;
  }

  /** The calls the stand-in recorded, one line each ([] when it was made none). */
  function recorded(record: string): string[] {
    return existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((line) => line !== '') : [];
  }

  before(function () {
    requireWindows();
    assert.equal(process.env.EAPHOST_WINE, '1', 'needs the stand-in wlanapi.dll: only ever run in the Wine lane');
    dir = mkdtempSync(path.join(tmpdir(), 'eaphost-wlan-standin-'));
    ({ identity, password } = randomCredentials());
    useNetwork();
  });

  after(function () {
    delete process.env.EAPHOST_WLAN_STANDIN;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Installs a Wi-Fi profile named `name` (default: a new one) naming the shipped PEAP (trusting
   *  `ca`) with `secret` as the user's password, then connects to it by name, as a service would. */
  async function attempt(options: { secret: string; ca?: string; name?: string; timeoutMs?: number }) {
    const ephemeral = processEphemeralCa();
    const name = options.name ?? `eaphost-${randomCredentials().identity}`;
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
    const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    const outcome = await connectWlan({ name: profile.name, timeoutMs, onEvent: (event) => events.push(event) });
    assert.equal(outcome.via, 'wlan');
    if (timeoutMs === TIMEOUT_MS) assert.ok(outcome.elapsedMs < TIMEOUT_MS, `ended by connection_complete, not the timeout (${outcome.elapsedMs} ms)`);
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

  it('credentials without install: refused before any WLAN call; with install, set as the saved profile\'s user data', async function () {
    const record = useNetwork({ method: 'md5' });
    const ssid = `eaphost-${randomCredentials().identity}`;
    const profile = { version: 1 as const, networks: [{ type: 'wifi' as const, ssid }], eap: [{ method: 'md5' as const }],
      credentials: { identity, password } };
    await assert.rejects(connect({ profile, timeoutMs: TIMEOUT_MS }),
      (error: Error) => error instanceof ProfileError && /install/.test(error.message));
    assert.deepEqual(recorded(record), [], 'the refusal came before Windows was asked anything');

    const outcome = await connect({ profile, install: true, timeoutMs: TIMEOUT_MS });
    const calls = recorded(record);
    // The calling user's credentials (flags 0) for the profile just saved, before the connection by its name.
    const saved = calls.indexOf(`WlanSetProfile 0 ${ssid}`);
    const userData = calls.indexOf(`WlanSetProfileEapXmlUserData 0 ${ssid}`);
    const connected = calls.indexOf(`WlanConnect ${MODE_PROFILE} ${ssid}`);
    assert.ok(saved >= 0 && userData > saved && connected > userData, calls.join('\n'));
    assert.equal(calls.filter((line) => line.startsWith('WlanSetProfileEapXmlUserData')).length, 1, calls.join('\n'));
    // The authenticator knows the user's password: only the credentials set there can have answered it.
    assert.equal(outcome.category, 'connected', JSON.stringify(outcome));
    assert.equal(outcome.connected, true);
  });

  it('another profile\'s attempt failing first (an auto-connect in flight) does not end ours', async function () {
    const other = `eaphost-other-${randomCredentials().identity}`;
    useNetwork({ extra: [`auto-connect ${ONEX_EAP_FAILURE_RECEIVED.toString(16)} ${other}`] });
    const { outcome, events } = await attempt({ secret: password });
    assert.equal(outcome.category, 'connected', JSON.stringify(outcome));
    assert.equal(outcome.connected, true);
    // The other attempt's ONEX failure and its completion's reason are not ours.
    assert.deepEqual(codeValues(outcome, 'onex-reason'), [], JSON.stringify(outcome.codes));
    assert.deepEqual(codeValues(outcome, 'wlan-reason').filter((value) => value !== 0), [], JSON.stringify(outcome.codes));
    assert.deepEqual(events.filter((event) => event.state === 'failed'), [], JSON.stringify(events));
  });

  // in-flight: the other attempt started before the notification registration, so its
  // connection_start is never seen; its ONEX success (which names no profile) must not pass as ours.
  for (const [keyword, what] of [['auto-connect', 'another profile connecting first'],
    ['in-flight', 'another profile\'s attempt already in flight before ours (its start never seen)']]) {
    it(`${what} does not make a wrong password ours to succeed`, async function () {
      useNetwork({ extra: [`${keyword} 0 eaphost-other-${randomCredentials().identity}`] });
      const { outcome, events } = await attempt({ secret: `${password}-wrong` });
      assert.equal(outcome.connected, false, JSON.stringify(outcome));
      assert.equal(outcome.category, 'credentials-rejected', JSON.stringify(outcome));
      assert.deepEqual(codeValues(outcome, 'eap-error'), [EAP_E_USER_NAME_PASSWORD_REJECTED]);
      // Neither the other attempt's ONEX success nor its completion is shown as ours.
      assert.deepEqual(codeValues(outcome, 'onex-status'), [ONEX_AUTH_FAILURE], JSON.stringify(outcome.codes));
      assert.deepEqual(events.filter((event) => event.state === 'connected' || event.state === 'authenticated'), [], JSON.stringify(events));
    });
  }

  it('already connected to our profile, no notification at all: the query finds our success', async function () {
    const name = `eaphost-${randomCredentials().identity}`;
    const record = useNetwork({ extra: [`connected ${name}`] });
    const { outcome, events } = await attempt({ secret: password, name, timeoutMs: SHORT_TIMEOUT_MS });
    assert.equal(outcome.category, 'connected', JSON.stringify(outcome));
    assert.equal(outcome.connected, true);
    assert.ok(outcome.elapsedMs >= SHORT_TIMEOUT_MS - 50, `no notification could end it before the timeout (${outcome.elapsedMs} ms)`);
    assert.deepEqual(events.map((event) => event.state), ['connected'], JSON.stringify(events));
    const calls = recorded(record);
    assert.ok(calls.includes(`WlanQueryInterface ${OPCODE_CURRENT_CONNECTION}`), calls.join('\n'));
    assert.ok(!calls.includes('WlanDisconnect'), `a connection found ours is not torn down: ${calls.join(', ')}`);
  });

  it('no notification and the interface connected to another profile: a timeout, after asking', async function () {
    // `silent`: the stand-in takes the WlanConnect and reports nothing, as an attempt Windows never finishes.
    const record = useNetwork({ extra: [`connected eaphost-other-${randomCredentials().identity}`, 'silent'] });
    const { outcome } = await attempt({ secret: password, timeoutMs: SHORT_TIMEOUT_MS });
    assert.equal(outcome.connected, false, JSON.stringify(outcome));
    assert.equal(outcome.category, 'timeout', JSON.stringify(outcome));
    const calls = recorded(record);
    const asked = calls.indexOf(`WlanQueryInterface ${OPCODE_CURRENT_CONNECTION}`);
    assert.ok(asked >= 0 && calls.indexOf('WlanDisconnect') > asked, `asked, then stopped Windows trying: ${calls.join(', ')}`);
  });
});
