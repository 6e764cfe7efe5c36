// Bindings for EAPHost's configuration API (eappcfg.dll on Windows, the portable EAPHost's
// exports of the same names elsewhere), through the same function table as the runtime.
//
// XML crosses as text: the addon makes the DOM (MSXML 6 on Windows, the portable node
// elsewhere, common/xml_document.h) and reads results back, so one code path serves both.
// Configuration calls run on the host thread (they need no EapHostPeerInitialize); the three
// Invoke*UI calls show windows, which need a single-threaded apartment: on Windows each runs on
// an STA thread of its own that the host thread waits for (never on the MTA host thread, never
// on the JS thread). Results are freed with EapHostPeerFreeMemory, errors with
// EapHostPeerFreeErrorMemory, and buffers that held secrets are wiped.
#include <cstring>
#include <thread>

#if defined(_WIN32)
#include <objbase.h>
#endif

#include "../common/utf16.h"
#include "../common/xml_document.h"
#include "../common/xml_tree.h"
#include "eaphost_instance.h"
#include "js_convert.h"

namespace eaphost {

namespace {

using Instance = std::shared_ptr<EapHostInstance>;

void Wipe(Bytes* bytes) {
  std::fill(bytes->begin(), bytes->end(), 0);
}

struct WipedText {
  std::string text;
  ~WipedText() { std::fill(text.begin(), text.end(), '\0'); }
};

// Copies a configuration-API error and frees it with EapHostPeerFreeErrorMemory.
bool ConfigCheck(const EapHostInstance& host, eap::DWORD rc, eap::EAP_ERROR* eapError, const char* call,
                 EapErrorInfo* error) {
  if (rc == eap::kErrorSuccess && eapError == nullptr) return true;
  EapErrorInfo copied = CopyEapError(eapError, rc, call, ErrorOrigin::kEapHost);
  if (eapError != nullptr) host.api().EapHostPeerFreeErrorMemory(eapError);
  if (rc == eap::kErrorSuccess) return true;
  if (copied.rootCauseString.empty()) {
    copied.rootCauseString = Utf8ToUtf16(std::string(call) + " failed with Win32 error " + std::to_string(rc));
  }
  *error = std::move(copied);
  return false;
}

Bytes TakeConfigBuffer(const EapHostInstance& host, eap::BYTE* data, eap::DWORD size) {
  if (data == nullptr) return Bytes();
  Bytes out(data, data + size);
  std::memset(data, 0, size);  // configuration and user blobs carry keys and passwords
  host.api().EapHostPeerFreeMemory(data);
  return out;
}

const eap::BYTE* DataOf(const Bytes& bytes) { return bytes.empty() ? nullptr : bytes.data(); }
eap::BYTE* DataOf(Bytes& bytes) { return bytes.empty() ? nullptr : bytes.data(); }

EapErrorInfo XmlError(const char* call, const std::string& problem) {
  EapErrorInfo error = HostError(eap::kErrorInvalidData, call, problem);
  error.reasonCode = eap::EAP_E_EAPHOST_XML_MALFORMED;
  return error;
}

// The document element of a new document made from `xml`.
eap::IXMLDOMNode* ElementOf(const std::string& xml, const char* call, EapErrorInfo* error) {
  if (xml.size() > xml::XmlLimits().maxBytes) {
    *error = XmlError(call, "the XML is " + std::to_string(xml.size()) + " bytes, over the " +
                                std::to_string(xml::XmlLimits().maxBytes) + "-byte limit");
    return nullptr;
  }
  std::string problem;
  xml::NodeRef document(xml::MakeDocument(xml, &problem));
  if (document.get() == nullptr) {
    *error = XmlError(call, problem);
    return nullptr;
  }
  eap::IXMLDOMNode* element = xml::DocumentElement(static_cast<eap::IXMLDOMDocument2*>(document.get()), &problem);
  if (element == nullptr) *error = XmlError(call, problem);
  return element;
}

// ---- credential input fields ----------------------------------------------------------------

struct Field {
  int32_t type = 0;
  eap::DWORD flags = 0, minLength = 0, maxLength = 0;
  std::u16string label, data;
};

void WipeFields(std::vector<Field>* fields) {
  for (Field& field : *fields) std::fill(field.data.begin(), field.data.end(), u'\0');
}

std::vector<Field> CopyFieldsOut(const eap::EAP_CONFIG_INPUT_FIELD_ARRAY& array) {
  std::vector<Field> out;
  for (eap::DWORD i = 0; array.pFields != nullptr && i < array.dwNumberOfFields && i < 64; ++i) {
    const eap::EAP_CONFIG_INPUT_FIELD_DATA& f = array.pFields[i];
    out.push_back(Field{f.Type, f.dwFlagProps, f.dwMinDataLength, f.dwMaxDataLength, WideToU16(f.pwszLabel),
                        WideToU16(f.pwszData)});
  }
  return out;
}

// Field arrays built for a call: the structs point into `text`, which is wiped afterwards.
struct FieldArray {
  std::vector<eap::EAP_CONFIG_INPUT_FIELD_DATA> data;
  std::vector<std::vector<eap::WCHAR>> text;
  eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
  explicit FieldArray(const std::vector<Field>& fields) {
    text.reserve(fields.size() * 2);
    auto wide = [this](const std::u16string& s) {
      text.emplace_back(s.begin(), s.end());
      text.back().push_back(0);
      return text.back().data();
    };
    for (const Field& f : fields) {
      eap::EAP_CONFIG_INPUT_FIELD_DATA d{};
      d.dwSize = sizeof(d);
      d.Type = static_cast<eap::EAP_CONFIG_INPUT_FIELD_TYPE>(f.type);
      d.dwFlagProps = f.flags;
      d.pwszLabel = wide(f.label);
      d.pwszData = wide(f.data);
      d.dwMinDataLength = f.minLength;
      d.dwMaxDataLength = f.maxLength;
      data.push_back(d);
    }
    array.dwVersion = eap::EAP_CREDENTIAL_VERSION;
    array.dwNumberOfFields = static_cast<eap::DWORD>(data.size());
    array.pFields = data.empty() ? nullptr : data.data();
  }
  ~FieldArray() {
    for (auto& t : text) std::fill(t.begin(), t.end(), eap::WCHAR{0});
  }
};

std::vector<Field> FieldsArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Env env = info.Env();
  Napi::Value value = info[index];
  if (value.IsUndefined() || value.IsNull()) return {};
  if (!value.IsArray()) throw Napi::TypeError::New(env, std::string(name) + " must be an array of input fields");
  Napi::Array array = value.As<Napi::Array>();
  if (array.Length() > 64) throw Napi::RangeError::New(env, std::string(name) + " has more than 64 fields");
  std::vector<Field> out;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, std::string(name) + " items must be objects");
    Napi::Object o = item.As<Napi::Object>();
    auto number = [&](const char* key) -> eap::DWORD {
      Napi::Value v = o.Get(key);
      if (v.IsUndefined()) return 0;
      if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string(name) + "." + key + " must be a number");
      return static_cast<eap::DWORD>(v.As<Napi::Number>().Int64Value());
    };
    auto text = [&](const char* key) -> std::u16string {
      Napi::Value v = o.Get(key);
      if (v.IsUndefined() || v.IsNull()) return std::u16string();
      if (!v.IsString()) throw Napi::TypeError::New(env, std::string(name) + "." + key + " must be a string");
      return v.As<Napi::String>().Utf16Value();
    };
    Field f;
    f.type = static_cast<int32_t>(number("type"));
    f.flags = number("flags");
    f.minLength = number("minLength");
    f.maxLength = number("maxLength");
    f.label = text("label");
    f.data = text("data");
    out.push_back(std::move(f));
  }
  return out;
}

Napi::Array FieldsToJs(Napi::Env env, const std::vector<Field>& fields) {
  Napi::Array out = Napi::Array::New(env, fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", fields[i].type);
    o.Set("flags", fields[i].flags);
    o.Set("label", ToString(env, fields[i].label));
    o.Set("data", ToString(env, fields[i].data));
    o.Set("minLength", fields[i].minLength);
    o.Set("maxLength", fields[i].maxLength);
    out.Set(static_cast<uint32_t>(i), o);
  }
  return out;
}

// ---- interactive UI data ------------------------------------------------------------------

struct UiData {
  int32_t type = 0;
  std::vector<Field> fields;     // CredReq/Resp, CredLogonReq/Resp
  std::vector<Field> newFields;  // CredExpiryReq/Resp: `fields` are the current credentials
};

bool IsExpiry(int32_t type) { return type == eap::EapCredExpiryReq || type == eap::EapCredExpiryResp; }

UiData UiDataArg(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  if (!info[index].IsObject()) throw Napi::TypeError::New(env, "data must be an EapInteractiveUiData object");
  Napi::Object o = info[index].As<Napi::Object>();
  if (!o.Get("type").IsNumber()) throw Napi::TypeError::New(env, "data.type must be a number");
  UiData data;
  data.type = o.Get("type").As<Napi::Number>().Int32Value();
  if (data.type < eap::EapCredReq || data.type > eap::EapCredLogonResp) throw Napi::RangeError::New(env, "data.type must be 0..5");
  auto fieldsOf = [&](const char* key) {
    Napi::Value v = o.Get(key);
    if (v.IsUndefined()) return std::vector<Field>();
    if (!v.IsArray()) throw Napi::TypeError::New(env, std::string("data.") + key + " must be an array");
    Napi::Array array = v.As<Napi::Array>();
    if (array.Length() > 64) throw Napi::RangeError::New(env, std::string("data.") + key + " has more than 64 fields");
    std::vector<Field> out;
    for (uint32_t i = 0; i < array.Length() && i < 64; ++i) {
      if (!array.Get(i).IsObject()) throw Napi::TypeError::New(env, std::string("data.") + key + " items must be objects");
      Napi::Object f = array.Get(i).As<Napi::Object>();
      Field field;
      field.type = f.Get("type").IsNumber() ? f.Get("type").As<Napi::Number>().Int32Value() : 0;
      field.flags = f.Get("flags").IsNumber() ? f.Get("flags").As<Napi::Number>().Uint32Value() : 0;
      field.minLength = f.Get("minLength").IsNumber() ? f.Get("minLength").As<Napi::Number>().Uint32Value() : 0;
      field.maxLength = f.Get("maxLength").IsNumber() ? f.Get("maxLength").As<Napi::Number>().Uint32Value() : 0;
      if (f.Get("label").IsString()) field.label = f.Get("label").As<Napi::String>().Utf16Value();
      if (f.Get("data").IsString()) field.data = f.Get("data").As<Napi::String>().Utf16Value();
      out.push_back(std::move(field));
    }
    return out;
  };
  data.fields = fieldsOf(IsExpiry(data.type) ? "currentFields" : "fields");
  if (IsExpiry(data.type)) data.newFields = fieldsOf("newFields");
  return data;
}

Napi::Object UiDataToJs(Napi::Env env, const UiData& data) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", data.type);
  if (IsExpiry(data.type)) {
    o.Set("currentFields", FieldsToJs(env, data.fields));
    o.Set("newFields", FieldsToJs(env, data.newFields));
  } else {
    o.Set("fields", FieldsToJs(env, data.fields));
  }
  return o;
}

// ---- the UI thread ------------------------------------------------------------------------

eap::HWND WindowArg(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  Napi::Value value = info[index];
  uint64_t handle = 0;
  if (value.IsBuffer()) {
    auto buffer = value.As<Napi::Buffer<uint8_t>>();
    if (buffer.Length() != sizeof(void*)) {
      throw Napi::RangeError::New(env, "parentWindow must be a " + std::to_string(sizeof(void*)) +
                                           "-byte Buffer (BrowserWindow.getNativeWindowHandle())");
    }
    uintptr_t pointer = 0;
    std::memcpy(&pointer, buffer.Data(), sizeof(pointer));
    handle = pointer;
  } else if (value.IsBigInt()) {
    bool lossless = false;
    handle = value.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless || handle > static_cast<uint64_t>(UINTPTR_MAX)) throw Napi::RangeError::New(env, "parentWindow is out of range");
  } else {
    throw Napi::TypeError::New(env, "parentWindow must be a Buffer (getNativeWindowHandle()) or a bigint");
  }
  return reinterpret_cast<eap::HWND>(static_cast<uintptr_t>(handle));
}

// Runs `call` where a window may be shown: on Windows a thread of its own in a single-threaded
// apartment, which the host thread waits for; elsewhere (no windows, the portable library
// refuses) directly.
template <typename Call>
void RunInUiApartment(Call call) {
#if defined(_WIN32)
  std::thread ui([&call] {
    HRESULT hr = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
    call();
    if (SUCCEEDED(hr)) CoUninitialize();
  });
  ui.join();
#else
  call();
#endif
}

// ---- bindings -------------------------------------------------------------------------------

struct XmlToBlobOut {
  eap::EAP_METHOD_TYPE type{};
  Bytes blob;
  ~XmlToBlobOut() { std::fill(blob.begin(), blob.end(), 0); }
};

Napi::Value XmlToBlobResult(Napi::Env env, XmlToBlobOut& out, const char* key) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("methodType", ToMethodType(env, out.type));
  result.Set(key, ToBuffer(env, out.blob));
  return result;
}

Napi::Value ConfigXml2Blob(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  std::string xml = StringArg(info, 1, "xml");
  eap::DWORD flags = DwordArg(info, 2, "flags");
  return RunOnHost<XmlToBlobOut>(
      info.Env(),
      [instance, xml, flags](XmlToBlobOut* out, EapErrorInfo* error) {
        constexpr const char* kCall = "EapHostPeerConfigXml2Blob";
        if (!instance->RequireOpen(kCall, error)) return false;
        xml::NodeRef node(ElementOf(xml, kCall, error));
        if (node.get() == nullptr) return false;
        eap::DWORD size = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerConfigXml2Blob(flags, node.get(), &size, &blob, &out->type, &eapError);
        out->blob = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, XmlToBlobOut& out) { return XmlToBlobResult(env, out, "config"); });
}

Napi::Value CredentialsXml2Blob(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  auto xml = std::make_shared<WipedText>();
  xml->text = StringArg(info, 1, "xml");
  Bytes config = BytesArg(info, 2, "config");
  eap::DWORD flags = DwordArg(info, 3, "flags");
  return RunOnHost<XmlToBlobOut>(
      info.Env(),
      [instance, xml, config, flags](XmlToBlobOut* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerCredentialsXml2Blob";
        if (!instance->RequireOpen(kCall, error)) return false;
        xml::NodeRef node(ElementOf(xml->text, kCall, error));
        std::fill(xml->text.begin(), xml->text.end(), '\0');
        if (node.get() == nullptr) return false;
        eap::DWORD size = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerCredentialsXml2Blob(
            flags, node.get(), static_cast<eap::DWORD>(config.size()), DataOf(config), &size, &blob, &out->type, &eapError);
        Wipe(&config);
        out->blob = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, XmlToBlobOut& out) { return XmlToBlobResult(env, out, "credentials"); });
}

Napi::Value ConfigBlob2Xml(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  eap::DWORD flags = DwordArg(info, 3, "flags");
  return RunOnHost<std::string>(
      info.Env(),
      [instance, type, config, flags](std::string* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerConfigBlob2Xml";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::IXMLDOMDocument2* document = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerConfigBlob2Xml(flags, type, static_cast<eap::DWORD>(config.size()),
                                                                  DataOf(config), &document, &eapError);
        Wipe(&config);
        xml::NodeRef owned(document);
        if (!ConfigCheck(*instance, rc, eapError, kCall, error)) return false;
        std::string problem;
        if (document == nullptr || !xml::ReadNodeXml(document, xml::XmlLimits().maxBytes, out, &problem)) {
          *error = XmlError(kCall, document == nullptr ? "EAPHost returned no document" : problem);
          return false;
        }
        return true;
      },
      [](Napi::Env env, std::string& xml) { return Napi::String::New(env, xml); });
}

Napi::Value QueryCredentialInputFields(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  eap::DWORD flags = DwordArg(info, 3, "flags");
  return RunOnHost<std::vector<Field>>(
      info.Env(),
      [instance, type, config, flags](std::vector<Field>* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryCredentialInputFields";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerQueryCredentialInputFields(
            nullptr, type, flags, static_cast<eap::DWORD>(config.size()), DataOf(config), &array, &eapError);
        Wipe(&config);
        *out = CopyFieldsOut(array);
        if (array.pFields != nullptr) instance->api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(array.pFields));
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, std::vector<Field>& fields) { return FieldsToJs(env, fields); });
}

Napi::Value QueryUserBlobFromCredentialInputFields(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  auto fields = std::make_shared<std::vector<Field>>(FieldsArg(info, 3, "fields"));
  eap::DWORD flags = DwordArg(info, 4, "flags");
  return RunOnHost<Bytes>(
      info.Env(),
      [instance, type, config, fields, flags](Bytes* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerQueryUserBlobFromCredentialInputFields";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::DWORD size = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc;
        {
          FieldArray array(*fields);
          rc = instance->api().EapHostPeerQueryUserBlobFromCredentialInputFields(
              nullptr, type, flags, static_cast<eap::DWORD>(config.size()), DataOf(config), &array.array, &size, &blob,
              &eapError);
        }
        WipeFields(fields.get());
        Wipe(&config);
        *out = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, Bytes& blob) {
        Napi::Value result = ToBuffer(env, blob);
        Wipe(&blob);
        return result;
      });
}

Napi::Value QueryInteractiveUIInputFields(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  Bytes context = BytesArg(info, 1, "uiContext");
  eap::DWORD flags = DwordArg(info, 2, "flags");
  return RunOnHost<UiData>(
      info.Env(),
      [instance, context, flags](UiData* out, EapErrorInfo* error) {
        constexpr const char* kCall = "EapHostPeerQueryInteractiveUIInputFields";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::EAP_INTERACTIVE_UI_DATA data{};
        eap::EAP_ERROR* eapError = nullptr;
        void* reserved = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerQueryInteractiveUIInputFields(
            0, flags, static_cast<eap::DWORD>(context.size()), DataOf(context), &data, &eapError, &reserved);
        out->type = data.dwDataType;
        if (rc == eap::kErrorSuccess && data.pbUiData.credData != nullptr) {
          if (IsExpiry(data.dwDataType)) {
            out->fields = CopyFieldsOut(data.pbUiData.credExpiryData->curCreds);
            out->newFields = CopyFieldsOut(data.pbUiData.credExpiryData->newCreds);
          } else {
            out->fields = CopyFieldsOut(*data.pbUiData.credData);
          }
        }
        if (data.pbUiData.credData != nullptr) {
          instance->api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(data.pbUiData.credData));
        }
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, UiData& data) { return UiDataToJs(env, data); });
}

Napi::Value QueryUIBlobFromInteractiveUIInputFields(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  Bytes context = BytesArg(info, 1, "uiContext");
  auto data = std::make_shared<UiData>(UiDataArg(info, 2));
  eap::DWORD flags = DwordArg(info, 3, "flags");
  return RunOnHost<Bytes>(
      info.Env(),
      [instance, context, data, flags](Bytes* out, EapErrorInfo* error) {
        constexpr const char* kCall = "EapHostPeerQueryUIBlobFromInteractiveUIInputFields";
        if (!instance->RequireOpen(kCall, error)) return false;
        FieldArray current(data->fields), next(data->newFields);
        eap::EAP_CRED_EXPIRY_REQ expiry{current.array, next.array};
        eap::EAP_INTERACTIVE_UI_DATA ui{};
        ui.dwVersion = 0;
        ui.dwSize = sizeof(ui);
        ui.dwDataType = static_cast<eap::EAP_INTERACTIVE_UI_DATA_TYPE>(data->type);
        if (IsExpiry(data->type)) {
          ui.cbUiData = sizeof(expiry);
          ui.pbUiData.credExpiryData = &expiry;
        } else {
          ui.cbUiData = sizeof(current.array);
          ui.pbUiData.credData = &current.array;
        }
        eap::DWORD size = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        void* reserved = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerQueryUIBlobFromInteractiveUIInputFields(
            0, flags, static_cast<eap::DWORD>(context.size()), DataOf(context), &ui, &size, &blob, &eapError, &reserved);
        WipeFields(&data->fields);
        WipeFields(&data->newFields);
        *out = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, Bytes& blob) { return ToBuffer(env, blob); });
}

struct Property {
  int32_t type = 0;
  int32_t valueType = 0;
  uint32_t number = 0;
  Bytes string;
};

Napi::Value GetMethodProperties(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  Bytes config = BytesArg(info, 2, "config");
  Bytes userData = BytesArg(info, 3, "userData");
  eap::DWORD flags = DwordArg(info, 4, "flags");
  return RunOnHost<std::vector<Property>>(
      info.Env(),
      [instance, type, config, userData, flags](std::vector<Property>* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerGetMethodProperties";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::EAP_METHOD_PROPERTY_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerGetMethodProperties(
            0, flags, type, nullptr, static_cast<eap::DWORD>(config.size()), DataOf(config),
            static_cast<eap::DWORD>(userData.size()), DataOf(userData), &array, &eapError);
        Wipe(&config);
        Wipe(&userData);
        for (eap::DWORD i = 0; array.pMethodProperty != nullptr && i < array.dwNumberOfProperties && i < 256; ++i) {
          const eap::EAP_METHOD_PROPERTY& p = array.pMethodProperty[i];
          Property property;
          property.type = p.eapMethodPropertyType;
          property.valueType = p.eapMethodPropertyValueType;
          if (p.eapMethodPropertyValueType == eap::empvtBool) property.number = p.eapMethodPropertyValue.empvBool.value;
          if (p.eapMethodPropertyValueType == eap::empvtDword) property.number = p.eapMethodPropertyValue.empvDword.value;
          if (p.eapMethodPropertyValueType == eap::empvtString && p.eapMethodPropertyValue.empvString.value != nullptr) {
            const auto& s = p.eapMethodPropertyValue.empvString;
            property.string.assign(s.value, s.value + std::min<eap::DWORD>(s.length, 65536));
          }
          out->push_back(std::move(property));
        }
        if (array.pMethodProperty != nullptr) {
          instance->api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(array.pMethodProperty));
        }
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, std::vector<Property>& properties) {
        Napi::Array result = Napi::Array::New(env, properties.size());
        for (size_t i = 0; i < properties.size(); ++i) {
          const Property& p = properties[i];
          Napi::Object o = Napi::Object::New(env);
          o.Set("type", p.type);
          o.Set("valueType", p.valueType);
          if (p.valueType == eap::empvtBool) o.Set("value", p.number != 0);
          else if (p.valueType == eap::empvtDword) o.Set("value", p.number);
          else o.Set("value", ToBuffer(env, p.string));
          result.Set(static_cast<uint32_t>(i), o);
        }
        return result;
      });
}

Napi::Value InvokeConfigUI(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::HWND parent = WindowArg(info, 1);
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 2);
  Bytes config = BytesArg(info, 3, "config");
  eap::DWORD flags = DwordArg(info, 4, "flags");
  return RunOnHost<Bytes>(
      info.Env(),
      [instance, parent, type, config, flags](Bytes* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerInvokeConfigUI";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::DWORD size = 0, rc = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        RunInUiApartment([&] {
          rc = instance->api().EapHostPeerInvokeConfigUI(parent, flags, type, static_cast<eap::DWORD>(config.size()),
                                                         DataOf(config), &size, &blob, &eapError);
        });
        Wipe(&config);
        *out = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, Bytes& blob) { return ToBuffer(env, blob); });
}

struct IdentityOut {
  std::u16string identity;
  Bytes userData;
};

Napi::Value InvokeIdentityUI(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::HWND parent = WindowArg(info, 1);
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 2);
  Bytes config = BytesArg(info, 3, "config");
  Bytes userData = BytesArg(info, 4, "userData");
  eap::DWORD flags = DwordArg(info, 5, "flags");
  return RunOnHost<IdentityOut>(
      info.Env(),
      [instance, parent, type, config, userData, flags](IdentityOut* out, EapErrorInfo* error) mutable {
        constexpr const char* kCall = "EapHostPeerInvokeIdentityUI";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::DWORD size = 0, rc = 0;
        eap::BYTE* blob = nullptr;
        eap::LPWSTR identity = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        void* reserved = nullptr;
        RunInUiApartment([&] {
          rc = instance->api().EapHostPeerInvokeIdentityUI(0, type, flags, parent, static_cast<eap::DWORD>(config.size()),
                                                           DataOf(config), static_cast<eap::DWORD>(userData.size()),
                                                           DataOf(userData), &size, &blob, &identity, &eapError, &reserved);
        });
        Wipe(&config);
        Wipe(&userData);
        out->userData = TakeConfigBuffer(*instance, blob, size);
        if (identity != nullptr) {
          out->identity = WideToU16(identity);
          instance->api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(identity));
        }
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, IdentityOut& out) {
        Napi::Object result = Napi::Object::New(env);
        result.Set("identity", ToString(env, out.identity));
        result.Set("userData", ToBuffer(env, out.userData));
        Wipe(&out.userData);
        return result;
      });
}

Napi::Value InvokeInteractiveUI(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::HWND parent = WindowArg(info, 1);
  Bytes context = BytesArg(info, 2, "uiContext");
  return RunOnHost<Bytes>(
      info.Env(),
      [instance, parent, context](Bytes* out, EapErrorInfo* error) {
        constexpr const char* kCall = "EapHostPeerInvokeInteractiveUI";
        if (!instance->RequireOpen(kCall, error)) return false;
        eap::DWORD size = 0, rc = 0;
        eap::BYTE* blob = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        RunInUiApartment([&] {
          rc = instance->api().EapHostPeerInvokeInteractiveUI(parent, static_cast<eap::DWORD>(context.size()),
                                                              DataOf(context), &size, &blob, &eapError);
        });
        *out = TakeConfigBuffer(*instance, blob, size);
        return ConfigCheck(*instance, rc, eapError, kCall, error);
      },
      [](Napi::Env env, Bytes& blob) { return ToBuffer(env, blob); });
}

}  // namespace

void RegisterEapConfigBinding(Napi::Env env, Napi::Object exports) {
  exports.Set("eapHostConfigXml2Blob", Napi::Function::New(env, ConfigXml2Blob));
  exports.Set("eapHostConfigBlob2Xml", Napi::Function::New(env, ConfigBlob2Xml));
  exports.Set("eapHostCredentialsXml2Blob", Napi::Function::New(env, CredentialsXml2Blob));
  exports.Set("eapHostQueryCredentialInputFields", Napi::Function::New(env, QueryCredentialInputFields));
  exports.Set("eapHostQueryUserBlobFromCredentialInputFields",
              Napi::Function::New(env, QueryUserBlobFromCredentialInputFields));
  exports.Set("eapHostQueryInteractiveUIInputFields", Napi::Function::New(env, QueryInteractiveUIInputFields));
  exports.Set("eapHostQueryUIBlobFromInteractiveUIInputFields",
              Napi::Function::New(env, QueryUIBlobFromInteractiveUIInputFields));
  exports.Set("eapHostGetMethodProperties", Napi::Function::New(env, GetMethodProperties));
  exports.Set("eapHostInvokeConfigUI", Napi::Function::New(env, InvokeConfigUI));
  exports.Set("eapHostInvokeIdentityUI", Napi::Function::New(env, InvokeIdentityUI));
  exports.Set("eapHostInvokeInteractiveUI", Napi::Function::New(env, InvokeInteractiveUI));
}

}  // namespace eaphost
