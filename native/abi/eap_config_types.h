// Types of the configuration API (eaptypes.h: interactive UI data, method properties) and the
// XML DOM interfaces the configuration functions pass (IXMLDOMNode, IXMLDOMDocument2).
//
// XML across the ABI. On Windows the SDK's functions take MSXML's COM interfaces, and so do
// ours: the real msxml2.h types. Elsewhere there is no MSXML, so the portable build declares a
// COM-shaped stand-in: a node is an object whose first member points at a table of two
// functions, GetXml (the node's XML as UTF-16, owned by the node) and Release (drop the
// caller's reference). Whoever made a node also supplies its functions, so a node made by the
// addon can be read and released by the portable EAPHost and by a method module exactly as a
// COM object made by MSXML would be on Windows. native/common/xml_document.h is the one place
// that makes and reads either kind.
#pragma once

#include "eap_types.h"

#if defined(_WIN32)
#include <objbase.h>
#include <msxml2.h>
#endif

namespace eap {

#if defined(_WIN32)
using ::HWND;
using ::IXMLDOMDocument2;
using ::IXMLDOMNode;
#else
using HWND = void*;

struct IXMLDOMNode;
struct EapXmlNodeFunctions {
  // The node's XML text: *text stays valid until the node's last Release. Returns a Win32 code.
  DWORD(EAP_API* GetXml)(IXMLDOMNode* node, const WCHAR** text, DWORD* length);
  void(EAP_API* Release)(IXMLDOMNode* node);
};
struct IXMLDOMNode {
  const EapXmlNodeFunctions* functions;
};
// A whole document; its XML is the document's text.
struct IXMLDOMDocument2 : IXMLDOMNode {};
#endif

// ---- interactive UI data (eaptypes.h) ---------------------------------------------------

enum EAP_INTERACTIVE_UI_DATA_TYPE : std::int32_t {
  EapCredReq = 0,
  EapCredResp = 1,
  EapCredExpiryReq = 2,
  EapCredExpiryResp = 3,
  EapCredLogonReq = 4,
  EapCredLogonResp = 5,
};

using EAP_CRED_REQ = EAP_CONFIG_INPUT_FIELD_ARRAY;
using EAP_CRED_RESP = EAP_CONFIG_INPUT_FIELD_ARRAY;
using EAP_CRED_LOGON_REQ = EAP_CONFIG_INPUT_FIELD_ARRAY;
using EAP_CRED_LOGON_RESP = EAP_CONFIG_INPUT_FIELD_ARRAY;

struct EAP_CRED_EXPIRY_REQ {
  EAP_CONFIG_INPUT_FIELD_ARRAY curCreds;
  EAP_CONFIG_INPUT_FIELD_ARRAY newCreds;
};
using EAP_CRED_EXPIRY_RESP = EAP_CRED_EXPIRY_REQ;

union EAP_UI_DATA_FORMAT {
  EAP_CRED_REQ* credData;
  EAP_CRED_EXPIRY_REQ* credExpiryData;
  EAP_CRED_LOGON_REQ* credLogonData;
};

struct EAP_INTERACTIVE_UI_DATA {
  DWORD dwVersion;  // 0
  DWORD dwSize;     // of the whole structure
  EAP_INTERACTIVE_UI_DATA_TYPE dwDataType;
  DWORD cbUiData;   // of what pbUiData points at
  EAP_UI_DATA_FORMAT pbUiData;
};

// ---- method properties (eaptypes.h) -----------------------------------------------------

enum EAP_METHOD_PROPERTY_TYPE : std::int32_t {
  emptPropCipherSuiteNegotiation = 0,
  emptPropMutualAuth = 1,
  emptPropIntegrity = 2,
  emptPropReplayProtection = 3,
  emptPropConfidentiality = 4,
  emptPropKeyDerivation = 5,
  emptPropKeyStrength64 = 6,
  emptPropKeyStrength128 = 7,
  emptPropKeyStrength256 = 8,
  emptPropKeyStrength512 = 9,
  emptPropKeyStrength1024 = 10,
  emptPropDictionaryAttackResistance = 11,
  emptPropFastReconnect = 12,
  emptPropCryptoBinding = 13,
  emptPropSessionIndependence = 14,
  emptPropFragmentation = 15,
  emptPropChannelBinding = 16,
  emptPropNap = 17,
  emptPropStandalone = 18,
  emptPropMppeEncryption = 19,
  emptPropTunnelMethod = 20,
  emptPropSupportsConfig = 21,
  emptPropCertifiedMethod = 22,
  emptPropHiddenMethod = 23,
  emptPropMachineAuth = 24,
  emptPropUserAuth = 25,
  emptPropIdentityPrivacy = 26,
  emptPropMethodChaining = 27,
  emptPropSharedStateEquivalence = 28,
  emptLegacyMethodPropertyFlag = 31,  // value is a DWORD (the eapProp* bits)
  emptPropVendorSpecific = 255,       // value is a string
};

enum EAP_METHOD_PROPERTY_VALUE_TYPE : std::int32_t {
  empvtBool = 0,
  empvtDword = 1,
  empvtString = 2,
};

struct EAP_METHOD_PROPERTY_VALUE_BOOL {
  DWORD length;
  BOOL value;
};

struct EAP_METHOD_PROPERTY_VALUE_DWORD {
  DWORD length;
  DWORD value;
};

struct EAP_METHOD_PROPERTY_VALUE_STRING {
  DWORD length;
  BYTE* value;
};

union EAP_METHOD_PROPERTY_VALUE {
  EAP_METHOD_PROPERTY_VALUE_BOOL empvBool;
  EAP_METHOD_PROPERTY_VALUE_DWORD empvDword;
  EAP_METHOD_PROPERTY_VALUE_STRING empvString;
};

struct EAP_METHOD_PROPERTY {
  EAP_METHOD_PROPERTY_TYPE eapMethodPropertyType;
  EAP_METHOD_PROPERTY_VALUE_TYPE eapMethodPropertyValueType;
  EAP_METHOD_PROPERTY_VALUE eapMethodPropertyValue;
};

struct EAP_METHOD_PROPERTY_ARRAY {
  DWORD dwNumberOfProperties;
  EAP_METHOD_PROPERTY* pMethodProperty;
};

}  // namespace eap
