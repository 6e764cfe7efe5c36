/**
 * What `connect()` resolves with, whichever OS supplicant ran: one typed outcome, its category a
 * reading of the raw codes each layer gave, which are kept beside it and never replaced by it.
 */

/** Why a connection did or did not come up, in words a user can act on. */
export type ConnectCategory =
  | 'connected'
  /** `until: 'authenticated'`: 802.1X succeeded, and the attempt stopped there as asked (no address sought). */
  | 'authenticated'
  /** The network accepted the credentials, but the machine got no address (no DHCP answer on the assigned VLAN). */
  | 'no-address'
  | 'credentials-rejected'
  | 'server-untrusted'
  | 'server-name-mismatch'
  | 'client-certificate'
  | 'no-authenticator'
  | 'interaction-required'
  | 'timeout'
  | 'policy'
  /** Something on this machine ended the attempt: another connection took the device, a user or
   *  program took it down, the device or the supplicant went away. */
  | 'interrupted'
  | 'unknown';

/** Which layer gave a code: the table in reasons.ts reads each with its own source. */
export type ConnectCodeSource =
  /** WLAN_REASON_CODE (wlanapi.h), e.g. from ACM connection_complete's wlanReasonCode. */
  | 'wlan-reason'
  /** ONEX_REASON_CODE (dot1x.h), from ONEX_RESULT_UPDATE_DATA's dwReasonCode. */
  | 'onex-reason'
  /** ONEX_AUTH_STATUS (dot1x.h), from ONEX_STATUS's authStatus. */
  | 'onex-status'
  /** An EAP method's EAP_E_* value (eaphosterror.h), from ONEX_EAP_ERROR or an EapError. */
  | 'eap-error'
  /** A Win32 error code from a call (WlanConnect, EvtQuery…). */
  | 'win32'
  /** Wired-AutoConfig event 15514's reason code (its ReasonCode field). */
  | 'wired-reason'
  /** NMDeviceStateReason (NetworkManager's D-Bus API). */
  | 'nm-device-reason'
  /** NMActiveConnectionStateReason (NetworkManager's D-Bus API). */
  | 'nm-active-reason'
  /** wpa_supplicant's EAP signal: `status` and `parameter` joined by a space, e.g. "completion failure". */
  | 'wpa-eap-status';

/** One raw code as a layer gave it: the number (or string) exactly, and its name when known. */
export interface ConnectCode {
  source: ConnectCodeSource;
  value: number | string;
  /** The code's symbolic name from its source (e.g. 'EAP_E_USER_CREDENTIALS_REJECTED'). */
  name?: string;
}

/** One state change, as it happens (the CLI prints one line each). */
export interface ConnectEvent {
  state: 'installing' | 'associating' | 'associated' | '802.1x-started' | 'method' | 'authenticating'
    | 'authenticated' | 'configuring' | 'connected' | 'failed' | 'cleaning-up';
  /** The EAP method's name, on 'method' (e.g. 'peap'). */
  method?: string;
  /** The raw code this change came with, if any. */
  code?: ConnectCode;
  /** Milliseconds since connect() began. */
  elapsedMs: number;
  /** The OS's own words for the change, when it gave any. */
  detail?: string;
}

export interface ConnectOutcome {
  /** The machine is on the network: authenticated and addressed (the OS says the connection is up). */
  connected: boolean;
  /** 802.1X succeeded (the EAP method's success), whether or not an address followed: true with
   *  `connected`, with `category: 'authenticated'` (`until: 'authenticated'`) and with `no-address`. */
  authenticated: boolean;
  category: ConnectCategory;
  /** The EAP method that ran, by our name ('peap', 'tls', 'ttls', …), when known. */
  method?: string;
  /** Every raw code the layers gave, in the order they came. */
  codes: ConnectCode[];
  elapsedMs: number;
  /** The interface that was used (Linux: its name; Windows: its GUID). */
  interface?: string;
  /** The OS supplicant that ran it. */
  via: 'networkmanager' | 'wlan' | 'wired-autoconfig';
  /** One sentence: what happened. */
  message: string;
  /** What the user can do next; absent when connected. */
  nextStep?: string;
}

/** What a backend is given. The profile is already read and checked. */
export interface ConnectRequest {
  /** The profile to try (not yet installed: tried without being saved), or absent with `name`. */
  profile?: import('../network-profile').NetworkProfile;
  /** A profile already installed in the OS, by its name (NM connection id, WLAN profile name). */
  name?: string;
  /** Install the profile for good before connecting. */
  install?: boolean;
  /** An interface name (Linux) or GUID / name (Windows); absent: the one the profile fits. */
  interface?: string;
  /** Which of the profile's networks (or which kind of installed profile `name` is), when connect() knows. */
  network?: 'wifi' | 'wired';
  timeoutMs: number;
  /** Where the attempt ends on success: 'connected' (default: authenticated and addressed) or
   *  'authenticated' (as soon as 802.1X succeeds; what the attempt brought up is then taken down). */
  until?: 'connected' | 'authenticated';
  signal?: AbortSignal;
  /** Called for every state change, in order. */
  onEvent?: (event: ConnectEvent) => void;
}
