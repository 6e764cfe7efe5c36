#include "radius_lane.h"

#include <algorithm>
#include <cstring>

#include "../../abi/eap_host_error.h"
#include "../../common/root_causes.h"
#include "../../common/secure_zero.h"
#include "radius_lane_decision.h"
#include "radius_policy.h"

namespace eaphost::radius {

namespace {


// A conversation's key: its client's address, then its State in hex, built in one string.
std::string ConversationKey(const std::string& client, const uint8_t* state, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(client.size() + 1 + 2 * size);
  out.append(client).push_back('|');
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[state[i] >> 4]);
    out.push_back(kDigits[state[i] & 15]);
  }
  return out;
}

// Why an EAP conversation ended in a reject, by what the step and its error say in codes: the
// user store's failure and a stapling failure by their call and cause, then the method's
// EAP_E_* reason (radius_lane_verdicts.h names them).
VerdictReason EapRejectReason(const AuthenticatorStep* step, bool stepFailed, const EapErrorInfo* failure) {
  if (failure != nullptr && failure->call == "UserStore.lookup") return VerdictReason::kUserStoreFailed;
  if (failure != nullptr && SameCause(failure->rootCauseGuid, kCauseOcspStapleUnusable)) {
    return VerdictReason::kOcspStapleUnusable;
  }
  if (stepFailed) return VerdictReason::kAuthenticatorError;
  if (failure != nullptr && failure->win32Error == eap::kErrorTimeout) return VerdictReason::kTimeout;
  eap::DWORD code = failure != nullptr && failure->reasonCode != 0 ? failure->reasonCode
                    : step != nullptr                               ? step->failureReason
                                                                    : 0;
  if (code == eap::EAP_E_USER_NAME_PASSWORD_REJECTED || code == eap::EAP_E_USER_CREDENTIALS_REJECTED) {
    return VerdictReason::kCredentialsRejected;
  }
  if (code >= eap::EAP_E_USER_CERT_NOT_FOUND && code <= eap::EAP_E_USER_CERT_REJECTED) {
    return VerdictReason::kCertificateRefused;
  }
  if (code == eap::EAP_E_EAPHOST_METHOD_INVALID_PACKET || code == eap::EAP_E_EAPHOST_REMOTE_INVALID_PACKET) {
    return VerdictReason::kInvalidPacket;
  }
  return failure != nullptr || code != 0 ? VerdictReason::kMethodRefused : VerdictReason::kEapFailure;
}

}  // namespace

Bytes VerdictPacket(uint8_t code, int id) { return {code, static_cast<uint8_t>(id), 0, 4}; }

// The key of an MS-MPPE-*-Key attribute the method released in clear: Vendor-Id 311, type 16
// or 17, then (after the salt's place) the key's length and the key.
bool ClearMppeKey(const Attribute& attribute, uint8_t* vendorType, const uint8_t** key, size_t* size) {
  const Bytes& v = attribute.value;
  if (attribute.type != eap::eatVendorSpecific || v.size() < 9) return false;
  uint32_t vendor = ReadU32(v.data());
  if (vendor != kMicrosoftVendorId || (v[4] != kMsMppeSendKey && v[4] != kMsMppeRecvKey) || v[8] > v.size() - 9) return false;
  *vendorType = v[4];
  *key = v.data() + 9;
  *size = v[8];
  return true;
}

void KeepNasAttributes(const RequestView& request, std::vector<std::pair<uint8_t, Bytes>>* out) {
  for (const AttributeView& attribute : request.attributes) {
    const uint8_t type = attribute.type;
    if (type == kNasIpAddress || type == kCallingStationId || type == kNasIdentifier || type == kAcctSessionId ||
        type == kNasIpv6Address) {
      out->emplace_back(type, Bytes(request.value(attribute), request.value(attribute) + attribute.length));
    }
  }
}

void AddKeys(ReplyWriter& writer, const RadiusLane::Pending& pending, const Attributes& attributes) {
  for (const Attribute& attribute : attributes) {
    uint8_t vendorType = 0;
    const uint8_t* key = nullptr;
    size_t size = 0;
    if (ClearMppeKey(attribute, &vendorType, &key, &size)) writer.AddMppeKey(vendorType, key, size, *pending.secret);
    if (pending.wantsKeyName && attribute.type == eap::eatSessionId && !attribute.value.empty() &&
        attribute.value.size() <= kMaxAttributeValue) {
      writer.Add(kEapKeyName, attribute.value.data(), attribute.value.size());
    }
  }
}

struct RadiusLane::Conversation {
  std::string key;
  std::string client;
  bool busy = false;
  uint8_t state[16];
  std::unique_ptr<AuthenticatorHost> host;
  bool ended = false;
  uint64_t started = 0;
  uint64_t lastActivity = 0;
  uint32_t roundTrips = 1;
  uint8_t eapType = kEapIdentity;
  Bytes identity;
  std::vector<std::pair<uint8_t, Bytes>> nasAttributes;  // ConversationRecord's
  std::unique_ptr<Pending> waiting;  // a discarded response: the request answered at retransmitAt
  uint64_t retransmitAt = 0;
  // Its step is on a step thread: nothing here touches its host until OnStepsDone. Closed
  // meanwhile, it is out of the table and finished when the step comes back (closing).
  bool stepping = false;
  bool closing = false;
  uint32_t question = 0;  // waiting for the user store's answer to it (asked_)
  Attributes asked;       // what that question asks for, which the answer's rules match
  // With a policy or authorize(): what the first Access-Request offers it, and the identity the
  // user store was asked about (PEAP's and TTLS's inner one).
  std::shared_ptr<PolicyRequest> policyRequest;
  std::string innerIdentity;
};

// A response (or the store's answer) handed to a step thread, and what the step made of it.
struct RadiusLane::StepJob {
  Conversation* conversation = nullptr;
  Bytes eap;
  std::shared_ptr<const KnownAnswer> answer;  // the store's, instead of a response
  std::unique_ptr<Pending> pending;
  bool ran = false;
  bool ok = false;
  AuthenticatorStep step;
  EapErrorInfo error;
};

RadiusLane::RadiusLane(LaneSettings settings, const ReplyPaths& paths)
    : settings_(std::move(settings)),
      paths_(paths),
      cache_(settings_.replyCacheMs),
      table_(settings_.maxConversations, settings_.maxTlsConversations) {
  IndexHomes();
}

RadiusLane::~RadiusLane() { EndAll(); }

const SharedSecret* RadiusLane::SecretFor(const Source& source) const {
  if (settings_.dtlsSecret && paths_.Of(source.link) == ReplyPath::kDtls) return settings_.dtlsSecret.get();
  if (settings_.clients.empty()) return settings_.secret.get();
  for (const ClientNetwork& network : settings_.clients) {
    if (InNetwork(network, source)) return network.secret.get();
  }
  return nullptr;
}

bool RadiusLane::Allowed(const Source& source) const {
  return !settings_.restrictClients ||
         std::any_of(settings_.allowed.begin(), settings_.allowed.end(), [&](const auto& allowed) { return InNetwork(allowed, source); });
}

void RadiusLane::OnDatagram(const uint8_t* datagram, size_t size, const Source& source, uint64_t nowMs, Outbox* out) {
  const SharedSecret* secret = Allowed(source) ? SecretFor(source) : nullptr;
  if (secret == nullptr) {
    counters_.droppedUnexpected++;
    return;
  }
  // RADIUS/1.1 (RFC 9765): no secret, and TLS 1.3 has authenticated every byte.
  const bool radius11 = source.radius11;
  if (radius11) secret = &Radius11Keying();
  RequestView request;
  if (!ReadRequest(datagram, size, &request)) {
    counters_.droppedMalformed++;
    return;
  }
  if (request.code == kAccountingRequest && settings_.accounting) {
    return Accounting(request, source, *secret, ReplyKey(source.family, source.address, source.port, request.identifier), nowMs,
                      out);
  }
  if (request.code != kAccessRequest && request.code != kStatusServer) {
    if (source.link != 0 && Unserved(request.code)) return ProtocolError(request, source, *secret, out);
    counters_.droppedUnexpected++;
    return;
  }
  const ReplyKey cacheKey(source.family, source.address, source.port, request.identifier);
  // A Message-Authenticator in a RADIUS/1.1 request is ignored (RFC 9765 §5.2), never checked.
  bool hasMessageAuthenticator = !radius11 && request.Has(kMessageAuthenticator);
  bool signedValid = radius11 || (hasMessageAuthenticator && MessageAuthenticatorValid(request, *secret));
  tally_.Request(source.text, request.code,
                 signedValid ? Signing::kValid : hasMessageAuthenticator ? Signing::kInvalid : Signing::kAbsent,
                 request.Has(kProxyState), signedValid);
  if (settings_.requireMessageAuthenticator && !hasMessageAuthenticator && !radius11) {
    counters_.droppedNoMessageAuthenticator++;
    return;
  }
  // Allowed without one (requireMessageAuthenticator false): PAP and MAB, which RFC 2865 signs
  // with nothing but the hidden User-Password.
  bool plainUnsigned = !hasMessageAuthenticator && request.code == kAccessRequest && request.Has(kUserPassword) &&
                       !request.Has(kEapMessage);
  if (!plainUnsigned && !signedValid) {
    if (request.code == kAccessRequest && !hasMessageAuthenticator && !request.Has(kEapMessage)) {
      // Nothing to authenticate, nothing to grant: a Reject signed with our secret lets a client
      // whose EAP requests we drop find out that its shared secret is wrong.
      counters_.rejects++;
      Pending pending(request, source, *secret, cacheKey, 0);
      ReplyWriter writer = pending.Writer(kAccessReject);
      Reply(pending, pending.Signed(writer), nowMs, out);
      return;
    }
    counters_.droppedUnauthenticated++;
    return;
  }
  if (Retransmitted(cacheKey, request.authenticator(), source, nowMs, out)) return;
  counters_.requests++;
  if (request.code == kStatusServer) {
    // RFC 5997: an Access-Accept says "alive" to a Status-Server sent to the authentication port.
    Pending pending(request, source, *secret, cacheKey, 0);
    ReplyWriter writer = pending.Writer(kAccessAccept);
    Reply(pending, pending.Signed(writer), nowMs, out);
    return;
  }
  if (Proxy(request, source, *secret, cacheKey, nowMs, out)) return;
  Process(request, source, *secret, cacheKey, nowMs, out);
  CountActive();
}

bool RadiusLane::Retransmitted(const ReplyKey& cacheKey, const uint8_t* authenticator, const Source& source, uint64_t nowMs,
                               Outbox* out) {
  // RADIUS/1.1 over TLS: nothing is retransmitted, and a Token is no Identifier (RFC 9765 §4.2.2).
  if (source.radius11) return false;
  const Bytes* kept = nullptr;
  switch (cache_.Check(cacheKey, authenticator, nowMs, &kept)) {
    case ReplyCache::Verdict::kReplay:
      counters_.duplicates++;
      out->push_back({*kept, source});
      return true;
    case ReplyCache::Verdict::kInProgress:
      counters_.duplicates++;
      return true;
    case ReplyCache::Verdict::kNew:
      break;
  }
  return false;
}

// Requests of a kind this authentication listener does not take. Over RadSec they are answered
// with a Protocol-Error (the RadSec revision §3.7, RFC 7930 §4) so the client need not wait them
// out; over UDP, dropped as RFC 2865 §3 drops what a server does not serve. Replies are never
// answered.
bool RadiusLane::Unserved(uint8_t code) {
  return code == kAccountingRequest || code == kDisconnectRequest || code == kCoaRequest;
}

void RadiusLane::ProtocolError(const RequestView& request, const Source& source, const SharedSecret& secret, Outbox* out) {
  Pending pending(request, source, secret, ReplyKey(source.family, source.address, source.port, request.identifier), 0);
  ReplyWriter writer = pending.Writer(kProtocolError);
  const uint8_t cause[4] = {0, 0, kErrorCauseUnsupportedExtension >> 8, kErrorCauseUnsupportedExtension & 0xff};
  const uint8_t original[5] = {kOriginalPacketCode, 0, 0, 0, request.code};
  writer.Add(kErrorCause, cause, sizeof(cause));
  // RADIUS/1.1's Token names the request: no Original-Packet-Code (RFC 9765 §5.5).
  if (!source.radius11) writer.Add(kExtendedType1, original, sizeof(original));
  // Not kept in the reply cache: over a stream nothing is retransmitted (RFC 6613 §2.6.1).
  out->push_back({pending.Signed(writer), source});
}

void RadiusLane::Process(const RequestView& request, const Source& source, const SharedSecret& secret,
                         const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  Bytes eap;
  EapMessage joined = JoinEapMessage(request, &eap);
  if (joined == EapMessage::kMalformed) {
    counters_.droppedMalformed++;
    cache_.Forget(cacheKey, request.authenticator());
    return;
  }
  bool whole = joined == EapMessage::kWhole;
  int eapId = whole ? eap[1] : 0;
  if (joined == EapMessage::kAbsent) return Plain(request, source, secret, cacheKey, nowMs, out);
  if (whole && eap[0] != kEapResponse) {
    // "this server authenticates with EAP only" / "not an EAP-Response"
    return RejectWithoutConversation(request, source, secret, cacheKey, eapId, nowMs, out);
  }
  auto pending = std::make_unique<Pending>(request, source, secret, cacheKey, eapId);
  AuthenticatorStep step;
  EapErrorInfo error;
  const AttributeView* state = request.Find(kState);
  if (state != nullptr) {
    Conversation* conversation = table_.Get(ConversationKey(source.text, request.value(*state), state->length));
    if (conversation == nullptr) {
      return RejectWithoutConversation(request, source, secret, cacheKey, eapId, nowMs, out);  // unknown or expired
    }
    if (conversation->busy || !whole) {
      counters_.droppedUnexpected++;
      cache_.Forget(cacheKey, request.authenticator());
      return;
    }
    conversation->roundTrips++;
    if (eap.size() >= 5) conversation->eapType = eap[4];
    if (settings_.tlsTypes[conversation->eapType]) {
      std::vector<Conversation*> evicted;
      bool counted = table_.StartTls(conversation, &evicted);
      CloseEvicted(evicted);
      if (!counted) {
        counters_.droppedUnexpected++;
        cache_.Forget(cacheKey, request.authenticator());
        return;
      }
    }
    conversation->lastActivity = nowMs;
    if (steps_ && settings_.tlsTypes[conversation->eapType]) {
      // Busy until the step comes back: a request for it meanwhile is dropped, as while it waits.
      conversation->busy = true;
      conversation->stepping = true;
      auto job = std::make_unique<StepJob>();
      job->conversation = conversation;
      job->eap = std::move(eap);
      job->pending = std::move(pending);
      steps_->Submit(std::move(job), static_cast<uint8_t>(conversation->eapType));
      return CountSteps();
    }
    bool ok = conversation->host->Receive(eap.data(), eap.size(), &step, &error) &&
              Answer(conversation, &step, &error);
    return Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
  }
  if ((whole && !(eap.size() >= 5 && eap[4] == kEapIdentity)) || RepeatsClaim(request)) {
    // "a conversation starts with EAP-Response/Identity", and with one User-Name and at most one
    // Calling-Station-Id (a policy would match one, a NAS's log show the other)
    return RejectWithoutConversation(request, source, secret, cacheKey, eapId, nowMs, out);
  }
  std::vector<Conversation*> evicted;
  bool room = table_.MakeRoomFor(source.text, &evicted);
  CloseEvicted(evicted);
  if (!room) {
    counters_.droppedUnexpected++;
    cache_.Forget(cacheKey, request.authenticator());
    return;
  }
  auto made = std::make_unique<Conversation>();
  Conversation* conversation = made.get();
  RandomBytes(conversation->state, sizeof(conversation->state));
  conversation->key = ConversationKey(source.text, conversation->state, sizeof(conversation->state));
  conversation->client = source.text;
  conversation->started = conversation->lastActivity = nowMs;
  if (const AttributeView* userName = request.Find(kUserName)) {
    conversation->identity.assign(request.value(*userName), request.value(*userName) + userName->length);
  }
  if (settings_.records) KeepNasAttributes(request, &conversation->nasAttributes);
  if (settings_.policy || settings_.askAuthorize) {
    conversation->policyRequest = std::make_shared<PolicyRequest>();
    ReadPolicyRequest(request, source, conversation->policyRequest.get());
  }
  conversation->host = std::make_unique<AuthenticatorHost>(settings_.conversation);
  owned_[conversation] = std::move(made);
  table_.Add(conversation);
  bool ok = conversation->host->Begin(whole ? eap : Bytes{}, &step, &error) && Answer(conversation, &step, &error);
  Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
}

void RadiusLane::Conclude(Conversation* conversation, bool stepped, AuthenticatorStep& step, EapErrorInfo& error,
                          std::unique_ptr<Pending> pending, uint64_t nowMs, Outbox* out) {
  if (!stepped) {
    counters_.conversationErrors++;
    return Verdict(conversation, nullptr, true, error, *pending, nowMs, out);
  }
  switch (step.kind) {
    case AuthenticatorStep::Kind::kSend: {
      counters_.challenges++;
      ReplyWriter writer = pending->Writer(kAccessChallenge);
      writer.AddEapMessage(step.requestLent ? conversation->host->OutstandingRequest() : step.packet);
      writer.Add(kState, conversation->state, sizeof(conversation->state));
      conversation->busy = false;
      conversation->lastActivity = nowMs;
      table_.Touch(conversation);
      return Reply(*pending, pending->Signed(writer), nowMs, out);
    }
    case AuthenticatorStep::Kind::kDiscard:
      // The response was not acceptable: RFC 3748 has the authenticator wait for a valid one and
      // resend its request when the retransmission timer runs out (OnClock).
      conversation->busy = true;
      conversation->waiting = std::move(pending);
      waiting_.insert(conversation);
      conversation->retransmitAt = nowMs + settings_.conversation.retransmitTimeoutMs;
      return;
    case AuthenticatorStep::Kind::kRespond:  // only when the store is JS's (Answer)
      return Ask(conversation, step, std::move(pending));
    case AuthenticatorStep::Kind::kSuccess:
    case AuthenticatorStep::Kind::kFailure:
      return Verdict(conversation, &step, false, error, *pending, nowMs, out);
  }
}

bool RadiusLane::Answer(Conversation* conversation, AuthenticatorStep* step, EapErrorInfo* error) const {
  // The first question names whom the method authenticates: the identity a policy matches.
  if (conversation->policyRequest && step->kind == AuthenticatorStep::Kind::kRespond && conversation->innerIdentity.empty()) {
    conversation->innerIdentity = AskedIdentity(*step);
  }
  return settings_.askStore || AnswerFromTable(*conversation->host, settings_.users, step, error);
}

// The conversation waits, busy, for JS's answer; the request stays pending meanwhile (a
// retransmission of it is dropped as in progress).
void RadiusLane::Ask(Conversation* conversation, AuthenticatorStep& step, std::unique_ptr<Pending> pending) {
  if (++lastQuestion_ == 0) lastQuestion_ = 1;
  conversation->busy = true;
  conversation->waiting = std::move(pending);
  conversation->question = lastQuestion_;
  asked_[lastQuestion_] = conversation;
  StoreQuestion question{lastQuestion_, AskedIdentity(step)};
  conversation->asked = std::move(step.attributes);
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.questions.push_back(std::move(question));
}

void RadiusLane::CountActive() {
  counters_.active = table_.size();
  counters_.activeTls = table_.tlsSize();
}

void RadiusLane::CountSteps() {
  if (!steps_) return;
  counters_.stepsQueued = steps_->QueuedNow();
  counters_.stepThreadsLent = steps_->LentNow();
}

void RadiusLane::OnAnswer(StoreAnswer& answer, uint64_t nowMs, Outbox* out) {
  auto found = asked_.find(answer.question);
  if (found == asked_.end()) {
    PlainAnswer(answer, nowMs, out);
    return;
  }
  Conversation* conversation = found->second;
  if (answer.failed) {
    FailQuestion(conversation, answer.failure, nowMs, out);
    return CountActive();
  }
  asked_.erase(found);
  conversation->question = 0;
  conversation->lastActivity = nowMs;
  std::unique_ptr<Pending> pending = std::move(conversation->waiting);
  if (steps_ && settings_.tlsTypes[conversation->eapType]) {
    conversation->stepping = true;
    auto job = std::make_unique<StepJob>();
    job->conversation = conversation;
    job->answer = std::move(answer.known);
    job->step.attributes = std::move(conversation->asked);
    job->pending = std::move(pending);
    steps_->Submit(std::move(job), static_cast<uint8_t>(conversation->eapType));
    return CountSteps();
  }
  AuthenticatorStep step;
  step.attributes = std::move(conversation->asked);
  EapErrorInfo error;
  bool ok = AnswerQuestion(*conversation->host, answer.known.get(), &step, &error) && Answer(conversation, &step, &error);
  Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
  CountActive();
}

// A store that threw, rejected or did not answer in time (JS's word), or a conversation that waited
// past the idle window: that authentication fails (Access-Reject).
void RadiusLane::FailQuestion(Conversation* conversation, const std::string& why, uint64_t nowMs, Outbox* out) {
  asked_.erase(conversation->question);
  conversation->question = 0;
  std::unique_ptr<Pending> pending = std::move(conversation->waiting);
  AuthenticatorStep step;
  EapErrorInfo error = HostError(1359 /* ERROR_INTERNAL_ERROR */, "UserStore.lookup", why);
  Conclude(conversation, false, step, error, std::move(pending), nowMs, out);
}

void RadiusLane::Verdict(Conversation* conversation, const AuthenticatorStep* step, bool stepFailed,
                         const EapErrorInfo& error, const Pending& pending, uint64_t nowMs, Outbox* out) {
  bool accept = step != nullptr && step->kind == AuthenticatorStep::Kind::kSuccess;
  const EapErrorInfo* failure = accept ? nullptr : stepFailed ? &error : step != nullptr && step->hasError ? &step->error : nullptr;
  if (failure != nullptr && SameCause(failure->rootCauseGuid, kCauseOcspStapleUnusable)) counters_.ocspStapleFailures++;
  int resumed = -1;
  if (step != nullptr) {
    for (const Attribute& attribute : step->attributes) {
      if (attribute.type == eap::eatFastRoamedSession && attribute.value.size() == 4) {
        resumed = (attribute.value[0] | attribute.value[1] | attribute.value[2] | attribute.value[3]) != 0 ? 1 : 0;
        break;
      }
    }
  }
  std::unique_ptr<ConversationRecord> held;
  if (settings_.records) {
    held = std::make_unique<ConversationRecord>();
    ConversationRecord& record = *held;
    record.client = conversation->client;
    record.identity = conversation->identity;
    record.nasAttributes = conversation->nasAttributes;
    record.eapType = conversation->eapType;
    record.accept = accept;
    record.roundTrips = conversation->roundTrips;
    record.durationMs = nowMs - conversation->started;
    record.resumed = resumed;
    if (!accept) {
      record.stepFailed = stepFailed;
      record.hasError = failure != nullptr;
      if (failure != nullptr) record.error = *failure;
    }
  }
  if (accept && conversation->policyRequest) {
    auto decision = std::make_unique<Decision>(pending, std::move(held));
    decision->eap = step->packet.empty() ? VerdictPacket(kEapSuccess, pending.eapId) : step->packet;
    for (const Attribute& attribute : step->attributes) {
      uint8_t vendorType = 0;
      const uint8_t* key = nullptr;
      size_t size = 0;
      if (ClearMppeKey(attribute, &vendorType, &key, &size) || attribute.type == eap::eatSessionId) {
        decision->keys.push_back(attribute);
      }
    }
    decision->request = std::move(conversation->policyRequest);
    decision->request->user = conversation->innerIdentity.empty() ? decision->request->userName : conversation->innerIdentity;
    decision->request->method = conversation->eapType;
    decision->method = conversation->eapType;
    if (step != nullptr) decision->established = step->facts;
    decision->startedMs = conversation->started;
    Close(conversation);
    return Decide(std::move(decision), nowMs, out);
  }
  VerdictFacts facts;
  facts.method = conversation->eapType;
  facts.accept = accept;
  facts.reason = accept ? VerdictReason::kAccepted : EapRejectReason(step, stepFailed, failure);
  facts.durationMs = nowMs - conversation->started;
  if (step != nullptr) facts.established = step->facts;
  verdicts_.Count(tally_.Label(conversation->client), facts);
  if (accept) {
    counters_.accepts++;
    ReplyWriter writer = pending.Writer(kAccessAccept);
    writer.AddEapMessage(step->packet.empty() ? VerdictPacket(kEapSuccess, pending.eapId) : step->packet);
    AddKeys(writer, pending, step->attributes);
    Close(conversation);
    return Reply(pending, pending.Signed(writer), nowMs, out, held.get());
  }
  counters_.rejects++;
  ReplyWriter writer = pending.Writer(kAccessReject);
  bool own = step == nullptr || step->kind != AuthenticatorStep::Kind::kFailure || step->packet.empty();
  writer.AddEapMessage(own ? VerdictPacket(kEapFailure, pending.eapId) : step->packet);
  Close(conversation);
  Reply(pending, pending.Signed(writer), nowMs, out, held.get());
}

void RadiusLane::RejectWithoutConversation(const RequestView& request, const Source& source, const SharedSecret& secret,
                                           const ReplyKey& cacheKey, int eapId, uint64_t nowMs, Outbox* out) {
  counters_.rejects++;
  Pending pending(request, source, secret, cacheKey, eapId);
  ReplyWriter writer = pending.Writer(kAccessReject);
  writer.AddEapMessage(VerdictPacket(kEapFailure, eapId));
  Reply(pending, pending.Signed(writer), nowMs, out);
}

void RadiusLane::Reply(const Pending& pending, Bytes reply, uint64_t nowMs, Outbox* out, ConversationRecord* record) {
  if (reply.empty()) {
    // Past 4096 bytes (a maxSendPacketSize too large for RADIUS): nothing valid to send.
    counters_.conversationErrors++;
    cache_.Forget(pending.cacheKey, pending.authenticator);
  } else {
    if (!pending.source.radius11) cache_.Store(pending.cacheKey, pending.authenticator, reply, nowMs);
    tally_.Response(pending.source.text, reply[0]);
    out->push_back({std::move(reply), pending.source});
  }
  // The record after its verdict: the engine sends `out` before it tells JS there is a record, so
  // neither a log that is slow nor an event loop that is busy holds an Accept or Reject back.
  if (record != nullptr) {
    std::lock_guard<std::mutex> lock(forJsLock_);
    forJs_.records.push_back(std::move(*record));
  }
}

void RadiusLane::Close(Conversation* conversation) {
  table_.Remove(conversation);
  waiting_.erase(conversation);
  if (conversation->question != 0) asked_.erase(conversation->question);
  if (conversation->stepping) {
    // Its host is in use on a step thread: finished when the step comes back.
    conversation->closing = true;
    return;
  }
  Finish(conversation);
}

void RadiusLane::Finish(Conversation* conversation) {
  if (!conversation->ended) {
    conversation->ended = true;
    EapErrorInfo ignored;
    conversation->host->End(&ignored);
  }
  owned_.erase(conversation);
}

void RadiusLane::CloseEvicted(std::vector<Conversation*>& evicted) {
  for (Conversation* conversation : evicted) {
    counters_.conversationsEvicted++;
    Close(conversation);
  }
  evicted.clear();
}

uint64_t RadiusLane::OnClock(uint64_t nowMs, Outbox* out) {
  uint64_t next = UINT64_MAX;
  std::vector<Conversation*> due;
  for (Conversation* conversation : waiting_) {
    if (conversation->retransmitAt <= nowMs) {
      due.push_back(conversation);
    } else {
      next = std::min(next, conversation->retransmitAt);
    }
  }
  for (Conversation* conversation : due) {
    AuthenticatorStep step;
    EapErrorInfo error;
    waiting_.erase(conversation);
    std::unique_ptr<Pending> pending = std::move(conversation->waiting);
    bool ok = conversation->host->Timeout(&step, &error);
    Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
    if (waiting_.count(conversation) != 0) next = std::min(next, conversation->retransmitAt);
  }
  if (nowMs >= nextSweepMs_) {
    Sweep(nowMs, out);
    uint64_t idle = settings_.idleTimeoutMs;
    nextSweepMs_ = nowMs + std::min<uint64_t>(std::max<uint64_t>(idle / 2, 50), 5000);
  }
  CountActive();
  CountSteps();  // the lender may have lent a thread since the last step
  next = std::min(next, ProxyClock(nowMs, out));
  return std::min(next, nextSweepMs_);
}

void RadiusLane::Sweep(uint64_t nowMs, Outbox* out) {
  cache_.Sweep(nowMs);
  SweepDecisions(nowMs, out);
  SweepAccounting(nowMs);
  for (Conversation* conversation : table_.Entries()) {
    // A busy conversation past the idle window is stuck, and is expired like an idle one (one
    // waiting for the store gets its Access-Reject); one whose step is running is not stuck.
    if (!conversation->stepping && nowMs - conversation->lastActivity >= settings_.idleTimeoutMs) {
      counters_.conversationsExpired++;
      if (conversation->question != 0) {
        FailQuestion(conversation, "the user store did not answer within the idle window", nowMs, out);
      } else {
        Close(conversation);
      }
    }
  }
}

void RadiusLane::StartStepThreads(std::function<void()> wake) {
  if (settings_.stepThreads == 0 || steps_) return;
  steps_ = std::make_unique<StepPool<StepJob>>(
      settings_.stepThreads,
      // The table is read only, and outlives the threads (EndAll stops them).
      [this](StepJob& job) {
        AuthenticatorHost& host = *job.conversation->host;
        job.ok = (job.answer ? AnswerQuestion(host, job.answer.get(), &job.step, &job.error)
                             : host.Receive(job.eap.data(), job.eap.size(), &job.step, &job.error)) &&
                 Answer(job.conversation, &job.step, &job.error);
        job.answer.reset();  // its secrets wiped now
        job.ran = true;
      },
      std::move(wake));
}

void RadiusLane::OnStepsDone(uint64_t nowMs, Outbox* out) {
  if (!steps_) return;
  for (std::unique_ptr<StepJob>& job : steps_->TakeDone()) {
    Conversation* conversation = job->conversation;
    conversation->stepping = false;
    if (conversation->closing || !job->ran) {
      // Closed while its step ran (or the lane ended before it started): no reply, and the
      // reply cache forgets the request, as for any conversation that ends without one.
      cache_.Forget(job->pending->cacheKey, job->pending->authenticator);
      Close(conversation);
      continue;
    }
    Conclude(conversation, job->ok, job->step, job->error, std::move(job->pending), nowMs, out);
  }
  CountActive();
  CountSteps();
}

void RadiusLane::EndAll() {
  if (steps_) {
    steps_->Stop();
    for (Conversation* conversation : table_.Entries()) conversation->closing = true;
    Outbox none;
    OnStepsDone(0, &none);
  }
  for (Conversation* conversation : table_.Entries()) Close(conversation);
  owned_.clear();
  proxied_.clear();
  forwards_.clear();
  for (auto& home : homes_) {
    home->out = 0;
    home->queue.clear();
  }
  proxyQueued_ = 0;
  waiting_.clear();
  asked_.clear();
  deciding_.clear();
  plainAsked_.clear();
  counters_.active = 0;
  counters_.activeTls = 0;
}

void RadiusLane::PassToJs(OutgoingDatagram datagram) {
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.replies.push_back(std::move(datagram));
}

void RadiusLane::LinkBroken(uint32_t link) {
  counters_.droppedMalformed++;
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.broken.push_back(link);
}

bool RadiusLane::HasForJs() {
  std::lock_guard<std::mutex> lock(forJsLock_);
  return !forJs_.records.empty() || !forJs_.questions.empty() || !forJs_.authorizations.empty() || !forJs_.replies.empty() || !forJs_.broken.empty() ||
         !forJs_.accounting.empty();
}

ForJs RadiusLane::TakeForJs() {
  ForJs taken;
  std::lock_guard<std::mutex> lock(forJsLock_);
  std::swap(taken, forJs_);
  return taken;
}

}  // namespace eaphost::radius
