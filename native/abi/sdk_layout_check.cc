// Compile-time proof that native/abi declares the EAP ABI exactly as the Windows SDK does:
// every struct's size and every member's offset, every routine-table slot by name, and the
// enum and flag values. Built only by MSVC (the windows-latest workflow, all three
// architectures): it needs the real SDK headers, and mingw-w64's EAP headers are incomplete.
// It produces no code; a mismatch fails the build.
//
// Order matters. Our headers come first, because the SDK defines the flag and property
// constants (EAP_FLAG_*, eapProp*, EAP_E_*, ...) as macros, which would rewrite the
// enumerators of the same names in eap_types.h. Those enumerators are therefore captured
// into `ours` before any SDK header is seen.
#include <cstddef>

#include "eap_abi.h"

namespace ours {
constexpr eap::DWORD kFlags[] = {
    eap::EAP_FLAG_Reserved1,    eap::EAP_FLAG_NON_INTERACTIVE, eap::EAP_FLAG_LOGON,
    eap::EAP_FLAG_PREVIEW,      eap::EAP_FLAG_Reserved2,       eap::EAP_FLAG_MACHINE_AUTH,
    eap::EAP_FLAG_GUEST_ACCESS, eap::EAP_FLAG_Reserved3,       eap::EAP_FLAG_Reserved4,
    eap::EAP_FLAG_RESUME_FROM_HIBERNATE,
};
constexpr eap::DWORD kProperties[] = {
    eap::eapPropCipherSuiteNegotiation, eap::eapPropMutualAuth,
    eap::eapPropIntegrity,              eap::eapPropReplayProtection,
    eap::eapPropConfidentiality,        eap::eapPropKeyDerivation,
    eap::eapPropKeyStrength64,          eap::eapPropKeyStrength128,
    eap::eapPropKeyStrength256,         eap::eapPropKeyStrength512,
    eap::eapPropKeyStrength1024,        eap::eapPropDictionaryAttackResistance,
    eap::eapPropFastReconnect,          eap::eapPropCryptoBinding,
    eap::eapPropSessionIndependence,    eap::eapPropFragmentation,
    eap::eapPropChannelBinding,         eap::eapPropNap,
    eap::eapPropStandalone,             eap::eapPropMppeEncryption,
    eap::eapPropTunnelMethod,           eap::eapPropSupportsConfig,
    eap::eapPropCertifiedMethod,        eap::eapPropHiddenMethod,
    eap::eapPropMachineAuth,            eap::eapPropUserAuth,
    eap::eapPropIdentityPrivacy,        eap::eapPropMethodChaining,
    eap::eapPropSharedStateEquivalence, eap::eapPropReserved,
};
constexpr eap::DWORD kErrors[] = {
    eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED, eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
    eap::EAP_E_AUTHENTICATION_FAILED,        eap::EAP_E_EAPHOST_METHOD_INVALID_PACKET,
    eap::EAP_E_EAPHOST_REMOTE_INVALID_PACKET, eap::EAP_E_USER_CREDENTIALS_REJECTED,
    eap::EAP_E_USER_NAME_PASSWORD_REJECTED,
};
constexpr eap::DWORD kInputFieldProps[] = {
    eap::EAP_CONFIG_INPUT_FIELD_PROPS_DEFAULT,
    eap::EAP_CONFIG_INPUT_FIELD_PROPS_NON_DISPLAYABLE,
    eap::EAP_CONFIG_INPUT_FIELD_PROPS_NON_PERSIST,
};
constexpr eap::DWORD kCredentialVersion = eap::EAP_CREDENTIAL_VERSION;
}  // namespace ours

// Our calling-convention and export macros are done with; make sure no SDK header can
// see them.
#undef EAP_API
#undef EAP_EXPORT
#undef EAP_CALLBACK

#include <objbase.h>
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
// clang-format on

namespace {

// ---- values -----------------------------------------------------------------------------

constexpr ::DWORD kSdkFlags[] = {
    EAP_FLAG_Reserved1,    EAP_FLAG_NON_INTERACTIVE, EAP_FLAG_LOGON,
    EAP_FLAG_PREVIEW,      EAP_FLAG_Reserved2,       EAP_FLAG_MACHINE_AUTH,
    EAP_FLAG_GUEST_ACCESS, EAP_FLAG_Reserved3,       EAP_FLAG_Reserved4,
    EAP_FLAG_RESUME_FROM_HIBERNATE,
};
constexpr ::DWORD kSdkProperties[] = {
    eapPropCipherSuiteNegotiation, eapPropMutualAuth,
    eapPropIntegrity,              eapPropReplayProtection,
    eapPropConfidentiality,        eapPropKeyDerivation,
    eapPropKeyStrength64,          eapPropKeyStrength128,
    eapPropKeyStrength256,         eapPropKeyStrength512,
    eapPropKeyStrength1024,        eapPropDictionaryAttackResistance,
    eapPropFastReconnect,          eapPropCryptoBinding,
    eapPropSessionIndependence,    eapPropFragmentation,
    eapPropChannelBinding,         eapPropNap,
    eapPropStandalone,             eapPropMppeEncryption,
    eapPropTunnelMethod,           eapPropSupportsConfig,
    eapPropCertifiedMethod,        eapPropHiddenMethod,
    eapPropMachineAuth,            eapPropUserAuth,
    eapPropIdentityPrivacy,        eapPropMethodChaining,
    eapPropSharedStateEquivalence, eapPropReserved,
};
// The EAP_E_* macros are HRESULTs; compare their bit patterns.
constexpr ::DWORD kSdkErrors[] = {
    static_cast<::DWORD>(EAP_E_EAPHOST_METHOD_NOT_INSTALLED),
    static_cast<::DWORD>(EAP_E_EAPHOST_IDENTITY_UNKNOWN),
    static_cast<::DWORD>(EAP_E_AUTHENTICATION_FAILED),
    static_cast<::DWORD>(EAP_E_EAPHOST_METHOD_INVALID_PACKET),
    static_cast<::DWORD>(EAP_E_EAPHOST_REMOTE_INVALID_PACKET),
    static_cast<::DWORD>(EAP_E_USER_CREDENTIALS_REJECTED),
    static_cast<::DWORD>(EAP_E_USER_NAME_PASSWORD_REJECTED),
};
constexpr ::DWORD kSdkInputFieldProps[] = {
    EAP_CONFIG_INPUT_FIELD_PROPS_DEFAULT,
    EAP_CONFIG_INPUT_FIELD_PROPS_NON_DISPLAYABLE,
    EAP_CONFIG_INPUT_FIELD_PROPS_NON_PERSIST,
};

template <std::size_t N>
constexpr bool SameValues(const eap::DWORD (&a)[N], const ::DWORD (&b)[N]) {
  for (std::size_t i = 0; i < N; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

static_assert(SameValues(ours::kFlags, kSdkFlags), "EAP_FLAG_* differ from eaptypes.h");
static_assert(SameValues(ours::kProperties, kSdkProperties), "eapProp* differ from eaptypes.h");
static_assert(SameValues(ours::kErrors, kSdkErrors), "EAP_E_* differ from eaphosterror.h");
static_assert(SameValues(ours::kInputFieldProps, kSdkInputFieldProps),
              "EAP_CONFIG_INPUT_FIELD_PROPS_* differ from eaptypes.h");
static_assert(ours::kCredentialVersion == EAP_CREDENTIAL_VERSION, "EAP_CREDENTIAL_VERSION");

// Enumerators are not macros in the SDK, so ours can be named directly after its headers.
#define EAP_SAME_ENUM(name) \
  static_assert(static_cast<long long>(eap::name) == static_cast<long long>(::name), #name)

EAP_SAME_ENUM(eatMinimum);
EAP_SAME_ENUM(eatUserName);
EAP_SAME_ENUM(eatUserPassword);
EAP_SAME_ENUM(eatMD5CHAPPassword);
EAP_SAME_ENUM(eatNASIPAddress);
EAP_SAME_ENUM(eatNASPort);
EAP_SAME_ENUM(eatServiceType);
EAP_SAME_ENUM(eatFramedProtocol);
EAP_SAME_ENUM(eatReplyMessage);
EAP_SAME_ENUM(eatState);
EAP_SAME_ENUM(eatClass);
EAP_SAME_ENUM(eatVendorSpecific);
EAP_SAME_ENUM(eatSessionTimeout);
EAP_SAME_ENUM(eatIdleTimeout);
EAP_SAME_ENUM(eatCalledStationId);
EAP_SAME_ENUM(eatCallingStationId);
EAP_SAME_ENUM(eatNASIdentifier);
EAP_SAME_ENUM(eatProxyState);
EAP_SAME_ENUM(eatNASPortType);
EAP_SAME_ENUM(eatFramedMTU);
EAP_SAME_ENUM(eatEAPMessage);
EAP_SAME_ENUM(eatSignature);
EAP_SAME_ENUM(eatPEAPEmbeddedEAPTypeId);
EAP_SAME_ENUM(eatCredentialsChanged);
EAP_SAME_ENUM(eatInnerEapMethodType);
EAP_SAME_ENUM(eatClearTextPassword);
EAP_SAME_ENUM(eatMethodId);

EAP_SAME_ENUM(EapConfigInputUsername);
EAP_SAME_ENUM(EapConfigInputPassword);
EAP_SAME_ENUM(EapConfigInputNetworkUsername);
EAP_SAME_ENUM(EapConfigInputNetworkPassword);
EAP_SAME_ENUM(EapConfigInputPin);
EAP_SAME_ENUM(EapConfigInputPSK);
EAP_SAME_ENUM(EapConfigInputEdit);
EAP_SAME_ENUM(EapConfigSmartCardUsername);
EAP_SAME_ENUM(EapConfigSmartCardError);

EAP_SAME_ENUM(EapCodeMinimum);
EAP_SAME_ENUM(EapCodeRequest);
EAP_SAME_ENUM(EapCodeResponse);
EAP_SAME_ENUM(EapCodeSuccess);
EAP_SAME_ENUM(EapCodeFailure);
EAP_SAME_ENUM(EapCodeMaximum);

EAP_SAME_ENUM(EapPeerMethodResponseActionDiscard);
EAP_SAME_ENUM(EapPeerMethodResponseActionSend);
EAP_SAME_ENUM(EapPeerMethodResponseActionResult);
EAP_SAME_ENUM(EapPeerMethodResponseActionInvokeUI);
EAP_SAME_ENUM(EapPeerMethodResponseActionRespond);
EAP_SAME_ENUM(EapPeerMethodResponseActionNone);
EAP_SAME_ENUM(EapPeerMethodResultUnknown);
EAP_SAME_ENUM(EapPeerMethodResultSuccess);
EAP_SAME_ENUM(EapPeerMethodResultFailure);

EAP_SAME_ENUM(EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD);
EAP_SAME_ENUM(EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND);
EAP_SAME_ENUM(EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT);
EAP_SAME_ENUM(EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND);
EAP_SAME_ENUM(EAP_METHOD_AUTHENTICATOR_RESPONSE_AUTHENTICATE);
EAP_SAME_ENUM(EAP_METHOD_AUTHENTICATOR_RESPONSE_HANDLE_IDENTITY);
EAP_SAME_ENUM(EAP_AUTHENTICATOR_SEND_TIMEOUT_NONE);
EAP_SAME_ENUM(EAP_AUTHENTICATOR_SEND_TIMEOUT_BASIC);
EAP_SAME_ENUM(EAP_AUTHENTICATOR_SEND_TIMEOUT_INTERACTIVE);

EAP_SAME_ENUM(EapHostPeerMethodResultAltSuccessReceived);
EAP_SAME_ENUM(EapHostPeerMethodResultTimeout);
EAP_SAME_ENUM(EapHostPeerMethodResultFromMethod);
EAP_SAME_ENUM(EapHostPeerResponseDiscard);
EAP_SAME_ENUM(EapHostPeerResponseSend);
EAP_SAME_ENUM(EapHostPeerResponseResult);
EAP_SAME_ENUM(EapHostPeerResponseInvokeUi);
EAP_SAME_ENUM(EapHostPeerResponseRespond);
EAP_SAME_ENUM(EapHostPeerResponseStartAuthentication);
EAP_SAME_ENUM(EapHostPeerResponseNone);
EAP_SAME_ENUM(EapHostPeerAuthStatus);
EAP_SAME_ENUM(EapHostPeerIdentity);
EAP_SAME_ENUM(EapHostPeerIdentityExtendedInfo);
EAP_SAME_ENUM(EapHostNapInfo);
EAP_SAME_ENUM(ISOLATION_STATE_UNKNOWN);
EAP_SAME_ENUM(ISOLATION_STATE_NOT_RESTRICTED);
EAP_SAME_ENUM(ISOLATION_STATE_IN_PROBATION);
EAP_SAME_ENUM(ISOLATION_STATE_RESTRICTED_ACCESS);
EAP_SAME_ENUM(EapHostInvalidSession);
EAP_SAME_ENUM(EapHostAuthNotStarted);
EAP_SAME_ENUM(EapHostAuthIdentityExchange);
EAP_SAME_ENUM(EapHostAuthNegotiatingType);
EAP_SAME_ENUM(EapHostAuthInProgress);
EAP_SAME_ENUM(EapHostAuthSucceeded);
EAP_SAME_ENUM(EapHostAuthFailed);

#undef EAP_SAME_ENUM

// ---- layouts ----------------------------------------------------------------------------

// Same size and alignment: an array of ours can be handed to code compiled against the SDK.
#define EAP_SAME_TYPE(ours_type, sdk_type)                                  \
  static_assert(sizeof(eap::ours_type) == sizeof(::sdk_type),               \
                "sizeof " #ours_type " differs from the SDK's " #sdk_type); \
  static_assert(alignof(eap::ours_type) == alignof(::sdk_type),             \
                "alignof " #ours_type " differs from the SDK's " #sdk_type)

// Offsets compared member by member, by name: two same-sized members declared in the wrong
// order (two function pointers in a routine table, say) fail here, not at run time.
#define EAP_SAME_MEMBER(ours_type, sdk_type, member)                                     \
  static_assert(offsetof(eap::ours_type, member) == offsetof(::sdk_type, member),        \
                "offset of " #ours_type "::" #member " differs from the SDK");           \
  static_assert(sizeof(eap::ours_type::member) == sizeof(::sdk_type::member),            \
                "size of " #ours_type "::" #member " differs from the SDK")

// Scalars and enums that cross the ABI.
EAP_SAME_TYPE(EAP_SESSIONID, EAP_SESSIONID);
EAP_SAME_TYPE(EAP_SESSION_HANDLE, EAP_SESSION_HANDLE);
EAP_SAME_TYPE(EAP_ATTRIBUTE_TYPE, EAP_ATTRIBUTE_TYPE);
EAP_SAME_TYPE(EAP_CONFIG_INPUT_FIELD_TYPE, EAP_CONFIG_INPUT_FIELD_TYPE);
EAP_SAME_TYPE(EapPeerMethodResponseAction, EapPeerMethodResponseAction);
EAP_SAME_TYPE(EapPeerMethodResultReason, EapPeerMethodResultReason);
EAP_SAME_TYPE(EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION, EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION);
EAP_SAME_TYPE(EAP_AUTHENTICATOR_SEND_TIMEOUT, EAP_AUTHENTICATOR_SEND_TIMEOUT);
EAP_SAME_TYPE(EapHostPeerMethodResultReason, EapHostPeerMethodResultReason);
EAP_SAME_TYPE(EapHostPeerResponseAction, EapHostPeerResponseAction);
EAP_SAME_TYPE(EapHostPeerAuthParams, EapHostPeerAuthParams);
EAP_SAME_TYPE(ISOLATION_STATE, ISOLATION_STATE);
EAP_SAME_TYPE(EAPHOST_AUTH_STATUS, EAPHOST_AUTH_STATUS);

EAP_SAME_TYPE(EAP_TYPE, EAP_TYPE);
EAP_SAME_MEMBER(EAP_TYPE, EAP_TYPE, type);
EAP_SAME_MEMBER(EAP_TYPE, EAP_TYPE, dwVendorId);
EAP_SAME_MEMBER(EAP_TYPE, EAP_TYPE, dwVendorType);

EAP_SAME_TYPE(EAP_METHOD_TYPE, EAP_METHOD_TYPE);
EAP_SAME_MEMBER(EAP_METHOD_TYPE, EAP_METHOD_TYPE, eapType);
EAP_SAME_MEMBER(EAP_METHOD_TYPE, EAP_METHOD_TYPE, dwAuthorId);

EAP_SAME_TYPE(EAP_METHOD_INFO, EAP_METHOD_INFO);
EAP_SAME_MEMBER(EAP_METHOD_INFO, EAP_METHOD_INFO, eaptype);
EAP_SAME_MEMBER(EAP_METHOD_INFO, EAP_METHOD_INFO, pwszAuthorName);
EAP_SAME_MEMBER(EAP_METHOD_INFO, EAP_METHOD_INFO, pwszFriendlyName);
EAP_SAME_MEMBER(EAP_METHOD_INFO, EAP_METHOD_INFO, eapProperties);
EAP_SAME_MEMBER(EAP_METHOD_INFO, EAP_METHOD_INFO, pInnerMethodInfo);

EAP_SAME_TYPE(EAP_METHOD_INFO_ARRAY, EAP_METHOD_INFO_ARRAY);
EAP_SAME_MEMBER(EAP_METHOD_INFO_ARRAY, EAP_METHOD_INFO_ARRAY, dwNumberOfMethods);
EAP_SAME_MEMBER(EAP_METHOD_INFO_ARRAY, EAP_METHOD_INFO_ARRAY, pEapMethods);

EAP_SAME_TYPE(EAP_ERROR, EAP_ERROR);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, dwWinError);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, type);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, dwReasonCode);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, rootCauseGuid);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, repairGuid);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, helpLinkGuid);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, pRootCauseString);
EAP_SAME_MEMBER(EAP_ERROR, EAP_ERROR, pRepairString);

EAP_SAME_TYPE(EAP_ATTRIBUTE, EAP_ATTRIBUTE);
EAP_SAME_MEMBER(EAP_ATTRIBUTE, EAP_ATTRIBUTE, eaType);
EAP_SAME_MEMBER(EAP_ATTRIBUTE, EAP_ATTRIBUTE, dwLength);
EAP_SAME_MEMBER(EAP_ATTRIBUTE, EAP_ATTRIBUTE, pValue);

EAP_SAME_TYPE(EAP_ATTRIBUTES, EAP_ATTRIBUTES);
EAP_SAME_TYPE(EapAttributes, EapAttributes);
EAP_SAME_MEMBER(EAP_ATTRIBUTES, EAP_ATTRIBUTES, dwNumberOfAttributes);
EAP_SAME_MEMBER(EAP_ATTRIBUTES, EAP_ATTRIBUTES, pAttribs);

EAP_SAME_TYPE(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA, dwSize);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA, Type);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA, dwFlagProps);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA, pwszLabel);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA, pwszData);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA, dwMinDataLength);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_DATA, EAP_CONFIG_INPUT_FIELD_DATA, dwMaxDataLength);

EAP_SAME_TYPE(EAP_CONFIG_INPUT_FIELD_ARRAY, EAP_CONFIG_INPUT_FIELD_ARRAY);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_ARRAY, EAP_CONFIG_INPUT_FIELD_ARRAY, dwVersion);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_ARRAY, EAP_CONFIG_INPUT_FIELD_ARRAY, dwNumberOfFields);
EAP_SAME_MEMBER(EAP_CONFIG_INPUT_FIELD_ARRAY, EAP_CONFIG_INPUT_FIELD_ARRAY, pFields);

EAP_SAME_TYPE(EapPacket, EapPacket);
EAP_SAME_MEMBER(EapPacket, EapPacket, Code);
EAP_SAME_MEMBER(EapPacket, EapPacket, Id);
EAP_SAME_MEMBER(EapPacket, EapPacket, Length);
EAP_SAME_MEMBER(EapPacket, EapPacket, Data);

EAP_SAME_TYPE(EapPeerMethodOutput, EapPeerMethodOutput);
EAP_SAME_MEMBER(EapPeerMethodOutput, EapPeerMethodOutput, action);
EAP_SAME_MEMBER(EapPeerMethodOutput, EapPeerMethodOutput, fAllowNotifications);

EAP_SAME_TYPE(EapPeerMethodResult, EapPeerMethodResult);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, fIsSuccess);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, dwFailureReasonCode);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, fSaveConnectionData);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, dwSizeofConnectionData);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, pConnectionData);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, fSaveUserData);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, dwSizeofUserData);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, pUserData);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, pAttribArray);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, pEapError);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, pNgcKerbTicket);
EAP_SAME_MEMBER(EapPeerMethodResult, EapPeerMethodResult, fSaveToCredMan);

EAP_SAME_TYPE(EAP_METHOD_AUTHENTICATOR_RESULT, EAP_METHOD_AUTHENTICATOR_RESULT);
EAP_SAME_MEMBER(EAP_METHOD_AUTHENTICATOR_RESULT, EAP_METHOD_AUTHENTICATOR_RESULT, fIsSuccess);
EAP_SAME_MEMBER(EAP_METHOD_AUTHENTICATOR_RESULT, EAP_METHOD_AUTHENTICATOR_RESULT, dwFailureReason);
EAP_SAME_MEMBER(EAP_METHOD_AUTHENTICATOR_RESULT, EAP_METHOD_AUTHENTICATOR_RESULT, pAuthAttribs);

EAP_SAME_TYPE(EAPHOST_AUTH_INFO, EAPHOST_AUTH_INFO);
EAP_SAME_MEMBER(EAPHOST_AUTH_INFO, EAPHOST_AUTH_INFO, status);
EAP_SAME_MEMBER(EAPHOST_AUTH_INFO, EAPHOST_AUTH_INFO, dwErrorCode);
EAP_SAME_MEMBER(EAPHOST_AUTH_INFO, EAPHOST_AUTH_INFO, dwReasonCode);

EAP_SAME_TYPE(EapHostPeerMethodResult, EapHostPeerMethodResult);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, fIsSuccess);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, dwFailureReasonCode);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, fSaveConnectionData);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, dwSizeofConnectionData);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, pConnectionData);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, fSaveUserData);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, dwSizeofUserData);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, pUserData);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, pAttribArray);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, isolationState);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, pEapMethodInfo);
EAP_SAME_MEMBER(EapHostPeerMethodResult, EapHostPeerMethodResult, pEapError);

// Routine tables: every slot by name, so the documented desktop order is what we fill.
EAP_SAME_TYPE(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, dwVersion);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, pEapType);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerInitialize);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerGetIdentity);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerBeginSession);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerSetCredentials);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerProcessRequestPacket);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerGetResponsePacket);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerGetResult);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerGetUIContext);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerSetUIContext);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES,
                EapPeerGetResponseAttributes);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES,
                EapPeerSetResponseAttributes);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerEndSession);
EAP_SAME_MEMBER(EAP_PEER_METHOD_ROUTINES, EAP_PEER_METHOD_ROUTINES, EapPeerShutdown);

EAP_SAME_TYPE(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                dwSizeInBytes);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES, pEapType);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorInitialize);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorBeginSession);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorUpdateInnerMethodParams);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorReceivePacket);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorSendPacket);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorGetAttributes);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorSetAttributes);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorGetResult);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorEndSession);
EAP_SAME_MEMBER(EAP_AUTHENTICATOR_METHOD_ROUTINES, EAP_AUTHENTICATOR_METHOD_ROUTINES,
                EapMethodAuthenticatorShutdown);

#undef EAP_SAME_MEMBER
#undef EAP_SAME_TYPE

// The function-pointer types the loaders cast to must match the SDK's declarations in
// calling convention and arity (the parameter structs differ only by namespace, and are
// checked above). A function that is not WINAPI on x86 hits the primary template.
constexpr std::size_t kNotWinapi = ~std::size_t{0};
template <typename F>
struct WinapiArity {
  static constexpr std::size_t value = kNotWinapi;
};
template <typename R, typename... A>
struct WinapiArity<R(WINAPI*)(A...)> {
  static constexpr std::size_t value = sizeof...(A);
};

#define EAP_SAME_SIGNATURE(pfn, function)                                                   \
  static_assert(WinapiArity<eap::pfn>::value != kNotWinapi, #pfn " is not WINAPI");         \
  static_assert(WinapiArity<eap::pfn>::value == WinapiArity<decltype(&::function)>::value, \
                #pfn " differs from the SDK's " #function " in convention or arity")

#define EAP_SAME_HOST_SIGNATURE(name) EAP_SAME_SIGNATURE(PFN_##name, name);
EAP_HOST_PEER_RUNTIME_FUNCTIONS(EAP_SAME_HOST_SIGNATURE)
#undef EAP_SAME_HOST_SIGNATURE

EAP_SAME_SIGNATURE(PFN_EapPeerGetInfo, EapPeerGetInfo);
EAP_SAME_SIGNATURE(PFN_EapPeerFreeMemory, EapPeerFreeMemory);
EAP_SAME_SIGNATURE(PFN_EapPeerFreeErrorMemory, EapPeerFreeErrorMemory);
EAP_SAME_SIGNATURE(PFN_EapMethodAuthenticatorGetInfo, EapMethodAuthenticatorGetInfo);
EAP_SAME_SIGNATURE(PFN_EapMethodAuthenticatorFreeMemory, EapMethodAuthenticatorFreeMemory);

#undef EAP_SAME_SIGNATURE

}  // namespace
