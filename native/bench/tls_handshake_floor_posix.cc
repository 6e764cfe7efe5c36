// GnuTLS's own full-handshake loop (tls_handshake_floor.h): what the TLS methods' handshake
// cannot go below on this machine with this library. Everything a handshake does not need is
// made once, as a server and a client that meant to be fast would: the credentials, the
// priority cache. Per handshake: two sessions, the records between them, nothing else — no
// tickets (the bench resumes nothing), no verification callback, no keying-material export.
#include <gnutls/gnutls.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "promise_worker.h"
#include "tls_handshake_floor.h"

namespace eaphost {

namespace {

struct FloorInput {
  std::string serverCertificate, serverKey, ca, priority, serverName, clientCertificate, clientKey;
  uint32_t count = 0;
};

struct FloorResult {
  uint32_t handshakes = 0;
  double elapsedMs = 0, cpuMs = 0;
  std::string description;  // GnuTLS's summary: version, key exchange, signature, cipher
};

void Must(int rc, const char* call) {
  if (rc < 0) throw std::runtime_error(std::string(call) + ": " + gnutls_strerror(rc));
}

gnutls_datum_t Datum(const std::string& text) {
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())), static_cast<unsigned int>(text.size())};
}

// One direction of the in-memory transport: what one end pushed and the other has not read.
struct Pipe {
  std::vector<unsigned char> bytes;
  std::size_t read = 0;
};

struct End {
  gnutls_session_t session = nullptr;
  Pipe* in = nullptr;
  Pipe* out = nullptr;
  bool done = false;
  ~End() {
    if (session != nullptr) gnutls_deinit(session);
  }
};

ssize_t Push(gnutls_transport_ptr_t context, const void* data, size_t size) {
  Pipe* out = static_cast<End*>(context)->out;
  const auto* bytes = static_cast<const unsigned char*>(data);
  out->bytes.insert(out->bytes.end(), bytes, bytes + size);
  return static_cast<ssize_t>(size);
}

ssize_t Pull(gnutls_transport_ptr_t context, void* data, size_t size) {
  End* end = static_cast<End*>(context);
  Pipe* in = end->in;
  std::size_t available = in->bytes.size() - in->read;
  if (available == 0) {
    gnutls_transport_set_errno(end->session, EAGAIN);
    return -1;
  }
  std::size_t count = available < size ? available : size;
  std::memcpy(data, in->bytes.data() + in->read, count);
  in->read += count;
  if (in->read == in->bytes.size()) {
    in->bytes.clear();
    in->read = 0;
  }
  return static_cast<ssize_t>(count);
}

int PullTimeout(gnutls_transport_ptr_t context, unsigned int) {
  Pipe* in = static_cast<End*>(context)->in;
  return in->bytes.size() > in->read ? 1 : 0;
}

void Start(End* end, unsigned int flags, gnutls_priority_t priority, gnutls_certificate_credentials_t credentials) {
  Must(gnutls_init(&end->session, flags | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS), "gnutls_init");
  Must(gnutls_priority_set(end->session, priority), "gnutls_priority_set");
  Must(gnutls_credentials_set(end->session, GNUTLS_CRD_CERTIFICATE, credentials), "gnutls_credentials_set");
  gnutls_transport_set_ptr(end->session, end);
  gnutls_transport_set_push_function(end->session, Push);
  gnutls_transport_set_pull_function(end->session, Pull);
  gnutls_transport_set_pull_timeout_function(end->session, PullTimeout);
}

// Steps the end's handshake as far as the records queued for it allow.
void Step(End* end) {
  if (end->done) return;
  int rc = gnutls_handshake(end->session);
  if (rc == GNUTLS_E_SUCCESS) {
    end->done = true;
  } else if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED) {
    Must(rc, "gnutls_handshake");
  }
}

class Credentials {
 public:
  Credentials() { Must(gnutls_certificate_allocate_credentials(&credentials_), "gnutls_certificate_allocate_credentials"); }
  ~Credentials() { gnutls_certificate_free_credentials(credentials_); }
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;
  gnutls_certificate_credentials_t get() const { return credentials_; }

 private:
  gnutls_certificate_credentials_t credentials_ = nullptr;
};

class Priority {
 public:
  explicit Priority(const std::string& text) { Must(gnutls_priority_init(&priority_, text.c_str(), nullptr), "gnutls_priority_init"); }
  ~Priority() { gnutls_priority_deinit(priority_); }
  Priority(const Priority&) = delete;
  Priority& operator=(const Priority&) = delete;
  gnutls_priority_t get() const { return priority_; }

 private:
  gnutls_priority_t priority_ = nullptr;
};

FloorResult RunFloor(const FloorInput& in) {
  const bool mutual = !in.clientCertificate.empty();
  Credentials server, client;
  gnutls_datum_t cert = Datum(in.serverCertificate), key = Datum(in.serverKey), ca = Datum(in.ca);
  Must(gnutls_certificate_set_x509_key_mem2(server.get(), &cert, &key, GNUTLS_X509_FMT_PEM, nullptr, 0),
       "server certificate");
  // The peer's trust anchors, loaded as the method does; never consulted: no verification.
  Must(gnutls_certificate_set_x509_trust_mem(client.get(), &ca, GNUTLS_X509_FMT_PEM), "client CA");
  if (mutual) {
    gnutls_datum_t clientCert = Datum(in.clientCertificate), clientKey = Datum(in.clientKey);
    Must(gnutls_certificate_set_x509_key_mem2(client.get(), &clientCert, &clientKey, GNUTLS_X509_FMT_PEM, nullptr, 0),
         "client certificate");
    Must(gnutls_certificate_set_x509_trust_mem(server.get(), &ca, GNUTLS_X509_FMT_PEM), "server CA");
  }
  Priority priority(in.priority);
  FloorResult result;
  const double cpuStart = ThreadCpuMs();
  const auto start = std::chrono::steady_clock::now();
  for (uint32_t i = 0; i < in.count; ++i) {
    Pipe toServer, toClient;
    End clientEnd, serverEnd;
    clientEnd.in = &toClient;
    clientEnd.out = &toServer;
    serverEnd.in = &toServer;
    serverEnd.out = &toClient;
#if GNUTLS_VERSION_NUMBER >= 0x030600
    // One key share, for the first group, as the method's peer sends it.
    Start(&clientEnd, GNUTLS_CLIENT | GNUTLS_KEY_SHARE_TOP, priority.get(), client.get());
#else
    Start(&clientEnd, GNUTLS_CLIENT, priority.get(), client.get());
#endif
    Start(&serverEnd, GNUTLS_SERVER, priority.get(), server.get());
    if (!in.serverName.empty()) {
      gnutls_server_name_set(clientEnd.session, GNUTLS_NAME_DNS, in.serverName.data(), in.serverName.size());
    }
    if (mutual) gnutls_certificate_server_set_request(serverEnd.session, GNUTLS_CERT_REQUIRE);
    for (int flight = 0; flight < 16 && !(clientEnd.done && serverEnd.done); ++flight) {
      Step(&clientEnd);
      Step(&serverEnd);
    }
    if (!(clientEnd.done && serverEnd.done)) throw std::runtime_error("the handshake made no progress in 16 flights");
    if (i == 0) {
      char* description = gnutls_session_get_desc(serverEnd.session);
      if (description != nullptr) result.description = description;
      gnutls_free(description);
    }
    ++result.handshakes;
  }
  result.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  result.cpuMs = ThreadCpuMs() - cpuStart;
  return result;
}

std::string StringField(Napi::Object options, const char* name) {
  Napi::Value value = options.Get(name);
  return value.IsString() ? value.As<Napi::String>().Utf8Value() : std::string();
}

}  // namespace

double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

Napi::Value TlsHandshakeFloor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "options must be an object");
  Napi::Object options = info[0].As<Napi::Object>();
  FloorInput input;
  input.serverCertificate = StringField(options, "serverCertificate");
  input.serverKey = StringField(options, "serverKey");
  input.ca = StringField(options, "ca");
  input.priority = StringField(options, "priority");
  input.serverName = StringField(options, "serverName");
  input.clientCertificate = StringField(options, "clientCertificate");
  input.clientKey = StringField(options, "clientKey");
  input.count = options.Get("count").ToNumber().Uint32Value();
  if (input.serverCertificate.empty() || input.serverKey.empty() || input.ca.empty() || input.priority.empty()) {
    throw Napi::TypeError::New(env, "serverCertificate, serverKey, ca and priority are required");
  }
  if (input.clientCertificate.empty() != input.clientKey.empty()) {
    throw Napi::TypeError::New(env, "clientCertificate and clientKey go together");
  }
  return PromiseWorker<FloorResult>::Start(
      env, [input = std::move(input)] { return RunFloor(input); },
      [](Napi::Object out, const FloorResult& result) {
        out.Set("handshakes", result.handshakes);
        out.Set("elapsedMs", result.elapsedMs);
        out.Set("cpuMs", result.cpuMs);
        out.Set("negotiated", result.description);
        out.Set("gnutlsVersion", gnutls_check_version(nullptr));
      });
}

}  // namespace eaphost
