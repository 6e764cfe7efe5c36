// Reading a Windows event log channel, an explicit call:
//   eventLogQuery(EventLogQueryArgs)   event_log.h; the matching records' XML, in order
// It runs on the host thread; elsewhere than Windows it rejects (not supported). lib/ reads the
// records (lib/profile/connect/wired-events.ts): the addon only fetches them.
#include <string>
#include <vector>

#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../../platform/event_log.h"
#include "../runtime/host_call.h"
#include "../runtime/named_args.h"

namespace eaphost {

Napi::Value seam::EventLogQuery(const Napi::CallbackInfo& info, Napi::Object object) {
  EventLogQueryArgs read = ReadEventLogQueryArgs(object);
  if (read.channel.empty() || read.query.empty()) {
    throw Napi::TypeError::New(info.Env(), "channel and query must be non-empty strings");
  }
  if (read.maxEvents == 0 || read.maxEvents > kMaxEventLogRecords) {
    throw Napi::RangeError::New(info.Env(), "maxEvents must be 1.." + std::to_string(kMaxEventLogRecords));
  }
  eaphost::EventLogQuery args{std::move(read.channel), std::move(read.query), read.reverse, read.maxEvents};
  using Records = std::vector<std::string>;
  return RunOnHost<Records>(
      info.Env(), [args](Records* out, EapErrorInfo* error) { return QueryEventLog(args, out, error); },
      [](Napi::Env env, Records& records) {
        Napi::Array out = Napi::Array::New(env, records.size());
        for (size_t i = 0; i < records.size(); ++i) out.Set(static_cast<uint32_t>(i), records[i]);
        return out;
      });
}

}  // namespace eaphost
