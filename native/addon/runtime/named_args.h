// The reading side of the named contract: every addon call takes one argument object, which its
// binding reads with the reader generated for it (arg_structs.h, from seam/seam_args.js).
// These are the readers of the types the declaration knows, so a missing or mistyped field is
// refused the same way everywhere: a TypeError naming the field ("packet must be a Buffer").
// Field names are string literals (GetField keeps them by address).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <napi.h>

#include "../../common/utf16.h"
#include "js_convert.h"
#include "native_handle.h"

namespace eaphost {

// The call's one argument, or a TypeError naming the function.
inline Napi::Object ArgsObject(const Napi::CallbackInfo& info, const char* function) {
  if (info.Length() < 1 || !info[0].IsObject() || info[0].IsArray() || info[0].IsFunction()) {
    throw Napi::TypeError::New(info.Env(), std::string(function) + " takes one argument object");
  }
  return info[0].As<Napi::Object>();
}

inline Napi::TypeError MissingField(Napi::Env env, const char* name, const char* what) {
  return Napi::TypeError::New(env, std::string(name) + " must be " + what);
}
// A field that must be present: its value, or "<name> must be <what>".
inline Napi::Value RequiredField(Napi::Object object, const char* name, const char* what) {
  Napi::Value value = GetField(object, name);
  if (value.IsUndefined()) throw MissingField(object.Env(), name, what);
  return value;
}

inline NativeHandleArg HandleValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsNumber()) throw MissingField(env, name, "a native handle");
  return NativeHandleArg{value.As<Napi::Number>().DoubleValue()};
}

inline Napi::Object ObjectValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsObject() || value.IsArray()) throw MissingField(env, name, "an object");
  return value.As<Napi::Object>();
}
inline Napi::Array ArrayValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsArray()) throw MissingField(env, name, "an array");
  return value.As<Napi::Array>();
}
// An array no longer than its real maximum (the declaration's `max`), checked before anything
// reads or allocates by its length: a sparse array's may be 2^32 - 1 with nothing in it.
inline void CheckListLength(Napi::Env env, uint32_t length, const char* name, uint32_t max) {
  if (length > max) {
    throw Napi::RangeError::New(env, std::string(name) + " holds more than " + std::to_string(max) + " entries");
  }
}
inline Napi::Array BoundedArray(Napi::Env env, Napi::Value value, const char* name, uint32_t max) {
  Napi::Array list = ArrayValue(env, value, name);
  CheckListLength(env, list.Length(), name, max);
  return list;
}
inline Napi::Function FunctionValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsFunction()) throw MissingField(env, name, "a function");
  return value.As<Napi::Function>();
}

inline bool BoolValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsBoolean()) throw MissingField(env, name, "a boolean");
  return value.As<Napi::Boolean>().Value();
}

inline double NumberValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsNumber()) throw MissingField(env, name, "a number");
  return value.As<Napi::Number>().DoubleValue();
}

inline std::vector<uint32_t> Uint32ArrayValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    throw MissingField(env, name, "a Uint32Array");
  }
  Napi::Uint32Array list = value.As<Napi::Uint32Array>();
  return std::vector<uint32_t>(list.Data(), list.Data() + list.ElementLength());
}

// A port: 0..65535.
inline uint16_t PortValue(Napi::Env env, Napi::Value value, const char* name) {
  eap::DWORD port = DwordValue(env, value, name);
  if (port > 65535) throw Napi::RangeError::New(env, std::string(name) + " must be in 0..65535");
  return static_cast<uint16_t>(port);
}

// Milliseconds since the epoch: a non-negative number below 2^53, its fraction dropped.
inline uint64_t WholeMsValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsNumber()) throw MissingField(env, name, "a number");
  double ms = value.As<Napi::Number>().DoubleValue();
  if (!(ms >= 0 && ms < 9007199254740992.0)) {
    throw Napi::RangeError::New(env, std::string(name) + " out of range");
  }
  return static_cast<uint64_t>(ms);
}

// UTF-8 from JS, UTF-16 for Windows' wide calls; a NUL would cut the text short there.
inline std::u16string WideValue(Napi::Env env, Napi::Value value, const char* name) {
  std::string text = StringValue(env, value, name);
  if (text.find('\0') != std::string::npos) throw Napi::TypeError::New(env, std::string(name) + " must not hold a NUL");
  return Utf8ToUtf16(text);
}

// BrowserWindow.getNativeWindowHandle()'s Buffer, or a bigint: the HWND as a number
// (eap_config_convert.cc).
uintptr_t WindowValue(Napi::Env env, Napi::Value value);

inline eap::EAP_METHOD_TYPE MethodTypeOf(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsObject()) throw MissingField(env, name, "an EapMethodTypeInfo");
  return MethodTypeValue(env, value);
}

// An array whose every element `read` reads, named by the array.
template <typename T>
std::vector<T> ListValue(Napi::Env env, Napi::Value value, const char* name, uint32_t max,
                         T (*read)(Napi::Env, Napi::Value, const char*)) {
  Napi::Array list = BoundedArray(env, value, name, max);
  const uint32_t length = list.Length();
  std::vector<T> out;
  out.reserve(length);
  for (uint32_t i = 0; i < length; ++i) out.push_back(read(env, list.Get(i), name));
  return out;
}
inline std::vector<NativeHandleArg> HandlesValue(Napi::Env env, Napi::Value value, const char* name, uint32_t max) {
  return ListValue(env, value, name, max, HandleValue);
}

// Buffers, an undefined (or null) element an empty one: per method, parallel to its handles.
inline std::vector<Bytes> BytesListValue(Napi::Env env, Napi::Value value, const char* name, uint32_t max) {
  if (!value.IsArray()) throw MissingField(env, name, "an array of Buffers");
  Napi::Array list = value.As<Napi::Array>();
  const uint32_t length = list.Length();
  CheckListLength(env, length, name, max);
  std::vector<Bytes> out;
  out.reserve(length);
  for (uint32_t i = 0; i < length; ++i) {
    Napi::Value item = list.Get(i);
    if (!item.IsUndefined() && !item.IsNull() && !item.IsBuffer()) throw MissingField(env, name, "an array of Buffers");
    out.push_back(BytesValue(env, item, name));
  }
  return out;
}

// A JS value holding secrets (a password, a user store's answers, credential fields): its kind
// is checked where the argument object is read, and the call reads it itself, straight into
// storage it wipes (ReadSecretText, KnownAnswerOf...); no other copy of it is made here.
template <typename Kind>
class Secret {
 public:
  Secret() = default;
  Secret(Napi::Env env, Napi::Value value, const char* name) : value_(value) {
    if (!Kind::Holds(value)) throw MissingField(env, name, Kind::kWhat);
  }
  // For the reader that copies it into wiped storage, and nothing else.
  Napi::Value Unread() const { return value_; }

 private:
  Napi::Value value_;
};
struct SecretTextKind {
  static bool Holds(Napi::Value value) { return value.IsString(); }
  static constexpr const char* kWhat = "a string";
};
struct SecretBufferKind {
  static bool Holds(Napi::Value value) { return value.IsBuffer(); }
  static constexpr const char* kWhat = "a Buffer";
};
struct SecretListKind {
  static bool Holds(Napi::Value value) { return value.IsArray(); }
  static constexpr const char* kWhat = "an array";
};
struct SecretObjectKind {
  static bool Holds(Napi::Value value) { return value.IsObject() && !value.IsArray(); }
  static constexpr const char* kWhat = "an object";
};
using SecretText = Secret<SecretTextKind>;
using SecretBuffer = Secret<SecretBufferKind>;
using SecretList = Secret<SecretListKind>;
using SecretObject = Secret<SecretObjectKind>;

// A nested argument object the call reads only when it needs to (a ConversationAuthenticator,
// read at its first conversation and kept natively after): its reader, generated with it.
template <typename T>
class ArgObject {
 public:
  ArgObject() = default;
  ArgObject(Napi::Object object, T (*read)(Napi::Object)) : object_(object), read_(read) {}
  T Read() const { return read_(object_); }
  Napi::Object object() const { return object_; }

 private:
  Napi::Object object_;
  T (*read_)(Napi::Object) = nullptr;
};

// What the addon read of a lazy argument object and keeps with it (napi_wrap), under a type tag
// of its kind (a session base, an authenticator): a later call reads nothing of the object. The
// kept reading, or nullptr when the object holds none of this kind: an object wrapped or tagged
// by anything else (another addon, a reading of another kind) is never taken for one.
template <typename T>
T* KeptReading(Napi::Env env, napi_value object, const napi_type_tag& tag) {
  bool tagged = false;
  void* kept = nullptr;
  if (napi_check_object_type_tag(env, object, &tag, &tagged) != napi_ok || !tagged) return nullptr;
  if (napi_unwrap(env, object, &kept) != napi_ok) return nullptr;
  return static_cast<T*>(kept);
}
// Keeps `reading` with `object` under `tag`, the tag set first: the object's from then on (deleted
// when V8 collects it), or false and still the caller's when the object already holds a tag or a
// wrap, or cannot take one (not extensible).
template <typename T>
bool KeepReading(Napi::Env env, napi_value object, const napi_type_tag& tag, std::unique_ptr<T>& reading) {
  if (napi_type_tag_object(env, object, &tag) != napi_ok) return false;
  if (napi_wrap(
          env, object, reading.get(), [](napi_env, void* data, void*) { delete static_cast<T*>(data); }, nullptr,
          nullptr) != napi_ok) {
    return false;
  }
  reading.release();
  return true;
}

// A list of nested argument objects, each read as the call walks it: the call moves what it
// needs into its own structures, with no vector of the list's own in between. Its length is the
// one checked when it was read (BoundedArray): an element's getter that lengthens the array
// does not lengthen the walk.
template <typename T>
class ArgList {
 public:
  ArgList() = default;
  ArgList(Napi::Array list, const char* name, T (*read)(Napi::Env, Napi::Value, const char*))
      : list_(list), length_(list.Length()), name_(name), read_(read) {}
  uint32_t Length() const { return length_; }
  T Read(uint32_t index) const { return read_(list_.Env(), list_.Get(index), name_); }

 private:
  Napi::Array list_;
  uint32_t length_ = 0;
  const char* name_ = nullptr;
  T (*read_)(Napi::Env, Napi::Value, const char*) = nullptr;
};

}  // namespace eaphost
