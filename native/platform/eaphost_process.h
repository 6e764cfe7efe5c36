// EAPHost's initialization belongs to the process, not to an opened instance: the
// EapHostPeerUninitialize page says it uninitializes *all* EAPHost sessions (and calls
// CoUninitialize), so two instances (or one per worker thread) that each called it on close
// would end each other's sessions. Each loaded EAPHost is initialized once, when its first
// instance opens, and uninitialized when its last one closes; both calls run on one owner
// thread of the process, the thread whose COM apartment EAPHost entered and leaves.
#pragma once

#include "../abi/eap_host_peer_abi.h"
#include "../common/eap_error_info.h"

namespace eaphost {

// One more user of the EAPHost behind `api`: the first one's EapHostPeerInitialize runs on the
// owner thread (the caller waits for it). False with *error when it fails.
bool AcquireEapHostInitialization(const eap::EapHostPeerApi& api, EapErrorInfo* error);
// One user fewer: the last one's EapHostPeerUninitialize runs on the owner thread, which then
// ends. `api` must still be loaded.
void ReleaseEapHostInitialization(const eap::EapHostPeerApi& api);

}  // namespace eaphost
