// Conversions at the JS boundary. Every buffer crossing into JS is copied
// (Napi::Buffer::Copy): external buffers crash Electron >= 21 and would tie JS lifetimes to
// native memory. Argument checks here are the native layer's last line; lib/ validates first
// and gives the typed errors users see.
#pragma once

#include <string>

#include <napi.h>

#include "../common/eap_error_info.h"
#include "../hosts/peer_method_host.h"

namespace eaphost {

Napi::Value MakeEapError(Napi::Env env, const EapErrorInfo& error);

std::string GuidToString(const eap::GUID& guid);
bool GuidFromString(const std::string& text, eap::GUID* guid);

Napi::Buffer<uint8_t> ToBuffer(Napi::Env env, const Bytes& bytes);
Napi::Value ToAttributes(Napi::Env env, const Attributes& attributes);
Napi::Object ToMethodType(Napi::Env env, const eap::EAP_METHOD_TYPE& type);
Napi::String ToString(Napi::Env env, const std::u16string& text);

// Throw a JS TypeError (synchronously) when the argument is not what the binding needs.
Bytes BytesArg(const Napi::CallbackInfo& info, size_t index, const char* name);
Attributes AttributesArg(const Napi::CallbackInfo& info, size_t index, const char* name);
eap::DWORD DwordArg(const Napi::CallbackInfo& info, size_t index, const char* name);
std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* name);
eap::EAP_METHOD_TYPE MethodTypeArg(const Napi::CallbackInfo& info, size_t index);

}  // namespace eaphost
