// The embedded authenticator's step, as every binding that drives it reports it (the
// conversation driver, the RADIUS lane), and the start of a conversation.
#pragma once

#include <memory>
#include <vector>

#include <napi.h>

#include "../../hosts/authenticator_host.h"
#include "../generated/arg_structs.h"
#include "known_answer.h"
#include "method_resources.h"
#include "../generated/result_shapes.h"

namespace eaphost {

// An outcome (Success/Failure) is final: the authenticator's method session ends in the same
// job, not in another trip to the host thread.
bool FinishIfDone(AuthenticatorHost& host, const AuthenticatorStep& step);
// The step through its writer (result_shapes.h), its attributes from byte `at` of the shape's
// packed slab. Without `withPacket` its packet stays native: a hop that already handed it to the
// peer, for a caller that does not look at packets (no onPacket).
void WriteStep(Napi::Env env, AuthenticatorStepWriter out, const AuthenticatorStep& step, bool withPacket, size_t at);

// What a conversation starts from: the method modules, the settings, and an Identity response
// a NAS already obtained (read on the JS thread from the call's argument object).
struct ConversationStart {
  std::vector<std::shared_ptr<AuthenticatorMethodResource>> methods;
  AuthenticatorConfig config;
  Bytes identityResponse;
  // An in-process pairing runs this conversation's steps on the aside thread (settings.stepsAside).
  bool stepsAside = false;
  // A plain table's answers (ConversationAuthenticator's users): every question is answered
  // from it in the job that asks; none: each goes to JS ('answer').
  std::shared_ptr<const KnownAnswerTable> users;
};
// From the method handles and the settings (whose connection data moves into the start).
ConversationStart ConversationStartOf(Napi::Env env, const std::vector<NativeHandleArg>& methods,
                                      ConversationSettings& settings);
// The same from conversationBegin's `authenticator` (ConversationAuthenticator: one object per
// Authenticator): its method handles, settings and users table are read at its first
// conversation and kept with the object natively (napi_wrap; the table wiped when the object is
// collected, or at the environment's teardown), so a conversation's start reads one field. Its
// connection data, which may hold a TLS private key, is never kept: read again at every start of
// an authenticator that has any.
ConversationStart ConversationStartFrom(Napi::Env env, const ArgObject<ConversationAuthenticator>& authenticator,
                                        Bytes identityResponse);
// Host thread: creates the conversation, tracks it and begins it; null (with *error) when a
// method module is closed or Begin fails, and then nothing is left tracked.
std::shared_ptr<AuthenticatorHostResource> StartConversation(AddonState* state, ConversationStart& start,
                                                             AuthenticatorStep* step, EapErrorInfo* error);
// Host thread: a conversation whose outcome the same job reached (and FinishIfDone ended) is
// closed and forgotten at once; the job's settle marks its handle released, so JS's release of
// it costs no trip of its own.
void CloseConcluded(AddonState* state, const std::shared_ptr<AuthenticatorHostResource>& conversation);

}  // namespace eaphost
