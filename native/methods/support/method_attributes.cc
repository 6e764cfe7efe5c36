#include "method_attributes.h"

#include <cstring>
#include <new>

#include "../../common/secure_zero.h"
#include "method_memory.h"

namespace eaphost {

namespace {
MethodAttribute MppeKey(eap::BYTE vendorType, const std::uint8_t* key, std::size_t size) {
  std::vector<std::uint8_t> data = {0, 0, static_cast<std::uint8_t>(size)};
  data.insert(data.end(), key, key + size);
  MethodAttribute attribute{eap::eatVendorSpecific,
                            VendorSpecific(kMicrosoftVendorId, vendorType,
                                           ByteSpan{data.data(), data.size()})};
  SecureZero(data.data(), data.size());  // callers wipe the attribute itself after use
  return attribute;
}
}  // namespace

std::vector<MethodAttribute> KeyAttributes(const MethodKeys& keys) {
  std::vector<MethodAttribute> out;
  std::size_t half = keys.msk.size() / 2;
  if (half != 0) {
    out.push_back(MppeKey(kMsMppeRecvKey, keys.msk.data(), half));
    out.push_back(MppeKey(kMsMppeSendKey, keys.msk.data() + half, half));
  }
  if (keys.emsk.size() != 0) {
    out.push_back(MethodAttribute{
        eap::eatEMSK, std::vector<std::uint8_t>(keys.emsk.data(), keys.emsk.data() + keys.emsk.size())});
  }
  if (!keys.sessionId.empty()) out.push_back(MethodAttribute{eap::eatSessionId, keys.sessionId});
  if (keys.saysResumed) {
    // A BOOL, as Windows' PEAP reports a fast-reconnected session: 4 bytes, little-endian.
    out.push_back(MethodAttribute{eap::eatFastRoamedSession,
                                  std::vector<std::uint8_t>{keys.resumed ? std::uint8_t{1} : std::uint8_t{0}, 0, 0, 0}});
  }
  return out;
}

namespace {
// `header` bytes reserved at the front of the block (for an EapAttributes), then the array,
// then the values.
void* AllocateWithArray(const std::vector<MethodAttribute>& attributes, std::size_t header,
                        eap::EAP_ATTRIBUTE** arrayOut) {
  std::size_t size = header + attributes.size() * sizeof(eap::EAP_ATTRIBUTE);
  for (const MethodAttribute& attribute : attributes) size += attribute.value.size();
  auto* block = static_cast<eap::BYTE*>(AllocateMethodMemory(size));
  if (block == nullptr) throw std::bad_alloc();
  auto* array = reinterpret_cast<eap::EAP_ATTRIBUTE*>(block + header);
  auto* values = reinterpret_cast<eap::BYTE*>(array + attributes.size());
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const std::vector<std::uint8_t>& value = attributes[i].value;
    array[i].eaType = attributes[i].type;
    array[i].dwLength = static_cast<eap::DWORD>(value.size());
    array[i].pValue = value.empty() ? nullptr : values;
    if (!value.empty()) std::memcpy(values, value.data(), value.size());
    values += value.size();
  }
  *arrayOut = array;
  return block;
}

// Rounded so the array after the header stays aligned.
constexpr std::size_t kListHeader =
    (sizeof(eap::EapAttributes) + alignof(eap::EAP_ATTRIBUTE) - 1) / alignof(eap::EAP_ATTRIBUTE) *
    alignof(eap::EAP_ATTRIBUTE);
}  // namespace

eap::EAP_ATTRIBUTE* AllocateAttributeBlock(const std::vector<MethodAttribute>& attributes) {
  if (attributes.empty()) return nullptr;
  eap::EAP_ATTRIBUTE* array = nullptr;
  AllocateWithArray(attributes, 0, &array);
  return array;
}

eap::EapAttributes* AllocateAttributeList(const std::vector<MethodAttribute>& attributes) {
  if (attributes.empty()) return nullptr;
  eap::EAP_ATTRIBUTE* array = nullptr;
  auto* list = static_cast<eap::EapAttributes*>(AllocateWithArray(attributes, kListHeader, &array));
  list->dwNumberOfAttributes = static_cast<eap::DWORD>(attributes.size());
  list->pAttribs = array;
  return list;
}

std::vector<std::uint8_t> VendorSpecific(eap::DWORD vendorId, eap::BYTE vendorType,
                                         ByteSpan data) {
  std::vector<std::uint8_t> value = {
      static_cast<std::uint8_t>(vendorId >> 24), static_cast<std::uint8_t>(vendorId >> 16),
      static_cast<std::uint8_t>(vendorId >> 8),  static_cast<std::uint8_t>(vendorId),
      vendorType, static_cast<std::uint8_t>(2 + data.size)};
  value.resize(6 + data.size);
  if (data.size != 0) std::memcpy(value.data() + 6, data.data, data.size);
  return value;
}

bool ReadVendorSpecific(const eap::EAP_ATTRIBUTE& attribute, eap::DWORD vendorId,
                        eap::BYTE vendorType, ByteSpan* data) {
  if (attribute.eaType != eap::eatVendorSpecific || attribute.pValue == nullptr ||
      attribute.dwLength < 6) {
    return false;
  }
  const eap::BYTE* v = attribute.pValue;
  eap::DWORD id = (static_cast<eap::DWORD>(v[0]) << 24) | (static_cast<eap::DWORD>(v[1]) << 16) |
                  (static_cast<eap::DWORD>(v[2]) << 8) | v[3];
  // Vendor-Length covers Vendor-Type, itself and the data, and must fit the attribute.
  if (id != vendorId || v[4] != vendorType || v[5] < 2 ||
      static_cast<eap::DWORD>(v[5]) + 4 > attribute.dwLength) {
    return false;
  }
  *data = ByteSpan{v + 6, static_cast<std::size_t>(v[5] - 2)};
  return true;
}

}  // namespace eaphost
