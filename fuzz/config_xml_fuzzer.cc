// The method modules' configuration XML (EapHostMethodConfig / EapHostMethodCredentials) on
// arbitrary documents, for every shipped type: a document that converts must round-trip, blob
// to XML to the same blob (the fixed point the configuration API promises), and a refusal must
// be a MethodFailure, never a crash.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../native/methods/support/config_xml.h"
#include "../native/methods/support/method_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (eap::BYTE type : {eap::BYTE{4}, eap::BYTE{13}, eap::BYTE{21}, eap::BYTE{25}}) {
    eaphost::SecretBytes blob;
    try {
      eaphost::ConfigXmlToBlob(type, text, &blob);
    } catch (const eaphost::MethodFailure&) {
      continue;
    }
    std::string written = eaphost::ConfigBlobToXml(type, blob.data(), static_cast<eap::DWORD>(blob.size()));
    eaphost::SecretBytes again;
    eaphost::ConfigXmlToBlob(type, written, &again);  // a throw here is a finding
    if (again.size() != blob.size() || (blob.size() != 0 && std::memcmp(again.data(), blob.data(), blob.size()) != 0)) {
      std::abort();
    }
  }
  try {
    std::string identity;
    eaphost::SecretBytes password;
    eaphost::CredentialsXmlToFields(26, text, &identity, &password);
  } catch (const eaphost::MethodFailure&) {
  }
  return 0;
}
