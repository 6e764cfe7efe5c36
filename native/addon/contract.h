// The addon's named contract: for every argument object and result object the addon's calls
// take and give, a struct of the same name as its interface in lib/native/contract.ts, with the
// same members in the same order; the results built through a registered JS builder are
// declared in native/addon/seam.js instead (result_shapes.h). Each binding reads its argument object into its struct beside
// itself (object.Get("field")); an optional field is a std::optional or has the default its
// comment gives. Handles, and fields that only JS can make or that the call reads into wiped
// storage itself, stay JS values here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <napi.h>

#include "../common/eap_error_info.h"
#include "../hosts/method_values.h"
#include "method_registration.h"

namespace eaphost {

// ---- conversations (conversation_binding.cc) ----
struct ConversationSettings {
  eap::DWORD maxSendPacketSize = 1400;
  eap::DWORD retransmitTimeoutMs = 3000;
  eap::DWORD maxRetransmits = 4;
  std::vector<Bytes> connectionData;  // per method, parallel to the handles; empty: none
  bool stepsAside = false;
};

// The conversation's peer in this process: an EAPHost session, given (`session`) or begun in the
// job (`begin`: eapHostBeginSession's arguments), ended in the job once it has the outcome's
// result when asked.
struct ConversationPeer {
  Napi::Value session;
  Napi::Value begin;  // EapHostPeerBeginSessionArgs
  bool endWhenConcluded = false;
};

// The authenticator a conversation starts from, one object per Authenticator: read at its first
// conversation and kept with the object natively (ConversationStartFrom), its connection data
// aside (read at each start).
struct ConversationAuthenticator {
  Napi::Value methods;   // authenticator method handles
  Napi::Value settings;  // ConversationSettings
  Napi::Value users;     // KnownAnswer[] of a plain table, read into wiped storage; undefined: the store is JS's
};

struct ConversationBeginArgs {
  Napi::Value authenticator;     // ConversationAuthenticator
  Napi::Value identityResponse;  // a Buffer, or undefined
  Napi::Value peer;              // ConversationPeer, or undefined
  eap::DWORD budget = 0;         // responses of the peer the job may hand to the authenticator
  bool keepPackets = false;      // every packet passed comes back (`packets`)
};

struct ConversationRunArgs {
  Napi::Value conversation;
  std::string kind;               // 'response' | 'timeout' | 'knownAnswer'
  std::optional<Bytes> response;  // with 'response': the peer's
  Napi::Value knownAnswer;        // with 'knownAnswer': the user store's answer; read into wiped storage
  Napi::Value peer;               // ConversationPeer with its session, or undefined
  eap::DWORD budget = 0;
  bool keepPackets = false;
};

// eapHostSessionReceive: a remote authenticator's packet for an EAPHost session alone.
struct EapHostSessionReceiveArgs {
  Napi::Value session;
  std::string kind;  // 'request' | 'outcome'
  Bytes packet;
};

struct ConversationEndArgs {
  Napi::Value conversation;
};

// ---- every other call: one argument object each (named_args.h reads them) ----
// A missing or mistyped field is a TypeError naming it. Each EAP function is an export of its
// own, named by its family and the function (EapHostPeerGetResult: eapHostGetResult, EapPeer*:
// peerMethod…, EapMethodAuthenticator*: authenticatorMethod…).

// module.cc
struct ConfigureArgs {
  Napi::Value eapErrorClass;           // a constructor, or undefined: unchanged
  Napi::Value notificationDispatcher;  // a function, or undefined: unchanged
  std::optional<bool> notificationsHeard;
  Napi::Value resultShapes;            // the builders of the hottest results (result-shapes.ts), or undefined
};

struct ReleaseArgs {
  Napi::Value handle;
};

struct HostThreadStatsResult {
  double jobs = 0;
  double batches = 0;
  double drains = 0;
  double housekeeping = 0;
  double aside = 0;
  std::optional<double> heapInUse;  // none where the allocator does not say
};

// eapHostOpen (eaphost_instance_binding.cc)
struct EapHostOpenArgs {
  std::string backend;      // 'system' | 'portable'
  std::string libraryPath;  // required with 'portable'
};

// eaphost_instance_binding.cc: an EapHostPeer* function on an opened EAPHost, one export each
struct EapHostPeerBeginSessionArgs {
  Napi::Value host;
  eap::EAP_METHOD_TYPE methodType = {};
  eap::DWORD flags = 0;
  eap::DWORD maxSendPacketSize = 0;
  Attributes attributes;                   // absent: none
  Bytes connectionData;                    // absent: none; wiped once used
  Bytes userData;                          // absent: none; wiped once used
  std::optional<std::string> connectionId;  // absent: a new one, named in the settling
  Napi::Value credentialMethod;            // a peer method handle: the user blob made from the two below
  Napi::Value identity;                    // read by the call into wiped storage
  Napi::Value password;                    // read by the call into wiped storage
};

struct EapHostPeerClearConnectionArgs {
  Napi::Value host;
  std::string connectionId;
};

struct EapHostPeerGetIdentityArgs {
  Napi::Value host;
  eap::EAP_METHOD_TYPE methodType = {};
  eap::DWORD flags = 0;
  Bytes connectionData;  // absent: none
  Bytes userData;        // absent: none; wiped once used
};

struct EapHostPeerGetMethodsArgs {
  Napi::Value host;
};

// eap_config_binding.cc, eap_config_ui_binding.cc: the configuration API, one export per function
struct EapHostPeerConfigXml2BlobArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  std::string xml;
};

struct EapHostPeerConfigBlob2XmlArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  eap::EAP_METHOD_TYPE methodType = {};
  Bytes config;  // wiped once used
};

struct EapHostPeerCredentialsXml2BlobArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  Napi::Value xml;  // holds credentials: read by the call into wiped storage
  Bytes config;     // wiped once used
};

struct EapHostPeerQueryCredentialInputFieldsArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  eap::EAP_METHOD_TYPE methodType = {};
  Bytes config;  // wiped once used
};

struct EapHostPeerQueryUserBlobFromCredentialInputFieldsArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  eap::EAP_METHOD_TYPE methodType = {};
  Bytes config;        // wiped once used
  Napi::Value fields;  // input fields holding credentials: read by the call into wiped storage
};

struct EapHostPeerGetMethodPropertiesArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  eap::EAP_METHOD_TYPE methodType = {};
  Bytes config;    // absent: none; wiped once used
  Bytes userData;  // absent: none; wiped once used
};

struct EapHostPeerQueryInteractiveUIInputFieldsArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  Bytes uiContext;
};

struct EapHostPeerQueryUIBlobFromInteractiveUIInputFieldsArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  Bytes uiContext;
  Napi::Value data;  // EapInteractiveUiData holding credentials: read by the call into wiped storage
};

struct EapHostPeerInvokeConfigUIArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  uintptr_t parentWindow = 0;  // an HWND: getNativeWindowHandle()'s Buffer, or a bigint
  eap::EAP_METHOD_TYPE methodType = {};
  Bytes config;  // absent: none; wiped once used
};

struct EapHostPeerInvokeIdentityUIArgs {
  Napi::Value host;
  eap::DWORD flags = 0;
  uintptr_t parentWindow = 0;
  eap::EAP_METHOD_TYPE methodType = {};
  Bytes config;    // absent: none; wiped once used
  Bytes userData;  // absent: none; wiped once used
};

struct EapHostPeerInvokeInteractiveUIArgs {
  Napi::Value host;
  uintptr_t parentWindow = 0;
  Bytes uiContext;
};

// eaphost_session_binding.cc: an EapHostPeer* function on a session, one export each
struct EapHostPeerProcessReceivedPacketArgs {
  Napi::Value session;
  Bytes packet;
};

struct EapHostPeerGetSendPacketArgs {
  Napi::Value session;
};

struct EapHostPeerGetResultArgs {
  Napi::Value session;
  eap::DWORD reason = 0;  // EapHostPeerMethodResultReason
};

struct EapHostPeerGetUIContextArgs {
  Napi::Value session;
};

struct EapHostPeerSetUIContextArgs {
  Napi::Value session;
  Bytes context;
};

struct EapHostPeerGetResponseAttributesArgs {
  Napi::Value session;
};

struct EapHostPeerSetResponseAttributesArgs {
  Napi::Value session;
  Attributes attributes;
};

struct EapHostPeerGetAuthStatusArgs {
  Napi::Value session;
  eap::DWORD authParam = 0;  // EapHostPeerAuthParams: 1 status, 2 identity
};

struct EapHostPeerEndSessionArgs {
  Napi::Value session;
};

// peerMethodLoad / authenticatorMethodLoad (method_resources.h)
struct MethodLoadArgs {
  std::string path;
  std::optional<eap::EAP_METHOD_TYPE> methodType;  // absent: the one the module serves
};

// peer_method_binding.cc: an EapPeer* function on a loaded peer method, one export each
struct EapPeerQueryCredentialInputFieldsArgs {
  Napi::Value method;
  eap::DWORD flags = 0;
  Bytes connectionData;  // absent: none
};

struct EapPeerQueryUserBlobFromCredentialInputFieldsArgs {
  Napi::Value method;
  eap::DWORD flags = 0;
  Bytes connectionData;  // absent: none
  Napi::Value fields;    // [{ type, data }] holding credentials: read by the call into wiped storage
};

struct EapPeerGetIdentityArgs {
  Napi::Value method;
  eap::DWORD flags = 0;
  Bytes connectionData;  // absent: none
  Bytes userData;        // absent: none; wiped once used
};

struct EapPeerBeginSessionArgs {
  Napi::Value method;
  eap::DWORD flags = 0;
  Attributes attributes;  // absent: none
  Bytes connectionData;   // absent: none
  Bytes userData;         // absent: none; wiped once used
  eap::DWORD maxSendPacketSize = 0;
};

// peer_session_binding.cc: an EapPeer* function on a peer method session, one export each
struct EapPeerProcessRequestPacketArgs {
  Napi::Value session;
  Bytes packet;
};

struct EapPeerGetResponsePacketArgs {
  Napi::Value session;
};

struct EapPeerGetResultArgs {
  Napi::Value session;
  eap::DWORD reason = 0;  // EapPeerMethodResultReason
};

struct EapPeerGetUIContextArgs {
  Napi::Value session;
};

struct EapPeerSetUIContextArgs {
  Napi::Value session;
  Bytes context;
};

struct EapPeerGetResponseAttributesArgs {
  Napi::Value session;
};

struct EapPeerSetResponseAttributesArgs {
  Napi::Value session;
  Attributes attributes;
};

struct EapPeerEndSessionArgs {
  Napi::Value session;
};

// authenticatorMethodBeginSession (authenticator_method_binding.cc): on a loaded authenticator method
struct EapMethodAuthenticatorBeginSessionArgs {
  Napi::Value method;
  eap::DWORD flags = 0;
  std::u16string identity;
  Attributes attributes;  // absent: none
  Bytes connectionData;   // absent: none
  eap::DWORD maxSendPacketSize = 0;
};

// authenticator_session_binding.cc: on an authenticator method session, one export per function
struct EapMethodAuthenticatorSendPacketArgs {
  Napi::Value session;
  eap::DWORD packetId = 0;  // 0..255
};

struct EapMethodAuthenticatorReceivePacketArgs {
  Napi::Value session;
  Bytes packet;
};

struct EapMethodAuthenticatorGetAttributesArgs {
  Napi::Value session;
};

struct EapMethodAuthenticatorSetAttributesArgs {
  Napi::Value session;
  Attributes attributes;  // wiped once used (the user store's answer: passwords)
};

struct EapMethodAuthenticatorGetResultArgs {
  Napi::Value session;
};

struct EapMethodAuthenticatorEndSessionArgs {
  Napi::Value session;
};

// Windows' certificate stores and Native Wifi (root_store_binding.cc, profile_install_binding.cc)
struct RootStoreFindArgs {
  Bytes sha1;
};

struct RootStoreInstallArgs {
  Bytes certificate;  // DER
  std::string store;  // 'LocalMachine' | 'CurrentUser'
};

struct RootStoreRemoveArgs {
  Bytes sha1;         // the certificate's SHA-1 thumbprint
  std::string store;  // 'LocalMachine' | 'CurrentUser'
};

struct WlanSetProfileArgs {
  std::string profileXml;      // a WLANProfile document
  std::string profileName;     // its WLANProfile/name, for the EAP user data
  std::string eapUserDataXml;  // absent: none; an EapHostUserCredentials document, wiped once used
  std::string interfaceName;   // absent: every WLAN interface
};

// Connecting through Native Wifi (wlan_connect_binding.cc): one of profileName (installed) and
// profileXml (tried as a temporary profile, saved nowhere)
struct WlanConnectArgs {
  std::string profileName;    // absent: profileXml
  std::string profileXml;     // absent: profileName
  std::string interfaceName;  // absent: the first WLAN interface
  eap::DWORD timeoutMs = 0;
  Napi::Value onNotification;  // (notice) => void, for each notification as it comes
};

struct UserStoreImportPkcs12Args {
  Bytes pkcs12;
  std::string password;  // wiped once used
};

struct UserStoreFindArgs {
  Bytes sha1;
};

// Reading a Windows event log channel (event_log_binding.cc).
struct EventLogQueryArgs {
  std::string channel;      // e.g. "Microsoft-Windows-Wired-AutoConfig/Operational"
  std::string query;        // an XPath event query on that channel ("*" for every record)
  bool reverse = false;     // newest first
  eap::DWORD maxEvents = 0; // 1..kMaxEventLogRecords (event_log.h)
};

// Registering a method with EAPHost (method_registration_binding.cc): keys below
// HKLM\SYSTEM\CurrentControlSet\Services\EapHost\Methods only
struct RegistryReadArgs {
  std::u16string key;
};

struct RegistryWriteArgs {
  std::u16string key;
  std::vector<RegistryValue> values;
};

struct RegistryDeleteArgs {
  std::u16string key;
  std::optional<std::vector<std::u16string>> values;  // absent: the key itself, which must have no subkeys
};

struct FileSecurityArgs {
  std::u16string path;
};

struct SetFileSecurityArgs {
  std::u16string path;
  std::u16string sddl;  // owner (optional) and DACL, set protected from inheritance
};

// eapolOpen (eapol_port_binding.cc) and the port's send()
struct EapolOpenArgs {
  std::string interfaceName;
  Napi::Function onFrame;
};

struct EapolSendArgs {
  Bytes destination;  // a MAC address
  eap::DWORD version = 0;
  eap::DWORD type = 0;
  Bytes body;
};

// eapHostContractProbe (eaphost_contract_probe_binding.cc): the test builds' probe only
struct EapHostContractProbeArgs {
  Napi::Value host;
  std::string scenario;
};

// ---- RADIUS engine (radius_engine_binding.cc) ----
struct RadiusEngineOpenArgs {
  Napi::Value methods;   // authenticator method handles
  Napi::Value settings;  // ConversationSettings, read by ConversationStartOf
  std::optional<std::string> host;  // a literal address; none: no UDP socket, datagrams come from JS (RadSec)
  uint16_t port = 0;
  Napi::Value secret;   // read into the engine's SharedSecret (wiped)
  Napi::Value clients;  // RadiusEngineClient[], or undefined
  Napi::Value allowed;  // literal addresses, or undefined
  eap::DWORD idleTimeoutMs = 60000;
  eap::DWORD replyCacheMs = 30000;
  eap::DWORD maxConversations = 20000;
  eap::DWORD maxTlsConversations = 2048;
  bool requireMessageAuthenticator = true;
  Napi::Value tlsTypes;  // number[]
  Napi::Value users;     // KnownAnswer[] (packed Buffers) read into wiped storage; undefined: the store is JS's
  bool records = false;
  Napi::Value onEvents;
};

struct RadiusEngineStreamArgs {
  eap::DWORD link = 0;
  Bytes data;  // empty: the connection's next turn
  std::string address;
  uint16_t port = 0;
};

struct RadiusEngineAnswerArgs {
  eap::DWORD question = 0;
  Napi::Value known;  // a packed KnownAnswer (a Buffer), read into wiped storage (KnownAnswerOf)
  std::optional<std::string> failure;
};

// ---- RADIUS client engine (radius_client_binding.cc); send() reads into radius::ClientRequest ----
struct RadiusClientOpenArgs {
  std::optional<std::string> host;  // the literal local address to bind; none: streams JS holds alone
  Napi::Value onEvents;
};

struct RadiusClientSendArgs {
  eap::DWORD id = 0;
  eap::DWORD target = 0;
  eap::DWORD code = 0;
  Napi::Value attributes;  // { type, value }[], read into radius::ClientRequest
  Bytes eapMessage;
  Napi::Value userPassword;  // a Buffer or undefined, read into the request (wiped with it)
  bool messageAuthenticator = true;
  bool requireMessageAuthenticator = true;
  bool secretProbe = false;
  Bytes probeUserName;
  Napi::Value answerCodes;  // number[]
  eap::DWORD tries = 3;
  eap::DWORD timeoutMs = 6000;
};

struct RadiusClientTargetArgs {
  std::string address;  // a literal
  eap::DWORD port = 0;
  Bytes secret;  // wiped once the engine has its copy
  eap::DWORD link = 0;  // a stream JS holds (RadSec); 0: UDP
};

struct RadiusClientStreamArgs {
  eap::DWORD link = 0;
  Bytes data;
};

struct RadiusClientLoadArgs {
  eap::DWORD target = 0;
  Napi::Value attributes;  // { type, value }[]: every request's, after its own
  Napi::Value columns;     // { type, values, ends }[]: each request's own, read into radius::ClientLoadColumn
  bool requireMessageAuthenticator = true;
  eap::DWORD tries = 3;
  eap::DWORD timeoutMs = 6000;
  eap::DWORD concurrency = 1;
  eap::DWORD count = 0;       // 0 or absent: no count
  eap::DWORD durationMs = 0;  // 0 or absent: no duration
  double rate = 0;            // starts per second; 0 or absent: unpaced
};

// ---- The Dynamic Authorization Server's lane (dynamic_authorization_binding.cc) ----
struct DynamicAuthorizationOpenArgs {
  Napi::Value clients;  // RadiusEngineClient[]
  std::optional<std::string> nasIdentifier;
  std::optional<std::string> nasAddress;  // a literal address
  bool requireMessageAuthenticator = true;
  bool requireEventTimestamp = true;
  eap::DWORD windowSeconds = 300;
  eap::DWORD replayCacheSize = 4096;
};

}  // namespace eaphost
