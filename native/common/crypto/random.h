// Unpredictable bytes from the operating system's RNG (getrandom/getentropy on POSIX,
// BCryptGenRandom on Windows) for challenges a peer must not be able to guess or replay.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eaphost {

// False when the OS RNG fails; the caller must then not send a challenge at all.
bool FillRandom(std::uint8_t* out, std::size_t size);

}  // namespace eaphost
