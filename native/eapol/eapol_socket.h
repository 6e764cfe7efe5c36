// An EAPOL port: a link-layer socket on one interface that receives and sends EtherType 0x888E
// frames, joined to the PAE group address. Linux has it (AF_PACKET, eapol_socket_linux.cc);
// elsewhere OpenEapolSocket fails with kLinuxOnly (eapol_socket_elsewhere.cc).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "eapol_frame.h"

namespace eaphost::eapol {

/** Why a port could not be opened or a frame not sent: a code lib/eapol/errors.ts names, and a message that says how to fix it. */
struct PortError {
  std::string code;
  std::string message;
};

/** What the port saw, counted on the reader thread. */
struct PortCounters {
  std::atomic<uint64_t> received{0};   // well-formed frames handed on
  std::atomic<uint64_t> malformed{0};  // frames that failed ParseFrame (dropped)
  std::atomic<uint64_t> ignored{0};    // our own frames looped back, or frames for another station
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> kernelDrops{0};  // frames the kernel dropped because the socket's queue was full
};

class EapolSocket {
 public:
  /** Called on the port's reader thread with each well-formed frame addressed to us or the PAE group. */
  using FrameSink = std::function<void(const FrameView&)>;

  virtual ~EapolSocket() = default;
  virtual const MacAddress& address() const = 0;
  virtual uint32_t mtu() const = 0;
  /** The counters, kernelDrops brought up to date first. */
  virtual const PortCounters& counters() = 0;
  /** Sends one whole frame; false (and `error` filled) when the kernel refuses it. Never blocks. */
  virtual bool Send(const std::vector<uint8_t>& frame, PortError* error) = 0;
  /** Stops the reader thread (no FrameSink call after it returns) and closes the socket. Idempotent. */
  virtual void Close() = 0;
};

/** Opens the port on `interfaceName`; nullptr with `error` filled when that cannot be done. */
std::unique_ptr<EapolSocket> OpenEapolSocket(const std::string& interfaceName, EapolSocket::FrameSink sink,
                                             PortError* error);

}  // namespace eaphost::eapol
