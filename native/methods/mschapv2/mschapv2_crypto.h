// The MS-CHAPv2 computations (RFC 2759 §8) and its MPPE keys (RFC 3079 §3), over the digests
// and DES of crypto/digest.h. Peer and authenticator both use them; each throws MethodFailure
// when the system crypto library fails.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../common/byte_span.h"

namespace eaphost {
namespace mschapv2 {

constexpr std::size_t kChallengeSize = 16;
constexpr std::size_t kPasswordHashSize = 16;
constexpr std::size_t kNtResponseSize = 24;
constexpr std::size_t kAuthenticatorResponseSize = 20;
constexpr std::size_t kMasterKeySize = 16;
constexpr std::size_t kSessionKeySize = 16;  // 128-bit MPPE keys
constexpr std::size_t kMskSize = 2 * kSessionKeySize;

// NtPasswordHash: MD4 of the password in UTF-16LE; `password` is UTF-8 (invalid sequences
// count as U+FFFD, as everywhere else in the project).
void NtPasswordHash(ByteSpan password, std::uint8_t out[kPasswordHashSize]);

// The user name RFC 2759 hashes: any "DOMAIN\" prefix removed (as Windows, hostapd and
// FreeRADIUS do).
ByteSpan UserNameForHash(ByteSpan name);

// ChallengeResponse (§8.5; RFC 2433 §A.5 for MS-CHAP version 1): the 8-byte challenge
// DES-encrypted under the password hash, zero-padded to 21 bytes, as three keys.
void ChallengeResponse(const std::uint8_t challenge[8],
                       const std::uint8_t passwordHash[kPasswordHashSize],
                       std::uint8_t out[kNtResponseSize]);

// GenerateNTResponse (§8.1) from the password hash.
void NtResponse(const std::uint8_t authenticatorChallenge[kChallengeSize],
                const std::uint8_t peerChallenge[kChallengeSize], ByteSpan userName,
                const std::uint8_t passwordHash[kPasswordHashSize],
                std::uint8_t out[kNtResponseSize]);

// GenerateAuthenticatorResponse (§8.7), the 20 bytes behind "S=".
void AuthenticatorResponse(const std::uint8_t passwordHash[kPasswordHashSize],
                           const std::uint8_t ntResponse[kNtResponseSize],
                           const std::uint8_t peerChallenge[kChallengeSize],
                           const std::uint8_t authenticatorChallenge[kChallengeSize],
                           ByteSpan userName, std::uint8_t out[kAuthenticatorResponseSize]);

// The MSK as hostapd and FreeRADIUS derive it (RFC 3079 §3.4 with 128-bit keys): the key the
// peer sends with (= the server receives with) followed by the key the peer receives with. The
// same 32 bytes on both sides.
void Msk(const std::uint8_t passwordHash[kPasswordHashSize],
         const std::uint8_t ntResponse[kNtResponseSize], std::uint8_t out[kMskSize]);

}  // namespace mschapv2
}  // namespace eaphost
