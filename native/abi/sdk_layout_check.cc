// Compile-time proof that native/abi declares the EAP ABI exactly as the Windows SDK does:
// every value our headers name, every struct's size, alignment and member offsets and types,
// and every function-pointer type and routine-table slot parameter by parameter, calling
// convention included. It produces no code; a mismatch fails the build.
//
// Built by MSVC in the Windows workflow (every architecture) and, against the SDK's public
// headers, by mingw-w64 for x86_64 and i686 (scripts/dev/check-sdk-abi.sh).
//
// Order matters. Our headers come first, because the SDK defines the flag, property and error
// constants (EAP_FLAG_*, eapProp*, EAP_E_*, ...) as macros, which would rewrite the
// enumerators of the same names. Those enumerators are captured by name into `ours` before any
// SDK header is seen, and compared by name after.
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "eap_abi.h"

// ---- constants the SDK defines as macros ------------------------------------------------

#define EAP_SDK_MACRO_CONSTANTS(X)                                                            \
  X(EAP_FLAG_Reserved1) X(EAP_FLAG_NON_INTERACTIVE) X(EAP_FLAG_LOGON) X(EAP_FLAG_PREVIEW)     \
  X(EAP_FLAG_Reserved2) X(EAP_FLAG_MACHINE_AUTH) X(EAP_FLAG_GUEST_ACCESS)                     \
  X(EAP_FLAG_Reserved3) X(EAP_FLAG_Reserved4) X(EAP_FLAG_RESUME_FROM_HIBERNATE)               \
  X(EAP_FLAG_Reserved5) X(EAP_FLAG_Reserved6) X(EAP_FLAG_FULL_AUTH)                           \
  X(EAP_FLAG_PREFER_ALT_CREDENTIALS) X(EAP_FLAG_Reserved7) X(EAP_PEER_FLAG_HEALTH_STATE_CHANGE) \
  X(EAP_FLAG_SUPRESS_UI) X(EAP_FLAG_PRE_LOGON) X(EAP_FLAG_USER_AUTH)                          \
  X(EAP_FLAG_CONFG_READONLY) X(EAP_FLAG_Reserved8) X(EAP_FLAG_Reserved9) X(EAP_FLAG_VPN)      \
  X(EAP_FLAG_ONLY_EAP_TLS) X(EAP_FLAG_SERVER_VALIDATION_REQUIRED)                             \
                                                                                              \
  X(eapPropCipherSuiteNegotiation) X(eapPropMutualAuth) X(eapPropIntegrity)                   \
  X(eapPropReplayProtection) X(eapPropConfidentiality) X(eapPropKeyDerivation)                \
  X(eapPropKeyStrength64) X(eapPropKeyStrength128) X(eapPropKeyStrength256)                   \
  X(eapPropKeyStrength512) X(eapPropKeyStrength1024) X(eapPropDictionaryAttackResistance)     \
  X(eapPropFastReconnect) X(eapPropCryptoBinding) X(eapPropSessionIndependence)               \
  X(eapPropFragmentation) X(eapPropChannelBinding) X(eapPropNap) X(eapPropStandalone)         \
  X(eapPropMppeEncryption) X(eapPropTunnelMethod) X(eapPropSupportsConfig)                    \
  X(eapPropCertifiedMethod) X(eapPropHiddenMethod) X(eapPropMachineAuth) X(eapPropUserAuth)   \
  X(eapPropIdentityPrivacy) X(eapPropMethodChaining) X(eapPropSharedStateEquivalence)         \
  X(eapPropReserved)                                                                          \
                                                                                              \
  X(EAP_CONFIG_INPUT_FIELD_PROPS_DEFAULT) X(EAP_CONFIG_INPUT_FIELD_PROPS_NON_DISPLAYABLE)     \
  X(EAP_CONFIG_INPUT_FIELD_PROPS_NON_PERSIST) X(EAP_CREDENTIAL_VERSION)                       \
                                                                                              \
  X(EAP_E_CERT_STORE_INACCESSIBLE) X(EAP_E_EAPHOST_METHOD_NOT_INSTALLED)                      \
  X(EAP_E_EAPHOST_THIRDPARTY_METHOD_HOST_RESET) X(EAP_E_EAPHOST_EAPQEC_INACCESSIBLE)          \
  X(EAP_E_EAPHOST_IDENTITY_UNKNOWN) X(EAP_E_AUTHENTICATION_FAILED)                            \
  X(EAP_I_EAPHOST_EAP_NEGOTIATION_FAILED) X(EAP_E_EAPHOST_METHOD_INVALID_PACKET)              \
  X(EAP_E_EAPHOST_REMOTE_INVALID_PACKET) X(EAP_E_EAPHOST_XML_MALFORMED)                       \
  X(EAP_E_METHOD_CONFIG_DOES_NOT_SUPPORT_SSO) X(EAP_E_EAPHOST_METHOD_OPERATION_NOT_SUPPORTED) \
  X(EAP_E_USER_CERT_NOT_FOUND) X(EAP_E_USER_CERT_INVALID) X(EAP_E_USER_CERT_EXPIRED)          \
  X(EAP_E_USER_CERT_REVOKED) X(EAP_E_USER_CERT_OTHER_ERROR) X(EAP_E_USER_CERT_REJECTED)       \
  X(EAP_I_USER_ACCOUNT_OTHER_ERROR) X(EAP_E_USER_CREDENTIALS_REJECTED)                        \
  X(EAP_E_USER_NAME_PASSWORD_REJECTED) X(EAP_E_NO_SMART_CARD_READER)                          \
  X(EAP_E_SERVER_CERT_NOT_FOUND) X(EAP_E_SERVER_CERT_INVALID) X(EAP_E_SERVER_CERT_EXPIRED)    \
  X(EAP_E_SERVER_CERT_REVOKED) X(EAP_E_SERVER_CERT_OTHER_ERROR)                               \
  X(EAP_E_USER_ROOT_CERT_NOT_FOUND) X(EAP_E_USER_ROOT_CERT_INVALID)                           \
  X(EAP_E_USER_ROOT_CERT_EXPIRED) X(EAP_E_SERVER_ROOT_CERT_NOT_FOUND)                         \
  X(EAP_E_SERVER_ROOT_CERT_INVALID) X(EAP_E_SERVER_ROOT_CERT_NAME_REQUIRED)                   \
  X(EAP_E_SIM_NOT_VALID) X(EAP_METHOD_INVALID_PACKET) X(EAP_INVALID_PACKET)

// The pasted name is never macro-expanded, so `ours::NAME_value` survives the SDK's macros.
namespace ours {
#define EAP_CAPTURE(name) constexpr std::uint32_t name##_value = eap::name;
EAP_SDK_MACRO_CONSTANTS(EAP_CAPTURE)
#undef EAP_CAPTURE
}  // namespace ours

// Our calling-convention and export macros are done with; make sure no SDK header sees them.
#undef EAP_API
#undef EAP_CDECL
#undef EAP_EXPORT
#undef EAP_CALLBACK

#include <objbase.h>
#include <raserror.h>
// clang-format off (the SDK headers depend on this order)
#include <eaptypes.h>
#include <eaphosterror.h>
#include <eapmethodtypes.h>
#include <eapauthenticatoractiondefine.h>
#include <eapauthenticatortypes.h>
#include <eapmethodpeerapis.h>
#include <eapmethodauthenticatorapis.h>
#include <eaphostpeertypes.h>
#include <eappapis.h>
#include <eaphostpeerconfigapis.h>
// clang-format on

#include "sdk_signature_match.h"

// Each struct and enum of ours stands for the SDK type of the same name.
#define EAP_SDK_TYPES(X)                                                                         \
  X(EAP_TYPE) X(EAP_METHOD_TYPE) X(EAP_METHOD_INFO) X(EAP_METHOD_INFO_ARRAY) X(EAP_ERROR)        \
  X(EAP_ATTRIBUTE_TYPE) X(EAP_ATTRIBUTE) X(EAP_ATTRIBUTES) X(EAP_CONFIG_INPUT_FIELD_TYPE)        \
  X(EAP_CONFIG_INPUT_FIELD_DATA) X(EAP_CONFIG_INPUT_FIELD_ARRAY) X(EapPacket) X(EapCode)         \
  X(EapPeerMethodResponseAction) X(EapPeerMethodOutput) X(EapPeerMethodResultReason)             \
  X(EapPeerMethodResult) X(EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION)                             \
  X(EAP_AUTHENTICATOR_SEND_TIMEOUT) X(EAP_METHOD_AUTHENTICATOR_RESULT)                           \
  X(EapHostPeerMethodResultReason) X(EapHostPeerResponseAction) X(EapHostPeerAuthParams)         \
  X(ISOLATION_STATE) X(EAPHOST_AUTH_STATUS) X(EAPHOST_AUTH_INFO) X(EapHostPeerMethodResult)      \
  X(EAP_PEER_METHOD_ROUTINES) X(EAP_AUTHENTICATOR_METHOD_ROUTINES)                             \
  X(EAP_INTERACTIVE_UI_DATA_TYPE) X(EAP_CRED_EXPIRY_REQ) X(EAP_UI_DATA_FORMAT)                   \
  X(EAP_INTERACTIVE_UI_DATA) X(EAP_METHOD_PROPERTY_TYPE) X(EAP_METHOD_PROPERTY_VALUE_TYPE)       \
  X(EAP_METHOD_PROPERTY_VALUE_BOOL) X(EAP_METHOD_PROPERTY_VALUE_DWORD)                           \
  X(EAP_METHOD_PROPERTY_VALUE_STRING) X(EAP_METHOD_PROPERTY_VALUE) X(EAP_METHOD_PROPERTY)        \
  X(EAP_METHOD_PROPERTY_ARRAY)

namespace eap_sdk_check {
#define EAP_MAP_TYPE(name) \
  template <>              \
  struct ToSdk<eap::name> { using type = ::name; };
EAP_SDK_TYPES(EAP_MAP_TYPE)
EAP_MAP_TYPE(NgcTicketContext)  // opaque on our side: only its pointer crosses the ABI
#undef EAP_MAP_TYPE
}  // namespace eap_sdk_check

namespace {

using eap_sdk_check::SameSignature;
using eap_sdk_check::ToSdkT;

// ---- values -----------------------------------------------------------------------------

// The SDK's EAP_E_* are HRESULT literals and its enums may be signed: compare bit patterns.
#define EAP_SAME_MACRO_VALUE(name)                                                       \
  static_assert(ours::name##_value == static_cast<std::uint32_t>(name), #name " differs " \
                                                                              "from the SDK");
EAP_SDK_MACRO_CONSTANTS(EAP_SAME_MACRO_VALUE)
#undef EAP_SAME_MACRO_VALUE

// Win32 and RAS error codes (winerror.h, raserror.h), named differently on our side.
#define EAP_SAME_ERROR(ours_name, sdk_name)                                   \
  static_assert(eap::ours_name == static_cast<std::uint32_t>(sdk_name), \
                #ours_name " differs from " #sdk_name)
EAP_SAME_ERROR(kErrorSuccess, ERROR_SUCCESS);
EAP_SAME_ERROR(kErrorFileNotFound, ERROR_FILE_NOT_FOUND);
EAP_SAME_ERROR(kErrorNotEnoughMemory, ERROR_NOT_ENOUGH_MEMORY);
EAP_SAME_ERROR(kErrorInvalidData, ERROR_INVALID_DATA);
EAP_SAME_ERROR(kErrorNotSupported, ERROR_NOT_SUPPORTED);
EAP_SAME_ERROR(kErrorInvalidParameter, ERROR_INVALID_PARAMETER);
EAP_SAME_ERROR(kErrorInsufficientBuffer, ERROR_INSUFFICIENT_BUFFER);
EAP_SAME_ERROR(kErrorModNotFound, ERROR_MOD_NOT_FOUND);
EAP_SAME_ERROR(kErrorProcNotFound, ERROR_PROC_NOT_FOUND);
EAP_SAME_ERROR(kErrorInvalidHandle, ERROR_INVALID_HANDLE);
EAP_SAME_ERROR(kErrorBadLength, ERROR_BAD_LENGTH);
EAP_SAME_ERROR(kErrorBusy, ERROR_BUSY);
EAP_SAME_ERROR(kErrorNotFound, ERROR_NOT_FOUND);
EAP_SAME_ERROR(kErrorCancelled, ERROR_CANCELLED);
EAP_SAME_ERROR(kErrorTimeout, ERROR_TIMEOUT);
EAP_SAME_ERROR(kErrorInvalidState, ERROR_INVALID_STATE);
EAP_SAME_ERROR(kErrorRestrictedLogonHours, ERROR_RESTRICTED_LOGON_HOURS);
EAP_SAME_ERROR(kErrorAcctDisabled, ERROR_ACCT_DISABLED);
EAP_SAME_ERROR(kErrorPasswdExpired, ERROR_PASSWD_EXPIRED);
EAP_SAME_ERROR(kErrorNoDialinPermission, ERROR_NO_DIALIN_PERMISSION);
EAP_SAME_ERROR(kErrorAuthenticationFailure, ERROR_AUTHENTICATION_FAILURE);
EAP_SAME_ERROR(kErrorChangingPassword, ERROR_CHANGING_PASSWORD);
#undef EAP_SAME_ERROR

// Enumerators are not macros in the SDK, so ours can be named directly after its headers.
#define EAP_SAME_ENUM(name)                                                     \
  static_assert(static_cast<std::uint32_t>(eap::name) ==                        \
                    static_cast<std::uint32_t>(::name),                         \
                #name " differs from the SDK");
#define EAP_SDK_ENUMERATORS(X)                                                                   \
  X(eatMinimum) X(eatUserName) X(eatUserPassword) X(eatMD5CHAPPassword) X(eatNASIPAddress)       \
  X(eatNASPort) X(eatServiceType) X(eatFramedProtocol) X(eatFramedIPAddress)                     \
  X(eatFramedIPNetmask) X(eatFramedRouting) X(eatFilterId) X(eatFramedMTU)                       \
  X(eatFramedCompression) X(eatLoginIPHost) X(eatLoginService) X(eatLoginTCPPort)                \
  X(eatUnassigned17) X(eatReplyMessage) X(eatCallbackNumber) X(eatCallbackId)                    \
  X(eatUnassigned21) X(eatFramedRoute) X(eatFramedIPXNetwork) X(eatState) X(eatClass)            \
  X(eatVendorSpecific) X(eatSessionTimeout) X(eatIdleTimeout) X(eatTerminationAction)            \
  X(eatCalledStationId) X(eatCallingStationId) X(eatNASIdentifier) X(eatProxyState)              \
  X(eatLoginLATService) X(eatLoginLATNode) X(eatLoginLATGroup) X(eatFramedAppleTalkLink)         \
  X(eatFramedAppleTalkNetwork) X(eatFramedAppleTalkZone) X(eatAcctStatusType)                    \
  X(eatAcctDelayTime) X(eatAcctInputOctets) X(eatAcctOutputOctets) X(eatAcctSessionId)           \
  X(eatAcctAuthentic) X(eatAcctSessionTime) X(eatAcctInputPackets) X(eatAcctOutputPackets)       \
  X(eatAcctTerminateCause) X(eatAcctMultiSessionId) X(eatAcctLinkCount)                          \
  X(eatAcctEventTimeStamp) X(eatMD5CHAPChallenge) X(eatNASPortType) X(eatPortLimit)              \
  X(eatLoginLATPort) X(eatTunnelType) X(eatTunnelMediumType) X(eatTunnelClientEndpoint)          \
  X(eatTunnelServerEndpoint) X(eatARAPPassword) X(eatARAPFeatures) X(eatARAPZoneAccess)          \
  X(eatARAPSecurity) X(eatARAPSecurityData) X(eatPasswordRetry) X(eatPrompt)                     \
  X(eatConnectInfo) X(eatConfigurationToken) X(eatEAPMessage) X(eatSignature)                    \
  X(eatARAPChallengeResponse) X(eatAcctInterimInterval) X(eatNASIPv6Address)                     \
  X(eatFramedInterfaceId) X(eatFramedIPv6Prefix) X(eatLoginIPv6Host) X(eatFramedIPv6Route)       \
  X(eatFramedIPv6Pool) X(eatARAPGuestLogon) X(eatCertificateOID) X(eatEAPConfiguration)          \
  X(eatPEAPEmbeddedEAPTypeId) X(eatPEAPFastRoamedSession) X(eatFastRoamedSession)                \
  X(eatEAPTLV) X(eatCredentialsChanged) X(eatInnerEapMethodType) X(eatClearTextPassword)         \
  X(eatQuarantineSoH) X(eatCertificateThumbprint) X(eatPeerId) X(eatServerId) X(eatMethodId)     \
  X(eatEMSK) X(eatSessionId) X(eatReserved)                                                      \
                                                                                                 \
  X(EapConfigInputUsername) X(EapConfigInputPassword) X(EapConfigInputNetworkUsername)           \
  X(EapConfigInputNetworkPassword) X(EapConfigInputPin) X(EapConfigInputPSK)                     \
  X(EapConfigInputEdit) X(EapConfigSmartCardUsername) X(EapConfigSmartCardError)                 \
                                                                                                 \
  X(EapCodeMinimum) X(EapCodeRequest) X(EapCodeResponse) X(EapCodeSuccess) X(EapCodeFailure)     \
  X(EapCodeMaximum)                                                                              \
                                                                                                 \
  X(EapPeerMethodResponseActionDiscard) X(EapPeerMethodResponseActionSend)                       \
  X(EapPeerMethodResponseActionResult) X(EapPeerMethodResponseActionInvokeUI)                    \
  X(EapPeerMethodResponseActionRespond) X(EapPeerMethodResponseActionNone)                       \
  X(EapPeerMethodResultUnknown) X(EapPeerMethodResultSuccess) X(EapPeerMethodResultFailure)      \
                                                                                                 \
  X(EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD) X(EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND)         \
  X(EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT) X(EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND)       \
  X(EAP_METHOD_AUTHENTICATOR_RESPONSE_AUTHENTICATE)                                              \
  X(EAP_METHOD_AUTHENTICATOR_RESPONSE_HANDLE_IDENTITY) X(EAP_AUTHENTICATOR_SEND_TIMEOUT_NONE)    \
  X(EAP_AUTHENTICATOR_SEND_TIMEOUT_BASIC) X(EAP_AUTHENTICATOR_SEND_TIMEOUT_INTERACTIVE)          \
                                                                                                 \
  X(EapHostPeerMethodResultAltSuccessReceived) X(EapHostPeerMethodResultTimeout)                 \
  X(EapHostPeerMethodResultFromMethod) X(EapHostPeerResponseDiscard) X(EapHostPeerResponseSend)  \
  X(EapHostPeerResponseResult) X(EapHostPeerResponseInvokeUi) X(EapHostPeerResponseRespond)      \
  X(EapHostPeerResponseStartAuthentication) X(EapHostPeerResponseNone) X(EapHostPeerAuthStatus)  \
  X(EapHostPeerIdentity) X(EapHostPeerIdentityExtendedInfo) X(EapHostNapInfo)                    \
  X(ISOLATION_STATE_UNKNOWN) X(ISOLATION_STATE_NOT_RESTRICTED) X(ISOLATION_STATE_IN_PROBATION)   \
  X(ISOLATION_STATE_RESTRICTED_ACCESS) X(EapHostInvalidSession) X(EapHostAuthNotStarted)         \
  X(EapHostAuthIdentityExchange) X(EapHostAuthNegotiatingType) X(EapHostAuthInProgress)          \
  X(EapHostAuthSucceeded) X(EapHostAuthFailed)                                                  \
                                                                                                 \
  X(EapCredReq) X(EapCredResp) X(EapCredExpiryReq) X(EapCredExpiryResp) X(EapCredLogonReq)       \
  X(EapCredLogonResp)                                                                            \
  X(emptPropCipherSuiteNegotiation) X(emptPropMutualAuth) X(emptPropIntegrity)                   \
  X(emptPropReplayProtection) X(emptPropConfidentiality) X(emptPropKeyDerivation)                \
  X(emptPropKeyStrength64) X(emptPropKeyStrength128) X(emptPropKeyStrength256)                   \
  X(emptPropKeyStrength512) X(emptPropKeyStrength1024) X(emptPropDictionaryAttackResistance)     \
  X(emptPropFastReconnect) X(emptPropCryptoBinding) X(emptPropSessionIndependence)               \
  X(emptPropFragmentation) X(emptPropChannelBinding) X(emptPropNap) X(emptPropStandalone)        \
  X(emptPropMppeEncryption) X(emptPropTunnelMethod) X(emptPropSupportsConfig)                    \
  X(emptPropCertifiedMethod) X(emptPropHiddenMethod) X(emptPropMachineAuth) X(emptPropUserAuth)  \
  X(emptPropIdentityPrivacy) X(emptPropMethodChaining) X(emptPropSharedStateEquivalence)         \
  X(emptLegacyMethodPropertyFlag) X(emptPropVendorSpecific) X(empvtBool) X(empvtDword)           \
  X(empvtString)
EAP_SDK_ENUMERATORS(EAP_SAME_ENUM)
#undef EAP_SAME_ENUM

// ---- types and layouts --------------------------------------------------------------------

// Same size and alignment: an array of ours can be handed to code compiled against the SDK.
#define EAP_SAME_SIZE(name)                                                                  \
  static_assert(sizeof(eap::name) == sizeof(::name), "sizeof " #name " differs from the SDK"); \
  static_assert(alignof(eap::name) == alignof(::name), "alignof " #name " differs from the SDK");
EAP_SDK_TYPES(EAP_SAME_SIZE)
EAP_SAME_SIZE(EAP_SESSIONID)
EAP_SAME_SIZE(EAP_SESSION_HANDLE)
EAP_SAME_SIZE(EapAttributes)
#undef EAP_SAME_SIZE

// Aliases and callback types must be the SDK's exact types.
static_assert(std::is_same<ToSdkT<eap::EAP_SESSIONID>, ::EAP_SESSIONID>::value, "EAP_SESSIONID");
static_assert(std::is_same<ToSdkT<eap::EAP_SESSION_HANDLE>, ::EAP_SESSION_HANDLE>::value,
              "EAP_SESSION_HANDLE");
static_assert(std::is_same<ToSdkT<eap::EapAttributes>, ::EapAttributes>::value, "EapAttributes");
static_assert(SameSignature<eap::NotificationHandler, ::NotificationHandler>(),
              "NotificationHandler differs from the SDK");

// Member by member, by name: offset, size and exact type. Two same-sized members declared in
// the wrong order (two routine-table slots, say) fail here, not at run time.
#define EAP_SAME_MEMBER(type, member)                                                     \
  static_assert(offsetof(eap::type, member) == offsetof(::type, member),                  \
                "offset of " #type "::" #member " differs from the SDK");                 \
  static_assert(sizeof(eap::type::member) == sizeof(::type::member),                      \
                "size of " #type "::" #member " differs from the SDK");                   \
  static_assert(std::is_same<ToSdkT<decltype(eap::type::member)>,                         \
                             decltype(::type::member)>::value,                            \
                "type of " #type "::" #member " differs from the SDK");
#define EAP_SAME_MEMBERS(type, members) members(type, EAP_SAME_MEMBER)

#define EAP_TYPE_MEMBERS(T, X) X(T, type) X(T, dwVendorId) X(T, dwVendorType)
#define EAP_METHOD_TYPE_MEMBERS(T, X) X(T, eapType) X(T, dwAuthorId)
#define EAP_METHOD_INFO_MEMBERS(T, X)                                                    \
  X(T, eaptype) X(T, pwszAuthorName) X(T, pwszFriendlyName) X(T, eapProperties)          \
  X(T, pInnerMethodInfo)
#define EAP_METHOD_INFO_ARRAY_MEMBERS(T, X) X(T, dwNumberOfMethods) X(T, pEapMethods)
#define EAP_ERROR_MEMBERS(T, X)                                                          \
  X(T, dwWinError) X(T, type) X(T, dwReasonCode) X(T, rootCauseGuid) X(T, repairGuid)    \
  X(T, helpLinkGuid) X(T, pRootCauseString) X(T, pRepairString)
#define EAP_ATTRIBUTE_MEMBERS(T, X) X(T, eaType) X(T, dwLength) X(T, pValue)
#define EAP_ATTRIBUTES_MEMBERS(T, X) X(T, dwNumberOfAttributes) X(T, pAttribs)
#define EAP_CONFIG_INPUT_FIELD_DATA_MEMBERS(T, X)                                        \
  X(T, dwSize) X(T, Type) X(T, dwFlagProps) X(T, pwszLabel) X(T, pwszData)               \
  X(T, dwMinDataLength) X(T, dwMaxDataLength)
#define EAP_CONFIG_INPUT_FIELD_ARRAY_MEMBERS(T, X)                                       \
  X(T, dwVersion) X(T, dwNumberOfFields) X(T, pFields)
#define EAP_PACKET_MEMBERS(T, X) X(T, Code) X(T, Id) X(T, Length) X(T, Data)
#define EAP_PEER_METHOD_OUTPUT_MEMBERS(T, X) X(T, action) X(T, fAllowNotifications)
#define EAP_PEER_METHOD_RESULT_MEMBERS(T, X)                                             \
  X(T, fIsSuccess) X(T, dwFailureReasonCode) X(T, fSaveConnectionData)                   \
  X(T, dwSizeofConnectionData) X(T, pConnectionData) X(T, fSaveUserData)                 \
  X(T, dwSizeofUserData) X(T, pUserData) X(T, pAttribArray) X(T, pEapError)              \
  X(T, pNgcKerbTicket) X(T, fSaveToCredMan)
#define EAP_AUTHENTICATOR_RESULT_MEMBERS(T, X)                                           \
  X(T, fIsSuccess) X(T, dwFailureReason) X(T, pAuthAttribs)
#define EAPHOST_AUTH_INFO_MEMBERS(T, X) X(T, status) X(T, dwErrorCode) X(T, dwReasonCode)
#define EAP_HOST_PEER_METHOD_RESULT_MEMBERS(T, X)                                        \
  X(T, fIsSuccess) X(T, dwFailureReasonCode) X(T, fSaveConnectionData)                   \
  X(T, dwSizeofConnectionData) X(T, pConnectionData) X(T, fSaveUserData)                 \
  X(T, dwSizeofUserData) X(T, pUserData) X(T, pAttribArray) X(T, isolationState)         \
  X(T, pEapMethodInfo) X(T, pEapError)

#define EAP_CRED_EXPIRY_REQ_MEMBERS(T, X) X(T, curCreds) X(T, newCreds)
#define EAP_UI_DATA_FORMAT_MEMBERS(T, X) X(T, credData) X(T, credExpiryData) X(T, credLogonData)
#define EAP_INTERACTIVE_UI_DATA_MEMBERS(T, X)                                            \
  X(T, dwVersion) X(T, dwSize) X(T, dwDataType) X(T, cbUiData) X(T, pbUiData)
#define EAP_METHOD_PROPERTY_VALUE_BOOL_MEMBERS(T, X) X(T, length) X(T, value)
#define EAP_METHOD_PROPERTY_VALUE_DWORD_MEMBERS(T, X) X(T, length) X(T, value)
#define EAP_METHOD_PROPERTY_VALUE_STRING_MEMBERS(T, X) X(T, length) X(T, value)
#define EAP_METHOD_PROPERTY_VALUE_MEMBERS(T, X) X(T, empvBool) X(T, empvDword) X(T, empvString)
#define EAP_METHOD_PROPERTY_MEMBERS(T, X)                                                \
  X(T, eapMethodPropertyType) X(T, eapMethodPropertyValueType) X(T, eapMethodPropertyValue)
#define EAP_METHOD_PROPERTY_ARRAY_MEMBERS(T, X) X(T, dwNumberOfProperties) X(T, pMethodProperty)

EAP_SAME_MEMBERS(EAP_CRED_EXPIRY_REQ, EAP_CRED_EXPIRY_REQ_MEMBERS)
EAP_SAME_MEMBERS(EAP_UI_DATA_FORMAT, EAP_UI_DATA_FORMAT_MEMBERS)
EAP_SAME_MEMBERS(EAP_INTERACTIVE_UI_DATA, EAP_INTERACTIVE_UI_DATA_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_PROPERTY_VALUE_BOOL, EAP_METHOD_PROPERTY_VALUE_BOOL_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_PROPERTY_VALUE_DWORD, EAP_METHOD_PROPERTY_VALUE_DWORD_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_PROPERTY_VALUE_STRING, EAP_METHOD_PROPERTY_VALUE_STRING_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_PROPERTY_VALUE, EAP_METHOD_PROPERTY_VALUE_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_PROPERTY, EAP_METHOD_PROPERTY_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_PROPERTY_ARRAY, EAP_METHOD_PROPERTY_ARRAY_MEMBERS)
EAP_SAME_MEMBERS(EAP_TYPE, EAP_TYPE_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_TYPE, EAP_METHOD_TYPE_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_INFO, EAP_METHOD_INFO_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_INFO_ARRAY, EAP_METHOD_INFO_ARRAY_MEMBERS)
EAP_SAME_MEMBERS(EAP_ERROR, EAP_ERROR_MEMBERS)
EAP_SAME_MEMBERS(EAP_ATTRIBUTE, EAP_ATTRIBUTE_MEMBERS)
EAP_SAME_MEMBERS(EAP_ATTRIBUTES, EAP_ATTRIBUTES_MEMBERS)
EAP_SAME_MEMBERS(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA_MEMBERS)
EAP_SAME_MEMBERS(EAP_CONFIG_INPUT_FIELD_ARRAY, EAP_CONFIG_INPUT_FIELD_ARRAY_MEMBERS)
EAP_SAME_MEMBERS(EapPacket, EAP_PACKET_MEMBERS)
EAP_SAME_MEMBERS(EapPeerMethodOutput, EAP_PEER_METHOD_OUTPUT_MEMBERS)
EAP_SAME_MEMBERS(EapPeerMethodResult, EAP_PEER_METHOD_RESULT_MEMBERS)
EAP_SAME_MEMBERS(EAP_METHOD_AUTHENTICATOR_RESULT, EAP_AUTHENTICATOR_RESULT_MEMBERS)
EAP_SAME_MEMBERS(EAPHOST_AUTH_INFO, EAPHOST_AUTH_INFO_MEMBERS)
EAP_SAME_MEMBERS(EapHostPeerMethodResult, EAP_HOST_PEER_METHOD_RESULT_MEMBERS)

// ---- routine tables and exported functions ------------------------------------------------

// A slot: its offset (the documented desktop order), then its signature parameter by
// parameter. The two data members open each table.
#define EAP_SAME_SLOT(table, slot)                                                           \
  static_assert(offsetof(eap::table, slot) == offsetof(::table, slot),                       \
                "offset of " #table "::" #slot " differs from the SDK");                     \
  static_assert(SameSignature<decltype(eap::table::slot), decltype(::table::slot)>(),        \
                #table "::" #slot " differs from the SDK");

EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, dwVersion)
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, pEapType)
#define EAP_PEER_SLOTS(T, X)                                                                  \
  X(T, EapPeerInitialize) X(T, EapPeerGetIdentity) X(T, EapPeerBeginSession)                  \
  X(T, EapPeerSetCredentials) X(T, EapPeerProcessRequestPacket) X(T, EapPeerGetResponsePacket) \
  X(T, EapPeerGetResult) X(T, EapPeerGetUIContext) X(T, EapPeerSetUIContext)                  \
  X(T, EapPeerGetResponseAttributes) X(T, EapPeerSetResponseAttributes)                       \
  X(T, EapPeerEndSession) X(T, EapPeerShutdown)
EAP_PEER_SLOTS(EAP_PEER_METHOD_ROUTINES, EAP_SAME_SLOT)

EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, dwSizeInBytes)
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, pEapType)
#define EAP_AUTHENTICATOR_SLOTS(T, X)                                                         \
  X(T, EapMethodAuthenticatorInitialize) X(T, EapMethodAuthenticatorBeginSession)             \
  X(T, EapMethodAuthenticatorUpdateInnerMethodParams) X(T, EapMethodAuthenticatorReceivePacket) \
  X(T, EapMethodAuthenticatorSendPacket) X(T, EapMethodAuthenticatorGetAttributes)            \
  X(T, EapMethodAuthenticatorSetAttributes) X(T, EapMethodAuthenticatorGetResult)             \
  X(T, EapMethodAuthenticatorEndSession) X(T, EapMethodAuthenticatorShutdown)
EAP_AUTHENTICATOR_SLOTS(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_SAME_SLOT)

#undef EAP_SAME_SLOT
#undef EAP_SAME_MEMBERS
#undef EAP_SAME_MEMBER

// The function-pointer types loaders cast GetProcAddress results to, against the SDK's
// declaration of the function itself.
#define EAP_SAME_FUNCTION(name)                                       \
  static_assert(SameSignature<eap::PFN_##name, decltype(&::name)>(), \
                "PFN_" #name " differs from the SDK's " #name);

EAP_HOST_PEER_RUNTIME_FUNCTIONS(EAP_SAME_FUNCTION)
EAP_HOST_PEER_CONFIG_FUNCTIONS(EAP_SAME_FUNCTION)

EAP_SAME_FUNCTION(EapPeerGetInfo)
EAP_SAME_FUNCTION(EapPeerFreeMemory)
EAP_SAME_FUNCTION(EapPeerFreeErrorMemory)
EAP_SAME_FUNCTION(EapPeerQueryCredentialInputFields)
EAP_SAME_FUNCTION(EapPeerQueryUserBlobFromCredentialInputFields)
EAP_SAME_FUNCTION(EapPeerInvokeConfigUI)
EAP_SAME_FUNCTION(EapPeerInvokeInteractiveUI)
EAP_SAME_FUNCTION(EapPeerInvokeIdentityUI)
EAP_SAME_FUNCTION(EapPeerQueryInteractiveUIInputFields)
EAP_SAME_FUNCTION(EapPeerQueryUIBlobFromInteractiveUIInputFields)
EAP_SAME_FUNCTION(EapPeerConfigXml2Blob)
EAP_SAME_FUNCTION(EapPeerCredentialsXml2Blob)
EAP_SAME_FUNCTION(EapPeerConfigBlob2Xml)
EAP_SAME_FUNCTION(EapPeerGetMethodProperties)
EAP_SAME_FUNCTION(EapMethodAuthenticatorGetInfo)
EAP_SAME_FUNCTION(EapMethodAuthenticatorFreeMemory)
EAP_SAME_FUNCTION(EapMethodAuthenticatorFreeErrorMemory)

#undef EAP_SAME_FUNCTION

}  // namespace
