// The outer documents of EAPHost's configuration API, read and written by the portable
// EAPHost: EapHostConfig (EapMethod, then Config or ConfigBlob) and EapHostUserCredentials
// (EapMethod, then Credentials). The method-specific part is cut out as standalone XML for the
// method module, which alone knows its elements.
#pragma once

#include <string>

#include "../abi/eap_types.h"
#include "../common/eap_error_info.h"
#include "../common/xml_tree.h"

namespace eaphost {
namespace portable {

constexpr const char kEapHostConfigNs[] = "http://www.microsoft.com/provisioning/EapHostConfig";
constexpr const char kEapHostCredentialsNs[] = "http://www.microsoft.com/provisioning/EapHostUserCredentials";
constexpr const char kEapCommonNs[] = "http://www.microsoft.com/provisioning/EapCommon";

struct OuterDocument {
  eap::EAP_METHOD_TYPE methodType{};
  // The Config / Credentials element as standalone XML; empty when a ConfigBlob was given.
  std::string methodXml;
  bool hasBlob = false;
  std::string blob;  // ConfigBlob's bytes (hexBinary decoded)
};

// Reads an EapHostConfig (credentials = false) or EapHostUserCredentials document. False with
// *error (ERROR_INVALID_DATA, EAP_E_EAPHOST_XML_MALFORMED) naming what is wrong.
bool ReadOuterDocument(const std::string& text, bool credentials, const char* call, OuterDocument* out,
                       EapErrorInfo* error);

// An EapHostConfig document around the method's Config element text (or its own element,
// which is then put inside a Config element).
bool WriteEapHostConfig(const eap::EAP_METHOD_TYPE& type, const std::string& methodXml, const char* call,
                        std::string* out, EapErrorInfo* error);

// Clears text that may hold secrets.
void WipeText(std::string* text);

}  // namespace portable
}  // namespace eaphost
