/**
 * connect(): one attempt to get on a network through the OS's own supplicant (NetworkManager on
 * Linux; WLAN or Wired AutoConfig on Windows), resolving with one typed outcome that keeps every
 * raw code the layers gave. This file checks the input, picks the backend and fills in the words;
 * it never talks to a supplicant itself, and a backend is loaded only when it runs.
 */
import { checkSignal, checkText } from '../../core/input-checks';
import { abortError } from '../../core/errors';
import { NetworkProfile, ProfileError, checkNetworkProfile } from '../network-profile';
import { readProfileText } from '../profile-session';
import type { ConnectEvent, ConnectOutcome, ConnectRequest } from './outcome';
import { categoryWords } from './words';

export type { ConnectCategory, ConnectCode, ConnectEvent, ConnectOutcome } from './outcome';

export interface ConnectOptions {
  /** The profile to connect with: the model, or a document's text (eap-config XML or the JSON
   *  model, as `eaphost auth --profile` reads). Tried without being saved unless `install`. */
  profile?: NetworkProfile | string;
  /** Instead of `profile`: one already installed (NetworkManager connection id, WLAN or LAN profile name). */
  name?: string;
  /** Which of the profile's networks, when it has both kinds; with `name` on Windows, 'wired' names a LAN profile. */
  network?: 'wifi' | 'wired';
  /** An interface name (Linux) or GUID / name (Windows); default: the one the profile fits. */
  interface?: string;
  /** Install the profile for good before connecting. */
  install?: boolean;
  /** How long the attempt may take, in milliseconds (default 60000): one deadline for all of it,
   *  from reaching the supplicant to the outcome (the clean-up after it has a bound of its own). */
  timeoutMs?: number;
  /** Where success ends: 'connected' (default: authenticated and addressed), or 'authenticated':
   *  as soon as 802.1X succeeds, with `authenticated: true`, `connected: false` and the category
   *  'authenticated'; what the attempt brought up is then taken down. For testing credentials and
   *  certificates without caring for addressing. */
  until?: 'connected' | 'authenticated';
  signal?: AbortSignal;
  /** Every state change, in order, as it happens. */
  onEvent?: (event: ConnectEvent) => void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 60_000;
/** An hour: past that a bound is no bound. */
export const MAX_CONNECT_TIMEOUT_MS = 3_600_000;
/** WLAN_MAX_NAME_LENGTH (wlanapi.h): the longest profile name any backend takes. */
const MAX_NAME_LENGTH = 256;
/** The longest interface name or GUID any backend takes: Linux's are at most 15 bytes (IFNAMSIZ),
 *  a Windows GUID in braces 38 characters, a Windows adapter description at most 256. */
const MAX_INTERFACE_LENGTH = 256;

export type ConnectBackend = ConnectOutcome['via'];

/** The supplicant connect() drives on `platform` for `network`; a ProfileError ('unsupported') elsewhere. */
export function backendFor(platform: NodeJS.Platform, network: 'wifi' | 'wired' | undefined): ConnectBackend {
  if (platform === 'linux') return 'networkmanager';
  if (platform === 'win32') return network === 'wired' ? 'wired-autoconfig' : 'wlan';
  throw new ProfileError('unsupported', '',
    `connect() drives NetworkManager (Linux) or WLAN / Wired AutoConfig (Windows); ${platform} has neither`);
}

function checkProfile(profile: unknown): NetworkProfile {
  if (typeof profile === 'string') return readProfileText(profile).profile;
  if (typeof profile !== 'object' || profile === null) {
    throw new TypeError('profile must be a NetworkProfile or a profile document\'s text (eap-config XML or the JSON model)');
  }
  return checkNetworkProfile(profile);
}

function checkName(value: unknown): string {
  const name = checkText(value, 'name');
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH) throw new TypeError(`name must be 1 to ${MAX_NAME_LENGTH} characters, not blank`);
  return name;
}

function checkTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_CONNECT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError('timeoutMs must be an integer (milliseconds)');
  if (value <= 0 || value > MAX_CONNECT_TIMEOUT_MS) throw new RangeError(`timeoutMs must be 1..${MAX_CONNECT_TIMEOUT_MS}, not ${value}`);
  return value;
}

/** The kind of network to connect: the one asked for (which the profile must have), or the only kind it has. */
function networkOf(profile: NetworkProfile | undefined, asked: unknown, platform: NodeJS.Platform): 'wifi' | 'wired' | undefined {
  if (asked !== undefined && asked !== 'wifi' && asked !== 'wired') throw new TypeError('network must be \'wifi\' or \'wired\'');
  if (!profile) return asked;
  const kinds = [...new Set(profile.networks.map((network) => network.type))];
  if (asked !== undefined) {
    if (!kinds.includes(asked)) throw new ProfileError('invalid-profile', 'networks', `has no ${asked === 'wifi' ? 'Wi-Fi' : 'wired'} network`);
    return asked;
  }
  if (kinds.length === 1) return kinds[0];
  // NetworkManager tells the two apart by the interface; Windows needs to know which service to ask.
  if (platform === 'win32') throw new TypeError('the profile has Wi-Fi and wired networks: say which with network (\'wifi\' or \'wired\')');
  return undefined;
}

/** The request a backend gets, every field checked; throws TypeError / RangeError / ProfileError. */
export function connectRequest(options: ConnectOptions, platform: NodeJS.Platform = process.platform): { request: ConnectRequest; backend: ConnectBackend } {
  if (typeof options !== 'object' || options === null) throw new TypeError('connect() takes an options object');
  if (options.profile !== undefined && options.name !== undefined) throw new TypeError('give profile or name, not both');
  if (options.profile === undefined && options.name === undefined) throw new TypeError('connect() needs a profile or the name of an installed one');
  if (options.install !== undefined && typeof options.install !== 'boolean') throw new TypeError('install must be a boolean');
  if (options.install && options.name !== undefined) throw new TypeError('install applies to a profile, not to one already installed (name)');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw new TypeError('onEvent must be a function');
  const profile = options.profile !== undefined ? checkProfile(options.profile) : undefined;
  const name = options.name !== undefined ? checkName(options.name) : undefined;
  const network = networkOf(profile, options.network, platform);
  const backend = backendFor(platform, network);
  const request: ConnectRequest = {
    ...(profile ? { profile } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(options.install ? { install: true } : {}),
    ...(options.interface !== undefined ? { interface: checkInterface(options.interface) } : {}),
    ...(network ? { network } : {}),
    timeoutMs: checkTimeout(options.timeoutMs),
    ...(checkUntil(options.until) === 'authenticated' ? { until: 'authenticated' as const } : {}),
  };
  const signal = checkSignal(options.signal);
  if (signal) request.signal = signal;
  // A temporary WLAN profile cannot carry EAP user data (only WlanSetProfileEapXmlUserData on a
  // saved profile can): tried so, Windows would ask the interactive user for what was given here,
  // or fail in session 0, and the outcome would blame the user. Refused, naming the way that works
  // (after the options' own checks, and not for an attempt already aborted: that one ends as such).
  if (backend === 'wlan' && profile?.credentials !== undefined && !options.install && !signal?.aborted) {
    throw new ProfileError('unsupported', 'credentials',
      'Windows cannot try a Wi-Fi profile with credentials without saving it (a temporary profile carries no EAP user data): ' +
      'connect with install (eaphost connect --install), which saves the profile and sets the credentials as its user data');
  }
  return { request, backend };
}

function checkInterface(value: unknown): string {
  const name = checkText(value, 'interface');
  if (name.trim() === '') throw new TypeError('interface must not be blank');
  if (name.length > MAX_INTERFACE_LENGTH) throw new RangeError(`interface must be at most ${MAX_INTERFACE_LENGTH} characters, not ${name.length}`);
  // Printed back in messages and progress lines: no terminal control characters.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw new TypeError('interface must not hold control characters');
  return name;
}

function checkUntil(value: unknown): 'connected' | 'authenticated' {
  if (value === undefined || value === 'connected') return 'connected';
  if (value !== 'authenticated') throw new TypeError('until must be \'connected\' or \'authenticated\'');
  return value;
}

/** The attempt ended where it was asked to: connected, or authenticated with `until: 'authenticated'`. */
export function succeeded(outcome: Pick<ConnectOutcome, 'category'>): boolean {
  return outcome.category === 'connected' || outcome.category === 'authenticated';
}

async function runBackend(backend: ConnectBackend, request: ConnectRequest): Promise<ConnectOutcome> {
  switch (backend) {
    case 'networkmanager': return (await import('./networkmanager')).connectNetworkManager(request);
    case 'wlan': return (await import('./wlan')).connectWlan(request);
    default: return (await import('./wired')).connectWired(request);
  }
}

/**
 * Connects through the OS's own supplicant and resolves with the outcome, refused or not: a
 * refusal is an outcome, not an error. Rejects only for bad input (TypeError, RangeError,
 * ProfileError), an abort, or an exception thrown by `onEvent`.
 */
export async function connect(options: ConnectOptions): Promise<ConnectOutcome> {
  const { request, backend } = connectRequest(options);
  if (request.signal?.aborted) throw abortError('connect');
  // A caller's listener that throws must not unwind a backend mid-attempt (it has things to clean up).
  let listenerError: { error: unknown } | undefined;
  const onEvent = options.onEvent;
  if (onEvent) {
    request.onEvent = (event) => {
      if (listenerError) return;
      try {
        onEvent(event);
      } catch (error) {
        listenerError = { error };
      }
    };
  }
  const outcome = await runBackend(backend, request);
  if (listenerError) throw listenerError.error;
  const words = categoryWords(outcome.category);
  return {
    ...outcome,
    message: outcome.message || words.message,
    ...(!succeeded(outcome) && outcome.nextStep === undefined && words.nextStep ? { nextStep: words.nextStep } : {}),
  };
}
