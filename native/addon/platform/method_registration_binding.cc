// registryRead / registryWrite / registryDelete, fileSecurity / setFileSecurity, windowsPlatform,
// serviceControl, deleteAtReboot and pendingRenamesRead / pendingRenamesWrite: what `eaphost register`
// needs from Windows (method_registration.h, service_control.h). Each is a
// few system calls on a local key or file, so they run synchronously on the calling thread; a
// failure throws the EapError naming the Win32 call.
#include <string>
#include <utility>
#include <vector>

#include "../../common/utf16.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "../../platform/method_registration.h"
#include "../runtime/named_args.h"
#include "../../platform/service_control.h"

namespace eaphost {

namespace {

[[noreturn]] void ThrowEapError(Napi::Env env, const EapErrorInfo& error) {
  throw Napi::Error(env, MakeEapError(env, error));
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

// A dword value's data: present (DwordValue reads undefined as 0).
Napi::Value RequiredData(Napi::Env env, Napi::Value data) {
  if (data.IsUndefined()) throw MissingField(env, "data", "a number");
  return data;
}

}  // namespace

Napi::Value seam::RegistryRead(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RegistryReadArgs args = ReadRegistryReadArgs(object);
  CheckMethodsKey(env, args.key, true);
  bool exists = false;
  RegistryKeyState state;
  EapErrorInfo error;
  if (!ReadMachineKey(args.key, &exists, &state, &error)) ThrowEapError(env, error);
  if (!exists) return env.Null();
  Napi::Array values = Napi::Array::New(env, state.values.size());
  for (size_t i = 0; i < state.values.size(); ++i) {
    const RegistryValue& value = state.values[i];
    RegistryValueShapeWriter entry(env);
    entry.name(value.name);
    entry.type(value.type);
    if (value.type == "dword") entry.data(Napi::Number::New(env, value.number));
    else if (value.type != "other") entry.data(ToString(env, value.text));
    values.Set(static_cast<uint32_t>(i), entry.Make());
  }
  Napi::Array subkeys = Napi::Array::New(env, state.subkeys.size());
  for (size_t i = 0; i < state.subkeys.size(); ++i) subkeys.Set(static_cast<uint32_t>(i), ToString(env, state.subkeys[i]));
  RegistryKeyShapeWriter out(env);
  out.values(values);
  out.subkeys(subkeys);
  return out.Make();
}

Napi::Value seam::RegistryWrite(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RegistryWriteArgs args = ReadRegistryWriteArgs(object);
  std::vector<RegistryValue> values;
  for (RegistryWriteValue& entry : args.values) {
    RegistryValue value;
    value.name = std::move(entry.name);
    value.type = std::move(entry.type);
    // `data` is a number or a text by the value's type.
    if (value.type == "dword") value.number = DwordValue(env, RequiredData(env, entry.data), "data");
    else if (value.type == "sz" || value.type == "expandSz") value.text = WideValue(env, entry.data, "data");
    else throw Napi::TypeError::New(env, "a registry value's type must be 'sz', 'expandSz' or 'dword'");
    values.push_back(std::move(value));
  }
  CheckMethodsKey(env, args.key);
  EapErrorInfo error;
  if (!WriteMachineValues(args.key, values, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

Napi::Value seam::RegistryDelete(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RegistryDeleteArgs args = ReadRegistryDeleteArgs(object);
  EapErrorInfo error;
  if (!args.values) {
    CheckMethodsKey(env, args.key);
    if (!DeleteMachineKey(args.key, &error)) ThrowEapError(env, error);
    return env.Undefined();
  }
  CheckMethodsKey(env, args.key);
  if (!DeleteMachineValues(args.key, *args.values, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

Napi::Value seam::FileSecurity(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  FileSecurityArgs args = ReadFileSecurityArgs(object);
  eaphost::FileSecurity security;
  EapErrorInfo error;
  if (!ReadFileSecurity(args.path, &security, &error)) ThrowEapError(env, error);
  Napi::Array aces = Napi::Array::New(env, security.aces.size());
  for (size_t i = 0; i < security.aces.size(); ++i) {
    const SecurityAce& ace = security.aces[i];
    SecurityAceShapeWriter entry(env);
    entry.allow(ace.allow);
    entry.sid(ace.sid);
    entry.mask(ace.mask);
    entry.flags(ace.flags);
    aces.Set(static_cast<uint32_t>(i), entry.Make());
  }
  FileSecurityShapeWriter out(env);
  out.owner(security.owner);
  out.nullDacl(security.nullDacl);
  out.aces(aces);
  out.otherAces(security.otherAces);
  return out.Make();
}

Napi::Value seam::SetFileSecurity(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  SetFileSecurityArgs args = ReadSetFileSecurityArgs(object);
  EapErrorInfo error;
  if (!WriteFileSecurity(args.path, args.sddl, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

Napi::Value seam::WindowsPlatform(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  eaphost::WindowsPlatform platform;
  EapErrorInfo error;
  if (!ReadWindowsPlatform(&platform, &error)) ThrowEapError(env, error);
  WindowsPlatformShapeWriter out(env);
  out.nativeMachine(platform.nativeMachine);
  out.processMachine(platform.processMachine);
  out.wine(platform.wine);
  out.programFiles(ToString(env, platform.programFiles));
  out.consoleCodePage(platform.consoleCodePage);
  return out.Make();
}

// serviceControl({ service, action, timeoutMs }): { state, dependents: [{ name, state }] }, the
// SCM's state numbers (SERVICE_STOPPED 1 ... SERVICE_PAUSED 7).
Napi::Value seam::ServiceControl(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  ServiceControlArgs args = ReadServiceControlArgs(object);
  ServiceAction action = ServiceAction::kQuery;
  if (args.action == "stop") {
    action = ServiceAction::kStop;
  } else if (args.action == "start") {
    action = ServiceAction::kStart;
  } else if (args.action != "query") {
    throw Napi::TypeError::New(env, "serviceControl: action is 'query', 'stop' or 'start'");
  }
  if (args.service.empty()) throw Napi::TypeError::New(env, "serviceControl: service is a service's name");
  ServiceState state;
  EapErrorInfo error;
  if (!ControlWindowsService(args.service, action, args.timeoutMs, &state, &error)) ThrowEapError(env, error);
  Napi::Array dependents = Napi::Array::New(env, state.dependents.size());
  for (size_t i = 0; i < state.dependents.size(); ++i) {
    ServiceDependentShapeWriter dependent(env);
    dependent.name(state.dependents[i].name);
    dependent.state(state.dependents[i].state);
    dependents.Set(static_cast<uint32_t>(i), dependent.Make());
  }
  ServiceStateShapeWriter out(env);
  out.state(state.state);
  out.dependents(dependents);
  return out.Make();
}

Napi::Value seam::DeleteAtReboot(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  DeleteAtRebootArgs args = ReadDeleteAtRebootArgs(object);
  EapErrorInfo error;
  if (!eaphost::DeleteAtReboot(args.path, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

namespace {

// Only the two values Session Manager processes at boot: nothing else under HKLM is this call's.
void CheckPendingRenamesValue(Napi::Env env, const std::u16string& value) {
  if (value != u"PendingFileRenameOperations" && value != u"PendingFileRenameOperations2") {
    throw Napi::TypeError::New(env, "value must be PendingFileRenameOperations or PendingFileRenameOperations2");
  }
}

// The largest value accepted for writing: Session Manager's lists are a few kilobytes; a registry
// value is limited to what fits in available memory, and RegSetValueExW takes a DWORD size.
constexpr size_t kMaxPendingRenamesBytes = 16u << 20;

}  // namespace

Napi::Value seam::PendingRenamesRead(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  PendingRenamesReadArgs args = ReadPendingRenamesReadArgs(object);
  CheckPendingRenamesValue(env, args.value);
  bool exists = false;
  std::vector<uint8_t> data;
  EapErrorInfo error;
  if (!ReadPendingRenames(args.value, &exists, &data, &error)) ThrowEapError(env, error);
  if (!exists) return env.Null();
  return Napi::Buffer<uint8_t>::Copy(env, data.data(), data.size());
}

Napi::Value seam::PendingRenamesWrite(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  PendingRenamesWriteArgs args = ReadPendingRenamesWriteArgs(object);
  CheckPendingRenamesValue(env, args.value);
  // A REG_MULTI_SZ: whole UTF-16 units, ending in two NULs (the last string's and the list's).
  size_t size = args.data.size();
  bool multiSz = size == 0 || (size % 2 == 0 && size >= 4 && args.data[size - 1] == 0 && args.data[size - 2] == 0 &&
                               args.data[size - 3] == 0 && args.data[size - 4] == 0);
  if (!multiSz) throw Napi::RangeError::New(env, "data must be a REG_MULTI_SZ: UTF-16LE strings, each ending in NUL, then a NUL");
  if (size > kMaxPendingRenamesBytes) throw Napi::RangeError::New(env, "data is larger than 16 MiB");
  EapErrorInfo error;
  if (!WritePendingRenames(args.value, args.data, &error)) ThrowEapError(env, error);
  return env.Undefined();
}

}  // namespace eaphost
