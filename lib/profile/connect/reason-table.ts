/**
 * The rows of the reason table: each layer's codes with the category each one reads as. A row's
 * value and name are facts from the header or source named above its group (the symbol is the
 * row's name); test/connect-reasons.test.ts checks every value against a second source. Only
 * what this file holds is known: a code outside it reads as 'unknown', with no name.
 */
import type { ConnectCategory, ConnectCodeSource } from './outcome';

/** [value, the symbol its source gives it, the category it reads as] */
export type ReasonRow = readonly [number | string, string, ConnectCategory];

export interface ReasonGroup {
  source: ConnectCodeSource;
  /** Where the values and names come from: a header (or source file) and its type. */
  cite: string;
  rows: readonly ReasonRow[];
  /** wpa-eap-status: rows that stand for a status whatever its parameter (matched after the exact rows). */
  prefixes?: readonly ReasonRow[];
}

/** WLAN_REASON_CODE (wlanapi.h; bases from l2cmn.h): ACM connection_complete's wlanReasonCode, WlanConnect's failures. */
const WLAN: ReasonGroup = {
  source: 'wlan-reason',
  cite: 'Windows SDK wlanapi.h, WLAN_REASON_CODE_* (bases L2_REASON_CODE_* in l2cmn.h)',
  rows: [
    [0x00000, 'WLAN_REASON_CODE_SUCCESS', 'connected'],
    [0x10001, 'WLAN_REASON_CODE_UNKNOWN', 'unknown'],
    [0x20001, 'WLAN_REASON_CODE_NETWORK_NOT_COMPATIBLE', 'policy'],
    [0x20002, 'WLAN_REASON_CODE_PROFILE_NOT_COMPATIBLE', 'policy'],
    [0x28002, 'WLAN_REASON_CODE_NOT_VISIBLE', 'no-authenticator'],
    [0x28003, 'WLAN_REASON_CODE_GP_DENIED', 'policy'],
    [0x28004, 'WLAN_REASON_CODE_USER_DENIED', 'policy'],
    [0x28005, 'WLAN_REASON_CODE_BSS_TYPE_NOT_ALLOWED', 'policy'],
    [0x28007, 'WLAN_REASON_CODE_IN_BLOCKED_LIST', 'policy'],
    [0x28009, 'WLAN_REASON_CODE_CONNECT_CALL_FAIL', 'unknown'],
    [0x2800b, 'WLAN_REASON_CODE_NETWORK_NOT_AVAILABLE', 'no-authenticator'],
    [0x2800d, 'WLAN_REASON_CODE_KEY_MISMATCH', 'credentials-rejected'],
    [0x2800e, 'WLAN_REASON_CODE_USER_NOT_RESPOND', 'interaction-required'],
    [0x38001, 'WLAN_REASON_CODE_USER_CANCELLED', 'interaction-required'],
    [0x38002, 'WLAN_REASON_CODE_ASSOCIATION_FAILURE', 'no-authenticator'],
    [0x38003, 'WLAN_REASON_CODE_ASSOCIATION_TIMEOUT', 'timeout'],
    [0x38004, 'WLAN_REASON_CODE_PRE_SECURITY_FAILURE', 'policy'],
    [0x38005, 'WLAN_REASON_CODE_START_SECURITY_FAILURE', 'policy'],
    [0x38006, 'WLAN_REASON_CODE_SECURITY_FAILURE', 'unknown'],
    [0x38007, 'WLAN_REASON_CODE_SECURITY_TIMEOUT', 'timeout'],
    [0x38011, 'WLAN_REASON_CODE_UI_REQUEST_TIMEOUT', 'interaction-required'],
    [0x38012, 'WLAN_REASON_CODE_TOO_MANY_SECURITY_ATTEMPTS', 'credentials-rejected'],
    [0x38014, 'WLAN_REASON_CODE_NO_VISIBLE_AP', 'no-authenticator'],
    [0x4000a, 'WLAN_REASON_CODE_MSMSEC_PROFILE_ONEX_DISABLED', 'policy'],
    [0x4000b, 'WLAN_REASON_CODE_MSMSEC_PROFILE_ONEX_ENABLED', 'policy'],
    [0x40012, 'WLAN_REASON_CODE_MSMSEC_CAPABILITY_NETWORK', 'policy'],
    [0x40013, 'WLAN_REASON_CODE_MSMSEC_CAPABILITY_NIC', 'policy'],
    [0x40014, 'WLAN_REASON_CODE_MSMSEC_CAPABILITY_PROFILE', 'policy'],
    [0x48001, 'WLAN_REASON_CODE_MSMSEC_UI_REQUEST_FAILURE', 'interaction-required'],
    [0x48002, 'WLAN_REASON_CODE_MSMSEC_AUTH_START_TIMEOUT', 'no-authenticator'],
    [0x48003, 'WLAN_REASON_CODE_MSMSEC_AUTH_SUCCESS_TIMEOUT', 'timeout'],
    [0x48004, 'WLAN_REASON_CODE_MSMSEC_KEY_START_TIMEOUT', 'timeout'],
    [0x48005, 'WLAN_REASON_CODE_MSMSEC_KEY_SUCCESS_TIMEOUT', 'timeout'],
    [0x4800f, 'WLAN_REASON_CODE_MSMSEC_NO_AUTHENTICATOR', 'no-authenticator'],
    [0x48011, 'WLAN_REASON_CODE_MSMSEC_CANCELLED', 'interaction-required'],
    [0x48014, 'WLAN_REASON_CODE_MSMSEC_PSK_MISMATCH_SUSPECTED', 'credentials-rejected'],
    [0x80001, 'WLAN_REASON_CODE_INVALID_PROFILE_SCHEMA', 'policy'],
    [0x80002, 'WLAN_REASON_CODE_PROFILE_MISSING', 'policy'],
    [0x80003, 'WLAN_REASON_CODE_INVALID_PROFILE_NAME', 'policy'],
    [0x8000b, 'WLAN_REASON_CODE_CONFLICT_SECURITY', 'policy'],
    [0x8000c, 'WLAN_REASON_CODE_SECURITY_MISSING', 'policy'],
  ],
};

/**
 * ONEX_REASON_CODE (dot1x.h): ONEX_STATUS.dwReason in ONEX_RESULT_UPDATE_DATA. Wired AutoConfig's
 * event 15514 reports its ReasonCode in the same L2 reason space (ONEX and WLAN values alike).
 */
const ONEX_REASON: ReasonGroup = {
  source: 'onex-reason',
  cite: 'Windows SDK dot1x.h, enum ONEX_REASON_CODE (ONEX_REASON_START = L2_REASON_CODE_ONEX_BASE, 0x50000)',
  rows: [
    [0x00000, 'ONEX_REASON_CODE_SUCCESS', 'connected'],
    [0x50001, 'ONEX_UNABLE_TO_IDENTIFY_USER', 'interaction-required'],
    [0x50002, 'ONEX_IDENTITY_NOT_FOUND', 'interaction-required'],
    [0x50003, 'ONEX_UI_DISABLED', 'interaction-required'],
    [0x50004, 'ONEX_UI_FAILURE', 'interaction-required'],
    [0x50005, 'ONEX_EAP_FAILURE_RECEIVED', 'credentials-rejected'],
    [0x50006, 'ONEX_AUTHENTICATOR_NO_LONGER_PRESENT', 'no-authenticator'],
    [0x50007, 'ONEX_NO_RESPONSE_TO_IDENTITY', 'no-authenticator'],
    [0x50008, 'ONEX_PROFILE_VERSION_NOT_SUPPORTED', 'policy'],
    [0x50009, 'ONEX_PROFILE_INVALID_LENGTH', 'policy'],
    [0x5000a, 'ONEX_PROFILE_DISALLOWED_EAP_TYPE', 'policy'],
    [0x5000b, 'ONEX_PROFILE_INVALID_EAP_TYPE_OR_FLAG', 'policy'],
    [0x5000c, 'ONEX_PROFILE_INVALID_ONEX_FLAGS', 'policy'],
    [0x5000d, 'ONEX_PROFILE_INVALID_TIMER_VALUE', 'policy'],
    [0x5000e, 'ONEX_PROFILE_INVALID_SUPPLICANT_MODE', 'policy'],
    [0x5000f, 'ONEX_PROFILE_INVALID_AUTH_MODE', 'policy'],
    [0x50010, 'ONEX_PROFILE_INVALID_EAP_CONNECTION_PROPERTIES', 'policy'],
    [0x50011, 'ONEX_UI_CANCELLED', 'interaction-required'],
    [0x50012, 'ONEX_PROFILE_INVALID_EXPLICIT_CREDENTIALS', 'credentials-rejected'],
    [0x50013, 'ONEX_PROFILE_EXPIRED_EXPLICIT_CREDENTIALS', 'credentials-rejected'],
    [0x50014, 'ONEX_UI_NOT_PERMITTED', 'interaction-required'],
  ],
};

/** ONEX_AUTH_STATUS (dot1x.h): ONEX_STATUS.authStatus. */
const ONEX_STATUS: ReasonGroup = {
  source: 'onex-status',
  cite: 'Windows SDK dot1x.h, enum ONEX_AUTH_STATUS',
  rows: [
    [0, 'OneXAuthNotStarted', 'unknown'],
    [1, 'OneXAuthInProgress', 'unknown'],
    [2, 'OneXAuthNoAuthenticatorFound', 'no-authenticator'],
    [3, 'OneXAuthSuccess', 'connected'],
    [4, 'OneXAuthFailure', 'unknown'],
    [5, 'OneXAuthInvalid', 'unknown'],
  ],
};

/**
 * EAP_E_* / EAP_I_* (eaphosterror.h): ONEX_EAP_ERROR.dwReasonCode and an EapError's reason. The
 * SDK's values are 0x8042xxxx (errors) and 0x4042xxxx (information); mingw-w64's header writes
 * the errors as 0x4042xxxx, which Windows never reports.
 */
const EAP_ERROR: ReasonGroup = {
  source: 'eap-error',
  cite: 'Windows SDK EapHostError.h, EAP_E_* and EAP_I_*',
  rows: [
    [0x4042_0016, 'EAP_I_EAPHOST_EAP_NEGOTIATION_FAILED', 'policy'],
    [0x4042_0110, 'EAP_I_USER_ACCOUNT_OTHER_ERROR', 'credentials-rejected'],
    [0x8042_0010, 'EAP_E_CERT_STORE_INACCESSIBLE', 'client-certificate'],
    [0x8042_0011, 'EAP_E_EAPHOST_METHOD_NOT_INSTALLED', 'policy'],
    [0x8042_0012, 'EAP_E_EAPHOST_THIRDPARTY_METHOD_HOST_RESET', 'interrupted'],
    [0x8042_0013, 'EAP_E_EAPHOST_EAPQEC_INACCESSIBLE', 'policy'],
    [0x8042_0014, 'EAP_E_EAPHOST_IDENTITY_UNKNOWN', 'credentials-rejected'],
    [0x8042_0015, 'EAP_E_AUTHENTICATION_FAILED', 'credentials-rejected'],
    [0x8042_0017, 'EAP_E_EAPHOST_METHOD_INVALID_PACKET', 'unknown'],
    [0x8042_0018, 'EAP_E_EAPHOST_REMOTE_INVALID_PACKET', 'unknown'],
    [0x8042_0019, 'EAP_E_EAPHOST_XML_MALFORMED', 'policy'],
    [0x8042_001a, 'EAP_E_METHOD_CONFIG_DOES_NOT_SUPPORT_SSO', 'policy'],
    [0x8042_0020, 'EAP_E_EAPHOST_METHOD_OPERATION_NOT_SUPPORTED', 'policy'],
    [0x8042_0100, 'EAP_E_USER_CERT_NOT_FOUND', 'client-certificate'],
    [0x8042_0101, 'EAP_E_USER_CERT_INVALID', 'client-certificate'],
    [0x8042_0102, 'EAP_E_USER_CERT_EXPIRED', 'client-certificate'],
    [0x8042_0103, 'EAP_E_USER_CERT_REVOKED', 'client-certificate'],
    [0x8042_0104, 'EAP_E_USER_CERT_OTHER_ERROR', 'client-certificate'],
    [0x8042_0105, 'EAP_E_USER_CERT_REJECTED', 'client-certificate'],
    [0x8042_0111, 'EAP_E_USER_CREDENTIALS_REJECTED', 'credentials-rejected'],
    [0x8042_0112, 'EAP_E_USER_NAME_PASSWORD_REJECTED', 'credentials-rejected'],
    [0x8042_0113, 'EAP_E_NO_SMART_CARD_READER', 'client-certificate'],
    [0x8042_0200, 'EAP_E_SERVER_CERT_NOT_FOUND', 'server-untrusted'],
    [0x8042_0201, 'EAP_E_SERVER_CERT_INVALID', 'server-untrusted'],
    [0x8042_0202, 'EAP_E_SERVER_CERT_EXPIRED', 'server-untrusted'],
    [0x8042_0203, 'EAP_E_SERVER_CERT_REVOKED', 'server-untrusted'],
    [0x8042_0204, 'EAP_E_SERVER_CERT_OTHER_ERROR', 'server-untrusted'],
    [0x8042_0300, 'EAP_E_USER_ROOT_CERT_NOT_FOUND', 'client-certificate'],
    [0x8042_0301, 'EAP_E_USER_ROOT_CERT_INVALID', 'client-certificate'],
    [0x8042_0302, 'EAP_E_USER_ROOT_CERT_EXPIRED', 'client-certificate'],
    [0x8042_0400, 'EAP_E_SERVER_ROOT_CERT_NOT_FOUND', 'server-untrusted'],
    [0x8042_0401, 'EAP_E_SERVER_ROOT_CERT_INVALID', 'server-untrusted'],
    [0x8042_0406, 'EAP_E_SERVER_ROOT_CERT_NAME_REQUIRED', 'server-name-mismatch'],
  ],
};

/**
 * NMDeviceStateReason (NetworkManager's D-Bus API): the reason of a device's StateChanged. NM
 * reports a refused password as NO_SECRETS once the attempt is bounded (connection.auth-retries):
 * with no secret agent to ask, the secrets it needs again are the ones the network refused.
 */
const NM_DEVICE: ReasonGroup = {
  source: 'nm-device-reason',
  cite: 'NetworkManager src/libnm-core-public/nm-dbus-interface.h, enum NMDeviceStateReason',
  rows: [
    [0, 'NM_DEVICE_STATE_REASON_NONE', 'unknown'],
    [1, 'NM_DEVICE_STATE_REASON_UNKNOWN', 'unknown'],
    [2, 'NM_DEVICE_STATE_REASON_NOW_MANAGED', 'unknown'],
    [3, 'NM_DEVICE_STATE_REASON_NOW_UNMANAGED', 'interrupted'],
    [4, 'NM_DEVICE_STATE_REASON_CONFIG_FAILED', 'policy'],
    [5, 'NM_DEVICE_STATE_REASON_IP_CONFIG_UNAVAILABLE', 'no-address'],
    [6, 'NM_DEVICE_STATE_REASON_IP_CONFIG_EXPIRED', 'no-address'],
    [7, 'NM_DEVICE_STATE_REASON_NO_SECRETS', 'credentials-rejected'],
    [8, 'NM_DEVICE_STATE_REASON_SUPPLICANT_DISCONNECT', 'no-authenticator'],
    [9, 'NM_DEVICE_STATE_REASON_SUPPLICANT_CONFIG_FAILED', 'policy'],
    [10, 'NM_DEVICE_STATE_REASON_SUPPLICANT_FAILED', 'interrupted'],
    [11, 'NM_DEVICE_STATE_REASON_SUPPLICANT_TIMEOUT', 'timeout'],
    [15, 'NM_DEVICE_STATE_REASON_DHCP_START_FAILED', 'no-address'],
    [16, 'NM_DEVICE_STATE_REASON_DHCP_ERROR', 'no-address'],
    [17, 'NM_DEVICE_STATE_REASON_DHCP_FAILED', 'no-address'],
    [20, 'NM_DEVICE_STATE_REASON_AUTOIP_START_FAILED', 'no-address'],
    [21, 'NM_DEVICE_STATE_REASON_AUTOIP_ERROR', 'no-address'],
    [22, 'NM_DEVICE_STATE_REASON_AUTOIP_FAILED', 'no-address'],
    [35, 'NM_DEVICE_STATE_REASON_FIRMWARE_MISSING', 'policy'],
    [36, 'NM_DEVICE_STATE_REASON_REMOVED', 'interrupted'],
    [37, 'NM_DEVICE_STATE_REASON_SLEEPING', 'interrupted'],
    [38, 'NM_DEVICE_STATE_REASON_CONNECTION_REMOVED', 'interrupted'],
    [39, 'NM_DEVICE_STATE_REASON_USER_REQUESTED', 'interrupted'],
    [40, 'NM_DEVICE_STATE_REASON_CARRIER', 'no-authenticator'],
    [41, 'NM_DEVICE_STATE_REASON_CONNECTION_ASSUMED', 'interrupted'],
    [42, 'NM_DEVICE_STATE_REASON_SUPPLICANT_AVAILABLE', 'interrupted'],
    [50, 'NM_DEVICE_STATE_REASON_DEPENDENCY_FAILED', 'policy'],
    [53, 'NM_DEVICE_STATE_REASON_SSID_NOT_FOUND', 'no-authenticator'],
    [54, 'NM_DEVICE_STATE_REASON_SECONDARY_CONNECTION_FAILED', 'policy'],
    [60, 'NM_DEVICE_STATE_REASON_NEW_ACTIVATION', 'interrupted'],
    [61, 'NM_DEVICE_STATE_REASON_PARENT_CHANGED', 'interrupted'],
    [62, 'NM_DEVICE_STATE_REASON_PARENT_MANAGED_CHANGED', 'interrupted'],
    [64, 'NM_DEVICE_STATE_REASON_IP_ADDRESS_DUPLICATE', 'no-address'],
    [65, 'NM_DEVICE_STATE_REASON_IP_METHOD_UNSUPPORTED', 'policy'],
  ],
};

/** NMActiveConnectionStateReason (NetworkManager's D-Bus API): an active connection's StateChanged reason. */
const NM_ACTIVE: ReasonGroup = {
  source: 'nm-active-reason',
  cite: 'NetworkManager src/libnm-core-public/nm-dbus-interface.h, enum NMActiveConnectionStateReason',
  rows: [
    [0, 'NM_ACTIVE_CONNECTION_STATE_REASON_UNKNOWN', 'unknown'],
    [1, 'NM_ACTIVE_CONNECTION_STATE_REASON_NONE', 'unknown'],
    [2, 'NM_ACTIVE_CONNECTION_STATE_REASON_USER_DISCONNECTED', 'interrupted'],
    [3, 'NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_DISCONNECTED', 'unknown'],
    [4, 'NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_STOPPED', 'interrupted'],
    [5, 'NM_ACTIVE_CONNECTION_STATE_REASON_IP_CONFIG_INVALID', 'no-address'],
    [6, 'NM_ACTIVE_CONNECTION_STATE_REASON_CONNECT_TIMEOUT', 'timeout'],
    [7, 'NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_TIMEOUT', 'timeout'],
    [8, 'NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_FAILED', 'policy'],
    [9, 'NM_ACTIVE_CONNECTION_STATE_REASON_NO_SECRETS', 'credentials-rejected'],
    [10, 'NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED', 'credentials-rejected'],
    [11, 'NM_ACTIVE_CONNECTION_STATE_REASON_CONNECTION_REMOVED', 'interrupted'],
    [12, 'NM_ACTIVE_CONNECTION_STATE_REASON_DEPENDENCY_FAILED', 'policy'],
    [13, 'NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_REALIZE_FAILED', 'policy'],
    [14, 'NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_REMOVED', 'interrupted'],
  ],
};

/**
 * The rows kept as 'unknown' on purpose, each because its code says nothing about why by itself
 * (another code beside it does, or nothing does): every other row a layer can give reads as a
 * category, and test/connect-reasons.test.ts holds the table to that.
 */
export const SAYS_NOTHING_BY_ITSELF: Readonly<Record<string, string>> = {
  WLAN_REASON_CODE_UNKNOWN: 'Windows\' own "unknown"',
  WLAN_REASON_CODE_CONNECT_CALL_FAIL: 'the connect call failed; the Win32 error beside it says why',
  WLAN_REASON_CODE_SECURITY_FAILURE: 'a security failure; the ONEX reason and EAP error beside it say which',
  OneXAuthNotStarted: 'a status on the way, not an end',
  OneXAuthInProgress: 'a status on the way, not an end',
  OneXAuthFailure: 'failed; the ONEX reason beside it says why',
  OneXAuthInvalid: 'an invalid status',
  EAP_E_EAPHOST_METHOD_INVALID_PACKET: 'a malformed packet, from either side',
  EAP_E_EAPHOST_REMOTE_INVALID_PACKET: 'a malformed packet, from either side',
  NM_DEVICE_STATE_REASON_NONE: 'no reason given',
  NM_DEVICE_STATE_REASON_UNKNOWN: 'NetworkManager\'s own "unknown"',
  NM_DEVICE_STATE_REASON_NOW_MANAGED: 'the device becoming usable, never an end',
  NM_ACTIVE_CONNECTION_STATE_REASON_UNKNOWN: 'NetworkManager\'s own "unknown"',
  NM_ACTIVE_CONNECTION_STATE_REASON_NONE: 'no reason given',
  NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_DISCONNECTED: 'the device went down; the device\'s own reason says why',
  TLS_ALERT: 'a TLS alert the table does not name; the certificate verdict beside it says more',
};

/**
 * wpa_supplicant's EAP signal (fi.w1.wpa_supplicant1.Interface.EAP), status and parameter joined
 * by one space. The statuses come from hostap's src/eap_peer/eap.c (eap_notify_status: EAP-Success
 * and EAP-Failure, the TLS events); a certificate failure's parameter is the TLS library's reason
 * text: hostap's own for a name check (src/crypto/tls_openssl.c, enum tls_fail_reason), OpenSSL's
 * X509_verify_cert_error_string otherwise; an alert's parameter is SSL_alert_desc_string_long.
 * Names are the symbols that produce each text.
 */
const WPA_EAP: ReasonGroup = {
  source: 'wpa-eap-status',
  cite: 'hostap src/eap_peer/eap.c eap_notify_status, src/crypto/tls_openssl.c; OpenSSL x509_txt.c, ssl_stat.c',
  rows: [
    ['completion success', 'EAP_CODE_SUCCESS', 'connected'],
    ['completion failure', 'EAP_CODE_FAILURE', 'credentials-rejected'],
    ['remote certificate verification success', 'TLS_CERT_CHAIN_SUCCESS', 'connected'],
    ['remote certificate verification Domain suffix mismatch', 'TLS_FAIL_DOMAIN_SUFFIX_MISMATCH', 'server-name-mismatch'],
    ['remote certificate verification Domain mismatch', 'TLS_FAIL_DOMAIN_MISMATCH', 'server-name-mismatch'],
    ['remote certificate verification Subject mismatch', 'TLS_FAIL_SUBJECT_MISMATCH', 'server-name-mismatch'],
    ['remote certificate verification AltSubject mismatch', 'TLS_FAIL_ALTSUBJECT_MISMATCH', 'server-name-mismatch'],
    ['remote certificate verification unable to get local issuer certificate', 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'server-untrusted'],
    ['remote certificate verification self-signed certificate in certificate chain', 'X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN', 'server-untrusted'],
    ['remote certificate verification self-signed certificate', 'X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', 'server-untrusted'],
    ['remote certificate verification certificate has expired', 'X509_V_ERR_CERT_HAS_EXPIRED', 'server-untrusted'],
    ['remote certificate verification certificate is not yet valid', 'X509_V_ERR_CERT_NOT_YET_VALID', 'server-untrusted'],
    ['local TLS alert unknown CA', 'SSL_AD_UNKNOWN_CA', 'server-untrusted'],
    ['local TLS alert bad certificate', 'SSL_AD_BAD_CERTIFICATE', 'server-untrusted'],
    ['local TLS alert certificate expired', 'SSL_AD_CERTIFICATE_EXPIRED', 'server-untrusted'],
    ['local TLS alert certificate unknown', 'SSL_AD_CERTIFICATE_UNKNOWN', 'server-untrusted'],
    ['remote TLS alert unknown CA', 'SSL_AD_UNKNOWN_CA', 'client-certificate'],
    ['remote TLS alert bad certificate', 'SSL_AD_BAD_CERTIFICATE', 'client-certificate'],
    ['remote TLS alert certificate expired', 'SSL_AD_CERTIFICATE_EXPIRED', 'client-certificate'],
    ['remote TLS alert certificate revoked', 'SSL_AD_CERTIFICATE_REVOKED', 'client-certificate'],
    ['remote TLS alert certificate unknown', 'SSL_AD_CERTIFICATE_UNKNOWN', 'client-certificate'],
    ['remote TLS alert unsupported certificate', 'SSL_AD_UNSUPPORTED_CERTIFICATE', 'client-certificate'],
  ],
  prefixes: [
    ['remote certificate verification', 'TLS_CERT_CHAIN_FAILURE', 'server-untrusted'],
    ['refuse proposed method', 'WPA_EVENT_EAP_PROPOSED_METHOD', 'policy'],
    ['local TLS alert', 'TLS_ALERT', 'unknown'],
    ['remote TLS alert', 'TLS_ALERT', 'unknown'],
  ],
};

export const REASON_GROUPS: readonly ReasonGroup[] = [WLAN, ONEX_REASON, ONEX_STATUS, EAP_ERROR, NM_DEVICE, NM_ACTIVE, WPA_EAP];
