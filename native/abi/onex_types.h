// The 802.1X (ONEX) notification structures Native Wifi hands a WLAN_NOTIFICATION_CALLBACK when
// the notification source is WLAN_NOTIFICATION_SOURCE_ONEX (dot1x.h in the Windows SDK), declared
// field by field from Microsoft's reference and win32metadata's copy of the SDK headers: Debian's
// mingw-w64 ships no dot1x.h. onex_sdk_layout_check.cc proves every size and offset against the
// SDK's own header.
//
// Variable parts travel as ONEX_VARIABLE_BLOB {dwSize, dwOffset}: dwOffset counts from the start
// of the structure that holds the blob (ONEX_RESULT_UPDATE_DATA for its eapError, ONEX_EAP_ERROR
// for its strings), and a reader bounds every dwOffset + dwSize by the notification's dwDataSize
// before it reads (native/platform/wlan_notification.h does).
#pragma once

#include <cstddef>

#include "eap_platform.h"
#include "eap_types.h"

namespace eap {

// L2_REASON_CODE_ONEX_BASE (l2cmn.h): each layer's reason codes take a 0x10000 block, ONEX's
// the fifth.
constexpr DWORD kL2ReasonCodeOnexBase = 0x50000;

enum ONEX_AUTH_IDENTITY : int {
  OneXAuthIdentityNone,
  OneXAuthIdentityMachine,
  OneXAuthIdentityUser,
  OneXAuthIdentityExplicitUser,
  OneXAuthIdentityGuest,
  OneXAuthIdentityInvalid
};

enum ONEX_AUTH_STATUS : int {
  OneXAuthNotStarted,
  OneXAuthInProgress,
  OneXAuthNoAuthenticatorFound,
  OneXAuthSuccess,
  OneXAuthFailure,
  OneXAuthInvalid
};

enum ONEX_REASON_CODE : int {
  ONEX_REASON_CODE_SUCCESS = 0,
  ONEX_REASON_START = static_cast<int>(kL2ReasonCodeOnexBase),
  ONEX_UNABLE_TO_IDENTIFY_USER,
  ONEX_IDENTITY_NOT_FOUND,
  ONEX_UI_DISABLED,
  ONEX_UI_FAILURE,
  ONEX_EAP_FAILURE_RECEIVED,
  ONEX_AUTHENTICATOR_NO_LONGER_PRESENT,
  ONEX_NO_RESPONSE_TO_IDENTITY,
  ONEX_PROFILE_VERSION_NOT_SUPPORTED,
  ONEX_PROFILE_INVALID_LENGTH,
  ONEX_PROFILE_DISALLOWED_EAP_TYPE,
  ONEX_PROFILE_INVALID_EAP_TYPE_OR_FLAG,
  ONEX_PROFILE_INVALID_ONEX_FLAGS,
  ONEX_PROFILE_INVALID_TIMER_VALUE,
  ONEX_PROFILE_INVALID_SUPPLICANT_MODE,
  ONEX_PROFILE_INVALID_AUTH_MODE,
  ONEX_PROFILE_INVALID_EAP_CONNECTION_PROPERTIES,
  ONEX_UI_CANCELLED,
  ONEX_PROFILE_INVALID_EXPLICIT_CREDENTIALS,
  ONEX_PROFILE_EXPIRED_EXPLICIT_CREDENTIALS,
  ONEX_UI_NOT_PERMITTED
};

// WLAN_NOTIFICATION_DATA.NotificationCode when the source is ONEX.
enum ONEX_NOTIFICATION_TYPE : int {
  OneXPublicNotificationBase = 0,
  OneXNotificationTypeResultUpdate,
  OneXNotificationTypeAuthRestarted,
  OneXNotificationTypeEventInvalid,
  OneXNumNotifications = OneXNotificationTypeEventInvalid
};

enum ONEX_AUTH_RESTART_REASON : int {
  OneXRestartReasonPeerInitiated,
  OneXRestartReasonMsmInitiated,
  OneXRestartReasonOneXHeldStateTimeout,
  OneXRestartReasonOneXAuthTimeout,
  OneXRestartReasonOneXConfigurationChanged,
  OneXRestartReasonOneXUserChanged,
  OneXRestartReasonQuarantineStateChanged,
  OneXRestartReasonAltCredsTrial,
  OneXRestartReasonInvalid
};

enum ONEX_EAP_METHOD_BACKEND_SUPPORT : int {
  OneXEapMethodBackendSupportUnknown,
  OneXEapMethodBackendSupported,
  OneXEapMethodBackendUnsupported
};

struct ONEX_VARIABLE_BLOB {
  DWORD dwSize;
  DWORD dwOffset;  // from the start of the structure holding this blob
};

struct ONEX_STATUS {
  ONEX_AUTH_STATUS authStatus;
  DWORD dwReason;  // an ONEX_REASON_CODE
  DWORD dwError;   // a Win32 error
};

// The EAP method's own error, inside a result update (its eapError blob).
struct ONEX_EAP_ERROR {
  DWORD dwWinError;
  EAP_METHOD_TYPE type;
  DWORD dwReasonCode;  // the method's EAP_E_* value, e.g. 0x80420111
  GUID rootCauseGuid;
  GUID repairGuid;
  GUID helpLinkGuid;
  DWORD fRootCauseString : 1;
  DWORD fRepairString : 1;
  ONEX_VARIABLE_BLOB RootCauseString;  // UTF-16, from the start of this ONEX_EAP_ERROR
  ONEX_VARIABLE_BLOB RepairString;
};

// The data of OneXNotificationTypeResultUpdate.
struct ONEX_RESULT_UPDATE_DATA {
  ONEX_STATUS oneXStatus;
  ONEX_EAP_METHOD_BACKEND_SUPPORT BackendSupport;
  BOOL fBackendEngaged;
  DWORD fOneXAuthParams : 1;
  DWORD fEapError : 1;
  ONEX_VARIABLE_BLOB authParams;  // an ONEX_AUTH_PARAMS, which this project does not read
  ONEX_VARIABLE_BLOB eapError;    // an ONEX_EAP_ERROR, from the start of this structure
};

// The layouts on every target (x86 and x64 alike: no pointer inside), so a reader can bound
// them without the SDK at hand; onex_sdk_layout_check.cc proves them against dot1x.h.
static_assert(sizeof(ONEX_VARIABLE_BLOB) == 8, "ONEX_VARIABLE_BLOB is 8 bytes");
static_assert(sizeof(ONEX_STATUS) == 12, "ONEX_STATUS is 12 bytes");
static_assert(sizeof(ONEX_EAP_ERROR) == 92, "ONEX_EAP_ERROR is 92 bytes");
static_assert(sizeof(ONEX_RESULT_UPDATE_DATA) == 40, "ONEX_RESULT_UPDATE_DATA is 40 bytes");
static_assert(offsetof(ONEX_EAP_ERROR, dwReasonCode) == 20 && offsetof(ONEX_EAP_ERROR, RootCauseString) == 76,
              "ONEX_EAP_ERROR's members sit where dot1x.h puts them");
static_assert(offsetof(ONEX_RESULT_UPDATE_DATA, authParams) == 24 && offsetof(ONEX_RESULT_UPDATE_DATA, eapError) == 32,
              "ONEX_RESULT_UPDATE_DATA's members sit where dot1x.h puts them");
static_assert(ONEX_UNABLE_TO_IDENTIFY_USER == 0x50001 && ONEX_EAP_FAILURE_RECEIVED == 0x50005,
              "ONEX reason codes start at L2_REASON_CODE_ONEX_BASE");

}  // namespace eap
