// The reading side of the named contract (contract.h): every addon call takes one argument
// object, and every EAP function is an export of its own. Each binding reads the object
// into the function's contract struct beside itself; these are the pieces every reader shares,
// so a missing or mistyped field is refused the same way everywhere: a TypeError naming the
// field ("packet must be a Buffer"). Field names are string literals (GetField keeps them by
// address).
#pragma once

#include <optional>
#include <string>

#include <napi.h>

#include "js_convert.h"

namespace eaphost {

// The call's one argument, or a TypeError naming the function.
inline Napi::Object ArgsObject(const Napi::CallbackInfo& info, const char* function) {
  if (info.Length() < 1 || !info[0].IsObject() || info[0].IsArray() || info[0].IsFunction()) {
    throw Napi::TypeError::New(info.Env(), std::string(function) + " takes one argument object");
  }
  return info[0].As<Napi::Object>();
}

// A field that must be present: its value, or "<name> must be <what>".
inline Napi::Value Present(Napi::Object args, const char* name, const char* what) {
  Napi::Value value = GetField(args, name);
  if (value.IsUndefined()) throw Napi::TypeError::New(args.Env(), std::string(name) + " must be " + what);
  return value;
}

// A handle (addon_state.h): a number; which resource it names is checked where it is unwrapped.
inline Napi::Value HandleField(Napi::Object args, const char* name) {
  Napi::Value value = GetField(args, name);
  if (!value.IsNumber()) throw Napi::TypeError::New(args.Env(), std::string(name) + " must be a native handle");
  return value;
}

inline Bytes BufferField(Napi::Object args, const char* name) {
  return BytesValue(args.Env(), Present(args, name, "a Buffer"), name);
}
// Absent (or null): empty, which every EAP call reads as none.
inline Bytes OptionalBufferField(Napi::Object args, const char* name) {
  return BytesValue(args.Env(), GetField(args, name), name);
}

inline eap::DWORD DwordField(Napi::Object args, const char* name) {
  return DwordValue(args.Env(), Present(args, name, "a number"), name);
}

inline std::string StringField(Napi::Object args, const char* name) {
  return StringValue(args.Env(), GetField(args, name), name);
}
inline std::string OptionalStringField(Napi::Object args, const char* name) {
  Napi::Value value = GetField(args, name);
  return value.IsUndefined() ? std::string() : StringValue(args.Env(), value, name);
}

// A text the call reads itself (a secret, into wiped storage): checked here, left a JS value.
inline Napi::Value OptionalTextField(Napi::Object args, const char* name) {
  Napi::Value value = GetField(args, name);
  if (!value.IsUndefined() && !value.IsString()) {
    throw Napi::TypeError::New(args.Env(), std::string(name) + " must be a string");
  }
  return value;
}

inline bool BoolField(Napi::Object args, const char* name) {
  Napi::Value value = GetField(args, name);
  if (!value.IsBoolean()) throw Napi::TypeError::New(args.Env(), std::string(name) + " must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

inline Attributes AttributesField(Napi::Object args, const char* name) {
  return AttributesValue(args.Env(), Present(args, name, "an array"), name);
}
inline Attributes OptionalAttributesField(Napi::Object args, const char* name) {
  return AttributesValue(args.Env(), GetField(args, name), name);
}

inline eap::EAP_METHOD_TYPE MethodTypeField(Napi::Object args, const char* name) {
  Napi::Value value = GetField(args, name);
  if (!value.IsObject()) throw Napi::TypeError::New(args.Env(), std::string(name) + " must be an EapMethodTypeInfo");
  return MethodTypeValue(args.Env(), value);
}
inline std::optional<eap::EAP_METHOD_TYPE> OptionalMethodTypeField(Napi::Object args, const char* name) {
  if (GetField(args, name).IsUndefined()) return std::nullopt;
  return MethodTypeField(args, name);
}

}  // namespace eaphost
