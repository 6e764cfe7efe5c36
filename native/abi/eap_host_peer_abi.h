// The EAPHost peer runtime API (eappapis.h): the EapHostPeer* functions exported by
// eappprxy.dll on Windows and by the portable EAPHost library elsewhere.
//
// The addon never links these statically: it fills an EapHostPeerApi table from whichever
// library it loads, so one code path serves the real EAPHost and the portable one.
#pragma once

#include "eap_config_types.h"
#include "eap_types.h"

namespace eap {

#if defined(_WIN32)
#define EAP_CALLBACK CALLBACK
#else
#define EAP_CALLBACK
#endif

using NotificationHandler = void(EAP_CALLBACK*)(GUID connectionId, void* pContextData);

using PFN_EapHostPeerInitialize = DWORD(EAP_API*)();
using PFN_EapHostPeerUninitialize = void(EAP_API*)();
using PFN_EapHostPeerBeginSession = DWORD(EAP_API*)(
    DWORD dwFlags, EAP_METHOD_TYPE eapType, const EapAttributes* const pAttributeArray,
    HANDLE hTokenImpersonateUser, DWORD dwSizeofConnectionData, const BYTE* const pConnectionData,
    DWORD dwSizeofUserData, const BYTE* const pUserData, DWORD dwMaxSendPacketSize,
    const GUID* const pConnectionId, NotificationHandler func, void* pContextData,
    EAP_SESSIONID* pSessionId, EAP_ERROR** ppEapError);
using PFN_EapHostPeerProcessReceivedPacket = DWORD(EAP_API*)(
    EAP_SESSIONID sessionHandle, DWORD cbReceivePacket, const BYTE* const pReceivePacket,
    EapHostPeerResponseAction* pEapOutput, EAP_ERROR** ppEapError);
using PFN_EapHostPeerGetSendPacket = DWORD(EAP_API*)(EAP_SESSIONID sessionHandle,
                                                     DWORD* pcbSendPacket, BYTE** ppSendPacket,
                                                     EAP_ERROR** ppEapError);
using PFN_EapHostPeerGetResult = DWORD(EAP_API*)(EAP_SESSIONID sessionHandle,
                                                 EapHostPeerMethodResultReason reason,
                                                 EapHostPeerMethodResult* ppResult,
                                                 EAP_ERROR** ppEapError);
using PFN_EapHostPeerGetUIContext = DWORD(EAP_API*)(EAP_SESSIONID sessionHandle,
                                                    DWORD* pdwSizeOfUIContextData,
                                                    BYTE** ppUIContextData,
                                                    EAP_ERROR** ppEapError);
using PFN_EapHostPeerSetUIContext = DWORD(EAP_API*)(EAP_SESSIONID sessionHandle,
                                                    DWORD dwSizeOfUIContextData,
                                                    const BYTE* const pUIContextData,
                                                    EapHostPeerResponseAction* pEapOutput,
                                                    EAP_ERROR** ppEapError);
using PFN_EapHostPeerGetResponseAttributes = DWORD(EAP_API*)(EAP_SESSIONID sessionHandle,
                                                             EapAttributes* pAttribs,
                                                             EAP_ERROR** ppEapError);
using PFN_EapHostPeerSetResponseAttributes = DWORD(EAP_API*)(
    EAP_SESSIONID sessionHandle, const EapAttributes* const pAttribs,
    EapHostPeerResponseAction* pEapOutput, EAP_ERROR** ppEapError);
using PFN_EapHostPeerGetAuthStatus = DWORD(EAP_API*)(EAP_SESSIONID sessionHandle,
                                                     EapHostPeerAuthParams authParam,
                                                     DWORD* pcbAuthData, BYTE** ppAuthData,
                                                     EAP_ERROR** ppEapError);
using PFN_EapHostPeerEndSession = DWORD(EAP_API*)(EAP_SESSIONID sessionHandle,
                                                  EAP_ERROR** ppEapError);
using PFN_EapHostPeerClearConnection = DWORD(EAP_API*)(GUID* pConnectionId,
                                                       EAP_ERROR** ppEapError);
using PFN_EapHostPeerFreeEapError = void(EAP_API*)(EAP_ERROR* pEapError);
using PFN_EapHostPeerGetIdentity = DWORD(EAP_API*)(
    DWORD dwVersion, DWORD dwFlags, EAP_METHOD_TYPE eapMethodType, DWORD dwSizeofConnectionData,
    const BYTE* pConnectionData, DWORD dwSizeofUserData, const BYTE* pUserData,
    HANDLE hTokenImpersonateUser, BOOL* pfInvokeUI, DWORD* pdwSizeOfUserDataOut,
    BYTE** ppUserDataOut, LPWSTR* ppwszIdentity, EAP_ERROR** ppEapError, BYTE** ppvReserved);
using PFN_EapHostPeerFreeRuntimeMemory = void(EAP_API*)(BYTE* pData);

// eappcfg.dll (configuration API).
using PFN_EapHostPeerGetMethods = DWORD(EAP_API*)(EAP_METHOD_INFO_ARRAY* pEapMethodInfoArray,
                                                  EAP_ERROR** ppEapError);
using PFN_EapHostPeerFreeMemory = void(EAP_API*)(BYTE* pData);
using PFN_EapHostPeerFreeErrorMemory = void(EAP_API*)(EAP_ERROR* pEapError);
using PFN_EapHostPeerGetMethodProperties = DWORD(EAP_API*)(
    DWORD dwVersion, DWORD dwFlags, EAP_METHOD_TYPE eapMethodType, HANDLE hUserImpersonationToken,
    DWORD dwEapConnDataSize, const BYTE* pbEapConnData, DWORD dwUserDataSize,
    const BYTE* pbUserData, EAP_METHOD_PROPERTY_ARRAY* pMethodPropertyArray,
    EAP_ERROR** ppEapError);
using PFN_EapHostPeerInvokeConfigUI = DWORD(EAP_API*)(
    HWND hwndParent, DWORD dwFlags, EAP_METHOD_TYPE eapMethodType, DWORD dwSizeOfConfigIn,
    const BYTE* pConfigIn, DWORD* pdwSizeOfConfigOut, BYTE** ppConfigOut, EAP_ERROR** ppEapError);
using PFN_EapHostPeerQueryCredentialInputFields = DWORD(EAP_API*)(
    HANDLE hUserImpersonationToken, EAP_METHOD_TYPE eapMethodType, DWORD dwFlags,
    DWORD dwEapConnDataSize, const BYTE* pbEapConnData,
    EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldArray, EAP_ERROR** ppEapError);
using PFN_EapHostPeerQueryUserBlobFromCredentialInputFields = DWORD(EAP_API*)(
    HANDLE hUserImpersonationToken, EAP_METHOD_TYPE eapMethodType, DWORD dwFlags,
    DWORD dwEapConnDataSize, const BYTE* pbEapConnData,
    const EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldArray, DWORD* pdwUserBlobSize,
    BYTE** ppbUserBlob, EAP_ERROR** ppEapError);
using PFN_EapHostPeerInvokeIdentityUI = DWORD(EAP_API*)(
    DWORD dwVersion, EAP_METHOD_TYPE eapMethodType, DWORD dwFlags, HWND hwndParent,
    DWORD dwSizeofConnectionData, const BYTE* pConnectionData, DWORD dwSizeofUserData,
    const BYTE* pUserData, DWORD* pdwSizeOfUserDataOut, BYTE** ppUserDataOut,
    LPWSTR* ppwszIdentity, EAP_ERROR** ppEapError, void** ppvReserved);
using PFN_EapHostPeerInvokeInteractiveUI = DWORD(EAP_API*)(
    HWND hwndParent, DWORD dwSizeofUIContextData, const BYTE* pUIContextData,
    DWORD* pdwSizeOfDataFromInteractiveUI, BYTE** ppDataFromInteractiveUI,
    EAP_ERROR** ppEapError);
using PFN_EapHostPeerQueryInteractiveUIInputFields = DWORD(EAP_API*)(
    DWORD dwVersion, DWORD dwFlags, DWORD dwSizeofUIContextData, const BYTE* pUIContextData,
    EAP_INTERACTIVE_UI_DATA* pEapInteractiveUIData, EAP_ERROR** ppEapError, void** ppvReserved);
using PFN_EapHostPeerQueryUIBlobFromInteractiveUIInputFields = DWORD(EAP_API*)(
    DWORD dwVersion, DWORD dwFlags, DWORD dwSizeofUIContextData, const BYTE* pUIContextData,
    const EAP_INTERACTIVE_UI_DATA* pEapInteractiveUIData, DWORD* pdwSizeOfDataFromInteractiveUI,
    BYTE** ppDataFromInteractiveUI, EAP_ERROR** ppEapError, void** ppvReserved);
using PFN_EapHostPeerConfigXml2Blob = DWORD(EAP_API*)(DWORD dwFlags, IXMLDOMNode* pConfigDoc,
                                                      DWORD* pdwSizeOfConfigOut,
                                                      BYTE** ppConfigOut,
                                                      EAP_METHOD_TYPE* pEapMethodType,
                                                      EAP_ERROR** ppEapError);
using PFN_EapHostPeerCredentialsXml2Blob = DWORD(EAP_API*)(
    DWORD dwFlags, IXMLDOMNode* pCredentialsDoc, DWORD dwSizeOfConfigIn, BYTE* pConfigIn,
    DWORD* pdwSizeOfCredentialsOut, BYTE** ppCredentialsOut, EAP_METHOD_TYPE* pEapMethodType,
    EAP_ERROR** ppEapError);
using PFN_EapHostPeerConfigBlob2Xml = DWORD(EAP_API*)(DWORD dwFlags,
                                                      EAP_METHOD_TYPE eapMethodType,
                                                      DWORD dwSizeOfConfigIn, BYTE* pConfigIn,
                                                      IXMLDOMDocument2** ppConfigDoc,
                                                      EAP_ERROR** ppEapError);

// One entry per exported name; X(name) expands for each, so the table, the loader and the
// list of required symbols cannot drift apart.
#define EAP_HOST_PEER_RUNTIME_FUNCTIONS(X) \
  X(EapHostPeerInitialize)                 \
  X(EapHostPeerUninitialize)               \
  X(EapHostPeerBeginSession)               \
  X(EapHostPeerProcessReceivedPacket)      \
  X(EapHostPeerGetSendPacket)              \
  X(EapHostPeerGetResult)                  \
  X(EapHostPeerGetUIContext)               \
  X(EapHostPeerSetUIContext)               \
  X(EapHostPeerGetResponseAttributes)      \
  X(EapHostPeerSetResponseAttributes)      \
  X(EapHostPeerGetAuthStatus)              \
  X(EapHostPeerEndSession)                 \
  X(EapHostPeerClearConnection)            \
  X(EapHostPeerFreeEapError)               \
  X(EapHostPeerGetIdentity)                \
  X(EapHostPeerFreeRuntimeMemory)

#define EAP_HOST_PEER_CONFIG_FUNCTIONS(X)             \
  X(EapHostPeerGetMethods)                            \
  X(EapHostPeerFreeMemory)                            \
  X(EapHostPeerFreeErrorMemory)                       \
  X(EapHostPeerGetMethodProperties)                   \
  X(EapHostPeerInvokeConfigUI)                        \
  X(EapHostPeerQueryCredentialInputFields)            \
  X(EapHostPeerQueryUserBlobFromCredentialInputFields) \
  X(EapHostPeerInvokeIdentityUI)                      \
  X(EapHostPeerInvokeInteractiveUI)                   \
  X(EapHostPeerQueryInteractiveUIInputFields)         \
  X(EapHostPeerQueryUIBlobFromInteractiveUIInputFields) \
  X(EapHostPeerConfigXml2Blob)                        \
  X(EapHostPeerCredentialsXml2Blob)                   \
  X(EapHostPeerConfigBlob2Xml)

struct EapHostPeerApi {
#define EAP_HOST_PEER_API_MEMBER(name) PFN_##name name = nullptr;
  EAP_HOST_PEER_RUNTIME_FUNCTIONS(EAP_HOST_PEER_API_MEMBER)
  EAP_HOST_PEER_CONFIG_FUNCTIONS(EAP_HOST_PEER_API_MEMBER)
#undef EAP_HOST_PEER_API_MEMBER
};

}  // namespace eap
