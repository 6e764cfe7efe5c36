// The decisions behind a Windows store key (tls_store_key_win32.cc), made from the values the
// Windows calls return and nothing else: which hash a PKCS#1 v1.5 signature names to CNG, whether
// the key's provider makes the RSA-PSS signatures TLS 1.3 requires, and whose CurrentUser store
// a look-up may open. Pure and portable, so the rules are checked on any OS with the raw values
// Windows documents (test/linux/store-key-rules.test.ts); never a Windows or GnuTLS call here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace eaphost {
namespace tls {

// The hashes a store key signs over; kMd5Sha1 is TLS 1.0/1.1's 36-byte MD5 || SHA-1, which
// names no algorithm (CNG: pszAlgId NULL).
enum class StoreHash { kUnknown, kMd5Sha1, kSha1, kSha256, kSha384, kSha512 };

inline std::size_t StoreHashSize(StoreHash hash) {
  switch (hash) {
    case StoreHash::kMd5Sha1: return 36;
    case StoreHash::kSha1: return 20;
    case StoreHash::kSha256: return 32;
    case StoreHash::kSha384: return 48;
    case StoreHash::kSha512: return 64;
    default: return 0;
  }
}

// What a PKCS#1 v1.5 signature is made over: the bare hash, `offset` bytes into the input, and
// the algorithm CNG must be told (BCRYPT_PKCS1_PADDING_INFO.pszAlgId), so the provider writes
// the DigestInfo itself. TPM keys and some smart-card drivers refuse a NULL pszAlgId with a
// DigestInfo as the "hash".
struct Pkcs1Input {
  StoreHash hash = StoreHash::kUnknown;  // kUnknown: the input is nothing a store key signs
  std::size_t offset = 0;
  std::size_t size = 0;
};

// RFC 8017 9.2 note 1: the DER prefix of each hash's DigestInfo, its value following.
struct DigestInfoPrefix {
  StoreHash hash;
  unsigned char length;
  unsigned char bytes[19];
};
constexpr DigestInfoPrefix kDigestInfoPrefixes[] = {
    {StoreHash::kSha1, 15, {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14}},
    {StoreHash::kSha256, 19, {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}},
    {StoreHash::kSha384, 19, {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}},
    {StoreHash::kSha512, 19, {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40}},
};

// `schemeHash` is the hash the TLS signature scheme names, or kUnknown when GnuTLS hands the
// input over unnamed (GNUTLS_SIGN_RSA_RAW): a DigestInfo in TLS 1.2, MD5 || SHA-1 before it.
inline Pkcs1Input Pkcs1InputOf(StoreHash schemeHash, const std::uint8_t* input, std::size_t size) {
  Pkcs1Input out;
  if (input == nullptr) return out;
  if (schemeHash != StoreHash::kUnknown) {
    if (size == StoreHashSize(schemeHash)) out = Pkcs1Input{schemeHash, 0, size};
    return out;
  }
  for (const DigestInfoPrefix& prefix : kDigestInfoPrefixes) {
    const std::size_t hashSize = StoreHashSize(prefix.hash);
    if (size == prefix.length + hashSize && std::memcmp(input, prefix.bytes, prefix.length) == 0) {
      return Pkcs1Input{prefix.hash, prefix.length, hashSize};
    }
  }
  if (size == StoreHashSize(StoreHash::kMd5Sha1)) out = Pkcs1Input{StoreHash::kMd5Sha1, 0, size};
  return out;
}

// The key storage a store key lives in, from its provider's name (NCRYPT_NAME_PROPERTY of the
// provider, or CryptoAPI when CryptAcquireCertificatePrivateKey handed out an HCRYPTPROV).
enum class StoreProvider { kCryptoApi, kSoftware, kPlatform, kSmartCard, kOther };

constexpr char kSoftwareProviderName[] = "Microsoft Software Key Storage Provider";  // MS_KEY_STORAGE_PROVIDER
constexpr char kPlatformProviderName[] = "Microsoft Platform Crypto Provider";       // MS_PLATFORM_KEY_STORAGE_PROVIDER
constexpr char kSmartCardProviderName[] = "Microsoft Smart Card Key Storage Provider";  // MS_SMART_CARD_KEY_STORAGE_PROVIDER

template <typename Char>
bool SameName(const Char* name, const char* ascii) {
  std::size_t i = 0;
  for (; ascii[i] != '\0'; ++i) {
    if (name[i] != static_cast<Char>(static_cast<unsigned char>(ascii[i]))) return false;
  }
  return name[i] == Char(0);
}

// Provider names compare exactly, as ncrypt.h spells them.
template <typename Char>
StoreProvider StoreProviderNamed(const Char* name) {
  if (name == nullptr) return StoreProvider::kOther;
  if (SameName(name, kSoftwareProviderName)) return StoreProvider::kSoftware;
  if (SameName(name, kPlatformProviderName)) return StoreProvider::kPlatform;
  if (SameName(name, kSmartCardProviderName)) return StoreProvider::kSmartCard;
  return StoreProvider::kOther;
}

// The Platform Crypto Provider's "PSS Salt Size" key property (NCRYPT_PCP_PSS_SALT_SIZE_PROPERTY):
// the salt its TPM uses for RSA-PSS.
constexpr std::uint32_t kTpmPssSaltUnknown = 0;   // NCRYPT_TPM_PSS_SALT_SIZE_UNKNOWN
constexpr std::uint32_t kTpmPssSaltMaximum = 1;   // NCRYPT_TPM_PSS_SALT_SIZE_MAXIMUM
constexpr std::uint32_t kTpmPssSaltHashSize = 2;  // NCRYPT_TPM_PSS_SALT_SIZE_HASHSIZE

// Whether the key makes TLS 1.3's RSA-PSS (salt = hash length, RFC 8446 4.2.3), and why not.
enum class PssSupport { kSigns, kCryptoApi, kTpmMaximumSalt, kTpmSaltUnknown, kProviderUnknown };

// `saltRule` is the PCP property's value when `saltRuleRead`. The Microsoft Software KSP signs
// PSS with the salt it is given; a TPM only with the salt its property names; of a smart card's
// or another vendor's provider nothing says which salt it uses, so PSS is not offered there.
inline PssSupport StorePssSupport(StoreProvider provider, bool saltRuleRead, std::uint32_t saltRule) {
  switch (provider) {
    case StoreProvider::kSoftware: return PssSupport::kSigns;
    case StoreProvider::kCryptoApi: return PssSupport::kCryptoApi;
    case StoreProvider::kPlatform:
      if (!saltRuleRead || saltRule == kTpmPssSaltUnknown) return PssSupport::kTpmSaltUnknown;
      return saltRule == kTpmPssSaltHashSize ? PssSupport::kSigns
             : saltRule == kTpmPssSaltMaximum ? PssSupport::kTpmMaximumSalt
                                              : PssSupport::kTpmSaltUnknown;
    default: return PssSupport::kProviderUnknown;
  }
}

// Why the peer offers TLS 1.2 at most with this key, for refusals and failures; empty when it
// signs RSA-PSS.
inline const char* PssRefusalText(PssSupport support) {
  switch (support) {
    case PssSupport::kCryptoApi:
      return "a key only CryptoAPI can use (CryptSignHash), which cannot make the RSA-PSS signatures TLS 1.3 requires";
    case PssSupport::kTpmMaximumSalt:
      return "a TPM key (Microsoft Platform Crypto Provider) whose RSA-PSS uses the maximum salt (PSS Salt Size 1), "
             "not the hash-length salt TLS 1.3 requires";
    case PssSupport::kTpmSaltUnknown:
      return "a TPM key (Microsoft Platform Crypto Provider) that does not say it signs RSA-PSS with the hash-length "
             "salt TLS 1.3 requires (PSS Salt Size absent or 0)";
    case PssSupport::kProviderUnknown:
      return "a key whose provider (a smart card's or another vendor's) does not say it signs RSA-PSS with the "
             "hash-length salt TLS 1.3 requires";
    default: return "";
  }
}

// Whose store a CurrentUser look-up opens. The real EapHost runs methods in its service, as
// LocalSystem, and passes the user's token to EapPeerBeginSession: the look-up impersonates it.
// Without a token (machine authentication, or a host that passes none) a process of the user's
// own opens its own store; LocalSystem's CurrentUser store is the service account's, never the
// user's, so the look-up is refused there instead of finding nothing or the wrong certificate.
// A LocalMachine store is the process's to open, token or not (a user may not read machine keys).
enum class StoreUser { kProcess, kImpersonate, kRefuseService };

inline StoreUser StoreUserFor(bool currentUserStore, bool haveToken, bool processIsLocalSystem) {
  if (!currentUserStore) return StoreUser::kProcess;
  if (haveToken) return StoreUser::kImpersonate;
  return processIsLocalSystem ? StoreUser::kRefuseService : StoreUser::kProcess;
}

// The credential cache's part for a store key opened as a user's token: the user's SID (its bytes,
// whose length they carry) and the token's logon session, TOKEN_STATISTICS.AuthenticationId's
// LowPart and HighPart, little-endian. Smart-card PIN and DPAPI caches are per logon session: a
// second session of the same user (console and RDP), or a new logon while credentials are kept,
// must sign with its own token, never the one that built the cached credentials.
inline std::string StoreUserCacheKey(const std::string& sid, std::uint32_t sessionLow, std::uint32_t sessionHigh) {
  if (sid.empty()) return std::string();
  std::string key = sid;
  for (std::uint32_t part : {sessionLow, sessionHigh}) {
    for (int shift = 0; shift < 32; shift += 8) key.push_back(static_cast<char>((part >> shift) & 0xffu));
  }
  return key;
}

}  // namespace tls
}  // namespace eaphost
