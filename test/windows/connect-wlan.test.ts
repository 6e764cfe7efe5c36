/**
 * Connecting through Windows WLAN (lib/profile/connect/wlan.ts over native/platform/wlan_connect_*),
 * as far as the machine's Windows goes. Where Native Wifi lists no interface (Wine's own
 * wlanapi.dll, or the lane's stand-in with no network named; a runner without a radio) or is absent (Server without the Wireless LAN Service),
 * the attempt must end in a typed outcome carrying Windows' own error, for a profile tried as a
 * temporary one and for one named as installed (the path a service takes): never a throw, never a
 * hang until the timeout.
 */
import * as assert from 'node:assert/strict';
import { binding } from '../../lib/native';
import { connect } from '../../lib/profile/connect';
import { connectWlan } from '../../lib/profile/connect/wlan';
import type { ConnectEvent } from '../../lib/profile/connect/outcome';
import { NetworkProfile, ProfileError } from '../../lib/profile/network-profile';
import { randomCredentials, requireWindows } from './support';

const ERROR_NOT_FOUND = 1168;
const ERROR_MOD_NOT_FOUND = 126;
const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
const ERROR_SERVICE_NOT_ACTIVE = 1062;
const underWine = process.env.EAPHOST_WINE === '1';
// Long enough that an attempt which waited for it would show in the elapsed time.
const TIMEOUT_MS = 20_000;

function wifiProfile(): NetworkProfile {
  const { identity, password } = randomCredentials();
  return { version: 1, networks: [{ type: 'wifi', ssid: `eaphost-${identity}` }], eap: [{ method: 'mschapv2' }],
    credentials: { identity, password } };
}

function assertNoWlan(outcome: Awaited<ReturnType<typeof connectWlan>>, events: ConnectEvent[]): void {
  assert.equal(outcome.connected, false);
  assert.equal(outcome.via, 'wlan');
  assert.equal(outcome.category, 'unknown', outcome.message);
  assert.ok(outcome.nextStep, 'a failed outcome says what to do next');
  assert.ok(outcome.elapsedMs < TIMEOUT_MS, `answered at once, not at the timeout (${outcome.elapsedMs} ms)`);
  assert.deepEqual(events, [], 'no notification came, so no state changed');
  const win32 = outcome.codes.filter((code) => code.source === 'win32').map((code) => code.value);
  assert.equal(win32.length, 1, JSON.stringify(outcome.codes));
  if (underWine) {
    // Wine's wlanapi opens a handle and lists no interface.
    assert.deepEqual(win32, [ERROR_NOT_FOUND]);
    assert.match(outcome.message, /no WLAN interface/);
    assert.match(outcome.nextStep ?? '', /Wi-Fi adapter/);
    assert.match(outcome.message, /WlanEnumInterfaces/);
  } else {
    assert.ok([ERROR_NOT_FOUND, ERROR_MOD_NOT_FOUND, ERROR_SERVICE_DOES_NOT_EXIST, ERROR_SERVICE_NOT_ACTIVE].includes(win32[0] as number),
      outcome.message);
  }
}

describe('connecting through Windows WLAN where Native Wifi has no interface', () => {
  before(requireWindows);

  it('a profile tried without installing gives a typed outcome with Windows\' error', async () => {
    const events: ConnectEvent[] = [];
    const outcome = await connectWlan({ profile: wifiProfile(), timeoutMs: TIMEOUT_MS, onEvent: (event) => events.push(event) });
    assertNoWlan(outcome, events);
    assert.equal(outcome.method, 'mschapv2');
  });

  it('an installed profile named (the service path) gives the same typed outcome', async () => {
    const events: ConnectEvent[] = [];
    const outcome = await connectWlan({ name: `eaphost-absent-${randomCredentials().identity}`, timeoutMs: TIMEOUT_MS,
      onEvent: (event) => events.push(event) });
    assertNoWlan(outcome, events);
  });

  it('connect() sends a Wi-Fi profile here on Windows, the outcome in the same words', async () => {
    const events: ConnectEvent[] = [];
    // Without credentials: with them and no install, connect() refuses before Windows is asked
    // (a temporary profile carries no EAP user data), as the next case holds.
    const { credentials, ...profile } = wifiProfile();
    assert.ok(credentials);
    const outcome = await connect({ profile, timeoutMs: TIMEOUT_MS, onEvent: (event) => events.push(event) });
    assertNoWlan(outcome, events);
  });

  it('connect() refuses a Wi-Fi profile with credentials and no install, naming install', async () => {
    await assert.rejects(connect({ profile: wifiProfile(), timeoutMs: TIMEOUT_MS }),
      (error: Error) => error instanceof ProfileError && /--install/.test(error.message));
  });

  it('an interface asked for by name that Windows does not list is named in the outcome', async () => {
    const outcome = await connectWlan({ profile: wifiProfile(), interface: '{00000000-0000-0000-0000-000000000001}',
      timeoutMs: TIMEOUT_MS });
    assert.equal(outcome.connected, false);
    if (underWine) assert.match(outcome.message, /no WLAN interface named \{00000000-0000-0000-0000-000000000001\}/);
  });

  it('an aborted signal stops the attempt before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(connectWlan({ profile: wifiProfile(), timeoutMs: TIMEOUT_MS, signal: controller.signal }),
      (error: unknown) => (error as Error).name === 'AbortError');
  });

  // windows.yml runs this file a second time as SYSTEM from a scheduled task (EAPHOST_EXPECT_SERVICE=1):
  // a service, in session 0 with no interactive user, gets the same typed outcome.
  it('the native outcome names this process\'s session (0 when run as a service)', async () => {
    const attempt = binding.wlanConnect({ profileName: 'eaphost-absent', timeoutMs: TIMEOUT_MS, onNotification: () => undefined });
    const outcome = await attempt.outcome;
    assert.equal(typeof outcome.session, 'number', JSON.stringify(outcome));
    assert.equal(outcome.completed, false);
    assert.equal(outcome.perUserProfile, false);
    if (process.env.EAPHOST_EXPECT_SERVICE === '1') assert.equal(outcome.session, 0);
  });

  it('the addon takes exactly one of profileName and profileXml', () => {
    const onNotification = () => undefined;
    assert.throws(() => binding.wlanConnect({ timeoutMs: 1000, onNotification }), /one of profileName and profileXml/);
    assert.throws(() => binding.wlanConnect({ profileName: 'a', profileXml: '<x/>', timeoutMs: 1000, onNotification }),
      /one of profileName and profileXml/);
    assert.throws(() => binding.wlanConnect({ profileName: 'a', timeoutMs: 1000 } as never), /onNotification must be a function/);
  });
});
