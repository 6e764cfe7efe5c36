// Compile-time proof that native/abi/onex_types.h declares the 802.1X notification structures
// exactly as the Windows SDK's dot1x.h does: every value, size, alignment and member offset. It
// produces no code; a mismatch fails the build. Built where sdk_layout_check.cc is (MSVC in the
// Windows workflow; mingw-w64 against the SDK's public headers in scripts/dev/check-sdk-abi.sh).
//
// Bit-field members have no offset: the DWORD that holds them is pinned by its neighbours.
#include <cstddef>
#include <cstdint>

#include "onex_types.h"

#undef EAP_API
#undef EAP_CDECL
#undef EAP_EXPORT
#undef EAP_CALLBACK

#include <windows.h>
// clang-format off (dot1x.h needs l2cmn.h and eaptypes.h first)
#include <l2cmn.h>
#include <eaptypes.h>
#include <dot1x.h>
// clang-format on

namespace {

static_assert(eap::kL2ReasonCodeOnexBase == L2_REASON_CODE_ONEX_BASE, "L2_REASON_CODE_ONEX_BASE differs from the SDK");

#define ONEX_SAME_ENUM(name)                                                                         \
  static_assert(static_cast<std::uint32_t>(eap::name) == static_cast<std::uint32_t>(::name), \
                #name " differs from the SDK");
#define ONEX_SDK_ENUMERATORS(X)                                                                      \
  X(OneXAuthIdentityNone) X(OneXAuthIdentityMachine) X(OneXAuthIdentityUser)                         \
  X(OneXAuthIdentityExplicitUser) X(OneXAuthIdentityGuest) X(OneXAuthIdentityInvalid)                \
  X(OneXAuthNotStarted) X(OneXAuthInProgress) X(OneXAuthNoAuthenticatorFound) X(OneXAuthSuccess)     \
  X(OneXAuthFailure) X(OneXAuthInvalid)                                                              \
  X(ONEX_REASON_CODE_SUCCESS) X(ONEX_REASON_START) X(ONEX_UNABLE_TO_IDENTIFY_USER)                   \
  X(ONEX_IDENTITY_NOT_FOUND) X(ONEX_UI_DISABLED) X(ONEX_UI_FAILURE) X(ONEX_EAP_FAILURE_RECEIVED)     \
  X(ONEX_AUTHENTICATOR_NO_LONGER_PRESENT) X(ONEX_NO_RESPONSE_TO_IDENTITY)                            \
  X(ONEX_PROFILE_VERSION_NOT_SUPPORTED) X(ONEX_PROFILE_INVALID_LENGTH)                               \
  X(ONEX_PROFILE_DISALLOWED_EAP_TYPE) X(ONEX_PROFILE_INVALID_EAP_TYPE_OR_FLAG)                       \
  X(ONEX_PROFILE_INVALID_ONEX_FLAGS) X(ONEX_PROFILE_INVALID_TIMER_VALUE)                             \
  X(ONEX_PROFILE_INVALID_SUPPLICANT_MODE) X(ONEX_PROFILE_INVALID_AUTH_MODE)                          \
  X(ONEX_PROFILE_INVALID_EAP_CONNECTION_PROPERTIES) X(ONEX_UI_CANCELLED)                             \
  X(ONEX_PROFILE_INVALID_EXPLICIT_CREDENTIALS) X(ONEX_PROFILE_EXPIRED_EXPLICIT_CREDENTIALS)          \
  X(ONEX_UI_NOT_PERMITTED)                                                                           \
  X(OneXPublicNotificationBase) X(OneXNotificationTypeResultUpdate)                                  \
  X(OneXNotificationTypeAuthRestarted) X(OneXNotificationTypeEventInvalid) X(OneXNumNotifications)   \
  X(OneXRestartReasonPeerInitiated) X(OneXRestartReasonMsmInitiated)                                 \
  X(OneXRestartReasonOneXHeldStateTimeout) X(OneXRestartReasonOneXAuthTimeout)                      \
  X(OneXRestartReasonOneXConfigurationChanged) X(OneXRestartReasonOneXUserChanged)                  \
  X(OneXRestartReasonQuarantineStateChanged) X(OneXRestartReasonAltCredsTrial)                      \
  X(OneXRestartReasonInvalid) X(OneXEapMethodBackendSupportUnknown)                                  \
  X(OneXEapMethodBackendSupported) X(OneXEapMethodBackendUnsupported)
ONEX_SDK_ENUMERATORS(ONEX_SAME_ENUM)
#undef ONEX_SAME_ENUM

#define ONEX_SAME_SIZE(name)                                                                   \
  static_assert(sizeof(eap::name) == sizeof(::name), "sizeof " #name " differs from the SDK"); \
  static_assert(alignof(eap::name) == alignof(::name), "alignof " #name " differs from the SDK");
ONEX_SAME_SIZE(ONEX_AUTH_IDENTITY)
ONEX_SAME_SIZE(ONEX_AUTH_STATUS)
ONEX_SAME_SIZE(ONEX_REASON_CODE)
ONEX_SAME_SIZE(ONEX_NOTIFICATION_TYPE)
ONEX_SAME_SIZE(ONEX_AUTH_RESTART_REASON)
ONEX_SAME_SIZE(ONEX_EAP_METHOD_BACKEND_SUPPORT)
ONEX_SAME_SIZE(ONEX_VARIABLE_BLOB)
ONEX_SAME_SIZE(ONEX_STATUS)
ONEX_SAME_SIZE(ONEX_EAP_ERROR)
ONEX_SAME_SIZE(ONEX_RESULT_UPDATE_DATA)
#undef ONEX_SAME_SIZE

#define ONEX_SAME_MEMBER(type, member)                                     \
  static_assert(offsetof(eap::type, member) == offsetof(::type, member),   \
                "offset of " #type "::" #member " differs from the SDK");  \
  static_assert(sizeof(eap::type::member) == sizeof(::type::member),       \
                "size of " #type "::" #member " differs from the SDK");
ONEX_SAME_MEMBER(ONEX_VARIABLE_BLOB, dwSize)
ONEX_SAME_MEMBER(ONEX_VARIABLE_BLOB, dwOffset)
ONEX_SAME_MEMBER(ONEX_STATUS, authStatus)
ONEX_SAME_MEMBER(ONEX_STATUS, dwReason)
ONEX_SAME_MEMBER(ONEX_STATUS, dwError)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, dwWinError)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, type)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, dwReasonCode)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, rootCauseGuid)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, repairGuid)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, helpLinkGuid)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, RootCauseString)
ONEX_SAME_MEMBER(ONEX_EAP_ERROR, RepairString)
ONEX_SAME_MEMBER(ONEX_RESULT_UPDATE_DATA, oneXStatus)
ONEX_SAME_MEMBER(ONEX_RESULT_UPDATE_DATA, BackendSupport)
ONEX_SAME_MEMBER(ONEX_RESULT_UPDATE_DATA, fBackendEngaged)
ONEX_SAME_MEMBER(ONEX_RESULT_UPDATE_DATA, authParams)
ONEX_SAME_MEMBER(ONEX_RESULT_UPDATE_DATA, eapError)
#undef ONEX_SAME_MEMBER

}  // namespace
