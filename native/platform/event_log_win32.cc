#include "event_log.h"

#include <windows.h>
#include <winevt.h>

#include <algorithm>
#include <string>

#include "../common/utf16.h"
#include "../hosts/library_os.h"

namespace eaphost {

namespace {

// EvtNext waits this long for a query's records (a query, not a subscription: they are there).
constexpr DWORD kNextTimeoutMs = 10000;
constexpr DWORD kBatch = 16;

std::string Code(DWORD code) { return std::to_string(code); }

// A failed call's error. A call that fails and sets no error (Wine's unimplemented wevtapi does)
// would read as success: it is reported as ERROR_CALL_NOT_IMPLEMENTED, saying so.
EapErrorInfo Failure(const char* call, const std::string& what, const char* why = "") {
  DWORD code = GetLastError();
  if (code != ERROR_SUCCESS) return HostError(code, call, what + why);
  return HostError(ERROR_CALL_NOT_IMPLEMENTED, call,
                   what + ": " + call + " failed and set no error, as an unimplemented stub does");
}

std::wstring WideText(const std::string& utf8) {
  std::u16string text = Utf8ToUtf16(utf8);
  return std::wstring(text.begin(), text.end());
}

// The entry points, resolved from System32's wevtapi.dll for one call and released with it;
// the query's handle and every record's handle are closed whatever happens.
class EventApi {
 public:
  ~EventApi() {
    if (query_ != nullptr && close_ != nullptr) close_(query_);
    if (module_ != nullptr) library_os::CloseLibrary(module_);
  }

  bool Open(EapErrorInfo* error) {
    DWORD code = 0;
    module_ = library_os::OpenSystemLibrary(L"wevtapi.dll", &code);
    if (module_ == nullptr) {
      *error = HostError(code, "LoadLibraryExW", "wevtapi.dll could not be loaded from System32");
      return false;
    }
    return Find(&query_fn_, "EvtQuery", error) && Find(&next_, "EvtNext", error) &&
           Find(&render_, "EvtRender", error) && Find(&close_, "EvtClose", error);
  }

  bool Query(const EventLogQuery& args, EapErrorInfo* error) {
    std::wstring channel = WideText(args.channel);
    std::wstring query = WideText(args.query);
    DWORD flags = EvtQueryChannelPath | (args.reverse ? EvtQueryReverseDirection : EvtQueryForwardDirection);
    query_ = query_fn_(nullptr, channel.c_str(), query.c_str(), flags);
    if (query_ != nullptr) return true;
    DWORD code = GetLastError();
    const char* why = code == ERROR_EVT_CHANNEL_NOT_FOUND ? ": no such channel on this machine"
                      : code == ERROR_EVT_INVALID_QUERY   ? ": Windows refused the query"
                      : code == ERROR_ACCESS_DENIED       ? ": the channel is not readable by this user"
                                                          : "";
    SetLastError(code);
    *error = Failure("EvtQuery", "the event log " + args.channel + " could not be queried", why);
    return false;
  }

  bool Records(eap::DWORD maxEvents, std::vector<std::string>* records, EapErrorInfo* error) {
    while (records->size() < maxEvents) {
      EVT_HANDLE batch[kBatch] = {};
      DWORD want = static_cast<DWORD>(std::min<std::size_t>(kBatch, maxEvents - records->size()));
      DWORD returned = 0;
      if (!next_(query_, want, batch, kNextTimeoutMs, 0, &returned)) {
        if (GetLastError() == ERROR_NO_MORE_ITEMS) return true;
        *error = Failure("EvtNext", "the event log's records could not be read");
        return false;
      }
      bool ok = true;
      for (DWORD i = 0; i < returned && i < kBatch; ++i) {
        if (ok) ok = Render(batch[i], records, error);
        close_(batch[i]);
      }
      if (!ok) return false;
      if (returned == 0) return true;
    }
    return true;
  }

 private:
  template <typename Pointer>
  bool Find(Pointer* target, const char* name, EapErrorInfo* error) {
    return library_os::FindTypedExport(module_, "wevtapi.dll", name, target, error);
  }

  bool Render(EVT_HANDLE record, std::vector<std::string>* records, EapErrorInfo* error) {
    DWORD used = 0;
    DWORD properties = 0;
    // Sizing: the call fails with ERROR_INSUFFICIENT_BUFFER and says how many bytes it needs.
    bool sized = !render_(nullptr, record, EvtRenderEventXml, 0, nullptr, &used, &properties) &&
                 GetLastError() == ERROR_INSUFFICIENT_BUFFER && used != 0;
    if (!sized) {
      if (GetLastError() == ERROR_INSUFFICIENT_BUFFER) SetLastError(ERROR_SUCCESS);
      *error = Failure("EvtRender", "an event record could not be rendered");
      return false;
    }
    if (used > kMaxEventXmlBytes) {
      *error = HostError(ERROR_INVALID_DATA, "EvtRender",
                         "an event record's XML is " + Code(used) + " bytes, more than the " +
                             Code(static_cast<DWORD>(kMaxEventXmlBytes)) + " accepted");
      return false;
    }
    // `used` counts bytes, of UTF-16 units with the terminator.
    std::wstring text(used / sizeof(wchar_t) + 1, L'\0');
    DWORD size = static_cast<DWORD>(text.size() * sizeof(wchar_t));
    if (!render_(nullptr, record, EvtRenderEventXml, size, &text[0], &used, &properties)) {
      *error = Failure("EvtRender", "an event record could not be rendered");
      return false;
    }
    std::size_t length = 0;
    std::size_t units = std::min<std::size_t>(used / sizeof(wchar_t), text.size());
    while (length < units && text[length] != L'\0') ++length;
    records->push_back(Utf16ToUtf8(std::u16string(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(length))));
    return true;
  }

  void* module_ = nullptr;
  EVT_HANDLE query_ = nullptr;
  decltype(&::EvtQuery) query_fn_ = nullptr;
  decltype(&::EvtNext) next_ = nullptr;
  decltype(&::EvtRender) render_ = nullptr;
  decltype(&::EvtClose) close_ = nullptr;
};

}  // namespace

bool QueryEventLog(const EventLogQuery& args, std::vector<std::string>* records, EapErrorInfo* error) {
  EventApi api;
  return api.Open(error) && api.Query(args, error) && api.Records(args.maxEvents, records, error);
}

}  // namespace eaphost
