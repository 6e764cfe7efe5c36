#include "method_refusal.h"

#include "utf16.h"

namespace eaphost {

namespace {
void PutDword(std::vector<std::uint8_t>* out, std::uint32_t value) {
  out->push_back(static_cast<std::uint8_t>(value >> 24));
  out->push_back(static_cast<std::uint8_t>(value >> 16));
  out->push_back(static_cast<std::uint8_t>(value >> 8));
  out->push_back(static_cast<std::uint8_t>(value));
}

void PutText(std::vector<std::uint8_t>* out, const std::string& text) {
  const std::size_t size = text.size() < kMaxRefusalText ? text.size() : kMaxRefusalText;
  PutDword(out, static_cast<std::uint32_t>(size));
  out->insert(out->end(), text.begin(), text.begin() + static_cast<std::ptrdiff_t>(size));
}

// A bounded reader over the value: every read checks what is left first.
struct Reader {
  const eap::BYTE* at;
  std::size_t left;
  bool Dword(std::uint32_t* value) {
    if (left < 4) return false;
    *value = static_cast<std::uint32_t>(at[0]) << 24 | static_cast<std::uint32_t>(at[1]) << 16 |
             static_cast<std::uint32_t>(at[2]) << 8 | at[3];
    at += 4;
    left -= 4;
    return true;
  }
  bool Text(std::string* text) {
    std::uint32_t size = 0;
    if (!Dword(&size) || size > left || size > kMaxRefusalText) return false;
    text->assign(reinterpret_cast<const char*>(at), size);
    at += size;
    left -= size;
    return true;
  }
};
}  // namespace

std::vector<std::uint8_t> EncodeRefusal(eap::DWORD winError, eap::DWORD reasonCode, const std::string& rootCause,
                                        const std::string& repair) {
  std::vector<std::uint8_t> out;
  PutDword(&out, kRefusalVendorId);
  out.push_back(kRefusalVendorType);
  out.push_back(0);
  PutDword(&out, winError);
  PutDword(&out, reasonCode);
  PutText(&out, rootCause);
  PutText(&out, repair);
  return out;
}

bool DecodeRefusal(const eap::EAP_ATTRIBUTE& attribute, const char* call, EapErrorInfo* error) {
  if (attribute.eaType != eap::eatVendorSpecific || attribute.pValue == nullptr) return false;
  Reader read{attribute.pValue, attribute.dwLength};
  std::uint32_t vendor = 0;
  if (!read.Dword(&vendor) || vendor != kRefusalVendorId || read.left < 2 || read.at[0] != kRefusalVendorType ||
      read.at[1] != 0) {
    return false;
  }
  read.at += 2;
  read.left -= 2;
  std::uint32_t winError = 0;
  std::uint32_t reasonCode = 0;
  std::string rootCause;
  std::string repair;
  if (!read.Dword(&winError) || !read.Dword(&reasonCode) || !read.Text(&rootCause) || !read.Text(&repair) ||
      read.left != 0) {
    return false;
  }
  EapErrorInfo info;
  info.win32Error = winError;
  info.reasonCode = reasonCode;
  info.rootCauseString = Utf8ToUtf16(rootCause);
  info.repairString = Utf8ToUtf16(repair);
  info.call = call;
  info.origin = ErrorOrigin::kMethod;
  *error = std::move(info);
  return true;
}

}  // namespace eaphost
