#include "tls_phase2_marks.h"

#include <vector>

#include "tls_credentials.h"

namespace eaphost {
namespace tls {

void MarkPhase2Success(const TlsEngine& engine, std::uint8_t methodType, const std::string& identity) {
  std::vector<std::uint8_t> id;
  const TlsCredentials* credentials = nullptr;
  if (!engine.CachedSessionId(&id, &credentials)) return;
  credentials->MarkPhase2Success(ByteSpan{id.data(), id.size()}, methodType, identity);
}

bool ResumedAfterPhase2(const TlsEngine& engine, std::uint8_t methodType, std::string* identity) {
  if (!engine.resumed()) return false;
  std::vector<std::uint8_t> id;
  const TlsCredentials* credentials = nullptr;
  if (!engine.CachedSessionId(&id, &credentials)) return false;
  return credentials->Phase2Succeeded(ByteSpan{id.data(), id.size()}, methodType, identity);
}

void ForgetCachedSession(const TlsEngine& engine) {
  std::vector<std::uint8_t> id;
  const TlsCredentials* credentials = nullptr;
  if (!engine.CachedSessionId(&id, &credentials)) return;
  credentials->ForgetSession(ByteSpan{id.data(), id.size()});
}

}  // namespace tls
}  // namespace eaphost
