/**
 * connect() before any supplicant runs: bad input is a typed error (TypeError, RangeError,
 * ProfileError) and the OS's backend is the one the platform and the profile's network call for;
 * and the words each outcome category comes with.
 */
import { strict as assert } from 'node:assert';
import { EapError, Win32 } from '../lib/core/errors';
import { ProfileError, type NetworkProfile } from '../lib/profile/network-profile';
import { connect } from '../lib/profile';
import type { ConnectOptions } from '../lib/profile';
import { backendFor, connectRequest } from '../lib/profile/connect';
import { categoryWords } from '../lib/profile/connect/words';
import { CATEGORIES } from './support/connect-categories';

const wifi = { version: 1, networks: [{ type: 'wifi', ssid: 'eduroam' }], eap: [{ method: 'peap' }], credentials: { identity: 'alice', password: 'pw' } };
const both = { ...wifi, networks: [{ type: 'wifi', ssid: 'eduroam' }, { type: 'wired' }] };
const options = (extra: Record<string, unknown>): ConnectOptions => extra as unknown as ConnectOptions;

describe('connect(): bad input is a typed error before any supplicant runs', () => {
  const cases: [string, Record<string, unknown>, new (...args: never[]) => Error, RegExp][] = [
    ['no profile and no name', {}, TypeError, /needs a profile or the name/],
    ['a profile and a name', { profile: wifi, name: 'eduroam' }, TypeError, /not both/],
    ['install with a name', { name: 'eduroam', install: true }, TypeError, /install applies to a profile/],
    ['install not a boolean', { profile: wifi, install: 'yes' }, TypeError, /install must be a boolean/],
    ['a blank name', { name: '  ' }, TypeError, /name must be 1 to 256/],
    ['a name with NUL', { name: 'edu\0roam' }, TypeError, /NUL/],
    ['a name too long', { name: 'x'.repeat(257) }, TypeError, /name must be 1 to 256/],
    ['a profile that is a number', { profile: 42 }, TypeError, /NetworkProfile or a profile document/],
    ['a profile text that is not JSON', { profile: 'not a profile' }, ProfileError, /not JSON/],
    ['a profile of another version', { profile: { ...wifi, version: 2 } }, ProfileError, /version: must be 1/],
    ['eap-config XML that is not one', { profile: '<html/>' }, ProfileError, /./],
    ['a timeout of 0', { profile: wifi, timeoutMs: 0 }, RangeError, /timeoutMs must be 1\.\.3600000/],
    ['a timeout over an hour', { profile: wifi, timeoutMs: 3_600_001 }, RangeError, /timeoutMs/],
    ['a fractional timeout', { profile: wifi, timeoutMs: 1.5 }, TypeError, /timeoutMs must be an integer/],
    ['a timeout as text', { profile: wifi, timeoutMs: '100' }, TypeError, /timeoutMs must be an integer/],
    ['an unknown network kind', { profile: wifi, network: 'ethernet' }, TypeError, /network must be 'wifi' or 'wired'/],
    ['a network kind the profile lacks', { profile: wifi, network: 'wired' }, ProfileError, /networks: has no wired network/],
    ['a blank interface', { profile: wifi, interface: '' }, TypeError, /interface must not be blank/],
    ['an interface that is not text', { profile: wifi, interface: 3 }, TypeError, /interface must be a string/],
    ['an interface name of 100,000 characters', { profile: wifi, interface: 'e'.repeat(100_000) }, RangeError, /interface must be at most 256 characters, not 100000/],
    ['an interface name with a terminal escape', { profile: wifi, interface: 'eth0\u001b[2J' }, TypeError, /control characters/],
    ['an until that is neither', { profile: wifi, until: 'associated' }, TypeError, /until must be 'connected' or 'authenticated'/],
    ['a signal that is not one', { profile: wifi, signal: {} }, TypeError, /signal must be an AbortSignal/],
    ['an onEvent that is not a function', { profile: wifi, onEvent: 'print' }, TypeError, /onEvent must be a function/],
  ];
  for (const [what, given, type, message] of cases) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(connect(options(given)), (error: Error) => error instanceof type && message.test(error.message));
    });
  }

  it('refuses a missing options object', async () => {
    await assert.rejects(connect(undefined as unknown as ConnectOptions), TypeError);
  });

  it('ends an attempt whose signal already fired before a backend is loaded', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(connect({ profile: wifi as never, signal: controller.signal }),
      (error: Error) => error instanceof EapError && error.win32Error === Win32.ERROR_CANCELLED);
  });
});

describe('connect(): which OS supplicant runs', () => {
  it('is NetworkManager on Linux, WLAN or Wired AutoConfig on Windows by network, and none elsewhere', () => {
    assert.equal(backendFor('linux', 'wifi'), 'networkmanager');
    assert.equal(backendFor('linux', 'wired'), 'networkmanager');
    assert.equal(backendFor('win32', 'wifi'), 'wlan');
    assert.equal(backendFor('win32', undefined), 'wlan');
    assert.equal(backendFor('win32', 'wired'), 'wired-autoconfig');
    for (const platform of ['darwin', 'freebsd', 'aix'] as const) {
      assert.throws(() => backendFor(platform, 'wifi'), (error: Error) => error instanceof ProfileError && error.code === 'unsupported');
    }
  });

  it('takes the profile\'s only kind of network, and on Windows asks which when it has both', () => {
    assert.equal(connectRequest({ profile: { ...wifi, credentials: undefined } as never }, 'win32').backend, 'wlan');
    const wired = { ...wifi, networks: [{ type: 'wired' }] };
    assert.equal(connectRequest({ profile: wired as never }, 'win32').backend, 'wired-autoconfig');
    assert.throws(() => connectRequest({ profile: both as never }, 'win32'), /Wi-Fi and wired networks: say which/);
    assert.equal(connectRequest({ profile: both as never, network: 'wired' }, 'win32').backend, 'wired-autoconfig');
    const linux = connectRequest({ profile: both as never }, 'linux');
    assert.equal(linux.backend, 'networkmanager');
    assert.equal(linux.request.network, undefined);
  });

  it('hands the backend the checked profile (from JSON text too), the default timeout and nothing it was not given', () => {
    const { request } = connectRequest({ profile: JSON.stringify(wifi) }, 'linux');
    assert.deepEqual(request, { profile: wifi, network: 'wifi', timeoutMs: 60_000 });
    const named = connectRequest({ name: 'eduroam', interface: 'eth0', timeoutMs: 5000 }, 'win32').request;
    assert.deepEqual(named, { name: 'eduroam', interface: 'eth0', timeoutMs: 5000 });
    assert.equal(connectRequest({ name: 'eduroam', until: 'authenticated' }, 'linux').request.until, 'authenticated');
  });

  it('on Windows, refuses a Wi-Fi profile with credentials and no install, naming --install; takes it with install', () => {
    const withCredentials = { ...wifi, credentials: { identity: 'someone', password: 'pw' } } as never as NetworkProfile;
    assert.throws(() => connectRequest({ profile: withCredentials }, 'win32'),
      (error: Error) => error instanceof ProfileError && error.code === 'unsupported' && /--install/.test(error.message)
        && /EAP user data/.test(error.message));
    assert.equal(connectRequest({ profile: withCredentials, install: true }, 'win32').request.install, true);
    // NetworkManager carries the secrets in the volatile connection itself: nothing to refuse there.
    assert.equal(connectRequest({ profile: withCredentials }, 'linux').request.profile?.credentials?.password, 'pw');
    assert.equal('until' in connectRequest({ name: 'eduroam', until: 'connected' }, 'linux').request, false);
  });
});

describe('connect(): the words for each category', () => {
  it('says what happened for every category, and a distinct next step for every failure', () => {
    const steps = new Set<string>();
    for (const category of CATEGORIES) {
      const words = categoryWords(category);
      assert.match(words.message, /^[A-Z].*\.$/, category);
      if (category === 'connected' || category === 'authenticated') {
        assert.equal(words.nextStep, undefined);
        continue;
      }
      assert.match(words.nextStep ?? '', /^[A-Z].{20,}\.$/, category);
      steps.add(words.nextStep as string);
    }
    assert.equal(steps.size, CATEGORIES.length - 2);
  });

  it('points a timeout at --timeout, a certificate problem at the administrator, and no answer at the interface', () => {
    assert.match(categoryWords('timeout').nextStep ?? '', /--timeout/);
    assert.match(categoryWords('server-untrusted').nextStep ?? '', /administrator/);
    assert.match(categoryWords('no-authenticator').nextStep ?? '', /--interface/);
    assert.match(categoryWords('credentials-rejected').nextStep ?? '', /password/);
  });

  it('says of no-address that the credentials were accepted, and points at DHCP and the VLAN', () => {
    assert.match(categoryWords('no-address').message, /accepted the credentials/);
    assert.match(categoryWords('no-address').nextStep ?? '', /DHCP/);
    assert.match(categoryWords('no-address').nextStep ?? '', /VLAN/);
    assert.match(categoryWords('authenticated').message, /accepted the credentials/);
    assert.doesNotMatch(categoryWords('authenticated').message, /^Connected/);
  });
});
