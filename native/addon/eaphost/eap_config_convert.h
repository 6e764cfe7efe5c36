// Conversions shared by the configuration-API bindings (eap_config_binding.cc,
// eap_config_ui_binding.cc): credential input fields and interactive-UI data between JS and the
// ABI structs, the parent window handle, and EAPHost's configuration-memory rules (results freed
// with EapHostPeerFreeMemory, errors with EapHostPeerFreeErrorMemory, secrets wiped).
#pragma once

#include <string>
#include <vector>

#include <napi.h>

#include "../../common/eap_error_info.h"
#include "../generated/arg_structs.h"
#include "eaphost_instance.h"

namespace eaphost {
namespace config_binding {

void Wipe(Bytes* bytes);
// Copies a configuration-API error and frees it with EapHostPeerFreeErrorMemory.
bool ConfigCheck(const EapHostInstance& host, eap::DWORD rc, eap::EAP_ERROR* eapError, const char* call,
                 EapErrorInfo* error);
// Copies, wipes and frees (EapHostPeerFreeMemory) a buffer EAPHost returned.
Bytes TakeConfigBuffer(const EapHostInstance& host, eap::BYTE* data, eap::DWORD size);
inline const eap::BYTE* DataOf(const Bytes& bytes) { return bytes.empty() ? nullptr : bytes.data(); }
inline eap::BYTE* DataOf(Bytes& bytes) { return bytes.empty() ? nullptr : bytes.data(); }
EapErrorInfo XmlError(const char* call, const std::string& problem);

// What a configuration call that returns a buffer hands back (the buffer, its size and its
// EAP_ERROR), declared at once and taken over together: every such call frees both the same way.
struct ConfigBuffer {
  eap::DWORD size = 0;
  eap::BYTE* data = nullptr;
  eap::EAP_ERROR* eapError = nullptr;
  // The buffer into *out (TakeConfigBuffer), then the call's outcome (ConfigCheck).
  bool Take(const EapHostInstance& host, eap::DWORD rc, const char* call, Bytes* out, EapErrorInfo* error) {
    *out = TakeConfigBuffer(host, data, size);
    return ConfigCheck(host, rc, eapError, call, error);
  }
};

struct Field {
  int32_t type = 0;
  eap::DWORD flags = 0, minLength = 0, maxLength = 0;
  std::u16string label, data;
};

void WipeFields(std::vector<Field>* fields);
std::vector<Field> CopyFieldsOut(const eap::EAP_CONFIG_INPUT_FIELD_ARRAY& array);
// An array of input fields (required: the fields hold the credentials to make a blob of).
std::vector<Field> FieldsValue(Napi::Env env, Napi::Value value, const char* name);
Napi::Array FieldsToJs(Napi::Env env, const std::vector<Field>& fields);

// Field arrays built for a call: the structs point into `text`, which is wiped afterwards.
struct FieldArray {
  std::vector<eap::EAP_CONFIG_INPUT_FIELD_DATA> data;
  std::vector<std::vector<eap::WCHAR>> text;
  eap::EAP_CONFIG_INPUT_FIELD_ARRAY array{};
  explicit FieldArray(const std::vector<Field>& fields);
  ~FieldArray();
  FieldArray(const FieldArray&) = delete;
  FieldArray& operator=(const FieldArray&) = delete;
};

struct UiData {
  int32_t type = 0;
  std::vector<Field> fields;     // CredReq/Resp, CredLogonReq/Resp
  std::vector<Field> newFields;  // CredExpiryReq/Resp: `fields` are the current credentials
};

bool IsExpiry(int32_t type);
UiData UiDataValue(Napi::Env env, Napi::Value value);
Napi::Object UiDataToJs(Napi::Env env, const UiData& data);

}  // namespace config_binding
}  // namespace eaphost
