#include "tls_ocsp_responder.h"

#include "gnutls_headers.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "../../../common/wait_notice.h"
#include "../tls_errors.h"
#include "tls_gnutls_library.h"
#include "tls_ocsp.h"
#include "tls_ocsp_socket.h"
#include "tls_revocation.h"

namespace eaphost {
namespace tls {

namespace {
constexpr std::size_t kMaxAnswer = 65536;

struct Url {
  std::string host;
  std::string port = "80";
  std::string path = "/";
};

// http://HOST[:PORT][/PATH] only: an OCSP request needs no secrecy (RFC 6960 §A.1 uses HTTP).
bool ParseUrl(const std::string& text, Url* url) {
  static const char kScheme[] = "http://";
  if (text.compare(0, sizeof(kScheme) - 1, kScheme) != 0) return false;
  std::string rest = text.substr(sizeof(kScheme) - 1);
  const std::size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    url->path = rest.substr(slash);
    rest.resize(slash);
  }
  if (!rest.empty() && rest[0] == '[') {  // [IPv6]:port
    const std::size_t close = rest.find(']');
    if (close == std::string::npos) return false;
    url->host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return false;
      url->port = rest.substr(close + 2);
    }
  } else {
    const std::size_t colon = rest.rfind(':');
    url->host = rest.substr(0, colon);
    if (colon != std::string::npos) url->port = rest.substr(colon + 1);
  }
  return !url->host.empty() && !url->port.empty();
}

// POSTs `body` and returns the response body of a 200 answer; `why` says what went wrong.
bool Post(const Url& url, const std::vector<unsigned char>& body, std::vector<unsigned char>* answer, std::string* why) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kOcspResponderTimeoutMs);
  OcspSocket sock;
  if (!sock.Connect(url.host, url.port, deadline, why)) return false;
  std::string request = "POST " + url.path + " HTTP/1.0\r\nHost: " + url.host +
                        "\r\nContent-Type: application/ocsp-request\r\nContent-Length: " + Decimal(body.size()) +
                        "\r\nConnection: close\r\n\r\n";
  request.append(reinterpret_cast<const char*>(body.data()), body.size());
  if (!sock.SendAll(request.data(), request.size(), deadline, why)) return false;
  std::vector<unsigned char> whole;
  for (;;) {
    unsigned char chunk[4096];
    const long n = sock.Receive(chunk, sizeof(chunk), deadline, why);
    if (n < 0) return false;
    if (n == 0) break;
    if (whole.size() + static_cast<std::size_t>(n) > kMaxAnswer) {
      *why = "its answer is over " + Decimal(kMaxAnswer) + " bytes";
      return false;
    }
    whole.insert(whole.end(), chunk, chunk + n);
  }
  static const char kEnd[] = "\r\n\r\n";
  auto end = std::search(whole.begin(), whole.end(), kEnd, kEnd + 4);
  const std::string head(whole.begin(), end);
  if (end == whole.end() || head.compare(0, 5, "HTTP/") != 0 || head.find(' ') == std::string::npos ||
      head.compare(head.find(' ') + 1, 3, "200") != 0) {
    *why = "it answered " + (head.empty() ? std::string("nothing") : "\"" + head.substr(0, head.find('\r')) + "\"");
    return false;
  }
  answer->assign(end + 4, whole.end());
  return true;
}

// What one question to the responder came to: its answer, or why there is none.
struct Asked {
  bool answered = false;
  std::vector<unsigned char> answer;
  std::string why;
};

// How long a failure to get an answer is remembered: conversations asking about the same
// certificate meanwhile are told at once instead of each waiting out the responder again.
constexpr auto kFailureMemory = std::chrono::seconds(5);

// Answers kept until their nextUpdate, by URL, issuer and serial; the one question in flight
// per key, which every conversation asking meanwhile shares; failures, briefly.
struct Cache {
  std::mutex mutex;
  std::map<std::string, std::pair<std::vector<unsigned char>, std::time_t>> answers;
  std::map<std::string, std::shared_future<Asked>> inFlight;
  std::map<std::string, std::pair<std::string, std::chrono::steady_clock::time_point>> failures;
};
Cache& Answers() {
  static Cache* cache = new Cache();  // never destroyed: sessions may end during unload
  return *cache;
}
}  // namespace

bool AskOcspResponder(gnutls_session_t session, gnutls_certificate_credentials_t credentials, const std::string& url,
                      bool failOpen, const char* methodName, MethodFailure* failure) {
  const std::string refused = std::string("The ") + methodName + " client's certificate was refused: ";
  std::vector<OwnedCrt> parsed;
  unsigned int count = 0;
  if (gnutls_certificate_get_peers(session, &count) == nullptr || count == 0) return true;  // verification says so
  if (!ReceivedChain(session, &parsed)) {
    *failure = MethodFailure{kCertUntrustedCa, kEapUserCertRejected, refused + "a certificate of its chain cannot be read",
                             std::string()};
    return false;
  }
  std::vector<gnutls_x509_crt_t> chain;
  for (OwnedCrt& crt : parsed) chain.push_back(crt.crt);
  gnutls_x509_trust_list_t trust = nullptr;
  gnutls_certificate_get_trust_list(credentials, &trust);
  OwnedCrt copy;
  gnutls_x509_crt_t issuer = IssuerOf(chain, 0, trust, &copy.crt);
  if (issuer == nullptr) return true;  // a self-issued certificate: nothing to ask
  unsigned char serial[64];
  size_t serialSize = sizeof(serial);
  if (gnutls_x509_crt_get_serial(chain[0], serial, &serialSize) < 0) serialSize = 0;
  const std::string named = Naming(chain[0], serial, serialSize);
  const std::string source = "the OCSP responder " + url;
  const std::string key = url + '\0' + DistinguishedName(issuer, false) + '\0' + Hex(serial, serialSize);

  auto unreachable = [&](const std::string& why) {
    if (failOpen) return true;
    *failure = MethodFailure{kCryptRevocationOffline, kEapUserCertRejected,
                             refused + named + ": " + source + " cannot say whether it is revoked: " + why,
                             "Start the OCSP responder, or, knowingly, let clients in when it cannot be reached "
                             "(ocspResponderFailOpen, --ocsp-responder-fail-open)"};
    return false;
  };
  std::vector<unsigned char> answer;
  std::shared_future<Asked> shared;
  std::promise<Asked> asking;
  bool asks = false;
  {
    Cache& cache = Answers();
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto found = cache.answers.find(key);
    if (found != cache.answers.end()) {
      if (found->second.second > std::time(nullptr)) {
        answer = found->second.first;
      } else {
        cache.answers.erase(found);
      }
    }
    auto failed = cache.failures.find(key);
    if (answer.empty() && failed != cache.failures.end()) {
      if (failed->second.second > std::chrono::steady_clock::now()) return unreachable(failed->second.first);
      cache.failures.erase(failed);
    }
    if (answer.empty()) {
      auto flying = cache.inFlight.find(key);
      if (flying != cache.inFlight.end()) {
        shared = flying->second;
      } else {
        shared = asking.get_future().share();
        cache.inFlight.emplace(key, shared);
        asks = true;
      }
    }
  }
  // Asking, or waiting for the answer another conversation asked for: a wait of up to the
  // responder's deadline, said first so that a pool running this step lends a thread for others.
  if (answer.empty()) NoticeWaiting();
  if (answer.empty() && asks) {
    // This conversation asks; every other one asking about the certificate meanwhile waits for
    // the same answer (a responder's deadline bounds the wait).
    Asked asked;
    // Whatever happens here, the question leaves the flight and its waiters get an answer.
    struct Landing {
      const std::string& key;
      Asked& asked;
      std::promise<Asked>& asking;
      ~Landing() {
        Cache& cache = Answers();
        {
          std::lock_guard<std::mutex> lock(cache.mutex);
          cache.inFlight.erase(key);
          if (!asked.answered) cache.failures[key] = {asked.why, std::chrono::steady_clock::now() + kFailureMemory};
        }
        asking.set_value(asked);
      }
    } landing{key, asked, asking};
    asked.why = "no answer could be had from it";
    Url parts;
    if (!ParseUrl(url, &parts)) {
      asked.why = "its URL is not http://HOST[:PORT][/PATH]";
    } else {
      gnutls_ocsp_req_t request = nullptr;
      gnutls_datum_t der{nullptr, 0};
      int rc = gnutls_ocsp_req_init(&request) < 0 ? -1 : 0;
      if (rc == 0) {
        rc = gnutls_ocsp_req_add_cert(request, GNUTLS_DIG_SHA1, issuer, chain[0]) < 0 ? -1 : gnutls_ocsp_req_export(request, &der);
        gnutls_ocsp_req_deinit(request);
      }
      if (rc < 0) {
        asked.why = "no OCSP request could be made for it";
      } else {
        std::vector<unsigned char> body(der.data, der.data + der.size);
        TlsLibraryFree(der.data);
        asked.why.clear();
        if (!Post(parts, body, &asked.answer, &asked.why)) {
          asked.answer.clear();
        } else if (asked.answer.empty()) {
          asked.why = "it answered with an empty body";
        } else {
          asked.answered = true;
        }
      }
    }
  }
  if (answer.empty()) {
    const Asked& asked = shared.get();
    if (!asked.answered) return unreachable(asked.why);
    answer = asked.answer;
  }
  const gnutls_datum_t datum{answer.data(), static_cast<unsigned int>(answer.size())};
  const bool good = JudgeOcspResponse(datum, chain[0], issuer, false, source, methodName, failure);
  if (!good && failure->winError != kCertRevoked) return false;
  // A verdict (good, or revoked) is kept until the answer's nextUpdate; one without is asked again.
  gnutls_ocsp_resp_t response = nullptr;
  time_t nextUpdate = -1;
  if (gnutls_ocsp_resp_init(&response) >= 0) {
    if (gnutls_ocsp_resp_import(response, &datum) >= 0) {
      gnutls_ocsp_resp_get_single(response, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &nextUpdate,
                                  nullptr, nullptr);
    }
    gnutls_ocsp_resp_deinit(response);
  }
  if (nextUpdate != static_cast<time_t>(-1)) {
    Cache& cache = Answers();
    std::lock_guard<std::mutex> lock(cache.mutex);
    cache.answers[key] = {answer, nextUpdate};
  }
  return good;
}

}  // namespace tls
}  // namespace eaphost
