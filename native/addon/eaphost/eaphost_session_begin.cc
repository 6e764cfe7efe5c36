// What beginning an EAPHost session takes, shared by every binding that begins one.
#include "eaphost_session_begin.h"

#include <array>
#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../common/crypto/random.h"
#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "../methods/method_resources.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

std::atomic<uint32_t> nextNotificationToken{1};

void EAP_CALLBACK OnNotification(eap::GUID connectionId, void* context) {
  auto* sink = static_cast<NotificationSink*>(context);
  if (sink == nullptr || sink->state == nullptr || !sink->state->host) return;
  // Nobody listens: what JS would drop, it is not handed.
  if (!sink->state->notificationsHeard.load(std::memory_order_acquire)) return;
  uint32_t token = sink->token;
  AddonState* state = sink->state;
  std::string id = GuidToString(connectionId);
  state->host->Notify([state, token, id](Napi::Env env) {
    if (state->notificationDispatcher.IsEmpty()) return;
    state->notificationDispatcher.Call({Napi::Number::New(env, token), Napi::String::New(env, id)});
  });
}

// A connection ID only has to be unique among the connections EAPHost knows: a version-4 GUID
// (RFC 9562 §5.4) whose random part is drawn once per process from the OS RNG, and a 48-bit
// count of the IDs made. Made here when JS gives none, so that an authentication whose session
// never reaches JS (eapHostAuthenticateWhole) makes no string of it.
eap::GUID NewConnectionId() {
  static const std::array<uint8_t, 10> random = [] {
    std::array<uint8_t, 10> bytes{};
    if (!FillRandom(bytes.data(), bytes.size())) {
      throw std::runtime_error("the operating system's random number generator failed");
    }
    return bytes;
  }();
  static std::atomic<uint64_t> made{0};
  uint64_t count = (made.fetch_add(1, std::memory_order_relaxed) + 1) & 0xFFFFFFFFFFFFull;
  eap::GUID guid{};
  guid.Data1 = static_cast<uint32_t>(random[0]) << 24 | static_cast<uint32_t>(random[1]) << 16 |
               static_cast<uint32_t>(random[2]) << 8 | random[3];
  guid.Data2 = static_cast<uint16_t>(random[4] << 8 | random[5]);
  guid.Data3 = static_cast<uint16_t>(0x4000 | ((random[6] << 8 | random[7]) & 0x0FFF));  // version 4
  guid.Data4[0] = static_cast<uint8_t>(0x80 | (random[8] & 0x3F));                        // variant 10xx
  guid.Data4[1] = random[9];
  for (int i = 0; i < 6; ++i) guid.Data4[2 + i] = static_cast<uint8_t>(count >> (8 * (5 - i)));
  return guid;
}

}  // namespace

// The user blob's makings when the session was given identity/password: the shipped peer
// method whose EapPeerQueryUserBlobFromCredentialInputFields makes it. Held on the heap and
// moved only as a pointer, so the password exists in one buffer, wiped when the call is done.
struct Credentials {
  std::shared_ptr<PeerMethodResource> method;
  std::vector<CredentialField> fields;
  ~Credentials() {
    for (auto& field : fields) SecureZeroContents(field.data);
  }
};

SessionBegin::SessionBegin() = default;
SessionBegin::SessionBegin(SessionBegin&&) noexcept = default;
SessionBegin& SessionBegin::operator=(SessionBegin&&) noexcept = default;
SessionBegin::~SessionBegin() {
  SecureZeroContents(options.userData);
  SecureZeroContents(options.connectionData);  // a TLS peer's connection data may hold its private key
}

namespace {

// The credentials to make the user blob of, when a peer method handle is given: identity and
// password read straight into the fields that are wiped.
std::shared_ptr<Credentials> CredentialsOf(Napi::Env env, const std::optional<NativeHandleArg>& method,
                                           const std::optional<SecretText>& identity,
                                           const std::optional<SecretText>& password) {
  if (!method) return nullptr;
  auto out = std::make_shared<Credentials>();
  out->method = UnwrapResource<PeerMethodResource>(env, *method, HeldNames<PeerMethod>::kHandle);
  out->fields.resize(2);
  out->fields[0].type = eap::EapConfigInputUsername;
  ReadSecretText(env, identity ? identity->Unread() : env.Undefined(), "identity", &out->fields[0].data);
  out->fields[1].type = eap::EapConfigInputPassword;
  ReadSecretText(env, password ? password->Unread() : env.Undefined(), "password", &out->fields[1].data);
  return out;
}

// The connection ID JS gave (a GUID string), or a new one when it gave none.
void ConnectionIdOf(Napi::Env env, const std::optional<std::string>& given, SessionBegin* begin) {
  if (!given) {
    begin->connectionId = NewConnectionId();
    begin->connectionIdMade = true;
  } else if (!GuidFromString(*given, &begin->connectionId)) {
    throw Napi::TypeError::New(env, "connectionId must be a GUID string");
  }
}

// The tag a session base's kept reading carries (KeptReading, named_args.h).
constexpr napi_type_tag kSessionBaseTag = {0x6561706873657373ull, 0x696f6e2d62617365ull};

// A session base as read at its first beginning and kept with its object; an object that cannot
// keep it (one that holds something else) is read at every beginning.
SessionBase BaseOf(Napi::Env env, const ArgObject<SessionBase>& base) {
  if (const SessionBase* kept = KeptReading<SessionBase>(env, base.object(), kSessionBaseTag)) return *kept;
  auto read = std::make_unique<SessionBase>(base.Read());
  SessionBase out = *read;
  KeepReading(env, base.object(), kSessionBaseTag, read);
  return out;
}

}  // namespace

SessionBegin SessionBeginOf(Napi::Env env, EapHostPeerBeginSessionArgs& args) {
  SessionBegin begin;
  const SessionBase base = BaseOf(env, args.base);
  begin.instance = UnwrapFor<EapHostInstance>(env, base.host, "EapHostPeerBeginSession");
  begin.type = base.methodType;
  begin.options.flags = base.flags;
  begin.options.maxSendPacketSize = base.maxSendPacketSize;
  std::optional<std::string> connectionId;
  if (args.extras) {
    begin.options.attributes = std::move(args.extras->attributes);
    begin.options.connectionData = std::move(args.extras->connectionData);
    connectionId = std::move(args.extras->connectionId);
  }
  begin.options.userData = std::move(args.userData);
  ConnectionIdOf(env, connectionId, &begin);
  begin.credentials = CredentialsOf(env, args.credentialMethod, args.identity, args.password);
  begin.token = nextNotificationToken++;
  return begin;
}

SessionBegin SessionBeginFrom(Napi::Object object) {
  EapHostPeerBeginSessionArgs args = ReadEapHostPeerBeginSessionArgs(object);
  return SessionBeginOf(object.Env(), args);
}

bool BeginSessionOnHost(EapHostCall& host, AddonState* state, SessionBegin& begin, BegunSession* out,
                        EapErrorInfo* error) {
  PeerSessionOptions& options = begin.options;
  if (begin.credentials) {
    const char* call = "EapPeerQueryUserBlobFromCredentialInputFields";
    PeerMethod* method = begin.credentials->method->Get(call, "peer method", error);
    bool made = method != nullptr &&
                method->QueryUserBlobFromCredentialInputFields(0, Bytes(), begin.credentials->fields,
                                                               &options.userData, error);
    begin.credentials.reset();
    if (!made) return false;
  }
  AttributeArray array(options.attributes);
  eap::EAP_SESSIONID id = 0;
  NotificationSink* sink = host.instance().RegisterConnection(begin.connectionId, state, begin.token);
  // Machine authentication (a service as SYSTEM) is the machine's, not a user's: no token.
  auto userToken = ImpersonationToken::ForFlags(options.flags);
  eap::DWORD result = host.api().EapHostPeerBeginSession(
      options.flags, begin.type, array.get(), userToken->handle(), static_cast<eap::DWORD>(options.connectionData.size()),
      options.connectionData.empty() ? nullptr : options.connectionData.data(),
      static_cast<eap::DWORD>(options.userData.size()), options.userData.empty() ? nullptr : options.userData.data(),
      options.maxSendPacketSize, &begin.connectionId, OnNotification, sink, &id, host.error());
  SecureZeroContents(options.userData);
  SecureZeroContents(options.connectionData);
  if (!host.Check(result, error)) {
    EapErrorInfo ignored;  // the begin's error is the one to report
    host.instance().ReleaseConnection(begin.connectionId, &ignored);
    return false;
  }
  out->session = std::make_shared<EapHostSessionResource>(begin.instance, id, begin.connectionId, std::move(userToken));
  out->token = begin.token;
  out->connectionIdMade = begin.connectionIdMade;
  out->connectionId = begin.connectionId;
  Track(state, out->session);
  return true;
}

Napi::Value MadeConnectionIdToJs(Napi::Env env, const BegunSession& begun) {
  return begun.connectionIdMade ? Napi::String::New(env, GuidToString(begun.connectionId)) : env.Undefined();
}

Napi::Object BegunToJs(Napi::Env env, BegunSession& out) {
  SessionShapeWriter shaped(env);
  shaped.handle(WrapResource(env, out.session));
  shaped.sessionId(out.session->id());
  shaped.notificationToken(out.token);
  shaped.connectionId(MadeConnectionIdToJs(env, out));
  return shaped.Make();
}

}  // namespace eaphost
