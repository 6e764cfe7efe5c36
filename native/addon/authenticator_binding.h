// The embedded authenticator's step, as every binding that drives it reports it
// (authenticatorReceive and the rest, eapHostConverse, eapHostAnswer).
#pragma once

#include <napi.h>

#include "../hosts/authenticator_host.h"

namespace eaphost {

// An outcome (Success/Failure) is final: the authenticator's method session ends in the same
// job, not in another trip to the host thread.
bool FinishIfDone(AuthenticatorHost& host, const AuthenticatorStep& step);
Napi::Value StepToJs(Napi::Env env, AuthenticatorStep& step);

}  // namespace eaphost
