#include "standin_onex.h"

#include <cstring>
#include <string>

#include "../../../native/abi/onex_types.h"

namespace eaphost {
namespace wlan_standin {

namespace {

// A UTF-16 string with its NUL, as a blob's bytes.
std::vector<BYTE> Utf16Bytes(const std::u16string& text) {
  std::vector<BYTE> bytes((text.size() + 1) * 2, 0);
  if (!text.empty()) std::memcpy(bytes.data(), text.data(), text.size() * 2);
  return bytes;
}

}  // namespace

DWORD CompletionReason(const ConversationResult& result) {
  if (result.success) return 0;  // L2_REASON_CODE_SUCCESS
  return result.eapFailureReceived ? static_cast<DWORD>(eap::ONEX_EAP_FAILURE_RECEIVED)
                                   : static_cast<DWORD>(eap::ONEX_UI_DISABLED);
}

DWORD OnexResultUpdateCode() { return eap::OneXNotificationTypeResultUpdate; }

std::vector<BYTE> OnexResultData(bool final, const ConversationResult& result) {
  eap::ONEX_RESULT_UPDATE_DATA update{};
  update.BackendSupport = eap::OneXEapMethodBackendSupported;
  update.fBackendEngaged = TRUE;
  update.oneXStatus.authStatus = !final ? eap::OneXAuthInProgress : result.success ? eap::OneXAuthSuccess : eap::OneXAuthFailure;
  update.oneXStatus.dwReason = final && !result.success ? CompletionReason(result) : 0;
  update.oneXStatus.dwError = final && !result.success ? result.winError : 0;
  std::vector<BYTE> data(sizeof update, 0);
  if (final && result.hasEapError) {
    // ONEX_EAP_ERROR right after the update, its strings right after it: each blob's offset
    // counts from the structure that holds it (onex_types.h).
    std::vector<BYTE> rootCause = Utf16Bytes(result.rootCause);
    std::vector<BYTE> repair = Utf16Bytes(result.repair);
    eap::ONEX_EAP_ERROR error{};
    error.dwWinError = result.winError;
    error.type.eapType.type = static_cast<eap::BYTE>(result.type);
    error.type.eapType.dwVendorId = result.vendorId;
    error.type.eapType.dwVendorType = result.vendorType;
    error.type.dwAuthorId = result.authorId;
    error.dwReasonCode = result.reasonCode;
    error.fRootCauseString = result.rootCause.empty() ? 0 : 1;
    error.fRepairString = result.repair.empty() ? 0 : 1;
    error.RootCauseString = {static_cast<DWORD>(rootCause.size()), sizeof error};
    error.RepairString = {static_cast<DWORD>(repair.size()), static_cast<DWORD>(sizeof error + rootCause.size())};
    update.fEapError = 1;
    update.eapError = {static_cast<DWORD>(sizeof error + rootCause.size() + repair.size()), sizeof update};
    data.resize(sizeof update + update.eapError.dwSize);
    std::memcpy(data.data() + sizeof update, &error, sizeof error);
    std::memcpy(data.data() + sizeof update + sizeof error, rootCause.data(), rootCause.size());
    std::memcpy(data.data() + sizeof update + sizeof error + rootCause.size(), repair.data(), repair.size());
  }
  std::memcpy(data.data(), &update, sizeof update);
  return data;
}

}  // namespace wlan_standin
}  // namespace eaphost
