// Beginning an EAPHost session, as every binding that begins one does it (eapHostBeginSession
// alone, conversationBegin with the conversation after it): the arguments read on the JS
// thread, the user blob made and EapHostPeerBeginSession called on the host thread, and the
// begun session handed to JS.
#pragma once

#include <cstdint>
#include <memory>

#include <napi.h>

#include "../runtime/addon_state.h"
#include "../generated/arg_structs.h"
#include "eaphost_call.h"
#include "../runtime/js_convert.h"

namespace eaphost {

struct Credentials;

// What one EapHostPeerBeginSession takes, moved (never copied) from the JS thread to the host
// thread: the user blob and the credentials carry the password.
struct SessionBegin {
  SessionBegin();
  SessionBegin(SessionBegin&&) noexcept;
  SessionBegin& operator=(SessionBegin&&) noexcept;
  ~SessionBegin();

  std::shared_ptr<EapHostInstance> instance;
  eap::EAP_METHOD_TYPE type{};
  PeerSessionOptions options;
  eap::GUID connectionId{};
  bool connectionIdMade = false;  // JS gave none: NewConnectionId() made it
  std::shared_ptr<Credentials> credentials;
  uint32_t token = 0;
};

// eapHostBeginSession's arguments, read (its buffers moved out of `args`). Without a
// connectionId, a new one (NewConnectionId).
SessionBegin SessionBeginOf(Napi::Env env, EapHostPeerBeginSessionArgs& args);
// The same from the object itself: eapHostBeginSession's, and the beginning of a
// conversation driver's peer (conversationBegin's peer.begin).
SessionBegin SessionBeginFrom(Napi::Object object);

// A session EapHostPeerBeginSession began, tracked, not yet handed to JS.
struct BegunSession {
  std::shared_ptr<EapHostSessionResource> session;
  uint32_t token = 0;
  // The connection ID SessionBeginOf made, for JS (which gave none) to know it.
  bool connectionIdMade = false;
  eap::GUID connectionId{};
};

// The connection ID JS hears of, as a GUID string, when the call made it; undefined otherwise.
Napi::Value MadeConnectionIdToJs(Napi::Env env, const BegunSession& begun);

// Host thread, through the instance's call seam: the user blob from the credentials (when
// given), then EapHostPeerBeginSession; the blob and the connection data are wiped either way.
bool BeginSessionOnHost(EapHostCall& host, AddonState* state, SessionBegin& begin, BegunSession* out,
                        EapErrorInfo* error);

// JS thread: { handle, sessionId, notificationToken, connectionId } (result-shapes.ts's `session`).
Napi::Object BegunToJs(Napi::Env env, BegunSession& out);

}  // namespace eaphost
