// Conversions shared by the configuration-API bindings; see eap_config_convert.h.
#include "eap_config_convert.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "../generated/result_shapes.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {
namespace config_binding {

void Wipe(Bytes* bytes) { SecureZeroContents(*bytes); }


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
  SecureZero(data, size);  // configuration and user blobs carry keys and passwords
  host.api().EapHostPeerFreeMemory(data);
  return out;
}


EapErrorInfo XmlError(const char* call, const std::string& problem) {
  EapErrorInfo error = HostError(eap::kErrorInvalidData, call, problem);
  error.reasonCode = eap::EAP_E_EAPHOST_XML_MALFORMED;
  return error;
}

// The document element of a new document made from `xml`.

// ---- credential input fields ----------------------------------------------------------------


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

FieldArray::FieldArray(const std::vector<Field>& fields) {
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

FieldArray::~FieldArray() {
  for (auto& t : text) std::fill(t.begin(), t.end(), eap::WCHAR{0});
}

std::vector<Field> FieldsValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, std::string(name) + " must be an array of input fields");
  Napi::Array array = value.As<Napi::Array>();
  const uint32_t length = array.Length();
  if (length > 64) throw Napi::RangeError::New(env, std::string(name) + " has more than 64 fields");
  std::vector<Field> out;
  for (uint32_t i = 0; i < length; ++i) {
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
    EapConfigInputFieldShapeWriter field(env);
    field.type(fields[i].type);
    field.flags(fields[i].flags);
    field.label(fields[i].label);
    field.data(fields[i].data);
    field.minLength(fields[i].minLength);
    field.maxLength(fields[i].maxLength);
    out.Set(static_cast<uint32_t>(i), field.Make());
  }
  return out;
}

// ---- interactive UI data ------------------------------------------------------------------


bool IsExpiry(int32_t type) { return type == eap::EapCredExpiryReq || type == eap::EapCredExpiryResp; }

UiData UiDataValue(Napi::Env env, Napi::Value value) {
  if (!value.IsObject()) throw Napi::TypeError::New(env, "data must be an EapInteractiveUiData object");
  Napi::Object o = value.As<Napi::Object>();
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
  EapInteractiveUiDataShapeWriter out(env);
  out.type(data.type);
  if (IsExpiry(data.type)) {
    out.currentFields(FieldsToJs(env, data.fields));
    out.newFields(FieldsToJs(env, data.newFields));
  } else {
    out.fields(FieldsToJs(env, data.fields));
  }
  return out.Make();
}

}  // namespace config_binding

// ---- the parent window --------------------------------------------------------------------

uintptr_t WindowValue(Napi::Env env, Napi::Value value) {
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
  return static_cast<uintptr_t>(handle);
}

}  // namespace eaphost
