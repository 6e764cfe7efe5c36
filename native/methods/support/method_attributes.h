// Attribute arrays a method hands to its host (RESPOND questions, result attributes), built as
// ONE block of method memory so the host frees each with a single Free*Memory call.
#pragma once

#include <vector>

#include "../../common/mppe_attributes.h"
#include "../method.h"

namespace eaphost {

// The keys as EAP methods hand them to EAPHost: MS-MPPE-Recv-Key = first half of the MSK and
// MS-MPPE-Send-Key = second half, each a Vendor-Specific value in clear
//   Vendor-Id(4) Vendor-Type(1) Vendor-Length(1) Salt(2)=0 Key-Length(1) Key
// (the RADIUS layer salts and hides them), then the EMSK when the method defines one, then the
// Session-Id (eatSessionId) when the method defines one, then eatFastRoamedSession (a 4-byte
// little-endian BOOL: the TLS session was resumed) when the method is TLS-based.
std::vector<MethodAttribute> KeyAttributes(const MethodKeys& keys);

// The array in method memory (GetAttributes' pAttribs); nullptr for an empty list.
// Throws std::bad_alloc.
eap::EAP_ATTRIBUTE* AllocateAttributeBlock(const std::vector<MethodAttribute>& attributes);
// An EapAttributes header with its array and values in the same block (a result's
// pAttribArray / pAuthAttribs); nullptr for an empty list. Throws std::bad_alloc.
eap::EapAttributes* AllocateAttributeList(const std::vector<MethodAttribute>& attributes);

// A Vendor-Specific value: Vendor-Id(4, big-endian) Vendor-Type(1) Vendor-Length(1) data.
std::vector<std::uint8_t> VendorSpecific(eap::DWORD vendorId, eap::BYTE vendorType,
                                         ByteSpan data);
// The data of a Vendor-Specific value with this vendor and type, when `value` is one.
bool ReadVendorSpecific(const eap::EAP_ATTRIBUTE& attribute, eap::DWORD vendorId,
                        eap::BYTE vendorType, ByteSpan* data);

}  // namespace eaphost
