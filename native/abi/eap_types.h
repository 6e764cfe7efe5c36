// Types shared by every EAP API (eaptypes.h, eapmethodtypes.h, eapauthenticatoractiondefine.h,
// eaphostpeertypes.h in the Windows SDK), declared field by field from Microsoft's reference.
// This is the only place in the project where these types are declared.
//
// They live in namespace eap so a translation unit can include both this header and the
// SDK's and static_assert that every size and offset agrees (see native/abi/sdk_layout_check.cc).
#pragma once

#include "eap_attribute_types.h"
#include "eap_host_error.h"
#include "eap_platform.h"

namespace eap {

// ---- eaptypes.h -------------------------------------------------------------------------

struct EAP_TYPE {
  BYTE type;
  DWORD dwVendorId;
  DWORD dwVendorType;
};

struct EAP_METHOD_TYPE {
  EAP_TYPE eapType;
  DWORD dwAuthorId;
};

struct EAP_METHOD_INFO {
  EAP_METHOD_TYPE eaptype;
  LPWSTR pwszAuthorName;
  LPWSTR pwszFriendlyName;
  DWORD eapProperties;
  EAP_METHOD_INFO* pInnerMethodInfo;
};

struct EAP_METHOD_INFO_ARRAY {
  DWORD dwNumberOfMethods;
  EAP_METHOD_INFO* pEapMethods;
};

struct EAP_ERROR {
  DWORD dwWinError;
  EAP_METHOD_TYPE type;
  DWORD dwReasonCode;
  GUID rootCauseGuid;
  GUID repairGuid;
  GUID helpLinkGuid;
  LPWSTR pRootCauseString;
  LPWSTR pRepairString;
};

struct EAP_ATTRIBUTE {
  EAP_ATTRIBUTE_TYPE eaType;
  DWORD dwLength;
  BYTE* pValue;
};

struct EAP_ATTRIBUTES {
  DWORD dwNumberOfAttributes;
  EAP_ATTRIBUTE* pAttribs;
};
using EapAttributes = EAP_ATTRIBUTES;

// Flags passed to GetIdentity / BeginSession (EAP_FLAG_* in eaptypes.h).
enum : DWORD {
  EAP_FLAG_Reserved1 = 0x00000001,
  EAP_FLAG_NON_INTERACTIVE = 0x00000002,
  EAP_FLAG_LOGON = 0x00000004,
  EAP_FLAG_PREVIEW = 0x00000008,
  EAP_FLAG_Reserved2 = 0x00000010,
  EAP_FLAG_MACHINE_AUTH = 0x00000020,
  EAP_FLAG_GUEST_ACCESS = 0x00000040,
  EAP_FLAG_Reserved3 = 0x00000080,
  EAP_FLAG_Reserved4 = 0x00000100,
  EAP_FLAG_RESUME_FROM_HIBERNATE = 0x00000200,
  EAP_FLAG_Reserved5 = 0x00000400,
  EAP_FLAG_Reserved6 = 0x00000800,
  EAP_FLAG_FULL_AUTH = 0x00001000,
  EAP_FLAG_PREFER_ALT_CREDENTIALS = 0x00002000,
  EAP_FLAG_Reserved7 = 0x00004000,
  EAP_PEER_FLAG_HEALTH_STATE_CHANGE = 0x00008000,
  EAP_FLAG_SUPRESS_UI = 0x00010000,  // the SDK's spelling
  EAP_FLAG_PRE_LOGON = 0x00020000,
  EAP_FLAG_USER_AUTH = 0x00040000,
  EAP_FLAG_CONFG_READONLY = 0x00080000,  // the SDK's spelling
  EAP_FLAG_Reserved8 = 0x00100000,
  EAP_FLAG_Reserved9 = 0x00400000,
  EAP_FLAG_VPN = 0x00800000,
  EAP_FLAG_ONLY_EAP_TLS = 0x01000000,
  EAP_FLAG_SERVER_VALIDATION_REQUIRED = 0x02000000,
};

// Method properties (eapProp* in eaptypes.h).
enum : DWORD {
  eapPropCipherSuiteNegotiation = 0x00000001,
  eapPropMutualAuth = 0x00000002,
  eapPropIntegrity = 0x00000004,
  eapPropReplayProtection = 0x00000008,
  eapPropConfidentiality = 0x00000010,
  eapPropKeyDerivation = 0x00000020,
  eapPropKeyStrength64 = 0x00000040,
  eapPropKeyStrength128 = 0x00000080,
  eapPropKeyStrength256 = 0x00000100,
  eapPropKeyStrength512 = 0x00000200,
  eapPropKeyStrength1024 = 0x00000400,
  eapPropDictionaryAttackResistance = 0x00000800,
  eapPropFastReconnect = 0x00001000,
  eapPropCryptoBinding = 0x00002000,
  eapPropSessionIndependence = 0x00004000,
  eapPropFragmentation = 0x00008000,
  eapPropChannelBinding = 0x00010000,
  eapPropNap = 0x00020000,
  eapPropStandalone = 0x00040000,
  eapPropMppeEncryption = 0x00080000,
  eapPropTunnelMethod = 0x00100000,
  eapPropSupportsConfig = 0x00200000,
  eapPropCertifiedMethod = 0x00400000,
  eapPropHiddenMethod = 0x00800000,
  eapPropMachineAuth = 0x01000000,
  eapPropUserAuth = 0x02000000,
  eapPropIdentityPrivacy = 0x04000000,
  eapPropMethodChaining = 0x08000000,
  eapPropSharedStateEquivalence = 0x10000000,
  eapPropReserved = 0x80000000,
};

// ---- credential input fields (eaptypes.h) -----------------------------------------------

enum EAP_CONFIG_INPUT_FIELD_TYPE : std::int32_t {
  EapConfigInputUsername = 0,
  EapConfigInputPassword = 1,
  EapConfigInputNetworkUsername = 2,
  EapConfigInputNetworkPassword = 3,
  EapConfigInputPin = 4,
  EapConfigInputPSK = 5,
  EapConfigInputEdit = 6,
  EapConfigSmartCardUsername = 7,
  EapConfigSmartCardError = 8,
};

enum : DWORD {
  EAP_CONFIG_INPUT_FIELD_PROPS_DEFAULT = 0x00000000,
  EAP_CONFIG_INPUT_FIELD_PROPS_NON_DISPLAYABLE = 0x00000001,
  EAP_CONFIG_INPUT_FIELD_PROPS_NON_PERSIST = 0x00000002,
  EAP_CREDENTIAL_VERSION = 1,
};

struct EAP_CONFIG_INPUT_FIELD_DATA {
  DWORD dwSize;
  EAP_CONFIG_INPUT_FIELD_TYPE Type;
  DWORD dwFlagProps;
  LPWSTR pwszLabel;
  LPWSTR pwszData;
  DWORD dwMinDataLength;
  DWORD dwMaxDataLength;
};

struct EAP_CONFIG_INPUT_FIELD_ARRAY {
  DWORD dwVersion;
  DWORD dwNumberOfFields;
  EAP_CONFIG_INPUT_FIELD_DATA* pFields;
};

// ---- eapmethodtypes.h: the wire packet as methods see it --------------------------------

// An EAP packet (RFC 3748 §4). Length is big-endian; Data runs past the declared array.
struct EapPacket {
  BYTE Code;
  BYTE Id;
  BYTE Length[2];
  BYTE Data[1];
};

// A C enum in the SDK, so 4 bytes wherever it is passed or stored; EapPacket::Code, the wire
// byte, stays a BYTE.
enum EapCode : std::int32_t {
  EapCodeMinimum = 1,
  EapCodeRequest = 1,
  EapCodeResponse = 2,
  EapCodeSuccess = 3,
  EapCodeFailure = 4,
  EapCodeMaximum = 4,
};

using EAP_SESSION_HANDLE = void*;
using EAP_SESSIONID = DWORD;

// ---- peer method output (eapmethodtypes.h / eapmethodpeerapis.h) ------------------------

enum EapPeerMethodResponseAction : std::int32_t {
  EapPeerMethodResponseActionDiscard = 0,
  EapPeerMethodResponseActionSend = 1,
  EapPeerMethodResponseActionResult = 2,
  EapPeerMethodResponseActionInvokeUI = 3,
  EapPeerMethodResponseActionRespond = 4,
  EapPeerMethodResponseActionNone = 5,
};

struct EapPeerMethodOutput {
  EapPeerMethodResponseAction action;
  BOOL fAllowNotifications;
};

enum EapPeerMethodResultReason : std::int32_t {
  EapPeerMethodResultUnknown = 1,
  EapPeerMethodResultSuccess = 2,
  EapPeerMethodResultFailure = 3,
};

struct NgcTicketContext;  // opaque; only its pointer crosses the ABI

// The last two members exist in current SDKs (Windows 10+). They are kept so that a host
// allocating this struct always gives a method room for every field it may write.
struct EapPeerMethodResult {
  BOOL fIsSuccess;
  DWORD dwFailureReasonCode;
  BOOL fSaveConnectionData;
  DWORD dwSizeofConnectionData;
  BYTE* pConnectionData;
  BOOL fSaveUserData;
  DWORD dwSizeofUserData;
  BYTE* pUserData;
  EAP_ATTRIBUTES* pAttribArray;
  EAP_ERROR* pEapError;
  NgcTicketContext* pNgcKerbTicket;
  BOOL fSaveToCredMan;
};

// ---- authenticator method (eapauthenticatoractiondefine.h) ------------------------------

enum EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION : std::int32_t {
  EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD = 0,
  EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND = 1,
  EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT = 2,
  EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND = 3,
  EAP_METHOD_AUTHENTICATOR_RESPONSE_AUTHENTICATE = 4,
  EAP_METHOD_AUTHENTICATOR_RESPONSE_HANDLE_IDENTITY = 5,
};

enum EAP_AUTHENTICATOR_SEND_TIMEOUT : std::int32_t {
  EAP_AUTHENTICATOR_SEND_TIMEOUT_NONE = 0,
  EAP_AUTHENTICATOR_SEND_TIMEOUT_BASIC = 1,
  EAP_AUTHENTICATOR_SEND_TIMEOUT_INTERACTIVE = 2,
};

struct EAP_METHOD_AUTHENTICATOR_RESULT {
  BOOL fIsSuccess;
  DWORD dwFailureReason;
  EAP_ATTRIBUTES* pAuthAttribs;
};

// ---- EAPHost peer runtime (eaphostpeertypes.h) ------------------------------------------

enum EapHostPeerMethodResultReason : std::int32_t {
  EapHostPeerMethodResultAltSuccessReceived = 1,
  EapHostPeerMethodResultTimeout = 2,
  EapHostPeerMethodResultFromMethod = 3,
};

enum EapHostPeerResponseAction : std::int32_t {
  EapHostPeerResponseDiscard = 0,
  EapHostPeerResponseSend = 1,
  EapHostPeerResponseResult = 2,
  EapHostPeerResponseInvokeUi = 3,
  EapHostPeerResponseRespond = 4,
  EapHostPeerResponseStartAuthentication = 5,
  EapHostPeerResponseNone = 6,
};

enum EapHostPeerAuthParams : std::int32_t {
  EapHostPeerAuthStatus = 1,
  EapHostPeerIdentity = 2,
  EapHostPeerIdentityExtendedInfo = 3,
  EapHostNapInfo = 4,
};

enum ISOLATION_STATE : std::int32_t {
  ISOLATION_STATE_UNKNOWN = 0,
  ISOLATION_STATE_NOT_RESTRICTED = 1,
  ISOLATION_STATE_IN_PROBATION = 2,
  ISOLATION_STATE_RESTRICTED_ACCESS = 3,
};

enum EAPHOST_AUTH_STATUS : std::int32_t {
  EapHostInvalidSession = 0,
  EapHostAuthNotStarted = 1,
  EapHostAuthIdentityExchange = 2,
  EapHostAuthNegotiatingType = 3,
  EapHostAuthInProgress = 4,
  EapHostAuthSucceeded = 5,
  EapHostAuthFailed = 6,
};

struct EAPHOST_AUTH_INFO {
  EAPHOST_AUTH_STATUS status;
  DWORD dwErrorCode;
  DWORD dwReasonCode;
};

struct EapHostPeerMethodResult {
  BOOL fIsSuccess;
  UINT32 dwFailureReasonCode;
  BOOL fSaveConnectionData;
  UINT32 dwSizeofConnectionData;
  BYTE* pConnectionData;
  BOOL fSaveUserData;
  UINT32 dwSizeofUserData;
  BYTE* pUserData;
  EAP_ATTRIBUTES* pAttribArray;
  ISOLATION_STATE isolationState;
  EAP_METHOD_INFO* pEapMethodInfo;
  EAP_ERROR* pEapError;
};

}  // namespace eap
