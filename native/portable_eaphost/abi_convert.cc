#include "abi_convert.h"

#include <cstring>

#include "../common/utf16.h"
#include "ownership_ledger.h"
#include "runtime_memory.h"

namespace eaphost {
namespace portable {

namespace {

// Plans one allocation: parts are reserved first (with their alignment), then placed.
class BlockPlan {
 public:
  std::size_t Reserve(std::size_t size, std::size_t align) {
    size_ = (size_ + align - 1) / align * align;
    std::size_t offset = size_;
    size_ += size;
    return offset;
  }
  std::size_t ReserveWide(const std::u16string& text) {
    return Reserve((text.size() + 1) * sizeof(eap::WCHAR), alignof(eap::WCHAR));
  }
  unsigned char* Allocate() const {
    return static_cast<unsigned char*>(AllocateCallerMemory(size_ == 0 ? 1 : size_));
  }

 private:
  std::size_t size_ = 0;
};

// The block is zero-filled, so the terminator is already there.
eap::LPWSTR PlaceWide(unsigned char* block, std::size_t offset, const std::u16string& text) {
  auto* out = reinterpret_cast<eap::WCHAR*>(block + offset);
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = static_cast<eap::WCHAR>(text[i]);
  return out;
}

std::u16string RootCauseText(const EapErrorInfo& info) {
  std::u16string text = info.rootCauseString;
  if (text.empty()) {
    text = Utf8ToUtf16((info.call.empty() ? std::string("EAPHost call") : info.call) +
                       " failed with error " + std::to_string(info.win32Error));
  }
  // Hosts usually name the refused state in their message already; say it once.
  std::u16string state = Utf8ToUtf16(info.state);
  if (!state.empty() && text.find(state) == std::u16string::npos) {
    text += u" (state: " + state + u")";
  }
  return text;
}

// Attribute array plus values, placed at `arrayOffset` / `valueOffsets`.
struct AttributePlan {
  std::size_t arrayOffset = 0;
  std::vector<std::size_t> valueOffsets;
};

AttributePlan PlanAttributes(BlockPlan* plan, const Attributes& attributes) {
  AttributePlan out;
  out.arrayOffset =
      plan->Reserve(attributes.size() * sizeof(eap::EAP_ATTRIBUTE), alignof(eap::EAP_ATTRIBUTE));
  for (const auto& attribute : attributes) {
    out.valueOffsets.push_back(plan->Reserve(attribute.value.size(), 1));
  }
  return out;
}

eap::EAP_ATTRIBUTE* PlaceAttributes(unsigned char* block, const AttributePlan& plan,
                                    const Attributes& attributes) {
  auto* array = reinterpret_cast<eap::EAP_ATTRIBUTE*>(block + plan.arrayOffset);
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const Bytes& value = attributes[i].value;
    array[i].eaType = attributes[i].type;
    array[i].dwLength = static_cast<eap::DWORD>(value.size());
    array[i].pValue = value.empty() ? nullptr : block + plan.valueOffsets[i];
    if (!value.empty()) std::memcpy(array[i].pValue, value.data(), value.size());
  }
  return array;
}

struct MethodInfoPlan {
  std::size_t author = 0;
  std::size_t friendly = 0;
};

MethodInfoPlan PlanMethodStrings(BlockPlan* plan, const std::u16string& author,
                                 const std::u16string& friendly) {
  MethodInfoPlan out;
  out.author = plan->ReserveWide(author);
  out.friendly = plan->ReserveWide(friendly);
  return out;
}

void PlaceMethodInfo(unsigned char* block, const MethodInfoPlan& plan,
                     const MethodRegistration& registration, const std::u16string& author,
                     const std::u16string& friendly, eap::EAP_METHOD_INFO* info) {
  info->eaptype = registration.type;
  info->pwszAuthorName = PlaceWide(block, plan.author, author);
  info->pwszFriendlyName = PlaceWide(block, plan.friendly, friendly);
  info->eapProperties = registration.properties;
  info->pInnerMethodInfo = nullptr;
}

}  // namespace

eap::EAP_ERROR* NewEapError(const EapErrorInfo& info) {
  std::u16string rootCause = RootCauseText(info);
  BlockPlan plan;
  std::size_t header = plan.Reserve(sizeof(eap::EAP_ERROR), alignof(eap::EAP_ERROR));
  std::size_t rootOffset = plan.ReserveWide(rootCause);
  std::size_t repairOffset = info.repairString.empty() ? 0 : plan.ReserveWide(info.repairString);
  unsigned char* block = plan.Allocate();
  if (block == nullptr) return nullptr;
  auto* error = reinterpret_cast<eap::EAP_ERROR*>(block + header);
  error->dwWinError = info.win32Error;
  error->type = info.methodType;
  error->dwReasonCode = info.reasonCode;
  error->rootCauseGuid = info.rootCauseGuid;
  error->repairGuid = info.repairGuid;
  error->helpLinkGuid = info.helpLinkGuid;
  error->pRootCauseString = PlaceWide(block, rootOffset, rootCause);
  error->pRepairString =
      info.repairString.empty() ? nullptr : PlaceWide(block, repairOffset, info.repairString);
  return error;
}

eap::DWORD ReportError(const EapErrorInfo& info, eap::EAP_ERROR** out) {
  eap::DWORD code = info.win32Error != 0 ? info.win32Error : eap::kErrorInvalidState;
  if (out != nullptr) {
    EapErrorInfo copy = info;
    copy.win32Error = code;
    *out = NewEapError(copy);
    RecordAllocation(*out, true);  // returned through ppEapError: the caller frees it
  }
  return code;
}

eap::BYTE* NewBuffer(const Bytes& bytes) {
  auto* out = static_cast<eap::BYTE*>(AllocateCallerMemory(bytes.empty() ? 1 : bytes.size()));
  if (out != nullptr && !bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out;
}

eap::LPWSTR NewWideString(const std::u16string& text) {
  BlockPlan plan;
  std::size_t offset = plan.ReserveWide(text);
  unsigned char* block = plan.Allocate();
  return block == nullptr ? nullptr : PlaceWide(block, offset, text);
}

eap::EAP_ATTRIBUTES* NewAttributesBlock(const Attributes& attributes) {
  BlockPlan plan;
  std::size_t header = plan.Reserve(sizeof(eap::EAP_ATTRIBUTES), alignof(eap::EAP_ATTRIBUTES));
  AttributePlan items = PlanAttributes(&plan, attributes);
  unsigned char* block = plan.Allocate();
  if (block == nullptr) return nullptr;
  auto* out = reinterpret_cast<eap::EAP_ATTRIBUTES*>(block + header);
  out->dwNumberOfAttributes = static_cast<eap::DWORD>(attributes.size());
  out->pAttribs = attributes.empty() ? nullptr : PlaceAttributes(block, items, attributes);
  return out;
}

eap::EAP_ATTRIBUTE* NewAttributeArray(const Attributes& attributes) {
  if (attributes.empty()) return nullptr;
  BlockPlan plan;
  AttributePlan items = PlanAttributes(&plan, attributes);
  unsigned char* block = plan.Allocate();
  return block == nullptr ? nullptr : PlaceAttributes(block, items, attributes);
}

eap::EAP_METHOD_INFO* NewMethodInfo(const MethodRegistration& registration) {
  return NewMethodInfoArray({&registration});
}

eap::EAP_METHOD_INFO* NewMethodInfoArray(const std::vector<const MethodRegistration*>& methods) {
  BlockPlan plan;
  std::size_t arrayOffset =
      plan.Reserve(methods.size() * sizeof(eap::EAP_METHOD_INFO), alignof(eap::EAP_METHOD_INFO));
  std::vector<std::u16string> authors, names;
  std::vector<MethodInfoPlan> strings;
  for (const MethodRegistration* registration : methods) {
    authors.push_back(Utf8ToUtf16(registration->authorName));
    names.push_back(Utf8ToUtf16(registration->friendlyName));
    strings.push_back(PlanMethodStrings(&plan, authors.back(), names.back()));
  }
  unsigned char* block = plan.Allocate();
  if (block == nullptr) return nullptr;
  auto* array = reinterpret_cast<eap::EAP_METHOD_INFO*>(block + arrayOffset);
  // The array (first in the block, so it is the block) is what the caller frees last; its
  // strings are inner pointers it frees first.
  for (std::size_t i = 0; i < methods.size(); ++i) {
    PlaceMethodInfo(block, strings[i], *methods[i], authors[i], names[i], &array[i]);
    RecordInnerPointer(array, array[i].pwszAuthorName);
    RecordInnerPointer(array, array[i].pwszFriendlyName);
  }
  return array;
}

}  // namespace portable
}  // namespace eaphost
