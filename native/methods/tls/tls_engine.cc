#include "tls_engine.h"

#include <gnutls/gnutls.h>

#include <cerrno>
#include <cstring>

#include "../../common/secure_zero.h"
#include "tls_errors.h"
#include "tls_verify.h"

namespace eaphost {
namespace tls {

namespace {
// A whole TLS message of the conversation, or all the application data of one, never exceeds
// this (the EAP-TLS reassembly limit).
constexpr std::size_t kMaxPlainPerMessage = 65536;

MethodFailure Unusable(const char* methodName, const std::string& what, int rc) {
  return MethodFailure{eap::kErrorInvalidData, 0,
                       std::string("The ") + methodName + " configuration cannot be used: " +
                           what + (rc != 0 ? std::string(" (") + gnutls_strerror(rc) + ")" : ""),
                       std::string()};
}

std::string Priority(const TlsConfig& config) {
  std::string priority = "NORMAL:-VERS-ALL";
  if (config.tlsMax >= kTls13 && config.tlsMin <= kTls13) priority += ":+VERS-TLS1.3";
  if (config.tlsMin <= kTls12 && config.tlsMax >= kTls12) priority += ":+VERS-TLS1.2";
  return priority;
}

gnutls_datum_t Datum(const std::string& text) {
  return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())),
                        static_cast<unsigned int>(text.size())};
}

gnutls_datum_t Datum(const SecretBytes& bytes) {
  return gnutls_datum_t{const_cast<unsigned char*>(bytes.data()),
                        static_cast<unsigned int>(bytes.size())};
}
}  // namespace

struct TlsEngine::Impl {
  gnutls_session_t session = nullptr;
  gnutls_certificate_credentials_t credentials = nullptr;
  std::vector<std::string> serverNames;
  bool verifyServer = false;
  bool verifyClient = false;
  bool verificationFailed = false;
  MethodFailure verification{0, 0, std::string(), std::string()};
  const char* methodName = "";

  ~Impl() {
    if (session != nullptr) gnutls_deinit(session);
    if (credentials != nullptr) gnutls_certificate_free_credentials(credentials);
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

  // Runs inside the handshake, so a refused certificate aborts it before we send anything
  // that depends on the server being who it claims.
  static int Verify(gnutls_session_t session) {
    auto* engine = static_cast<TlsEngine*>(gnutls_session_get_ptr(session));
    Impl& impl = *engine->impl_;
    bool ok = true;
    try {
      if (impl.verifyServer) {
        ok = VerifyServerCertificate(session, impl.serverNames, impl.methodName,
                                     &impl.verification);
      } else if (impl.verifyClient) {
        ok = VerifyClientCertificate(session, impl.methodName, &impl.verification);
      }
    } catch (...) {
      impl.verification = InternalFailure("certificate verification ran out of memory");
      ok = false;
    }
    impl.verificationFailed = !ok;
    return ok ? 0 : GNUTLS_E_CERTIFICATE_ERROR;
  }
};

TlsEngine::TlsEngine(const TlsEngineOptions& options, const TlsConfig& config)
    : impl_(new Impl), options_(options) {
  Impl& impl = *impl_;
  impl.methodName = options.methodName;
  const bool client = options.role == TlsRole::kClient;
  if (client && config.ca.empty() && !config.insecure) {
    throw MethodFailure{eap::kErrorInvalidData, kEapServerRootCertNotFound,
                        std::string("The ") + options.methodName +
                            " peer has no trusted CA configured: give a CA or insecure",
                        "Give the CA that issued the server's certificate (or, knowingly, "
                        "the insecure option that skips server verification)"};
  }
  int rc = gnutls_certificate_allocate_credentials(&impl.credentials);
  if (rc < 0) throw InternalFailure("GnuTLS could not allocate credentials");
  if (!config.ca.empty()) {
    gnutls_datum_t ca = Datum(config.ca);
    rc = gnutls_certificate_set_x509_trust_mem(impl.credentials, &ca, GNUTLS_X509_FMT_PEM);
    if (rc <= 0) throw Unusable(options.methodName, "the CA holds no readable PEM certificate", rc < 0 ? rc : 0);
  }
  const char* password = nullptr;
  std::string passwordText;  // GnuTLS takes a C string
  if (config.privateKeyPassword.size() != 0) {
    passwordText.assign(reinterpret_cast<const char*>(config.privateKeyPassword.data()),
                        config.privateKeyPassword.size());
    password = passwordText.c_str();
  }
  bool haveOwn = false;
  if (config.pkcs12.size() != 0) {
    gnutls_datum_t der = Datum(config.pkcs12);
    rc = gnutls_certificate_set_x509_simple_pkcs12_mem(impl.credentials, &der,
                                                       GNUTLS_X509_FMT_DER, password);
    if (rc < 0) {
      SecureZero(&passwordText[0], passwordText.size());
      throw Unusable(options.methodName, "the PKCS#12 bundle could not be read (wrong password?)", rc);
    }
    haveOwn = true;
  } else if (!config.certificate.empty() || config.privateKey.size() != 0) {
    if (config.certificate.empty() || config.privateKey.size() == 0) {
      SecureZero(&passwordText[0], passwordText.size());
      throw Unusable(options.methodName, "a certificate needs its private key and the other way round", 0);
    }
    gnutls_datum_t cert = Datum(config.certificate);
    gnutls_datum_t key = Datum(config.privateKey);
    rc = gnutls_certificate_set_x509_key_mem2(impl.credentials, &cert, &key, GNUTLS_X509_FMT_PEM,
                                              password, 0);
    if (rc < 0) {
      SecureZero(&passwordText[0], passwordText.size());
      throw Unusable(options.methodName,
                     "the certificate and private key could not be loaded (wrong key password, or "
                     "a key that does not match the certificate?)", rc);
    }
    haveOwn = true;
  }
  SecureZero(&passwordText[0], passwordText.size());
  if (!client && !haveOwn) {
    throw Unusable(options.methodName, "the authenticator needs a server certificate and key", 0);
  }
  if (client && options.needOwnCertificate && !haveOwn) {
    throw MethodFailure{eap::kErrorInvalidData, kEapUserCertNotFound,
                        std::string("The ") + options.methodName +
                            " peer has no client certificate configured",
                        "Give a client certificate and key (or a PKCS#12 bundle)"};
  }
  if (!client && options.requestClientCertificate && config.ca.empty()) {
    throw Unusable(options.methodName,
                   "the authenticator needs a CA to verify client certificates with", 0);
  }
  impl.verifyServer = client && !config.insecure;
  impl.verifyClient = !client && options.requestClientCertificate;
  impl.serverNames = config.serverNames;
  gnutls_certificate_set_verify_function(impl.credentials, &Impl::Verify);

  unsigned int flags = (client ? GNUTLS_CLIENT : GNUTLS_SERVER) | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS;
  rc = gnutls_init(&impl.session, flags);
  if (rc < 0) throw InternalFailure("GnuTLS could not start a session");
  gnutls_session_set_ptr(impl.session, this);
  std::string priority = Priority(config);
  rc = gnutls_priority_set_direct(impl.session, priority.c_str(), nullptr);
  if (rc < 0) throw Unusable(options.methodName, "no TLS version is left between tlsMin and tlsMax", rc);
  rc = gnutls_credentials_set(impl.session, GNUTLS_CRD_CERTIFICATE, impl.credentials);
  if (rc < 0) throw InternalFailure("GnuTLS refused the credentials");
  if (client && !config.serverNames.empty()) {
    gnutls_server_name_set(impl.session, GNUTLS_NAME_DNS, config.serverNames[0].data(),
                           config.serverNames[0].size());
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
}

void TlsEngine::Receive(ByteSpan records) {
  // Drop what GnuTLS has consumed before queueing more, so the buffer stays one message long.
  incoming_.erase(incoming_.begin(), incoming_.begin() + static_cast<std::ptrdiff_t>(incomingRead_));
  incomingRead_ = 0;
  incoming_.insert(incoming_.end(), records.data, records.data + records.size);
}

bool TlsEngine::Handshake() {
  if (established_) return true;
  for (int step = 0; step < 64; ++step) {
    int rc = gnutls_handshake(impl_->session);
    if (rc == GNUTLS_E_SUCCESS) {
      established_ = true;
      return true;
    }
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) return false;
    if (impl_->verificationFailed) throw impl_->verification;
    if (gnutls_error_is_fatal(rc) != 0) {
      std::string why = gnutls_strerror(rc);
      if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED) {
        why = std::string("the other side sent the alert \"") +
              gnutls_alert_get_name(gnutls_alert_get(impl_->session)) + "\"";
      }
      throw MethodFailure{kSecIllegalMessage, eap::EAP_E_AUTHENTICATION_FAILED,
                          std::string("The ") + options_.methodName + " TLS handshake failed: " + why,
                          std::string()};
    }
    // A warning alert: carry on with the next record.
  }
  throw MethodFailure{kSecIllegalMessage, eap::EAP_E_AUTHENTICATION_FAILED,
                      std::string("The ") + options_.methodName +
                          " TLS handshake made no progress over 64 steps",
                      std::string()};
}

bool TlsEngine::tls13() const {
  return gnutls_protocol_get_version(impl_->session) == GNUTLS_TLS1_3;
}

std::string TlsEngine::VersionName() const { return tls13() ? "TLS 1.3" : "TLS 1.2"; }

void TlsEngine::Write(ByteSpan plain) {
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
  std::uint8_t buffer[16384];
  for (int record = 0; record < 1024; ++record) {
    starved_ = false;
    ssize_t got = gnutls_record_recv(impl_->session, buffer, sizeof(buffer));
    if (got > 0) {
      if (plain->size() + static_cast<std::size_t>(got) > kMaxPlainPerMessage) {
        SecureZero(buffer, sizeof(buffer));
        throw InvalidPacket(std::string("The ") + options_.methodName +
                            " tunnel carried more than " + Decimal(kMaxPlainPerMessage) +
                            " bytes of data in one message");
      }
      plain->insert(plain->end(), buffer, buffer + got);
      continue;
    }
    SecureZero(buffer, sizeof(buffer));
    // GnuTLS also answers "again" after a record it handled itself (a TLS 1.3
    // NewSessionTicket, a KeyUpdate): the rest of the flight (RFC 9190's commitment byte,
    // phase-2 data, close_notify) may follow it in the same EAP message. Only an empty queue
    // ends the read.
    if (got == GNUTLS_E_AGAIN || got == GNUTLS_E_INTERRUPTED) {
      if (starved_) return;
      continue;
    }
    if (got == 0) {
      closed_ = true;  // close_notify: nothing can follow it
      return;
    }
    if (gnutls_error_is_fatal(static_cast<int>(got)) == 0) continue;
    std::string why = gnutls_strerror(static_cast<int>(got));
    if (got == GNUTLS_E_FATAL_ALERT_RECEIVED) {
      why = std::string("the other side sent the alert \"") +
            gnutls_alert_get_name(gnutls_alert_get(impl_->session)) + "\"";
    }
    throw MethodFailure{kSecIllegalMessage, eap::EAP_E_AUTHENTICATION_FAILED,
                        std::string("The ") + options_.methodName + " tunnel failed: " + why,
                        std::string()};
  }
  SecureZero(buffer, sizeof(buffer));
}

std::vector<std::uint8_t> TlsEngine::TakeOutgoing() {
  std::vector<std::uint8_t> out;
  out.swap(outgoing_);
  return out;
}

void TlsEngine::HelloRandoms(std::uint8_t client[32], std::uint8_t server[32]) const {
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
