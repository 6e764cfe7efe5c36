// The interactive-UI half of the configuration API: the three Invoke*UI calls and the
// interactive-UI input-field queries. Showing a window needs a single-threaded apartment: each
// Invoke*UI runs on a thread of its own (STA on Windows) and settles from there, so the host
// thread goes on serving every other session while a dialog is open (RunOnUiThread).

#if defined(_WIN32)
#include <objbase.h>
#endif

#include "../../common/utf16.h"
#include "../generated/exports.h"
#include "eap_config_convert.h"
#include "eaphost_call.h"
#include "../../platform/eaphost_memory.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {
namespace config_binding {

namespace {

// EAPHOST_PEER_API_VERSION: the dwVersion both interactive-UI queries' pages document.
constexpr eap::DWORD kEapHostPeerApiVersion = 1;

// The answer to a request is its response type (EAP_INTERACTIVE_UI_DATA_TYPE pairs each *Req
// with the *Resp after it): EapCredReq -> EapCredResp, and so on. A response type stays.
eap::EAP_INTERACTIVE_UI_DATA_TYPE AnswerType(int32_t type) {
  return static_cast<eap::EAP_INTERACTIVE_UI_DATA_TYPE>(type % 2 == 0 ? type + 1 : type);
}

// An Invoke*UI call, where a window may be shown: on a thread of its own (a single-threaded
// apartment on Windows, as dialogs need), never on the host thread, so an open dialog stalls
// no session, and never on the JS thread. The configuration API needs no EapHostPeerInitialize:
// the instance is held only so its library stays loaded while the dialog is open. The promise
// settles through the host thread's gate; a dialog still open when the environment goes
// completes into nothing (HostThread::Gate). Elsewhere the portable library refuses at once.
template <typename Output, typename Work, typename Settle>
Napi::Promise RunOnUiThread(Napi::Env env, NativeHandleArg host, const char* call, Work work, Settle settle) {
  auto instance = UnwrapFor<EapHostInstance>(env, host, call);
  return RunOnOwnThread<Output>(
      env, call,
      [instance, call, work = std::move(work)](Output* out, EapErrorInfo* error) mutable {
#if defined(_WIN32)
        // Left after the call's seam is gone, however the work ends.
        struct Apartment {
          HRESULT entered = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
          ~Apartment() {
            if (SUCCEEDED(entered)) CoUninitialize();
          }
        } apartment;
#endif
        if (!instance->RequireOpen(call, error)) return false;
        EapHostCall seam(*instance, 0, call);
        return work(seam, out, error);
      },
      std::move(settle));
}

// The parent window of an Invoke*UI call.
eap::HWND WindowOf(uintptr_t parentWindow) { return reinterpret_cast<eap::HWND>(parentWindow); }

}  // namespace

}  // namespace config_binding

using namespace config_binding;  // the calls below use its conversions

Napi::Value seam::EapHostQueryInteractiveUIInputFields(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerQueryInteractiveUIInputFieldsArgs args = ReadEapHostPeerQueryInteractiveUIInputFieldsArgs(object);
  return CallOn<EapHostInstance, UiData>(
      object.Env(), args.host, "EapHostPeerQueryInteractiveUIInputFields",
      [context = std::move(args.uiContext), flags = args.flags](EapHostCall& host, UiData* out,
                                                                EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryInteractiveUIInputFields";
        eap::EAP_INTERACTIVE_UI_DATA data{};
        eap::EAP_ERROR* eapError = nullptr;
        void* reserved = nullptr;
        eap::DWORD rc = host.api().EapHostPeerQueryInteractiveUIInputFields(
            kEapHostPeerApiVersion, flags, static_cast<eap::DWORD>(context.size()), DataOf(context), &data, &eapError, &reserved);
        out->type = data.dwDataType;
        if (rc == eap::kErrorSuccess && data.pbUiData.credData != nullptr) {
          if (IsExpiry(data.dwDataType)) {
            out->fields = CopyFieldsOut(data.pbUiData.credExpiryData->curCreds);
            out->newFields = CopyFieldsOut(data.pbUiData.credExpiryData->newCreds);
          } else {
            out->fields = CopyFieldsOut(*data.pbUiData.credData);
          }
        }
        // Its page: the caller frees the inner pointers, innermost first. The field strings
        // (the password among them) are wiped as they go.
        if (data.pbUiData.credData != nullptr) {
          if (IsExpiry(data.dwDataType)) {
            FreeInputFields(host.api(), &data.pbUiData.credExpiryData->curCreds);
            FreeInputFields(host.api(), &data.pbUiData.credExpiryData->newCreds);
          } else {
            FreeInputFields(host.api(), data.pbUiData.credData);
          }
          ConfigMemoryOwner(host.api(), data.pbUiData.credData).reset();
        }
        return ConfigCheck(host.instance(), rc, eapError, kCall, error);
      },
      [](Napi::Env env, UiData& data) { return UiDataToJs(env, data); });
}

Napi::Value seam::EapHostQueryUIBlobFromInteractiveUIInputFields(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerQueryUIBlobFromInteractiveUIInputFieldsArgs args = ReadEapHostPeerQueryUIBlobFromInteractiveUIInputFieldsArgs(object);
  auto data = std::make_shared<UiData>(UiDataValue(object.Env(), args.data.Unread()));
  return CallOn<EapHostInstance, Bytes>(
      object.Env(), args.host, "EapHostPeerQueryUIBlobFromInteractiveUIInputFields",
      [context = std::move(args.uiContext), data, flags = args.flags](EapHostCall& host, Bytes* out,
                                                                      EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryUIBlobFromInteractiveUIInputFields";
        FieldArray current(data->fields), next(data->newFields);
        eap::EAP_CRED_EXPIRY_REQ expiry{current.array, next.array};
        eap::EAP_INTERACTIVE_UI_DATA ui{};
        ui.dwVersion = kEapHostPeerApiVersion;
        ui.dwSize = sizeof(ui);
        ui.dwDataType = AnswerType(data->type);
        if (IsExpiry(data->type)) {
          ui.cbUiData = sizeof(expiry);
          ui.pbUiData.credExpiryData = &expiry;
        } else {
          ui.cbUiData = sizeof(current.array);
          ui.pbUiData.credData = &current.array;
        }
        ConfigBuffer blob;
        void* reserved = nullptr;
        eap::DWORD rc = host.api().EapHostPeerQueryUIBlobFromInteractiveUIInputFields(
            kEapHostPeerApiVersion, flags, static_cast<eap::DWORD>(context.size()), DataOf(context), &ui, &blob.size,
            &blob.data, &blob.eapError, &reserved);
        WipeFields(&data->fields);
        WipeFields(&data->newFields);
        return blob.Take(host.instance(), rc, kCall, out, error);
      },
      SettleBytes);
}

Napi::Value seam::EapHostInvokeConfigUI(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerInvokeConfigUIArgs args = ReadEapHostPeerInvokeConfigUIArgs(object);
  return RunOnUiThread<Bytes>(
      object.Env(), args.host, "EapHostPeerInvokeConfigUI",
      [parent = WindowOf(args.parentWindow), type = args.methodType, config = std::move(args.config),
       flags = args.flags](EapHostCall& host, Bytes* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerInvokeConfigUI";
        ConfigBuffer blob;
        eap::DWORD rc = host.api().EapHostPeerInvokeConfigUI(parent, flags, type, static_cast<eap::DWORD>(config.size()),
                                                             DataOf(config), &blob.size, &blob.data, &blob.eapError);
        Wipe(&config);
        return blob.Take(host.instance(), rc, kCall, out, error);
      },
      SettleBytes);
}

namespace config_binding {

namespace {
struct IdentityOut {
  std::u16string identity;
  Bytes userData;
};
}  // namespace

}  // namespace config_binding

Napi::Value seam::EapHostInvokeIdentityUI(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerInvokeIdentityUIArgs args = ReadEapHostPeerInvokeIdentityUIArgs(object);
  return RunOnUiThread<IdentityOut>(
      object.Env(), args.host, "EapHostPeerInvokeIdentityUI",
      [parent = WindowOf(args.parentWindow), type = args.methodType, config = std::move(args.config),
       userData = std::move(args.userData), flags = args.flags](EapHostCall& host, IdentityOut* out,
                                                                EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerInvokeIdentityUI";
        ConfigBuffer blob;
        eap::LPWSTR identity = nullptr;
        void* reserved = nullptr;
        eap::DWORD rc = host.api().EapHostPeerInvokeIdentityUI(
            0, type, flags, parent, static_cast<eap::DWORD>(config.size()), DataOf(config),
            static_cast<eap::DWORD>(userData.size()), DataOf(userData), &blob.size, &blob.data, &identity,
            &blob.eapError, &reserved);
        Wipe(&config);
        Wipe(&userData);
        if (identity != nullptr) {
          out->identity = WideToU16(identity);
          host.api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(identity));
        }
        return blob.Take(host.instance(), rc, kCall, &out->userData, error);
      },
      [](Napi::Env env, IdentityOut& out) {
        EapUiIdentityShapeWriter result(env);
        result.identity(out.identity);
        result.userData(ToBuffer(env, out.userData));
        Wipe(&out.userData);
        return result.Make();
      });
}

Napi::Value seam::EapHostInvokeInteractiveUI(const Napi::CallbackInfo&, Napi::Object object) {
  EapHostPeerInvokeInteractiveUIArgs args = ReadEapHostPeerInvokeInteractiveUIArgs(object);
  return RunOnUiThread<Bytes>(
      object.Env(), args.host, "EapHostPeerInvokeInteractiveUI",
      [parent = WindowOf(args.parentWindow), context = std::move(args.uiContext)](EapHostCall& host, Bytes* out,
                                                                                  EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerInvokeInteractiveUI";
        ConfigBuffer blob;
        eap::DWORD rc = host.api().EapHostPeerInvokeInteractiveUI(parent, static_cast<eap::DWORD>(context.size()),
                                                                  DataOf(context), &blob.size, &blob.data, &blob.eapError);
        return blob.Take(host.instance(), rc, kCall, out, error);
      },
      SettleBytes);
}

}  // namespace eaphost
