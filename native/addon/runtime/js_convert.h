// Conversions at the JS boundary. Every buffer crossing into JS is copied
// (Napi::Buffer::Copy): external buffers crash Electron >= 21 and would tie JS lifetimes to
// native memory. Argument checks here are the native layer's last line; lib/ validates first
// and gives the typed errors users see.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include <napi.h>

#include "../../common/eap_error_info.h"
#include "../../hosts/peer_method_host.h"

namespace eaphost {

Napi::Value MakeEapError(Napi::Env env, const EapErrorInfo& error);
// An error as Node's own calls throw one: its message and `code` (an ERR_* name, or the system
// error's), and `errno` when a system call failed (`errnum` not 0). Every binding's coded error.
Napi::Error CodedError(Napi::Env env, const std::string& message, const std::string& code, int errnum = 0);
// A RangeError an option check throws, as lib/core/option-error.ts makes one: `option` (its path,
// "attributes[2].value") and `detail` (what is wrong with it) set apart, its message the two joined
// by ": ", so a caller names the option its own way without reading the words.
Napi::Error OptionRangeError(Napi::Env env, const std::string& option, const std::string& detail);

// A property name as a JS string, made and internalized once per environment (`name` must be a
// string literal: it is remembered by address). Setting a property by a C string makes a new
// string and looks it up in V8's string table on every call; on the path of every completion
// that was most of the cost of building result objects field by field.
Napi::Value PropertyKey(Napi::Env env, const char* name);
template <typename T>
void SetField(Napi::Object object, const char* name, T&& value) {
  object.Set(PropertyKey(object.Env(), name), std::forward<T>(value));
}
// Reading is the other way round: napi_get_named_property finds the name already internalized,
// which costs a quarter less than fetching the kept key from its array (an element read through
// N-API) and then the property; every argument object's fields are read here.
inline Napi::Value GetField(Napi::Object object, const char* name) {
  napi_value value = nullptr;
  napi_status status = napi_get_named_property(object.Env(), object, name, &value);
  NAPI_THROW_IF_FAILED(object.Env(), status, Napi::Value());
  return Napi::Value(object.Env(), value);
}

// A method of an object that owns native state (a RADIUS lane, an EAPOL port): the function
// holds a shared_ptr to the state until V8 collects the function, so a call after close()
// still finds the state and answers from its own closed flag.
template <typename Owner>
void AddOwnedMethod(Napi::Env env, Napi::Object target, const char* name,
                    Napi::Value (*method)(const Napi::CallbackInfo&), const std::shared_ptr<Owner>& owner) {
  auto* holder = new std::shared_ptr<Owner>(owner);
  Napi::Function function = Napi::Function::New(env, method, name, holder);
  function.AddFinalizer([](Napi::Env, std::shared_ptr<Owner>* held) { delete held; }, holder);
  target.Set(name, function);
}
template <typename Owner>
Owner& OwnerOf(const Napi::CallbackInfo& info) {
  return **static_cast<std::shared_ptr<Owner>*>(info.Data());
}
// The same, shared: for what must keep the owner alive beyond the call.
template <typename Owner>
std::shared_ptr<Owner> SharedOwnerOf(const Napi::CallbackInfo& info) {
  return *static_cast<std::shared_ptr<Owner>*>(info.Data());
}

std::string GuidToString(const eap::GUID& guid);
bool GuidFromString(const std::string& text, eap::GUID* guid);

Napi::Buffer<uint8_t> ToBuffer(Napi::Env env, const Bytes& bytes);
// An array of Buffers, one copy each (a chain of certificates).
Napi::Array ToBufferArray(Napi::Env env, const std::vector<Bytes>& list);
// A text that recurs in every result that names it (a method's friendly name, its author's): one
// JS string per text and environment, made once, for the few dozen texts an environment sees;
// past those, a new string each time.
Napi::Value RecurringText(Napi::Env env, const std::u16string& text);
Napi::Object ToMethodType(Napi::Env env, const eap::EAP_METHOD_TYPE& type);
Napi::String ToString(Napi::Env env, const std::u16string& text);
// ToBuffer and ToAttributes (below) in the form a CallOn settle takes (host_call.h): the output by reference.
inline Napi::Value SettleBytes(Napi::Env env, Bytes& bytes) { return ToBuffer(env, bytes); }

// The result objects every authentication makes several of are built by JS functions lib/
// registers (configure's resultShapes; lib/native/generated/result-shapes.ts), given their slots in one
// call: an object literal gets its final hidden class at once, where fields set one by one from
// here each take V8's generic path (a lookup and a map transition per field), and a result with
// parts is made in one call into JS. Each shape's slots, and the writer that sets them by name,
// are generated from seam/seam.js (generated/result_shapes.h). Attribute lists travel packed
// (PackAttributes): the shape's `packed` slab, then each list as the byte it starts at and its count.
// configure's resultShapes: one function per registered shape name (RegisteredSeam, bindings.h).
void SetResultShapes(Napi::Env env, Napi::Value builders);
// Shape `shape` (its index among the registered names) built from `count` slots by its
// registered builder; a TypeError when lib/ has not registered it. The generated writers'
// Make() calls it.
Napi::Object MakeShaped(Napi::Env env, size_t shape, const napi_value* fields, size_t count);

// The attribute lists of one result, packed, which the builders cut into views: per attribute
// its type and its value's length (32 bits each, little-endian), then the value, the lists one
// after another from byte `at` of `buffer`. The bytes go into the environment's current slab
// (AddonState::attributeSlab), a Buffer many results share, as Node's own pool does: a Buffer of
// their own cost every result a backing store, which each young-generation collection then swept,
// up to half its pause under load. `buffer` is undefined when every list is empty.
struct PackedAttributes {
  Napi::Value buffer;
  size_t at;
};
// The same layout for any list of (key, bytes) entries: ReserveSlab takes `total` bytes (8 and
// the value's length per entry) of the slab, PutEntry packs one entry at `at` and moves it on.
struct SlabSpace {
  PackedAttributes packed;
  uint8_t* data;
};
SlabSpace ReserveSlab(Napi::Env env, size_t total);
void PutEntry(uint8_t*& at, uint32_t key, const uint8_t* value, size_t size);

// Any lists of attributes packed this way: EAP's { type, value } entries, the RADIUS client's,
// or RADIUS's (type, value) pairs. One copy and no call into JS per list: a copy and a call each
// made an MS-CHAPv2 result's attributes a tenth of the JS thread's work per in-process
// authentication, and a fifth of the RADIUS client's and the Dynamic Authorization Server's
// JS work per request.
inline uint32_t AttributeKeyOf(const std::pair<uint8_t, Bytes>& attribute) { return attribute.first; }
inline const Bytes& AttributeBytesOf(const std::pair<uint8_t, Bytes>& attribute) { return attribute.second; }
template <typename Attribute>
uint32_t AttributeKeyOf(const Attribute& attribute) {
  return static_cast<uint32_t>(attribute.type);
}
template <typename Attribute>
const Bytes& AttributeBytesOf(const Attribute& attribute) {
  return attribute.value;
}
// How many bytes a list takes in the packed Buffer.
template <typename List>
size_t PackedSize(const List& list) {
  size_t size = 0;
  for (const auto& attribute : list) size += 8 + AttributeBytesOf(attribute).size();
  return size;
}
// The lists one after another, from the returned `at`.
template <typename List>
PackedAttributes PackAttributes(Napi::Env env, std::initializer_list<const List*> lists) {
  size_t total = 0;
  for (const List* list : lists) total += PackedSize(*list);
  if (total == 0) return {env.Undefined(), 0};
  SlabSpace space = ReserveSlab(env, total);
  for (const List* list : lists) {
    for (const auto& attribute : *list) {
      const Bytes& value = AttributeBytesOf(attribute);
      PutEntry(space.data, AttributeKeyOf(attribute), value.data(), value.size());
    }
  }
  return space.packed;
}
template <typename List>
PackedAttributes PackList(Napi::Env env, const List& list) {
  return PackAttributes<List>(env, {&list});
}
// An attribute list alone, and a peer's identity, as results: methods/shaped_results.h.

// Throw a JS TypeError (synchronously) when a value is not what the binding needs: the readers
// named_args.h builds on.
Bytes BytesValue(Napi::Env env, Napi::Value value, const char* name);
// At most `max` of them (the declaration's), checked before any is read.
Attributes AttributesValue(Napi::Env env, Napi::Value value, const char* name, uint32_t max);
eap::DWORD DwordValue(Napi::Env env, Napi::Value value, const char* name);
std::string StringValue(Napi::Env env, Napi::Value value, const char* name);
eap::EAP_METHOD_TYPE MethodTypeValue(Napi::Env env, Napi::Value value);
// A string that may be a secret (a password), read in place into *out (undefined reads as
// empty). The owner wipes it (SecureZeroContents) when done.
void ReadSecretText(Napi::Env env, Napi::Value value, const char* name, std::u16string* out);
// The options every peer session begins with, through a method module (EapPeerBeginSession) or
// through EAPHost (EapHostPeerBeginSession): { flags, attributes, connectionData, userData,
// maxSendPacketSize }. userData may hold credentials: whoever ends up with it wipes it.
struct PeerSessionOptions {
  eap::DWORD flags = 0;
  Attributes attributes;
  Bytes connectionData;
  Bytes userData;
  eap::DWORD maxSendPacketSize = 0;
};

}  // namespace eaphost
