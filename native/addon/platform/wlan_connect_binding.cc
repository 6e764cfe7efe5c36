// wlanConnect(WlanConnectArgs): { outcome: Promise<WlanConnectOutcome>, cancel() }. The attempt
// runs on a thread of its own (it waits for the network, up to timeoutMs); each notification and
// then the outcome reach JS through one ThreadSafeFunction, in the order they came, so the
// outcome never overtakes a notification. A queue beyond its bound drops notifications (counted
// in the outcome), never the outcome.
#include <atomic>
#include <memory>
#include <string>
#include <system_error>

#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "../runtime/own_thread.h"
#include "../../platform/wlan_connect.h"

namespace eaphost {

namespace {

constexpr size_t kNoticeQueueBound = 256;

// One item through the queue: a notification, or (last) the outcome.
struct Delivery {
  bool final = false;
  WlanNotice notice;
  WlanConnectOutcome outcome;
};

struct Attempt;
void Deliver(Napi::Env env, Napi::Function onNotification, Attempt* attempt, Delivery* delivery);
using DeliveryQueue = Napi::TypedThreadSafeFunction<Attempt, Delivery, Deliver>;

struct Attempt {
  explicit Attempt(Napi::Env env) : deferred(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise::Deferred deferred;
  DeliveryQueue queue;
  WlanConnectControl control;
  std::atomic<uint32_t> dropped{0};
};

Napi::Object NoticeToJs(Napi::Env env, const WlanNotice& notice) {
  WlanNoticeShapeWriter out(env);
  out.source(notice.source);
  out.code(notice.code);
  out.name(notice.name);
  if (notice.hasConnection) {
    out.profileName(notice.profileName);
    out.wlanReasonCode(notice.wlanReasonCode);
  }
  if (notice.hasOnexStatus) {
    out.authStatus(notice.authStatus);
    out.onexReason(notice.onexReason);
    out.onexError(notice.onexError);
    out.backendEngaged(notice.backendEngaged);
  }
  if (notice.hasEapError) {
    WlanEapErrorWriter eap = out.eapError();
    eap.winError(notice.eapWinError);
    eap.reasonCode(notice.eapReasonCode);
    eap.type(notice.eapType);
    eap.authorId(notice.eapAuthorId);
    if (!notice.rootCause.empty()) eap.rootCause(notice.rootCause);
    if (!notice.repair.empty()) eap.repair(notice.repair);
  }
  if (notice.hasRestartReason) out.restartReason(notice.restartReason);
  if (!notice.problem.empty()) out.problem(notice.problem);
  return out.Make();
}

Napi::Object OutcomeToJs(Napi::Env env, const WlanConnectOutcome& outcome, uint32_t dropped) {
  WlanConnectOutcomeShapeWriter out(env);
  if (!outcome.interfaceGuid.empty()) {
    out.interfaceGuid(outcome.interfaceGuid);
    out.interfaceDescription(outcome.interfaceDescription);
  }
  out.completed(outcome.completed);
  if (outcome.completed) out.wlanReasonCode(outcome.wlanReasonCode);
  out.timedOut(outcome.timedOut);
  out.cancelled(outcome.cancelled);
  if (!outcome.call.empty()) {
    out.win32Error(outcome.win32Error);
    out.call(outcome.call);
    out.message(outcome.message);
  }
  out.noInterface(outcome.noInterface);
  out.perUserProfile(outcome.perUserProfile);
  if (outcome.hasSession) out.session(outcome.session);
  out.malformed(outcome.malformed);
  out.ignored(outcome.ignored);
  out.dropped(dropped);
  if (outcome.queried) {
    WlanCurrentConnectionWriter current = out.currentConnection();
    current.win32Error(outcome.queryError);
    if (outcome.hasCurrent) {
      current.state(outcome.currentState);
      current.stateName(outcome.currentStateName);
      current.profileName(outcome.currentProfile);
    }
  }
  out.alreadyConnected(outcome.alreadyConnected);
  return out.Make();
}

void Deliver(Napi::Env env, Napi::Function onNotification, Attempt* attempt, Delivery* delivery) {
  std::unique_ptr<Delivery> owned(delivery);
  // env is null when the environment goes with items still queued: nobody is left to tell.
  if (env == nullptr) return;
  if (owned->final) {
    attempt->deferred.Resolve(OutcomeToJs(env, owned->outcome, attempt->dropped.load()));
    return;
  }
  Napi::Object notice = NoticeToJs(env, owned->notice);
  try {
    onNotification.Call({notice});
  } catch (const Napi::Error&) {
    // A throwing listener loses its own notification, not the attempt.
  }
}

}  // namespace

Napi::Value seam::WlanConnect(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  WlanConnectArgs read = ReadWlanConnectArgs(object);
  if (read.profileName.empty() == read.profileXml.empty()) {
    throw Napi::TypeError::New(env, "wlanConnect takes one of profileName and profileXml");
  }
  auto args = std::make_shared<WlanConnectRequest>();
  args->profileName = std::move(read.profileName);
  args->profileXml = std::move(read.profileXml);
  args->interfaceName = std::move(read.interfaceName);
  args->timeoutMs = read.timeoutMs;

  auto attempt = std::make_shared<Attempt>(env);
  // The queue holds a reference to the attempt until its finalizer runs, after the last item.
  auto* held = new std::shared_ptr<Attempt>(attempt);
  attempt->queue = DeliveryQueue::New(env, read.onNotification, "wlanConnect",
                                      kNoticeQueueBound, 1, attempt.get(),
                                      [held](Napi::Env, void*, Attempt*) { delete held; });
  Attempt* raw = attempt.get();
  try {
    StartOwnThread([args, raw]() {
      WlanNoticeSink sink = [raw](WlanNotice&& notice) {
        auto* delivery = new Delivery();
        delivery->notice = std::move(notice);
        if (raw->queue.NonBlockingCall(delivery) != napi_ok) {
          delete delivery;
          raw->dropped.fetch_add(1);
        }
      };
      auto* final = new Delivery();
      final->final = true;
      RunWlanConnect(*args, raw->control, sink, &final->outcome);
      // Blocking: the outcome waits for room rather than being dropped.
      if (raw->queue.BlockingCall(final) != napi_ok) delete final;
      raw->queue.Release();
    });
  } catch (const std::system_error& e) {
    attempt->queue.Release();
    throw Napi::Error::New(env, std::string("wlanConnect: no thread for the attempt: ") + e.what());
  }
  WlanAttemptShapeWriter shaped(env);
  shaped.outcome(attempt->deferred.Promise());
  Napi::Object out = shaped.Make();
  seam::NativeWlanConnect::AddMethods(env, out, attempt);
  return out;
}

// cancel(): ends the attempt early; its outcome says cancelled.
Napi::Value seam::NativeWlanConnect::Cancel(const Napi::CallbackInfo& info) {
  OwnerOf<Attempt>(info).control.Cancel();
  return info.Env().Undefined();
}

}  // namespace eaphost
