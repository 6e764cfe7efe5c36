// The addon's one export table. Each binding file (in the group of what it serves: eaphost/,
// methods/, radius/, eapol/, platform/, probes/) lists its functions in an ExportList; module.cc
// walks kBindings and exports every entry under its name, and refuses to load with a name the
// seam's declaration (seam/seam.js, generated as generated/export_names.h) does not list.
#pragma once

#include <vector>

#include <napi.h>

namespace eaphost {

struct Export {
  Export(const char* exportName, Napi::Value (*run)(const Napi::CallbackInfo&)) : name(exportName), function(run) {}
  // One EAP function on its argument object: the dispatch refuses anything but one object,
  // naming the export, before it runs.
  Export(const char* exportName, Napi::Value (*runNamed)(Napi::Object)) : name(exportName), named(runNamed) {}
  const char* name;
  Napi::Value (*function)(const Napi::CallbackInfo&) = nullptr;
  Napi::Value (*named)(Napi::Object) = nullptr;
};
using ExportList = std::vector<Export>;

ExportList EapHostSessionExports();          // eaphost_session_binding.cc, eaphost_result_binding.cc
ExportList EapHostInstanceExports();         // eaphost_instance_binding.cc: open, begin, identity, methods
ExportList PeerMethodExports();              // peer_method_binding.cc
ExportList PeerSessionExports();             // peer_session_binding.cc
ExportList AuthenticatorMethodExports();     // authenticator_method_binding.cc
ExportList AuthenticatorSessionExports();    // authenticator_session_binding.cc
ExportList ConversationExports();            // conversation_binding.cc: the conversation driver
ExportList EapConfigExports();               // eap_config_binding.cc (+ _ui_): the configuration API
ExportList RootStoreExports();               // root_store_binding.cc: Windows' Root stores
ExportList ProfileInstallExports();          // profile_install_binding.cc: Native Wifi, the user's store
ExportList WlanConnectExports();             // wlan_connect_binding.cc: connecting through Native Wifi
ExportList EventLogExports();                // event_log_binding.cc: a Windows event log channel's records
ExportList MethodRegistrationExports();      // method_registration_binding.cc: EAPHost's Methods key, file security
ExportList EapolPortExports();               // eapol_port_binding.cc: EAPOL ports (native/eapol/)
ExportList RadiusEngineExports();            // radius_engine_binding.cc: the RADIUS engine (native/radius/)
ExportList RadiusClientExports();            // radius_client_binding.cc: the RADIUS client engine (native/radius/)
ExportList DynamicAuthorizationExports();    // dynamic_authorization_binding.cc: the DAS's lane (native/radius/)
ExportList RadiusPolicyExports();            // radius_policy_binding.cc: what an Accept carries (native/radius/)
#ifdef EAPHOST_BUILD_CONTRACT_PROBE
ExportList EapHostContractProbeExports();    // test lanes' builds only; empty unless EAPHOST_CONTRACT_PROBE=1
ExportList RadiusDigestProbeExports();       // radius_digest_probe_binding.cc: the same, for radius_md5.h
ExportList TimedWaitProbeExports();          // timed_wait_probe_binding.cc: the same, for common/timed_wait.h
#endif

}  // namespace eaphost
