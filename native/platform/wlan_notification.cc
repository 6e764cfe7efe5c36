#include "wlan_notification.h"

#include <cstring>

#include "../abi/onex_types.h"
#include "../common/utf16.h"

namespace eaphost {

namespace {

// Whether [offset, offset + size) lies inside [0, limit), in 64 bits so no sum wraps.
bool Inside(uint64_t offset, uint64_t size, uint64_t limit) { return offset <= limit && size <= limit - offset; }

// A variable part follows its holder's fixed part and stays inside the holder.
bool Follows(const eap::ONEX_VARIABLE_BLOB& blob, uint64_t fixedSize, uint64_t holderSize) {
  return blob.dwOffset >= fixedSize && Inside(blob.dwOffset, blob.dwSize, holderSize);
}

// A UTF-16 string blob of the ONEX_EAP_ERROR that starts `base` bytes into the notification
// (`holderSize` its blob's size): copied up to its first NUL, at most kNoticeTextLimit units.
bool BlobText(const unsigned char* data, uint32_t dataSize, uint64_t base, uint64_t holderSize,
              const eap::ONEX_VARIABLE_BLOB& blob, std::string* out, std::string* problem, const char* what) {
  if (!Follows(blob, sizeof(eap::ONEX_EAP_ERROR), holderSize) || !Inside(base + blob.dwOffset, blob.dwSize, dataSize)) {
    *problem = std::string(what) + " lies outside its structure";
    return false;
  }
  std::size_t units = blob.dwSize / 2;
  if (units > kNoticeTextLimit) units = kNoticeTextLimit;
  std::u16string text(units, u'\0');
  std::memcpy(&text[0], data + base + blob.dwOffset, units * 2);
  std::size_t end = text.find(u'\0');
  if (end != std::u16string::npos) text.resize(end);
  *out = Utf16ToUtf8(text);
  return true;
}

void DecodeResultUpdate(const unsigned char* data, uint32_t size, WlanNotice* notice) {
  eap::ONEX_RESULT_UPDATE_DATA update;
  if (size < sizeof update) {
    notice->problem = "ONEX_RESULT_UPDATE_DATA needs " + std::to_string(sizeof update) + " bytes, the notification has " +
                      std::to_string(size);
    return;
  }
  std::memcpy(&update, data, sizeof update);
  notice->hasOnexStatus = true;
  notice->authStatus = static_cast<uint32_t>(update.oneXStatus.authStatus);
  notice->onexReason = update.oneXStatus.dwReason;
  notice->onexError = update.oneXStatus.dwError;
  notice->backendEngaged = update.fBackendEngaged != 0;
  if (update.fEapError == 0) return;
  // The eapError blob counts from the start of ONEX_RESULT_UPDATE_DATA, which is the
  // notification's own start.
  const eap::ONEX_VARIABLE_BLOB& blob = update.eapError;
  if (blob.dwSize < sizeof(eap::ONEX_EAP_ERROR) || !Follows(blob, sizeof update, size)) {
    notice->problem = "the eapError blob (offset " + std::to_string(blob.dwOffset) + ", size " +
                      std::to_string(blob.dwSize) + ") does not hold an ONEX_EAP_ERROR inside the notification's " +
                      std::to_string(size) + " bytes";
    return;
  }
  eap::ONEX_EAP_ERROR error;
  std::memcpy(&error, data + blob.dwOffset, sizeof error);
  notice->hasEapError = true;
  notice->eapWinError = error.dwWinError;
  notice->eapReasonCode = error.dwReasonCode;
  notice->eapType = error.type.eapType.type;
  notice->eapAuthorId = error.type.dwAuthorId;
  // The strings count from the start of the ONEX_EAP_ERROR and stay inside its blob.
  if (error.fRootCauseString != 0 &&
      !BlobText(data, size, blob.dwOffset, blob.dwSize, error.RootCauseString, &notice->rootCause, &notice->problem,
                "RootCauseString")) {
    return;
  }
  if (error.fRepairString != 0) {
    BlobText(data, size, blob.dwOffset, blob.dwSize, error.RepairString, &notice->repair, &notice->problem, "RepairString");
  }
}

}  // namespace

void DecodeOnexNotice(uint32_t code, const void* data, uint32_t size, WlanNotice* notice) {
  notice->source = "onex";
  notice->code = code;
  const auto* bytes = static_cast<const unsigned char*>(data);
  if (bytes == nullptr && size != 0) {
    notice->problem = "a notification of " + std::to_string(size) + " bytes with no data";
    return;
  }
  switch (code) {
    case eap::OneXNotificationTypeResultUpdate:
      notice->name = "result_update";
      DecodeResultUpdate(bytes, size, notice);
      return;
    case eap::OneXNotificationTypeAuthRestarted: {
      notice->name = "auth_restarted";
      uint32_t reason = 0;
      if (size < sizeof reason) {
        notice->problem = "an auth restart without its ONEX_AUTH_RESTART_REASON";
        return;
      }
      std::memcpy(&reason, bytes, sizeof reason);
      notice->hasRestartReason = true;
      notice->restartReason = reason;
      return;
    }
    default:
      notice->name = "onex_" + std::to_string(code);
      return;
  }
}

}  // namespace eaphost
