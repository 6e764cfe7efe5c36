// The GnuTLS backend of the TLS engine (../tls_engine.h): one GnuTLS session driven over memory
// with push/pull callbacks. This folder is the only place that includes GnuTLS headers.
#include "../tls_engine.h"

#include "gnutls_headers.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "../../../common/secure_zero.h"
#include "../../../common/tls_outcome.h"
#include "../tls_errors.h"
#include "../tls_heap.h"
#include "tls_credentials.h"
#include "tls_gnutls_library.h"
#include "tls_ocsp.h"
#include "tls_ocsp_responder.h"
#include "tls_peer_resumption.h"
#include "tls_priorities.h"
#include "tls_refusal.h"
#include "tls_verify.h"

namespace eaphost {
namespace tls {

namespace {
// A whole TLS message of the conversation, or all the application data of one, never exceeds
// this (the EAP-TLS reassembly limit).
constexpr std::size_t kMaxPlainPerMessage = 65536;

// Why a fatal alert the other side sent ended the conversation. GnuTLS names only the alerts it
// knows and answers NULL for any other description byte, which the other side chooses freely.
// The byte is read as a plain int: as the enum type, a value past its last enumerator (120) is
// not a value of that type at all, and only values within the enum's range go back to GnuTLS.
std::string ReceivedAlert(gnutls_session_t session) {
  const int description = static_cast<int>(gnutls_alert_get(session));
  const char* name = description >= 0 && description <= 127
                         ? gnutls_alert_get_name(static_cast<gnutls_alert_description_t>(description))
                         : nullptr;
  return name != nullptr ? std::string("the other side sent the alert \"") + name + "\""
                         : "the other side sent an alert of unknown description " + std::to_string(description);
}

// This side's own failure `rc`, with the alert GnuTLS names for it, as hostap reports a local one.
TlsFailure LocalFailure(int rc) {
  int level = 0;
  const int description = gnutls_error_to_alert(rc, &level);
  TlsFailure failure;
  failure.reason = TlsFailReason::kLocalFailure;
  failure.alert.local = true;
  failure.alert.present = description >= 0;
  failure.alert.description = static_cast<std::uint8_t>(description >= 0 ? description : 0);
  return failure;
}

bool HasCause(const MethodFailure& failure) {
  static const eap::GUID kNil{};
  return std::memcmp(&failure.rootCauseGuid, &kNil, sizeof kNil) != 0;
}
}  // namespace

struct TlsEngine::Impl {
  gnutls_session_t session = nullptr;
  std::shared_ptr<const TlsCredentials> credentials;
  gnutls_priority_t priorities = nullptr;  // shared (tls_priorities.h)
  // The authenticator's: the same versions with its own choice of suite and group, set when the
  // first ClientHello allows it (ServerMayChoose), and never after: a second ClientHello answers
  // the group a HelloRetryRequest asked for.
  gnutls_priority_t serverChoice = nullptr;
  bool suiteDecided = false;
  std::vector<std::string> serverNames;
  bool verifyServer = false;
  bool verifyClient = false;
  bool allowWeakRsa = false;
  bool verificationFailed = false;
  MethodFailure verification{0, 0, std::string(), std::string()};
  const char* methodName = "";
  PeerResumption resumption;
  // An EAP-TTLS authenticator resumes only what fast reconnect can finish: peers such as
  // wpa_supplicant skip phase 2 on any resumed session, and a TLS 1.3 session (never marked)
  // or one with fast reconnect off could then only end in failure. TLS 1.2 Session IDs, and
  // only with fast reconnect on.
  bool ttlsServer = false;
  bool serveResumption = true;
  bool crlChain = false;
  bool allowStaleCrl = false;
  OcspMode ocsp = OcspMode::kOff;
  std::string ocspResponder;
  bool ocspResponderFailOpen = false;
  std::uint16_t tlsMin = kTls12;
  std::uint16_t tlsMax = kTls13;
  std::uint16_t configTlsMax = kTls13;  // before the own key's limit

  Impl(bool client, const char* name, const TlsConfig& config) : resumption(client, name, config) {}

  ~Impl() {
    if (session != nullptr) gnutls_deinit(session);
  }

  static ssize_t Push(gnutls_transport_ptr_t context, const void* data, size_t size) {
    auto* engine = static_cast<TlsEngine*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    try {
      engine->outgoing_.insert(engine->outgoing_.end(), bytes, bytes + size);
    } catch (...) {
      gnutls_transport_set_errno(engine->impl_->session, ENOMEM);
      return -1;
    }
    return static_cast<ssize_t>(size);
  }

  static ssize_t Pull(gnutls_transport_ptr_t context, void* data, size_t size) {
    auto* engine = static_cast<TlsEngine*>(context);
    std::size_t available = engine->incoming_.size() - engine->incomingRead_;
    if (available == 0) {
      // Nothing more until the other side's next EAP packet: "would block".
      engine->starved_ = true;
      gnutls_transport_set_errno(engine->impl_->session, EAGAIN);
      return -1;
    }
    std::size_t count = available < size ? available : size;
    std::memcpy(data, engine->incoming_.data() + engine->incomingRead_, count);
    engine->incomingRead_ += count;
    return static_cast<ssize_t>(count);
  }

  static int PullTimeout(gnutls_transport_ptr_t context, unsigned int) {
    auto* engine = static_cast<TlsEngine*>(context);
    return engine->incoming_.size() > engine->incomingRead_ ? 1 : 0;
  }

  // Before GnuTLS reads the first ClientHello: the authenticator chooses the suite where
  // that costs the peer nothing. A priority GnuTLS refuses leaves the peer's choice.
  static int OnClientHello(gnutls_session_t session, unsigned int, unsigned int, unsigned int,
                           const gnutls_datum_t* message) {
    auto* engine = static_cast<TlsEngine*>(gnutls_session_get_ptr(session));
    Impl& impl = *engine->impl_;
    if (impl.suiteDecided || impl.serverChoice == nullptr) return 0;
    impl.suiteDecided = true;
    if (ServerMayChoose(message->data, message->size, impl.tlsMax >= kTls13)) {
      (void)gnutls_priority_set(session, impl.serverChoice);
    }
    return 0;
  }

  // Runs inside the handshake, so a refused certificate aborts it before we send anything
  // that depends on the server being who it claims.
  static int Verify(gnutls_session_t session) {
    auto* engine = static_cast<TlsEngine*>(gnutls_session_get_ptr(session));
    Impl& impl = *engine->impl_;
    bool ok = true;
    try {
      if (!impl.verifyServer && !impl.verifyClient) return 0;
      // A chain these CAs accepted before, under the same checks, is not verified again
      // (tls_verified_chains.h); any other is, and kept when it passes.
      const VerifiedChains& verified = impl.credentials->verifiedChains();
      const RevocationLists* revocation = impl.credentials->revocation();
      VerifiedChains::Key key{};
      // With CRLs the verdict also depends on the CRLs' dates: every chain is checked afresh.
      const bool keyed = revocation == nullptr && impl.ocsp == OcspMode::kOff && impl.ocspResponder.empty() &&
                         VerifiedChains::KeyOf(session, impl.verifyServer, impl.serverNames,
                                               impl.allowWeakRsa, &key);
      if (keyed && verified.Known(key, std::time(nullptr))) return 0;
      if (impl.verifyServer) {
        ok = VerifyServerCertificate(session, impl.serverNames, impl.allowWeakRsa, impl.methodName,
                                     &impl.verification);
      } else {
        ok = VerifyClientCertificate(session, impl.allowWeakRsa, impl.methodName, &impl.verification);
      }
      if (ok && revocation != nullptr) {
        ok = revocation->Check(session, impl.credentials->get(), impl.verifyServer, impl.crlChain,
                               impl.allowStaleCrl, impl.methodName, &impl.verification);
      }
      if (ok && impl.verifyClient && !impl.ocspResponder.empty()) {
        ok = AskOcspResponder(session, impl.credentials->get(), impl.ocspResponder, impl.ocspResponderFailOpen,
                              impl.methodName, &impl.verification);
      }
      // GnuTLS's chain check leaves the staple alone (GNUTLS_VERIFY_DISABLE_CRL_CHECKS on the
      // credentials): it is judged here when the peer asked for one, and never when it did not.
      if (ok && impl.verifyServer && impl.ocsp != OcspMode::kOff) {
        ok = CheckOcspStaple(session, impl.credentials->get(), impl.ocsp, impl.methodName, &impl.verification);
      }
      if (ok && keyed) verified.Remember(key, session, impl.credentials->get());
    } catch (...) {
      impl.verification = InternalFailure("certificate verification ran out of memory");
      ok = false;
    }
    impl.verificationFailed = !ok;
    return ok ? 0 : GNUTLS_E_CERTIFICATE_ERROR;
  }
};

// GnuTLS is reached (on Windows: loaded) before the first call into it, which Impl's
// resumption makes (the kept sessions' key digest).
TlsEngine::TlsEngine(const TlsEngineOptions& options, const TlsConfig& config)
    : impl_((RequireTlsLibrary(options.methodName), new Impl(options.role == TlsRole::kClient, options.methodName, config))),
      options_(options) {
  Impl& impl = *impl_;
  impl.methodName = options.methodName;
  const bool client = options.role == TlsRole::kClient;
  impl.credentials = SharedCredentials(options, config);
  impl.verifyServer = client && !config.insecure;
  impl.verifyClient = !client && options.requestClientCertificate;
  impl.serverNames = config.serverNames;
  impl.allowWeakRsa = config.allowWeakRsa;
  impl.crlChain = config.crlChain;
  impl.allowStaleCrl = config.allowStaleCrl;
  impl.ocsp = client ? config.ocsp : OcspMode::kOff;
  if (!client) impl.ocspResponder = config.ocspResponder;
  impl.ocspResponderFailOpen = config.ocspResponderFailOpen;
  impl.tlsMin = config.tlsMin;
  // A store key that cannot sign RSA-PSS (tls_store_key.h) caps the peer at TLS 1.2.
  impl.configTlsMax = config.tlsMax;
  impl.tlsMax = std::min(config.tlsMax, impl.credentials->keyTlsMax());
  if (impl.tlsMax < impl.tlsMin) {
    throw MethodFailure{kSecUnsupportedFunction, kEapUserCertInvalid,
                        std::string("The ") + options.methodName + " peer's store certificate (" +
                            StoreCertificateName(config.certStore) + ") has " + impl.credentials->keyWhyTls12() +
                            ", and the configuration allows nothing below TLS 1.3",
                        "Allow TLS 1.2 (tls min 1.2), or keep the key where it signs RSA-PSS with a hash-length salt "
                        "(the Microsoft Software Key Storage Provider)"};
  }
  impl.ttlsServer = !client && std::strcmp(options.methodName, "EAP-TTLS") == 0;
  impl.serveResumption = !impl.ttlsServer || config.fastReconnect;
  // The version bounds are checked now, so a configuration without a version fails at once,
  // not at the first TLS message.
  int rc = 0;
  impl.priorities = SharedPriority(impl.tlsMin, impl.tlsMax, SuiteChoice::kPeer, &rc);
  if (impl.priorities != nullptr && !client) {
    impl.serverChoice = SharedPriority(impl.tlsMin, impl.tlsMax, SuiteChoice::kServer, &rc);
  }
  if (impl.priorities == nullptr || (!client && impl.serverChoice == nullptr)) {
    throw MethodFailure{eap::kErrorInvalidData, 0,
                        std::string("The ") + options.methodName +
                            " configuration cannot be used: no TLS version is left between tlsMin "
                            "and tlsMax (" + gnutls_strerror(rc) + ")",
                        std::string()};
  }
}

std::uint16_t TlsEngine::OfferedTlsMax(std::string* why) const {
  *why = impl_->tlsMax < impl_->configTlsMax ? impl_->credentials->keyWhyTls12() : std::string();
  return impl_->tlsMax;
}

void TlsEngine::RequireSession() const {
  if (impl_->session == nullptr) {
    throw InternalFailure(std::string("The ") + options_.methodName +
                          " tunnel was used before its TLS handshake began");
  }
}

// The GnuTLS session, made when the first TLS message is to be produced or read: a
// conversation that never gets that far (a flood of Identity responses, a peer that gives up)
// costs no TLS state at all.
void TlsEngine::StartSession() {
  Impl& impl = *impl_;
  if (impl.session != nullptr) return;
  const bool client = options_.role == TlsRole::kClient;
  // The authenticator resumes sessions through tickets sealed with its configuration's key;
  // the peer offers the session it kept for the same server (tls_peer_resumption.h), and asks
  // for tickets only when it would keep a TLS 1.3 session; TLS 1.2 resumes by Session ID.
  const gnutls_datum_t* ticketKey =
      client || !impl.serveResumption ? nullptr : impl.credentials->ticketKey();
  const bool noTickets = client ? !impl.resumption.wantsTickets() : ticketKey == nullptr || impl.ttlsServer;
  unsigned int flags = (client ? GNUTLS_CLIENT : GNUTLS_SERVER) | GNUTLS_NONBLOCK |
                       (noTickets ? GNUTLS_NO_TICKETS : 0);
#if GNUTLS_VERSION_NUMBER >= 0x030705
  // The authenticator resumes TLS 1.2 by Session ID only (its session cache): a GnuTLS 3.7
  // server that takes a client's TLS 1.2 ticket while negotiating TLS 1.3 skips its
  // Certificate and CertificateVerify without a PSK, and the peer, rightly, refuses the
  // handshake ("unexpected TLS handshake packet"). Such a ClientHello is what any peer sends
  // that kept a TLS 1.2 session and now offers TLS 1.3 too.
  if (!client && !noTickets) flags |= GNUTLS_NO_TICKETS_TLS12;
#endif
#if GNUTLS_VERSION_NUMBER >= 0x030800
  // With OCSP off the peer does not ask for a staple at all (GnuTLS before 3.8 always asks; what
  // comes is then left unjudged, as above).
  if (client && impl.ocsp == OcspMode::kOff) flags |= GNUTLS_NO_STATUS_REQUEST;
#endif
#if GNUTLS_VERSION_NUMBER >= 0x030600
  // A TLS 1.3 ClientHello carries a key share for the first group only (X25519,
  // tls_priorities.cc), not one for each kind of group: GnuTLS would make a P-256 key too that
  // the server, choosing X25519, never uses. A server without X25519 asks for another group
  // (HelloRetryRequest) and the handshake goes on.
  if (client) flags |= GNUTLS_KEY_SHARE_TOP;
#endif
  int rc = gnutls_init(&impl.session, flags);
  if (rc < 0) {
    impl.session = nullptr;
    throw InternalFailure("GnuTLS could not start a session");
  }
  CountSessionStarted();
  counted_ = true;
  gnutls_session_set_ptr(impl.session, this);
  rc = gnutls_priority_set(impl.session, impl.priorities);
  if (rc < 0) throw InternalFailure("GnuTLS refused the TLS version bounds");
  rc = gnutls_credentials_set(impl.session, GNUTLS_CRD_CERTIFICATE, impl.credentials->get());
  if (rc < 0) throw InternalFailure("GnuTLS refused the credentials");
  gnutls_session_set_verify_function(impl.session, &Impl::Verify);
  if (!client) {
    gnutls_handshake_set_hook_function(impl.session, GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_HOOK_PRE,
                                       &Impl::OnClientHello);
  }
  if (ticketKey != nullptr && impl.ttlsServer) {
    impl.credentials->UseSessionCache(impl.session);
  } else if (ticketKey != nullptr) {
    rc = gnutls_session_ticket_enable_server(impl.session, ticketKey);
    if (rc < 0) throw InternalFailure("GnuTLS refused the session ticket key");
    impl.credentials->UseSessionCache(impl.session);
  }
  // With OCSP asked for, every handshake is a full one with a fresh staple: an offered session a
  // server declines would leave GnuTLS answering with the staple stored with that session.
  if (client && impl.ocsp == OcspMode::kOff) impl.resumption.Offer(impl.session);
  if (client && impl.ocsp != OcspMode::kOff) RequestOcspStaple(impl.session);
  if (client && !impl.serverNames.empty()) {
    gnutls_server_name_set(impl.session, GNUTLS_NAME_DNS, impl.serverNames[0].data(),
                           impl.serverNames[0].size());
  }
  if (impl.verifyClient) gnutls_certificate_server_set_request(impl.session, GNUTLS_CERT_REQUIRE);
  gnutls_transport_set_ptr(impl.session, this);
  gnutls_transport_set_push_function(impl.session, &Impl::Push);
  gnutls_transport_set_pull_function(impl.session, &Impl::Pull);
  gnutls_transport_set_pull_timeout_function(impl.session, &Impl::PullTimeout);
}

TlsEngine::~TlsEngine() {
  SecureZero(incoming_.data(), incoming_.size());
  SecureZero(outgoing_.data(), outgoing_.size());
  // A conversation that ended before its handshake did (the server answered the offer with an
  // EAP-Failure, say) tells nothing good of the session offered.
  if (!established_) impl_->resumption.ForgetOffered();
  impl_.reset();  // the session's memory is free before the count may hand pages back
  if (counted_) CountSessionEnded();
}

// A conversation left waiting after a flight (a half-open handshake) keeps no copy of the
// records GnuTLS has already read: the ClientHello is not held for the whole idle time.
void TlsEngine::ReleaseConsumed() {
  if (incomingRead_ != incoming_.size()) return;
  SecureZero(incoming_.data(), incoming_.size());
  std::vector<std::uint8_t>().swap(incoming_);
  incomingRead_ = 0;
}

void TlsEngine::Receive(ByteSpan records) {
  // Drop what GnuTLS has consumed before queueing more, so the buffer stays one message long.
  incoming_.erase(incoming_.begin(), incoming_.begin() + static_cast<std::ptrdiff_t>(incomingRead_));
  incomingRead_ = 0;
  incoming_.insert(incoming_.end(), records.data, records.data + records.size);
}

bool TlsEngine::Handshake() {
  if (established_) return true;
  StartSession();
  for (int step = 0; step < 64;) {
    const std::size_t readBefore = incomingRead_;
    int rc = gnutls_handshake(impl_->session);
    if (rc == GNUTLS_E_SUCCESS) {
      established_ = true;
      impl_->resumption.Established(impl_->session);
      ReleaseConsumed();
      return true;
    }
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) {
      // A handshake message longer than a record (a Certificate past 16 KiB: a long chain)
      // comes back as "again" after each record GnuTLS reads, whatever is still queued: go on
      // while it reads. Each turn consumes bytes of the one message the method holds, so this
      // ends; a turn that reads nothing waits for the other side's next packet.
      if (incomingRead_ != readBefore && incomingRead_ < incoming_.size()) continue;
      ReleaseConsumed();
      return false;
    }
    if (gnutls_error_is_fatal(rc) != 0 || impl_->verificationFailed) {
      impl_->resumption.ForgetOffered();
      SendRefusalAlert(rc);
    }
    if (impl_->verificationFailed) {
      // The peer refused the server's certificate: typed as this side's own failure, with the
      // alert GnuTLS names for it, so a host reads the refusal (and the chain it fetches from
      // the result beside it) without its words. A cause already set (an unusable OCSP staple's) stays.
      if (options_.role == TlsRole::kClient && !HasCause(impl_->verification)) {
        impl_->verification.rootCauseGuid = TlsFailureGuid(LocalFailure(rc));
      }
      throw impl_->verification;
    }
    if (gnutls_error_is_fatal(rc) != 0) {
      std::string why = gnutls_strerror(rc);
      TlsFailure failure;
      failure.alert.present = true;
      if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED) {
        why = ReceivedAlert(impl_->session);
        failure.reason = TlsFailReason::kAlertReceived;
        failure.alert.description = static_cast<std::uint8_t>(gnutls_alert_get(impl_->session));
      } else {
        failure = LocalFailure(rc);
      }
      // A peer held at TLS 1.2 by its store key says so: a TLS 1.3-only server refuses it.
      std::string held;
      OfferedTlsMax(&held);
      if (!held.empty()) why += " (this peer offered TLS 1.2 at most: its store certificate has " + held + ")";
      throw MethodFailure{kSecIllegalMessage, eap::EAP_E_AUTHENTICATION_FAILED,
                          std::string("The ") + options_.methodName + " TLS handshake failed: " + why,
                          std::string(), TlsFailureGuid(failure)};
    }
    // A warning alert: carry on with the next record.
    ++step;
  }
  impl_->resumption.ForgetOffered();
  throw MethodFailure{kSecIllegalMessage, eap::EAP_E_AUTHENTICATION_FAILED,
                      std::string("The ") + options_.methodName +
                          " TLS handshake made no progress over 64 steps",
                      std::string(), TlsFailureGuid(TlsFailure{TlsFailReason::kNoProgress, TlsAlertFact{}})};
}

// The authenticator says why it refuses the handshake (tls_refusal.h).
void TlsEngine::SendRefusalAlert(int rc) {
  if (options_.role != TlsRole::kServer || rc == GNUTLS_E_FATAL_ALERT_RECEIVED || !outgoing_.empty()) return;
  SendRefusal(impl_->session, rc, impl_->verificationFailed ? &impl_->verification : nullptr,
              impl_->tlsMin, impl_->tlsMax);
}

std::uint16_t TlsEngine::NegotiatedVersion() const {
  if (!established_ || impl_->session == nullptr) return 0;
  switch (gnutls_protocol_get_version(impl_->session)) {
    case GNUTLS_TLS1_0: return 0x0301;
    case GNUTLS_TLS1_1: return 0x0302;
    case GNUTLS_TLS1_2: return kTls12;
    case GNUTLS_TLS1_3: return kTls13;
    default: return 0;
  }
}

std::vector<std::vector<std::uint8_t>> TlsEngine::PeerCertificates() const {
  std::vector<std::vector<std::uint8_t>> chain;
  if (impl_->session == nullptr) return chain;
  unsigned int count = 0;
  const gnutls_datum_t* sent = gnutls_certificate_get_peers(impl_->session, &count);
  for (unsigned int i = 0; sent != nullptr && i < count; ++i) {
    chain.emplace_back(sent[i].data, sent[i].data + sent[i].size);
  }
  return chain;
}

std::vector<std::uint8_t> TlsEngine::OcspStaple() const {
  gnutls_datum_t stapled{nullptr, 0};
  if (impl_->session == nullptr || gnutls_ocsp_status_request_get2(impl_->session, 0, &stapled) < 0) return {};
  return std::vector<std::uint8_t>(stapled.data, stapled.data + stapled.size);
}

bool TlsEngine::tls13() const {
  return impl_->session != nullptr && gnutls_protocol_get_version(impl_->session) == GNUTLS_TLS1_3;
}

bool TlsEngine::resumed() const {
  return impl_->session != nullptr && gnutls_session_is_resumed(impl_->session) != 0;
}

std::size_t TlsEngine::PrfHashSize() const {
  RequireSession();
  return gnutls_prf_hash_get(impl_->session) == GNUTLS_DIG_SHA384 ? 48 : 32;
}

std::string TlsEngine::VersionName() const {
  if (impl_->session == nullptr) return "TLS 1.2";
  switch (gnutls_protocol_get_version(impl_->session)) {
    case GNUTLS_TLS1_3: return "TLS 1.3";
    case GNUTLS_TLS1_1: return "TLS 1.1";
    case GNUTLS_TLS1_0: return "TLS 1.0";
    default: return "TLS 1.2";
  }
}

bool TlsEngine::CachedSessionId(std::vector<std::uint8_t>* sessionId) const {
  const Impl& impl = *impl_;
  if (options_.role != TlsRole::kServer || !established_ || impl.session == nullptr || tls13() ||
      impl.credentials->lifetime() == 0) {
    return false;
  }
  gnutls_datum_t id{nullptr, 0};
  if (gnutls_session_get_id2(impl.session, &id) < 0 || id.size == 0) return false;
  sessionId->assign(id.data, id.data + id.size);
  return true;
}

void TlsEngine::MarkPhase2Success(const Phase2Mark& mark) const {
  std::vector<std::uint8_t> id;
  if (!CachedSessionId(&id)) return;
  impl_->credentials->MarkPhase2Success(ByteSpan{id.data(), id.size()}, mark);
}

bool TlsEngine::CachedPhase2Mark(std::uint8_t methodType, Phase2Mark* mark) const {
  std::vector<std::uint8_t> id;
  if (!CachedSessionId(&id)) return false;
  return impl_->credentials->Phase2Succeeded(ByteSpan{id.data(), id.size()}, methodType, mark);
}

void TlsEngine::ForgetCachedSession() const {
  std::vector<std::uint8_t> id;
  if (!CachedSessionId(&id)) return;
  impl_->credentials->ForgetSession(ByteSpan{id.data(), id.size()});
}

void TlsEngine::Write(ByteSpan plain) {
  RequireSession();
  std::size_t at = 0;
  while (at < plain.size) {
    ssize_t sent = gnutls_record_send(impl_->session, plain.data + at, plain.size - at);
    if (sent == GNUTLS_E_AGAIN || sent == GNUTLS_E_INTERRUPTED) continue;  // memory push never blocks
    if (sent <= 0) {
      throw MethodFailure{kSecInternalError, 0,
                          std::string("The ") + options_.methodName +
                              " tunnel could not encrypt data: " +
                              gnutls_strerror(static_cast<int>(sent)),
                          std::string()};
    }
    at += static_cast<std::size_t>(sent);
  }
}

void TlsEngine::ReadAll(std::vector<std::uint8_t>* plain) {
  RequireSession();
  std::uint8_t buffer[16384];
  // Only what a record wrote holds plaintext: wiping the whole 16 KB on every read cost 3% of a
  // PEAP authentication, for the few hundred bytes phase 2 sends.
  std::size_t used = 0;
  for (int record = 0; record < 1024; ++record) {
    starved_ = false;
    ssize_t got = gnutls_record_recv(impl_->session, buffer, sizeof(buffer));
    if (got > 0) {
      used = std::max(used, static_cast<std::size_t>(got));
      if (plain->size() + static_cast<std::size_t>(got) > kMaxPlainPerMessage) {
        SecureZero(buffer, used);
        throw InvalidPacket(std::string("The ") + options_.methodName +
                            " tunnel carried more than " + Decimal(kMaxPlainPerMessage) +
                            " bytes of data in one message");
      }
      plain->insert(plain->end(), buffer, buffer + got);
      continue;
    }
    SecureZero(buffer, used);
    used = 0;
    // GnuTLS also answers "again" after a record it handled itself (a TLS 1.3
    // NewSessionTicket, a KeyUpdate): the rest of the flight (RFC 9190's commitment byte,
    // phase-2 data, close_notify) may follow it in the same EAP message. Only an empty queue
    // ends the read.
    if (got == GNUTLS_E_AGAIN || got == GNUTLS_E_INTERRUPTED) {
      if (starved_) {
        impl_->resumption.Keep(impl_->session);
        return;
      }
      continue;
    }
    if (got == 0) {
      closed_ = true;  // close_notify: nothing can follow it
      impl_->resumption.Keep(impl_->session);
      return;
    }
    if (gnutls_error_is_fatal(static_cast<int>(got)) == 0) continue;
    std::string why = gnutls_strerror(static_cast<int>(got));
    if (got == GNUTLS_E_FATAL_ALERT_RECEIVED) {
      why = ReceivedAlert(impl_->session);
    }
    throw MethodFailure{kSecIllegalMessage, eap::EAP_E_AUTHENTICATION_FAILED,
                        std::string("The ") + options_.methodName + " tunnel failed: " + why,
                        std::string()};
  }
  SecureZero(buffer, used);
}

std::vector<std::uint8_t> TlsEngine::TakeOutgoing() {
  std::vector<std::uint8_t> out;
  out.swap(outgoing_);
  return out;
}

void TlsEngine::HelloRandoms(std::uint8_t client[32], std::uint8_t server[32]) const {
  RequireSession();
  gnutls_datum_t clientRandom{}, serverRandom{};
  gnutls_session_get_random(impl_->session, &clientRandom, &serverRandom);
  if (clientRandom.size != 32 || serverRandom.size != 32) {
    throw InternalFailure(std::string("GnuTLS gave no hello randoms for the ") + options_.methodName +
                          " Session-Id");
  }
  std::memcpy(client, clientRandom.data, 32);
  std::memcpy(server, serverRandom.data, 32);
}

void TlsEngine::Export(const char* label, ByteSpan context, std::uint8_t* out, std::size_t size) {
  RequireSession();
  int rc;
  if (tls13()) {
    rc = gnutls_prf_rfc5705(impl_->session, std::strlen(label), label, context.size,
                            reinterpret_cast<const char*>(context.data), size,
                            reinterpret_cast<char*>(out));
  } else {
    rc = gnutls_prf(impl_->session, std::strlen(label), label, 0, 0, nullptr, size,
                    reinterpret_cast<char*>(out));
  }
  if (rc < 0) {
    throw InternalFailure(std::string("GnuTLS could not derive the ") + options_.methodName +
                          " keys: " + gnutls_strerror(rc));
  }
}

}  // namespace tls
}  // namespace eaphost
