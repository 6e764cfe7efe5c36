#include "js_convert.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "../../common/hex_digit.h"
#include "../../common/secure_zero.h"
#include "../../common/tls_outcome.h"
#include "../../common/utf16.h"
#include "addon_state.h"
#include "bindings.h"

namespace eaphost {

namespace {
const char* OriginName(ErrorOrigin origin) {
  switch (origin) {
    case ErrorOrigin::kMethod: return "method";
    case ErrorOrigin::kEapHost: return "eaphost";
    case ErrorOrigin::kHost: return "host";
  }
  return "host";
}
}  // namespace

Napi::Value PropertyKey(Napi::Env env, const char* name) {
  AddonState* state = env.GetInstanceData<AddonState>();
  if (state == nullptr) return Napi::String::New(env, name);
  if (state->propertyKeys.IsEmpty()) state->propertyKeys = Napi::Persistent(Napi::Array::New(env));
  Napi::Array keys = state->propertyKeys.Value();
  auto found = state->propertyKeyIndex.find(name);
  if (found != state->propertyKeyIndex.end()) return keys.Get(found->second);
  Napi::String key = Napi::String::New(env, name);
  auto index = static_cast<uint32_t>(state->propertyKeyIndex.size());
  keys.Set(index, key);
  state->propertyKeyIndex.emplace(name, index);
  return key;
}

namespace {
// A shape's name, by its index in the registered names (RegisteredSeam).
std::string ShapeName(size_t index) {
  const SeamTable& seam = RegisteredSeam();
  return index < seam.resultShapeCount ? seam.resultShapes[index] : std::to_string(index);
}
}  // namespace

Napi::Object MakeShaped(Napi::Env env, size_t index, const napi_value* fields, size_t count) {
  AddonState* state = env.GetInstanceData<AddonState>();
  if (state == nullptr || index >= state->shapes.size() || state->shapes[index].IsEmpty()) {
    throw Napi::TypeError::New(env, "result shape " + ShapeName(index) +
                                        " is not registered: load the addon through lib/native");
  }
  napi_value made = nullptr;
  napi_status status = napi_call_function(env, env.Undefined(), state->shapes[index].Value(), count, fields, &made);
  NAPI_THROW_IF_FAILED(env, status, Napi::Object());
  Napi::Value value(env, made);
  if (!value.IsObject()) {
    throw Napi::TypeError::New(env, "result shape " + ShapeName(index) + " must return an object");
  }
  return value.As<Napi::Object>();
}

void SetResultShapes(Napi::Env env, Napi::Value given) {
  if (!given.IsObject()) throw Napi::TypeError::New(env, "resultShapes must be an object");
  Napi::Object builders = given.As<Napi::Object>();
  AddonState& state = StateOf(env);
  const SeamTable& seam = RegisteredSeam();
  std::vector<Napi::FunctionReference> shapes(seam.resultShapeCount);
  for (size_t i = 0; i < seam.resultShapeCount; ++i) {
    Napi::Value builder = GetField(builders, seam.resultShapes[i]);
    if (!builder.IsFunction()) {
      throw Napi::TypeError::New(env, std::string("result shape ") + seam.resultShapes[i] + " must be a function");
    }
    shapes[i] = Napi::Persistent(builder.As<Napi::Function>());
  }
  state.shapes = std::move(shapes);
}

// By hand, not snprintf: every session that reaches JS names its connection ID, and the
// formatted print was a tenth of what beginning a session cost the JS thread.
std::string GuidToString(const eap::GUID& g) {
  static const char kHex[] = "0123456789abcdef";
  uint8_t bytes[16];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(g.Data1 >> (8 * (3 - i)));
  bytes[4] = static_cast<uint8_t>(g.Data2 >> 8);
  bytes[5] = static_cast<uint8_t>(g.Data2);
  bytes[6] = static_cast<uint8_t>(g.Data3 >> 8);
  bytes[7] = static_cast<uint8_t>(g.Data3);
  for (int i = 0; i < 8; ++i) bytes[8 + i] = g.Data4[i];
  std::string text;
  text.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return text;
}

// Every session's connection id passes here: read in place, nibble by nibble, with no
// allocation (braces and dashes are skipped wherever they are, as before).
bool GuidFromString(const std::string& text, eap::GUID* guid) {
  uint8_t bytes[16] = {};
  size_t nibbles = 0;
  for (char c : text) {
    if (c == '{' || c == '}' || c == '-') continue;
    int digit = HexDigit(c);
    if (digit < 0 || nibbles == 32) return false;
    bytes[nibbles / 2] = static_cast<uint8_t>(nibbles % 2 == 0 ? digit << 4 : bytes[nibbles / 2] | digit);
    ++nibbles;
  }
  if (nibbles != 32) return false;
  guid->Data1 = static_cast<uint32_t>(bytes[0]) << 24 | static_cast<uint32_t>(bytes[1]) << 16 |
                static_cast<uint32_t>(bytes[2]) << 8 | bytes[3];
  guid->Data2 = static_cast<uint16_t>(bytes[4] << 8 | bytes[5]);
  guid->Data3 = static_cast<uint16_t>(bytes[6] << 8 | bytes[7]);
  for (size_t i = 0; i < 8; ++i) guid->Data4[i] = bytes[8 + i];
  return true;
}

Napi::Object ToMethodType(Napi::Env env, const eap::EAP_METHOD_TYPE& type) {
  // Built here, not through a shape: an EapError's details hold one, and an error is made even
  // before lib/ has registered the result shapes.
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "type", type.eapType.type);
  SetField(out, "vendorId", type.eapType.dwVendorId);
  SetField(out, "vendorType", type.eapType.dwVendorType);
  SetField(out, "authorId", type.dwAuthorId);
  return out;
}

Napi::String ToString(Napi::Env env, const std::u16string& text) {
  return Napi::String::New(env, text);
}

Napi::Value MakeEapError(Napi::Env env, const EapErrorInfo& error) {
  Napi::Object fields = Napi::Object::New(env);
  SetField(fields, "win32Error", error.win32Error);
  SetField(fields, "reasonCode", error.reasonCode);
  SetField(fields, "methodType", ToMethodType(env, error.methodType));
  SetField(fields, "rootCauseGuid", GuidToString(error.rootCauseGuid));
  SetField(fields, "repairGuid", GuidToString(error.repairGuid));
  SetField(fields, "helpLinkGuid", GuidToString(error.helpLinkGuid));
  SetField(fields, "rootCause", ToString(env, error.rootCauseString));
  SetField(fields, "repair", ToString(env, error.repairString));
  SetField(fields, "call", error.call);
  SetField(fields, "state", error.state);
  SetField(fields, "origin", OriginName(error.origin));
  // Why a TLS handshake of this package's methods failed, as they put it in the cause GUID
  // (common/tls_outcome.h): typed, so no caller reads the words.
  TlsFailure failure;
  if (DecodeTlsFailureGuid(error.rootCauseGuid, &failure)) {
    Napi::Object tls = Napi::Object::New(env);
    SetField(tls, "reason", std::string(TlsFailReasonName(failure.reason)));
    if (failure.alert.present) {
      Napi::Object alert = Napi::Object::New(env);
      SetField(alert, "local", failure.alert.local);
      SetField(alert, "code", static_cast<double>(failure.alert.description));
      SetField(alert, "name", TlsAlertName(failure.alert.description));
      SetField(tls, "alert", alert);
    }
    if (!error.serverCertificates.empty()) SetField(tls, "serverCertificates", ToBufferArray(env, error.serverCertificates));
    if (!error.ocspStaple.empty()) SetField(tls, "ocspStaple", ToBuffer(env, error.ocspStaple));
    SetField(fields, "tls", tls);
  }
  AddonState* state = env.GetInstanceData<AddonState>();
  if (state != nullptr && !state->eapErrorClass.IsEmpty()) {
    return state->eapErrorClass.New({fields});
  }
  Napi::Error plain = Napi::Error::New(env, Utf16ToUtf8(error.rootCauseString));
  plain.Value().Set("details", fields);
  return plain.Value();
}

Napi::Error CodedError(Napi::Env env, const std::string& message, const std::string& code, int errnum) {
  Napi::Error thrown = Napi::Error::New(env, message);
  Napi::Object fields = thrown.Value();
  SetField(fields, "code", code);
  if (errnum != 0) SetField(fields, "errno", errnum);
  return thrown;
}

Napi::Error OptionRangeError(Napi::Env env, const std::string& option, const std::string& detail) {
  Napi::Error thrown = Napi::RangeError::New(env, option + ": " + detail);
  Napi::Object fields = thrown.Value();
  SetField(fields, "option", option);
  SetField(fields, "detail", detail);
  return thrown;
}

Napi::Promise RejectWith(Napi::Env env, const EapErrorInfo& error) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(MakeEapError(env, error));
  return deferred.Promise();
}

Napi::Buffer<uint8_t> ToBuffer(Napi::Env env, const Bytes& bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

Napi::Array ToBufferArray(Napi::Env env, const std::vector<Bytes>& list) {
  Napi::Array array = Napi::Array::New(env, list.size());
  for (std::size_t i = 0; i < list.size(); ++i) array.Set(static_cast<std::uint32_t>(i), ToBuffer(env, list[i]));
  return array;
}

SlabSpace ReserveSlab(Napi::Env env, size_t total) {
  // Node's own pool size: a view a caller keeps holds no more than this alive beside it.
  constexpr size_t kSlabSize = 8 * 1024;
  AddonState& state = StateOf(env);
  Napi::Buffer<uint8_t> slab = state.attributeSlab.IsEmpty() ? Napi::Buffer<uint8_t>() : state.attributeSlab.Value();
  if (slab.IsEmpty() || slab.Length() - state.attributeSlabUsed < total) {
    slab = Napi::Buffer<uint8_t>::New(env, std::max(kSlabSize, total));
    // Node hands the bytes over uninitialized, and every view's `buffer` reaches the whole slab:
    // what it has not been given yet reads as zeros, never as the heap's leftovers (the heap
    // may have held a secret there).
    SecureZero(slab.Data(), slab.Length());
    state.attributeSlab = Napi::Persistent(slab);
    state.attributeSlabUsed = 0;
  }
  size_t start = state.attributeSlabUsed;
  state.attributeSlabUsed = start + total;
  return {{slab, start}, slab.Data() + start};
}

void PutEntry(uint8_t*& at, uint32_t key, const uint8_t* value, size_t size) {
  auto put32 = [&at](uint32_t word) {
    for (int i = 0; i < 4; ++i) *at++ = static_cast<uint8_t>(word >> (8 * i));
  };
  put32(key);
  put32(static_cast<uint32_t>(size));
  if (size != 0) std::memcpy(at, value, size);
  at += size;
}

Napi::Value RecurringText(Napi::Env env, const std::u16string& text) {
  constexpr size_t kMostTexts = 64;
  AddonState* state = env.GetInstanceData<AddonState>();
  if (state == nullptr) return ToString(env, text);
  auto found = state->recurringTextIndex.find(text);
  if (found != state->recurringTextIndex.end()) return state->recurringTexts.Value().Get(found->second);
  Napi::String made = ToString(env, text);
  if (state->recurringTextIndex.size() < kMostTexts) {
    if (state->recurringTexts.IsEmpty()) state->recurringTexts = Napi::Persistent(Napi::Array::New(env));
    auto index = static_cast<uint32_t>(state->recurringTextIndex.size());
    state->recurringTexts.Value().Set(index, made);
    state->recurringTextIndex.emplace(text, index);
  }
  return made;
}

Bytes BytesValue(Napi::Env env, Napi::Value value, const char* name) {
  if (value.IsUndefined() || value.IsNull()) return Bytes();
  if (!value.IsBuffer()) {
    throw Napi::TypeError::New(env, std::string(name) + " must be a Buffer");
  }
  auto buffer = value.As<Napi::Buffer<uint8_t>>();
  return Bytes(buffer.Data(), buffer.Data() + buffer.Length());
}

Attributes AttributesValue(Napi::Env env, Napi::Value value, const char* name, uint32_t max) {
  Attributes out;
  if (value.IsUndefined() || value.IsNull()) return out;
  if (!value.IsArray()) {
    throw Napi::TypeError::New(env, std::string(name) + " must be an array");
  }
  Napi::Array array = value.As<Napi::Array>();
  const uint32_t length = array.Length();
  if (length > max) throw Napi::RangeError::New(env, std::string(name) + " holds more than " + std::to_string(max) + " entries");
  for (uint32_t i = 0; i < length; ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, std::string(name) + " items must be objects");
    Napi::Object object = item.As<Napi::Object>();
    Napi::Value type = GetField(object, "type");
    Napi::Value data = GetField(object, "value");
    if (!type.IsNumber() || !data.IsBuffer()) {
      throw Napi::TypeError::New(env,
                                 std::string(name) + " items need a numeric type and a Buffer value");
    }
    auto buffer = data.As<Napi::Buffer<uint8_t>>();
    out.push_back({static_cast<eap::EAP_ATTRIBUTE_TYPE>(type.As<Napi::Number>().Int32Value()),
                   Bytes(buffer.Data(), buffer.Data() + buffer.Length())});
  }
  return out;
}

eap::DWORD DwordValue(Napi::Env env, Napi::Value value, const char* name) {
  if (value.IsUndefined()) return 0;
  if (!value.IsNumber()) throw Napi::TypeError::New(env, std::string(name) + " must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= std::numeric_limits<eap::DWORD>::max()) || d != static_cast<double>(static_cast<int64_t>(d))) {
    throw Napi::RangeError::New(env, std::string(name) + " must be an integer in 0..4294967295");
  }
  return static_cast<eap::DWORD>(d);
}

std::string StringValue(Napi::Env env, Napi::Value value, const char* name) {
  if (!value.IsString()) throw Napi::TypeError::New(env, std::string(name) + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

namespace {
uint32_t MethodTypeField(Napi::Env env, Napi::Value value, const char* key, double max) {
  if (value.IsUndefined()) return 0;
  if (!value.IsNumber()) throw Napi::TypeError::New(env, std::string("method type ") + key + " must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= max)) throw Napi::RangeError::New(env, std::string("method type ") + key + " out of range");
  return static_cast<uint32_t>(d);
}

// The four parts of an EAP_METHOD_TYPE, however they were read.
template <typename Read>
eap::EAP_METHOD_TYPE MethodTypeFrom(Napi::Env env, Read read) {
  eap::EAP_METHOD_TYPE type{};
  type.eapType.type = static_cast<eap::BYTE>(MethodTypeField(env, read(0, "type"), "type", 255));
  type.eapType.dwVendorId = MethodTypeField(env, read(1, "vendorId"), "vendorId", 0xFFFFFF);
  type.eapType.dwVendorType = MethodTypeField(env, read(2, "vendorType"), "vendorType", 4294967295.0);
  type.dwAuthorId = MethodTypeField(env, read(3, "authorId"), "authorId", 4294967295.0);
  return type;
}
}  // namespace

eap::EAP_METHOD_TYPE MethodTypeValue(Napi::Env env, Napi::Value value) {
  if (!value.IsObject()) throw Napi::TypeError::New(env, "method type must be an object");
  Napi::Object object = value.As<Napi::Object>();
  // key: one of the literals MethodTypeFrom passes
  return MethodTypeFrom(env, [&](size_t, const char* key) { return GetField(object, key); });
}


void ReadSecretText(Napi::Env env, Napi::Value value, const char* name, std::u16string* out) {
  out->clear();
  if (value.IsUndefined()) return;
  if (!value.IsString()) throw Napi::TypeError::New(env, std::string(name) + " must be a string");
  // Straight into the caller's string: a returned temporary would be moved from, and a short
  // string's inline buffer keeps its characters after the move.
  size_t length = 0;
  if (napi_get_value_string_utf16(env, value, nullptr, 0, &length) != napi_ok) {
    throw Napi::TypeError::New(env, std::string(name) + " must be a string");
  }
  out->resize(length);
  napi_get_value_string_utf16(env, value, &(*out)[0], length + 1, &length);
}

}  // namespace eaphost
