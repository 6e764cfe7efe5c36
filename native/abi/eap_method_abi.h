// The EAP method DLL ABI (eapmethodpeerapis.h, eapmethodauthenticatorapis.h): the routine
// tables a method fills in GetInfo, and the signatures of the functions a method DLL exports.
#pragma once

#include "eap_config_types.h"
#include "eap_types.h"

namespace eap {

// Desktop SDK order. The Windows Embedded Compact pages show an older layout: not this one.
struct EAP_PEER_METHOD_ROUTINES {
  DWORD dwVersion;
  EAP_TYPE* pEapType;
  DWORD(EAP_API* EapPeerInitialize)(EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerGetIdentity)(DWORD dwFlags, DWORD dwSizeofConnectionData,
                                     const BYTE* pConnectionData, DWORD dwSizeofUserData,
                                     const BYTE* pUserData, HANDLE hTokenImpersonateUser,
                                     BOOL* pfInvokeUI, DWORD* pdwSizeOfUserDataOut,
                                     BYTE** ppUserDataOut, LPWSTR* ppwszIdentity,
                                     EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerBeginSession)(DWORD dwFlags, const EapAttributes* const pAttributeArray,
                                      HANDLE hTokenImpersonateUser,
                                      DWORD dwSizeofConnectionData, BYTE* pConnectionData,
                                      DWORD dwSizeofUserData, BYTE* pUserData,
                                      DWORD dwMaxSendPacketSize,
                                      EAP_SESSION_HANDLE* pSessionHandle,
                                      EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerSetCredentials)(EAP_SESSION_HANDLE sessionHandle, LPWSTR pwszIdentity,
                                        LPWSTR pwszPassword, EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerProcessRequestPacket)(EAP_SESSION_HANDLE sessionHandle,
                                              DWORD cbReceivedPacket, EapPacket* pReceivedPacket,
                                              EapPeerMethodOutput* pEapOutput,
                                              EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerGetResponsePacket)(EAP_SESSION_HANDLE sessionHandle,
                                           DWORD* pcbSendPacket, EapPacket* pSendPacket,
                                           EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerGetResult)(EAP_SESSION_HANDLE sessionHandle,
                                   EapPeerMethodResultReason reason,
                                   EapPeerMethodResult* ppResult, EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerGetUIContext)(EAP_SESSION_HANDLE sessionHandle,
                                      DWORD* dwSizeOfUIContextData, BYTE** pUIContextData,
                                      EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerSetUIContext)(EAP_SESSION_HANDLE sessionHandle,
                                      DWORD dwSizeOfUIContextData, const BYTE* pUIContextData,
                                      EapPeerMethodOutput* pEapOutput, EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerGetResponseAttributes)(EAP_SESSION_HANDLE sessionHandle,
                                               EapAttributes* pAttribs, EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerSetResponseAttributes)(EAP_SESSION_HANDLE sessionHandle,
                                               EapAttributes* pAttribs,
                                               EapPeerMethodOutput* pEapOutput,
                                               EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerEndSession)(EAP_SESSION_HANDLE sessionHandle, EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapPeerShutdown)(EAP_ERROR** ppEapError);
};

struct EAP_AUTHENTICATOR_METHOD_ROUTINES {
  DWORD dwSizeInBytes;
  EAP_METHOD_TYPE* pEapType;
  DWORD(EAP_API* EapMethodAuthenticatorInitialize)(EAP_METHOD_TYPE* pEapType,
                                                   EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorBeginSession)(DWORD dwFlags, LPCWSTR pwszIdentity,
                                                     const EapAttributes* const pAttributeArray,
                                                     DWORD dwSizeofConnectionData,
                                                     const BYTE* const pConnectionData,
                                                     DWORD dwMaxSendPacketSize,
                                                     EAP_SESSION_HANDLE* pSessionHandle,
                                                     EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorUpdateInnerMethodParams)(
      EAP_SESSION_HANDLE sessionHandle, DWORD dwFlags, const WCHAR* pwszIdentity,
      const EapAttributes* const pAttributeArray, EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorReceivePacket)(
      EAP_SESSION_HANDLE sessionHandle, DWORD cbReceivePacket,
      const EapPacket* const pReceivePacket, EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* pEapOutput,
      EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorSendPacket)(EAP_SESSION_HANDLE sessionHandle,
                                                   BYTE bPacketId, DWORD* pcbSendPacket,
                                                   EapPacket* pSendPacket,
                                                   EAP_AUTHENTICATOR_SEND_TIMEOUT* pTimeout,
                                                   EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorGetAttributes)(EAP_SESSION_HANDLE sessionHandle,
                                                      EapAttributes* pAttribs,
                                                      EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorSetAttributes)(
      EAP_SESSION_HANDLE sessionHandle, const EapAttributes* pAttribs,
      EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* pEapOutput, EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorGetResult)(EAP_SESSION_HANDLE sessionHandle,
                                                  EAP_METHOD_AUTHENTICATOR_RESULT* pResult,
                                                  EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorEndSession)(EAP_SESSION_HANDLE sessionHandle,
                                                   EAP_ERROR** ppEapError);
  DWORD(EAP_API* EapMethodAuthenticatorShutdown)(EAP_METHOD_TYPE* pEapType,
                                                 EAP_ERROR** ppEapError);
};

// Signatures of the functions a method DLL exports, for GetProcAddress / dlsym.
using PFN_EapPeerGetInfo = DWORD(EAP_API*)(EAP_TYPE* pEapType,
                                           EAP_PEER_METHOD_ROUTINES* pEapInfo,
                                           EAP_ERROR** ppEapError);
using PFN_EapPeerFreeMemory = void(EAP_API*)(void* pUIContextData);
using PFN_EapPeerFreeErrorMemory = void(EAP_API*)(EAP_ERROR* ppEapError);
using PFN_EapPeerQueryCredentialInputFields = DWORD(EAP_API*)(
    HANDLE hUserImpersonationToken, EAP_METHOD_TYPE eapMethodType, DWORD dwFlags,
    DWORD dwEapConnDataSize, BYTE* pbEapConnData,
    EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldsArray, EAP_ERROR** ppEapError);
using PFN_EapPeerQueryUserBlobFromCredentialInputFields = DWORD(EAP_API*)(
    HANDLE hUserImpersonationToken, EAP_METHOD_TYPE eapMethodType, DWORD dwFlags,
    DWORD dwEapConnDataSize, BYTE* pbEapConnData,
    const EAP_CONFIG_INPUT_FIELD_ARRAY* pEapConfigInputFieldArray, DWORD* pdwUsersBlobSize,
    BYTE** ppUserBlob, EAP_ERROR** ppEapError);

// The method side of the configuration API (EAPHost calls these by name; all optional).
using PFN_EapPeerInvokeConfigUI = DWORD(EAP_API*)(
    EAP_METHOD_TYPE* pEapType, HWND hwndParent, DWORD dwFlags, DWORD dwSizeOfConnectionDataIn,
    BYTE* pConnectionDataIn, DWORD* dwSizeOfConnectionDataOut, BYTE** ppConnectionDataOut,
    EAP_ERROR** ppEapError);
using PFN_EapPeerInvokeInteractiveUI = DWORD(EAP_API*)(
    EAP_METHOD_TYPE* pEapType, HWND hwndParent, DWORD dwSizeofUIContextData,
    BYTE* pUIContextData, DWORD* pdwSizeOfDataFromInteractiveUI,
    BYTE** ppDataFromInteractiveUI, EAP_ERROR** ppEapError);
using PFN_EapPeerInvokeIdentityUI = DWORD(EAP_API*)(
    EAP_METHOD_TYPE* pEapType, DWORD dwFlags, HWND hwndParent, DWORD dwSizeOfConnectionData,
    const BYTE* pConnectionData, DWORD dwSizeOfUserData, const BYTE* pUserData,
    DWORD* pdwSizeOfUserDataOut, BYTE** ppUserDataOut, LPWSTR* ppwszIdentity,
    EAP_ERROR** ppEapError);
using PFN_EapPeerQueryInteractiveUIInputFields = DWORD(EAP_API*)(
    DWORD dwVersion, DWORD dwFlags, DWORD dwSizeofUIContextData, const BYTE* pUIContextData,
    EAP_INTERACTIVE_UI_DATA* pEapInteractiveUIData, EAP_ERROR** ppEapError, void** ppvReserved);
using PFN_EapPeerQueryUIBlobFromInteractiveUIInputFields = DWORD(EAP_API*)(
    DWORD dwVersion, DWORD dwFlags, DWORD dwSizeofUIContextData, const BYTE* pUIContextData,
    const EAP_INTERACTIVE_UI_DATA* pEapInteractiveUIData, DWORD* pdwSizeOfDataFromInteractiveUI,
    BYTE** ppDataFromInteractiveUI, EAP_ERROR** ppEapError, void** ppvReserved);
using PFN_EapPeerConfigXml2Blob = DWORD(EAP_API*)(DWORD dwFlags, EAP_METHOD_TYPE eapMethodType,
                                                  IXMLDOMDocument2* pConfigDoc,
                                                  BYTE** ppConfigOut, DWORD* pdwSizeOfConfigOut,
                                                  EAP_ERROR** ppEapError);
using PFN_EapPeerCredentialsXml2Blob = DWORD(EAP_API*)(
    DWORD dwFlags, EAP_METHOD_TYPE eapMethodType, IXMLDOMDocument2* pCredentialsDoc,
    const BYTE* pConfigIn, DWORD dwSizeOfConfigIn, BYTE** ppCredentialsOut,
    DWORD* pdwSizeOfCredentialsOut, EAP_ERROR** ppEapError);
using PFN_EapPeerConfigBlob2Xml = DWORD(EAP_API*)(DWORD dwFlags, EAP_METHOD_TYPE eapMethodType,
                                                  const BYTE* pConfigIn, DWORD dwSizeOfConfigIn,
                                                  IXMLDOMDocument2** ppConfigDoc,
                                                  EAP_ERROR** ppEapError);
using PFN_EapPeerGetMethodProperties = DWORD(EAP_API*)(
    DWORD dwVersion, DWORD dwFlags, EAP_METHOD_TYPE eapMethodType, HANDLE hUserImpersonationToken,
    DWORD dwSizeOfConnectionDataIn, const BYTE* pConnectionDataIn, DWORD dwSizeOfUserDataIn,
    const BYTE* pUserDataIn, EAP_METHOD_PROPERTY_ARRAY* pMethodPropertyArray,
    EAP_ERROR** ppEapError);

// Declared without WINAPI in the SDK: __cdecl, unlike every other export of a method module.
using PFN_EapMethodAuthenticatorGetInfo = DWORD(EAP_CDECL*)(
    EAP_METHOD_TYPE* pEapType, EAP_AUTHENTICATOR_METHOD_ROUTINES* pEapInfo,
    EAP_ERROR** ppEapError);
using PFN_EapMethodAuthenticatorFreeMemory = void(EAP_API*)(void* pUIContextData);
using PFN_EapMethodAuthenticatorFreeErrorMemory = void(EAP_API*)(EAP_ERROR* pEapError);

}  // namespace eap

// Exported names, so loaders and .def files agree on spelling.
#define EAP_PEER_GET_INFO_NAME "EapPeerGetInfo"
#define EAP_PEER_FREE_MEMORY_NAME "EapPeerFreeMemory"
#define EAP_PEER_FREE_ERROR_MEMORY_NAME "EapPeerFreeErrorMemory"
#define EAP_PEER_QUERY_CREDENTIAL_INPUT_FIELDS_NAME "EapPeerQueryCredentialInputFields"
#define EAP_PEER_QUERY_USER_BLOB_NAME "EapPeerQueryUserBlobFromCredentialInputFields"
#define EAP_PEER_INVOKE_CONFIG_UI_NAME "EapPeerInvokeConfigUI"
#define EAP_PEER_INVOKE_INTERACTIVE_UI_NAME "EapPeerInvokeInteractiveUI"
#define EAP_PEER_INVOKE_IDENTITY_UI_NAME "EapPeerInvokeIdentityUI"
#define EAP_PEER_QUERY_INTERACTIVE_UI_INPUT_FIELDS_NAME "EapPeerQueryInteractiveUIInputFields"
#define EAP_PEER_QUERY_UI_BLOB_NAME "EapPeerQueryUIBlobFromInteractiveUIInputFields"
#define EAP_PEER_CONFIG_XML_TO_BLOB_NAME "EapPeerConfigXml2Blob"
#define EAP_PEER_CREDENTIALS_XML_TO_BLOB_NAME "EapPeerCredentialsXml2Blob"
#define EAP_PEER_CONFIG_BLOB_TO_XML_NAME "EapPeerConfigBlob2Xml"
#define EAP_PEER_GET_METHOD_PROPERTIES_NAME "EapPeerGetMethodProperties"
#define EAP_AUTHENTICATOR_GET_INFO_NAME "EapMethodAuthenticatorGetInfo"
#define EAP_AUTHENTICATOR_FREE_MEMORY_NAME "EapMethodAuthenticatorFreeMemory"
#define EAP_AUTHENTICATOR_FREE_ERROR_MEMORY_NAME "EapMethodAuthenticatorFreeErrorMemory"
