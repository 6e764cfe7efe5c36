// The embedded authenticator's conversations as every binding that starts or steps one shares
// them (conversation_binding.cc, the RADIUS lane): the start's arguments, the start itself, a
// step as JS sees it, and the close of a conversation whose outcome the same job reached.

#include "../../common/secure_zero.h"
#include "authenticator_binding.h"
#include "../runtime/bindings.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "known_answer.h"
#include "method_resources.h"

namespace eaphost {

namespace {

void ReadMethods(Napi::Env env, const std::vector<NativeHandleArg>& methods, ConversationStart* start) {
  for (const NativeHandleArg& method : methods) {
    try {
      start->methods.push_back(UnwrapResource<AuthenticatorMethodResource>(env, method, "authenticator method handles"));
    } catch (ReleasedHandle& released) {
      // Every binding that starts a conversation refuses a closed module as the start itself does.
      released.call = "authenticatorStart";
      throw;
    }
  }
}

void ReadSettings(ConversationSettings& settings, AuthenticatorConfig* config, bool* stepsAside) {
  config->maxSendPacketSize = settings.maxSendPacketSize;
  config->retransmitTimeoutMs = settings.retransmitTimeoutMs;
  config->maxRetransmits = settings.maxRetransmits;
  config->connectionData = std::move(settings.connectionData);
  *stepsAside = settings.stepsAside;
}

}  // namespace

ConversationStart ConversationStartOf(Napi::Env env, const std::vector<NativeHandleArg>& methods,
                                      ConversationSettings& settings) {
  ConversationStart start;
  ReadMethods(env, methods, &start);
  ReadSettings(settings, &start.config, &start.stepsAside);
  return start;
}

namespace {

// What a ConversationAuthenticator object holds natively once read: its start without the
// connection data, and whether there is any to read at each start.
struct BoundAuthenticator {
  ConversationStart start;
  bool hasConnectionData = false;
};

// The tag an authenticator's kept reading carries (KeptReading, named_args.h): a session base's,
// or another addon's wrap, is never taken for one.
constexpr napi_type_tag kAuthenticatorTag = {0x6561706861757468ull, 0x656e74696361746full};

BoundAuthenticator* BindAuthenticator(Napi::Env env, const ArgObject<ConversationAuthenticator>& authenticator) {
  ConversationAuthenticator read = authenticator.Read();
  auto bound = std::make_unique<BoundAuthenticator>();
  bound->start = ConversationStartOf(env, read.methods, read.settings);
  if (read.users) bound->start.users = std::make_shared<const KnownAnswerTable>(KnownAnswerTableValue(env, read.users->Unread()));
  for (Bytes& data : bound->start.config.connectionData) {
    bound->hasConnectionData = bound->hasConnectionData || !data.empty();
    SecureZeroContents(data);
  }
  bound->start.config.connectionData.clear();
  BoundAuthenticator* kept = bound.get();
  // An object that holds something else already is refused: its table would be read at every start.
  if (!KeepReading(env, authenticator.object(), kAuthenticatorTag, bound)) {
    throw Napi::TypeError::New(env, "authenticator cannot hold its native part");
  }
  return kept;
}

}  // namespace

ConversationStart ConversationStartFrom(Napi::Env env, const ArgObject<ConversationAuthenticator>& authenticator,
                                        Bytes identityResponse) {
  BoundAuthenticator* bound = KeptReading<BoundAuthenticator>(env, authenticator.object(), kAuthenticatorTag);
  if (bound == nullptr) bound = BindAuthenticator(env, authenticator);
  ConversationStart start = bound->start;
  if (bound->hasConnectionData) {
    Napi::Object settings = ObjectValue(env, GetField(authenticator.object(), "settings"), "settings");
    start.config.connectionData = std::move(ReadConversationSettings(settings).connectionData);
  }
  start.identityResponse = std::move(identityResponse);
  return start;
}

std::shared_ptr<AuthenticatorHostResource> StartConversation(AddonState* state, ConversationStart& start,
                                                             AuthenticatorStep* step, EapErrorInfo* error) {
  for (auto& resource : start.methods) {
    if (resource->Get("createAuthenticator", "authenticator method", error) == nullptr) return nullptr;
    start.config.methods.push_back(resource->holder());
  }
  auto host = std::make_shared<AuthenticatorHostResource>(std::make_unique<AuthenticatorHost>(std::move(start.config)));
  host->stepsAside = start.stepsAside;
  host->users = std::move(start.users);
  Track(state, host);
  if (host->Get("AuthenticatorBegin", "authenticator conversation", error)->Begin(start.identityResponse, step, error)) {
    return host;
  }
  state->live.erase(host);  // JS never sees a handle for it
  return nullptr;
}

void CloseConcluded(AddonState* state, const std::shared_ptr<AuthenticatorHostResource>& conversation) {
  conversation->Close();
  state->live.erase(conversation);
}

void WriteStep(Napi::Env env, AuthenticatorStepWriter out, const AuthenticatorStep& step, bool withPacket, size_t at) {
  static const char* const kKinds[] = {"send", "respond", "success", "failure", "discard"};
  out.kind(PropertyKey(env, kKinds[static_cast<int>(step.kind)]));
  if (!step.packet.empty() && withPacket) out.packet(ToBuffer(env, step.packet));
  out.timeoutMs(step.timeoutMs);
  out.identity(ToString(env, step.identity));
  // The user the method asks the store about: known_answer.h's reading, the one RADIUS asks too.
  out.askedIdentity(Napi::String::New(env, AskedIdentity(step)));
  out.attributes(at, step.attributes.size());
  out.failureReason(step.failureReason);
  out.methodType(step.methodType);
  if (step.hasError) out.error(step.error);
}

bool FinishIfDone(AuthenticatorHost& host, const AuthenticatorStep& step) {
  if (step.kind != AuthenticatorStep::Kind::kSuccess && step.kind != AuthenticatorStep::Kind::kFailure) return false;
  EapErrorInfo ignored;
  host.End(&ignored);
  return true;
}

}  // namespace eaphost
