/**
 * Connecting through Windows WLAN (Native Wifi with ACM and ONEX notifications): the addon
 * registers for both before WlanConnect and hands every notification over as it comes
 * (native/platform/wlan_connect_win32.cc); this file reads them into state changes and one outcome.
 * The outcome is our profile's ACM connection_complete's wlanReasonCode with the ONEX result (and
 * its EAP error) beside it; an intermediate connection_attempt_fail is only a code on the way, and
 * another profile's notifications (an auto-connect in flight) are not ours (the addon drops them).
 * With no completion in time, an interface the addon finds connected to our profile
 * (WlanQueryInterface) is our success: Windows may send nothing when it is connected already.
 *
 * A profile not yet installed is tried as a temporary profile (saved nowhere) unless asked to
 * install it; a service (session 0, no interactive user) connects only through all-user profiles,
 * and a per-user one makes WlanConnect answer 87: the outcome says so ('policy', code kept).
 */
import { Win32 } from '../../core/errors';
import { binding } from '../../native';
import type { NativeWlanConnectOutcome, NativeWlanNotice } from '../../native/contract';
import { installWindows, nativeWifiInterface } from '../install-windows';
import { writeWindowsProfiles } from '../windows-profile';
import type { ConnectCategory, ConnectCode, ConnectEvent, ConnectOutcome, ConnectRequest } from './outcome';
import { categoryOfCodes, namedCode as code, valueNamed } from './reasons';
import { categoryWords } from './words';

// The states this file tests for, read from the one reason table (reason-table.ts).
const ONEX_AUTH_IN_PROGRESS = valueNamed('onex-status', 'OneXAuthInProgress');
const ONEX_AUTH_NO_AUTHENTICATOR = valueNamed('onex-status', 'OneXAuthNoAuthenticatorFound');
const ONEX_AUTH_SUCCESS = valueNamed('onex-status', 'OneXAuthSuccess');
const ONEX_AUTH_FAILURE = valueNamed('onex-status', 'OneXAuthFailure');
const WLAN_REASON_CODE_SUCCESS = valueNamed('wlan-reason', 'WLAN_REASON_CODE_SUCCESS');

/** The codes one notification carries, in the order the layers gave them (outermost first). */
function noticeCodes(notice: NativeWlanNotice): ConnectCode[] {
  const codes: ConnectCode[] = [];
  if (notice.wlanReasonCode !== undefined && notice.name !== 'connection_start') codes.push(code('wlan-reason', notice.wlanReasonCode));
  if (notice.authStatus !== undefined && notice.authStatus !== ONEX_AUTH_IN_PROGRESS) {
    codes.push(code('onex-status', notice.authStatus));
    if (notice.onexReason) codes.push(code('onex-reason', notice.onexReason));
    if (notice.onexError) codes.push(code('win32', notice.onexError));
  }
  if (notice.eapError) {
    codes.push(code('eap-error', notice.eapError.reasonCode));
    if (notice.eapError.winError && notice.eapError.winError !== notice.onexError) codes.push(code('win32', notice.eapError.winError));
  }
  return codes;
}

function noticeEvent(notice: NativeWlanNotice, method: string | undefined, elapsedMs: number, started: boolean): ConnectEvent | undefined {
  const first = noticeCodes(notice)[0];
  const detail = notice.problem ?? notice.eapError?.rootCause;
  const base = { elapsedMs, ...(first ? { code: first } : {}), ...(detail ? { detail } : {}) };
  if (notice.source === 'acm') {
    if (notice.name === 'connection_start') return { state: 'associating', ...base };
    if (notice.name === 'connection_complete') {
      return { state: notice.wlanReasonCode === WLAN_REASON_CODE_SUCCESS ? 'connected' : 'failed', ...base };
    }
    if (notice.name === 'connection_attempt_fail') return { state: 'failed', ...base, detail: detail ?? 'one attempt failed; Windows may try again' };
    return undefined;
  }
  if (notice.name !== 'result_update') return { state: '802.1x-started', ...base, detail: detail ?? `802.1X restarted (${notice.restartReason ?? '?'})` };
  switch (notice.authStatus) {
    case ONEX_AUTH_IN_PROGRESS:
      return started ? { state: 'authenticating', ...base } : { state: '802.1x-started', ...base };
    case ONEX_AUTH_SUCCESS: return { state: 'authenticated', ...base, ...(method ? { method } : {}) };
    case ONEX_AUTH_FAILURE:
    case ONEX_AUTH_NO_AUTHENTICATOR: return { state: 'failed', ...base };
    default: return undefined;
  }
}

/** The outcome of an attempt that never reached the network: what stopped it, in its own words. */
function preflightCategory(outcome: NativeWlanConnectOutcome): ConnectCategory {
  if (outcome.perUserProfile && outcome.win32Error === Win32.ERROR_INVALID_PARAMETER) return 'policy';
  return 'unknown';
}

/** What to do when Windows could not even start the attempt (otherwise the category's own words). */
function preflightNextStep(outcome: NativeWlanConnectOutcome, category: ConnectCategory): string | undefined {
  if (outcome.noInterface) return 'Check that a Wi-Fi adapter is present and enabled, and name it with --interface (its name, such as Wi-Fi, its GUID or its description).';
  if ((outcome.call === 'LoadLibraryExW' || outcome.call === 'WlanOpenHandle') && outcome.win32Error !== Win32.ERROR_NOT_SUPPORTED) {
    return 'Start the WLAN AutoConfig service (WlanSvc); on Windows Server, install the Wireless LAN Service first.';
  }
  if (outcome.perUserProfile) return 'Install the profile for all users (a service sees no per-user profile), or run as the user who owns it.';
  return categoryWords(category).nextStep;
}

/** Windows' own words when a call stopped the attempt; otherwise the category's. */
function message(category: ConnectCategory, outcome: NativeWlanConnectOutcome): string {
  if (outcome.message !== undefined) return `${outcome.message} (${outcome.call ?? 'Native Wifi'})`;
  return categoryWords(category).message;
}

export async function connectWlan(request: ConnectRequest): Promise<ConnectOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const emit = (event: ConnectEvent) => request.onEvent?.(event);
  request.signal?.throwIfAborted();
  const method = request.profile?.eap[0]?.method;

  let target: { profileName: string } | { profileXml: string };
  if (request.name !== undefined) {
    target = { profileName: request.name };
  } else if (request.profile !== undefined) {
    const wlan = writeWindowsProfiles(request.profile).documents.find((document) => document.name !== 'wired');
    if (wlan === undefined) throw new TypeError('the profile has no Wi-Fi network to connect to');
    if (request.install === true) {
      emit({ state: 'installing', elapsedMs: elapsed() });
      await installWindows(request.profile, { interface: request.interface, secrets: true });
      target = { profileName: wlan.name };
    } else {
      target = { profileXml: wlan.text };
    }
  } else {
    throw new TypeError('connect takes a profile or the name of an installed one');
  }

  const codes: ConnectCode[] = [];
  let onexStarted = false;
  let authenticated = false;
  // `until: 'authenticated'`: the attempt is stopped (and Windows told to disconnect) at 802.1X's success.
  let stopAtAuthentication = (): void => undefined;
  const attempt = binding.wlanConnect({
    ...target,
    ...(request.interface !== undefined ? { interfaceName: nativeWifiInterface(request.interface) } : {}),
    timeoutMs: request.timeoutMs,
    onNotification: (notice) => {
      codes.push(...noticeCodes(notice));
      const event = noticeEvent(notice, method, elapsed(), onexStarted);
      if (notice.source === 'onex') onexStarted = true;
      if (event) emit(event);
      if (notice.source === 'onex' && notice.name === 'result_update' && notice.authStatus === ONEX_AUTH_SUCCESS) {
        authenticated = true;
        if (request.until === 'authenticated') stopAtAuthentication();
      }
    },
  });
  stopAtAuthentication = () => attempt.cancel();
  const abort = () => attempt.cancel();
  request.signal?.addEventListener('abort', abort, { once: true });
  let native: NativeWlanConnectOutcome;
  try {
    native = await attempt.outcome;
  } finally {
    request.signal?.removeEventListener('abort', abort);
  }
  if (native.cancelled) request.signal?.throwIfAborted();
  const stoppedAuthenticated = request.until === 'authenticated' && authenticated;

  if (native.win32Error !== undefined) codes.push(code('win32', native.win32Error));
  const connected = (native.completed && native.wlanReasonCode === WLAN_REASON_CODE_SUCCESS) || native.alreadyConnected;
  if (native.alreadyConnected) {
    emit({ state: 'connected', elapsedMs: elapsed(), detail: `already connected to ${native.currentConnection?.profileName ?? 'the profile'} (no connection_complete came; WlanQueryInterface current_connection says so)` });
  }
  let category: ConnectCategory;
  if (stoppedAuthenticated) category = 'authenticated';
  else if (connected) category = 'connected';
  else if (native.call !== undefined) category = preflightCategory(native);
  else if (native.timedOut && !native.completed) category = codes.length > 0 ? categoryOfCodes(codes) : 'timeout';
  else category = categoryOfCodes(codes);
  if (category === 'unknown' && native.timedOut) category = 'timeout';

  const outcome: ConnectOutcome = {
    connected: connected && !stoppedAuthenticated,
    authenticated: authenticated || connected,
    category,
    ...(method !== undefined ? { method } : {}),
    codes,
    elapsedMs: elapsed(),
    ...(native.interfaceGuid !== undefined ? { interface: native.interfaceGuid } : {}),
    via: 'wlan',
    message: message(category, native),
    ...(connected || stoppedAuthenticated ? {} : { nextStep: preflightNextStep(native, category) }),
  };
  return outcome;
}
