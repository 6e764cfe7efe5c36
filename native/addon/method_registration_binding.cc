// registryRead / registryWrite / registryDelete, fileSecurity / setFileSecurity and
// windowsPlatform: what `eaphost register` needs from Windows (method_registration.h). Each is a
// few system calls on a local key or file, so they run synchronously on the calling thread; a
// failure throws the EapError naming the Win32 call.
#include <string>
#include <utility>
#include <vector>

#include "../common/utf16.h"
#include "bindings.h"
#include "contract.h"
#include "js_convert.h"
#include "method_registration.h"
#include "named_args.h"

namespace eaphost {

namespace {

[[noreturn]] void ThrowEapError(Napi::Env env, const EapErrorInfo& error) {
  throw Napi::Error(env, MakeEapError(env, error));
}

std::u16string WideField(Napi::Object object, const char* name) {
  std::string text = StringField(object, name);
  if (text.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(object.Env(), std::string(name) + " must not hold a NUL");
  }
  return Utf8ToUtf16(text);
}

// Only the Methods key's subtree (and the key itself, to read): nothing else in HKLM is this binding's business. Checked once
// every field has been read, so a mistyped field is named before a key outside it is.
void CheckMethodsKey(Napi::Env env, const std::u16string& key, bool itselfToo = false) {
  static const std::u16string kMethods = u"SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods";
  if (itselfToo && key == kMethods) return;
  bool inside = key.size() > kMethods.size() && key.compare(0, kMethods.size(), kMethods) == 0 &&
                key[kMethods.size()] == u'\\';
  if (!inside || key.find(u"\\\\") != std::u16string::npos || key.back() == u'\\') {
    throw Napi::TypeError::New(env, "key must be a key below HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods");
  }
}

Napi::Value RegistryRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RegistryReadArgs args;
  args.key = WideField(ArgsObject(info, "registryRead"), "key");
  CheckMethodsKey(env, args.key, true);
  bool exists = false;
  RegistryKeyState state;
  EapErrorInfo error;
  if (!ReadMachineKey(args.key, &exists, &state, &error)) ThrowEapError(env, error);
  if (!exists) return env.Null();
  Napi::Array values = Napi::Array::New(env, state.values.size());
  for (size_t i = 0; i < state.values.size(); ++i) {
    const RegistryValue& value = state.values[i];
    Napi::Object entry = Napi::Object::New(env);
    SetField(entry, "name", ToString(env, value.name));
    SetField(entry, "type", value.type);
    if (value.type == "dword") SetField(entry, "data", Napi::Number::New(env, value.number));
    else if (value.type != "other") SetField(entry, "data", ToString(env, value.text));
    values.Set(static_cast<uint32_t>(i), entry);
  }
  Napi::Array subkeys = Napi::Array::New(env, state.subkeys.size());
  for (size_t i = 0; i < state.subkeys.size(); ++i) subkeys.Set(static_cast<uint32_t>(i), ToString(env, state.subkeys[i]));
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "values", values);
  SetField(out, "subkeys", subkeys);
  return out;
}

Napi::Value RegistryWrite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object object = ArgsObject(info, "registryWrite");
  RegistryWriteArgs args;
  args.key = WideField(object, "key");
  Napi::Value list = Present(object, "values", "an array of registry values");
  if (!list.IsArray()) throw Napi::TypeError::New(env, "values must be an array of registry values");
  Napi::Array array = list.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "values must be an array of registry values");
    Napi::Object entry = item.As<Napi::Object>();
    RegistryValue value;
    value.name = WideField(entry, "name");
    value.type = StringField(entry, "type");
    if (value.type == "dword") value.number = DwordField(entry, "data");
    else if (value.type == "sz" || value.type == "expandSz") value.text = WideField(entry, "data");
    else throw Napi::TypeError::New(env, "a registry value's type must be 'sz', 'expandSz' or 'dword'");
    args.values.push_back(std::move(value));
  }
  CheckMethodsKey(env, args.key);
  EapErrorInfo error;
  if (!WriteMachineValues(args.key, args.values, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

Napi::Value RegistryDelete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object object = ArgsObject(info, "registryDelete");
  RegistryDeleteArgs args;
  args.key = WideField(object, "key");
  Napi::Value list = GetField(object, "values");
  EapErrorInfo error;
  if (list.IsUndefined()) {
    CheckMethodsKey(env, args.key);
    if (!DeleteMachineKey(args.key, &error)) ThrowEapError(env, error);
    return env.Undefined();
  }
  if (!list.IsArray()) throw Napi::TypeError::New(env, "values must be an array of value names");
  Napi::Array array = list.As<Napi::Array>();
  std::vector<std::u16string> names;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    if (!array.Get(i).IsString()) throw Napi::TypeError::New(env, "values must be an array of value names");
    names.push_back(Utf8ToUtf16(array.Get(i).As<Napi::String>().Utf8Value()));
  }
  args.values = std::move(names);
  CheckMethodsKey(env, args.key);
  if (!DeleteMachineValues(args.key, *args.values, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

Napi::Value FileSecurityRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FileSecurityArgs args;
  args.path = WideField(ArgsObject(info, "fileSecurity"), "path");
  FileSecurity security;
  EapErrorInfo error;
  if (!ReadFileSecurity(args.path, &security, &error)) ThrowEapError(env, error);
  Napi::Array aces = Napi::Array::New(env, security.aces.size());
  for (size_t i = 0; i < security.aces.size(); ++i) {
    const SecurityAce& ace = security.aces[i];
    Napi::Object entry = Napi::Object::New(env);
    SetField(entry, "allow", Napi::Boolean::New(env, ace.allow));
    SetField(entry, "sid", ace.sid);
    SetField(entry, "mask", Napi::Number::New(env, ace.mask));
    SetField(entry, "flags", Napi::Number::New(env, ace.flags));
    aces.Set(static_cast<uint32_t>(i), entry);
  }
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "owner", security.owner);
  SetField(out, "nullDacl", Napi::Boolean::New(env, security.nullDacl));
  SetField(out, "aces", aces);
  SetField(out, "otherAces", Napi::Number::New(env, security.otherAces));
  return out;
}

Napi::Value FileSecurityWrite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object object = ArgsObject(info, "setFileSecurity");
  SetFileSecurityArgs args;
  args.path = WideField(object, "path");
  args.sddl = WideField(object, "sddl");
  EapErrorInfo error;
  if (!WriteFileSecurity(args.path, args.sddl, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

Napi::Value WindowsPlatformRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WindowsPlatform platform;
  EapErrorInfo error;
  if (!ReadWindowsPlatform(&platform, &error)) ThrowEapError(env, error);
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "nativeMachine", Napi::Number::New(env, platform.nativeMachine));
  SetField(out, "processMachine", Napi::Number::New(env, platform.processMachine));
  SetField(out, "wine", Napi::Boolean::New(env, platform.wine));
  return out;
}

}  // namespace

ExportList MethodRegistrationExports() {
  return {
      {"registryRead", RegistryRead},
      {"registryWrite", RegistryWrite},
      {"registryDelete", RegistryDelete},
      {"fileSecurity", FileSecurityRead},
      {"setFileSecurity", FileSecurityWrite},
      {"windowsPlatform", WindowsPlatformRead},
  };
}

}  // namespace eaphost
