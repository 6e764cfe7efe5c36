// Handing the memory of ended TLS sessions back to the system. A flood of half-open handshakes
// (each holds a TLS session, a GnuTLS one about 17 KB, until it expires) grows the heap by
// hundreds of megabytes; glibc keeps freed pages for reuse unless asked, so the process would
// stay at its peak long after the flood expired. Every backend's engine counts its sessions.
#pragma once

namespace eaphost {
namespace tls {

// A TLS session was made / ended. On the way down from a peak of many sessions, the freed
// pages go back (malloc_trim) when the live count falls to a quarter of that peak, and once
// more when it reaches zero: a few trims per flood, none while a handful of sessions come and go.
void CountSessionStarted();
void CountSessionEnded();

}  // namespace tls
}  // namespace eaphost
