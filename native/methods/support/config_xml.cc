#include "config_xml.h"

#include <algorithm>

#include "../../common/xml_tree.h"
#include "connection_data_codec.h"
#include "method_error.h"
// The inner methods, from the method table (generated at build time).
#include "method_table.h"

namespace eaphost {

namespace {

using xml::XmlDocument;
using xml::XmlElement;
using CdType = ConnectionDataType;
using CdFlag = ConnectionDataFlag;

constexpr const char kEapHostConfigNamespace[] = "http://www.microsoft.com/provisioning/EapHostConfig";
constexpr const char kEapHostCredentialsNamespace[] =
    "http://www.microsoft.com/provisioning/EapHostUserCredentials";

MethodFailure Malformed(const std::string& why) {
  return MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_XML_MALFORMED, why,
                       "Correct the XML (the README documents this module's elements)"};
}

struct SecretString {
  std::string text;
  ~SecretString() { WipeString(&text); }
  static void WipeString(std::string* s) {
    for (char& c : *s) c = 0;
    s->clear();
  }
};

// The method's own element: the root itself, or the one child of the outer element.
const XmlElement& MethodElement(const XmlDocument& document, const char* outerNamespace,
                                const char* outerName, const char* ownNamespace,
                                const char* ownName) {
  const XmlElement* element = &document.root();
  // A whole EapHostConfig / EapHostUserCredentials document: its Config / Credentials element.
  if ((element->localName == "EapHostConfig" || element->localName == "EapHostUserCredentials") &&
      element->namespaceUri != ownNamespace) {
    for (std::size_t index : element->children) {
      if (document.at(index).localName == outerName && document.at(index).namespaceUri == outerNamespace) {
        element = &document.at(index);
        break;
      }
    }
  }
  if (element->localName == outerName && element->namespaceUri == outerNamespace) {
    if (element->children.size() != 1) {
      throw Malformed(std::string("<") + outerName + "> must hold exactly one element, <" + ownName +
                      " xmlns=\"" + ownNamespace + "\">; it holds " + Decimal(element->children.size()));
    }
    element = &document.at(element->children[0]);
  }
  if (element->localName != ownName || element->namespaceUri != ownNamespace) {
    throw Malformed("<" + element->localName + "> in namespace \"" + element->namespaceUri +
                    "\" is not <" + ownName + "> in \"" + ownNamespace + "\"");
  }
  return *element;
}

// A read document's character data can hold keys and passwords: wiped when it goes.
struct WipedDocument {
  XmlDocument document;
  ~WipedDocument() {
    for (XmlElement& element : document.elements) SecretString::WipeString(&element.text);
  }
};

void Read(const std::string& text, XmlDocument* document) {
  std::string problem;
  if (!xml::XmlRead(text, xml::XmlLimits(), document, &problem)) throw Malformed("The XML is malformed: " + problem);
}

std::uint16_t TlsVersion(const std::string& text, const char* element) {
  if (text == "1.2") return 0x0303;
  if (text == "1.3") return 0x0304;
  throw Malformed(std::string("<") + element + "> must be 1.2 or 1.3");
}

bool Boolean(const std::string& text, const char* element) {
  if (text == "true") return true;
  if (text == "false") return false;
  throw Malformed(std::string("<") + element + "> must be true or false");
}

void Add(std::vector<ConnectionDataValue>* values, CdType type, const std::string& text) {
  ConnectionDataValue value{type, SecretBytes()};
  value.value.Assign(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  values->push_back(std::move(value));
}

// Which elements apply to which method, as lib/core/connection-data.ts's PEER_KEYS.
bool Applies(eap::BYTE type, const std::string& name) {
  static const char* const kCommon[] = {"Ca", "ServerName", "Insecure", "TlsMin", "TlsMax", "AnonymousIdentity"};
  for (const char* common : kCommon) {
    if (name == common) return true;
  }
  if (type == 13) return name == "Certificate" || name == "PrivateKey" || name == "PrivateKeyPassword" || name == "Pkcs12";
  if (type == 25) return name == "InnerMethod" || name == "RequireCryptoBinding";
  if (type == 21) return name == "InnerMethod" || name == "Phase2";
  return false;
}

std::string PemOf(const std::string& text, const char* element) {
  if (text.size() > kConnectionDataMaxPem) throw Malformed(std::string("<") + element + "> is over " + Decimal(kConnectionDataMaxPem) + " bytes");
  return text;
}

}  // namespace

bool TakesConnectionData(eap::BYTE type) { return type == 13 || type == 21 || type == 25 || type == 55; }

void ConfigXmlToBlob(eap::BYTE type, const std::string& text, SecretBytes* blob) {
  WipedDocument wiped;
  XmlDocument& document = wiped.document;
  Read(text, &document);
  const XmlElement& config = MethodElement(document, kEapHostConfigNamespace, "Config", kConfigNamespace,
                                           "EapHostMethodConfig");
  if (!TakesConnectionData(type)) {
    if (!config.children.empty() || !xml::XmlTrim(config.text).empty()) {
      throw Malformed("EAP type " + Decimal(type) + " takes no configuration: <EapHostMethodConfig> must be empty");
    }
    blob->Clear();
    return;
  }
  std::string ca, certificate, tlsMin, tlsMax, inner, phase2, anonymous;
  std::vector<std::string> serverNames;
  SecretString key, keyPassword, pkcs12;
  bool insecure = false, cryptoBinding = false, hasKey = false, hasPkcs12 = false;
  std::vector<std::string> seen;
  for (std::size_t index : config.children) {
    const XmlElement& child = document.at(index);
    const std::string& name = child.localName;
    if (child.namespaceUri != kConfigNamespace) {
      throw Malformed("<" + name + "> is in namespace \"" + child.namespaceUri + "\", not \"" + kConfigNamespace + "\"");
    }
    if (!child.children.empty()) throw Malformed("<" + name + "> must hold text only");
    if (!Applies(type, name)) throw Malformed("<" + name + "> is not an element of EAP type " + Decimal(type) + "'s configuration");
    if (name != "Ca" && name != "ServerName") {
      for (const std::string& before : seen) {
        if (before == name) throw Malformed("<" + name + "> appears twice");
      }
      seen.push_back(name);
    }
    std::string value = xml::XmlTrim(child.text);
    if (name == "Ca") {
      std::string blocks = CertificateBlocks(value);
      if (blocks.empty()) throw Malformed("<Ca> holds no -----BEGIN CERTIFICATE----- block");
      ca += blocks;
    } else if (name == "ServerName") {
      if (!IsDnsName(value)) throw Malformed("<ServerName> \"" + value + "\" is not a DNS name of 1 to 253 bytes");
      serverNames.push_back(value);
    } else if (name == "Insecure") {
      insecure = Boolean(value, "Insecure");
    } else if (name == "RequireCryptoBinding") {
      cryptoBinding = Boolean(value, "RequireCryptoBinding");
    } else if (name == "TlsMin") {
      tlsMin = value;
    } else if (name == "TlsMax") {
      tlsMax = value;
    } else if (name == "InnerMethod") {
      inner = value;
    } else if (name == "Phase2") {
      phase2 = value;
    } else if (name == "Certificate") {
      certificate = CertificateBlocks(PemOf(value, "Certificate"));
      if (certificate.empty()) throw Malformed("<Certificate> holds no -----BEGIN CERTIFICATE----- block");
    } else if (name == "PrivateKey") {
      bool encrypted = false;
      if (!PrivateKeyBlock(PemOf(value, "PrivateKey"), &key.text, &encrypted)) {
        throw Malformed("<PrivateKey> must hold exactly one private key block");
      }
      hasKey = true;
    } else if (name == "PrivateKeyPassword") {
      keyPassword.text = value;
      if (keyPassword.text.size() > kConnectionDataMaxPem) throw Malformed("<PrivateKeyPassword> is too long");
    } else if (name == "Pkcs12") {
      pkcs12.text = value;
      hasPkcs12 = true;
    } else if (name == "AnonymousIdentity") {
      if (value.empty() || value.size() > kConnectionDataMaxName) throw Malformed("<AnonymousIdentity> must be 1 to 253 bytes");
      anonymous = value;
    }
  }
  bool passwordGiven = std::find(seen.begin(), seen.end(), std::string("PrivateKeyPassword")) != seen.end();
  // The peer rules of lib/core/connection-data.ts (peerConnectionData): no silent trust.
  if (ca.empty() && !insecure) {
    throw Malformed("No trusted CA is configured: give <Ca> (the CA that issued the server certificate) or <Insecure>true</Insecure>");
  }
  if (!ca.empty() && insecure) throw Malformed("Give <Ca> or <Insecure>true</Insecure>, not both");
  if (insecure && !serverNames.empty()) throw Malformed("<ServerName> is checked only against a trusted CA: drop <Insecure> or <ServerName>");
  if (ca.size() > kConnectionDataMaxPem) throw Malformed("<Ca> is over " + Decimal(kConnectionDataMaxPem) + " bytes of PEM");
  std::uint16_t low = tlsMin.empty() ? 0 : TlsVersion(tlsMin, "TlsMin");
  std::uint16_t high = tlsMax.empty() ? 0 : TlsVersion(tlsMax, "TlsMax");
  if (low != 0 && high != 0 && low > high) throw Malformed("<TlsMin> is above <TlsMax>");
  std::uint8_t innerType = 0;
  if (!inner.empty()) {
#define EAPHOST_INNER_BY_NAME(name, type) if (inner == #name) innerType = type;
    EAPHOST_INNER_METHOD_TABLE(EAPHOST_INNER_BY_NAME)
#undef EAPHOST_INNER_BY_NAME
    if (innerType == 0) throw Malformed("<InnerMethod> must be " EAPHOST_INNER_METHOD_NAMES);
  }
  std::uint8_t phase2Type = 0;
  if (!phase2.empty()) {
    phase2Type = phase2 == "pap" ? 1 : phase2 == "chap" ? 2 : phase2 == "mschap" ? 3 : phase2 == "mschapv2" ? 4 : phase2 == "eap" ? 5 : 0;
    if (phase2Type == 0) throw Malformed("<Phase2> must be pap, chap, mschap, mschapv2 or eap");
  }
  if (type == 21 && innerType != 0 && phase2Type != 5) throw Malformed("<InnerMethod> applies to EAP-TTLS when <Phase2> is eap");
  if (hasKey && certificate.empty()) throw Malformed("<PrivateKey> needs its <Certificate>");
  if (!certificate.empty() && !hasKey && !hasPkcs12) throw Malformed("<Certificate> needs its <PrivateKey>");
  if (hasPkcs12 && (hasKey || !certificate.empty())) throw Malformed("Give <Pkcs12> or <Certificate> and <PrivateKey>, not both");
  if (passwordGiven && !hasKey && !hasPkcs12) throw Malformed("<PrivateKeyPassword> needs <PrivateKey> or <Pkcs12>");
  if (hasKey && !passwordGiven) {
    bool encrypted = false;
    std::string ignored;
    PrivateKeyBlock(key.text, &ignored, &encrypted);
    SecretString::WipeString(&ignored);
    if (encrypted) throw Malformed("<PrivateKey> is encrypted: give <PrivateKeyPassword>");
  }
  if (type == 13 && certificate.empty() && !hasPkcs12) {
    throw Malformed("EAP-TLS needs a client certificate: give <Certificate> and <PrivateKey> (or <Pkcs12>)");
  }

  std::vector<ConnectionDataValue> values;
  if (!ca.empty()) Add(&values, CdType::kCa, ca);
  for (const std::string& name : serverNames) Add(&values, CdType::kServerName, name);
  std::uint32_t flags = (insecure ? CdFlag::kInsecure : 0) | (cryptoBinding ? CdFlag::kRequireCryptoBinding : 0);
  if (flags != 0) {
    Add(&values, CdType::kFlags,
        std::string{static_cast<char>(flags >> 24), static_cast<char>(flags >> 16), static_cast<char>(flags >> 8),
                    static_cast<char>(flags)});
  }
  if (low != 0) Add(&values, CdType::kTlsMin, std::string{static_cast<char>(low >> 8), static_cast<char>(low & 0xFF)});
  if (high != 0) Add(&values, CdType::kTlsMax, std::string{static_cast<char>(high >> 8), static_cast<char>(high & 0xFF)});
  if (innerType != 0) Add(&values, CdType::kInnerMethod, std::string(1, static_cast<char>(innerType)));
  if (phase2Type != 0) Add(&values, CdType::kPhase2, std::string(1, static_cast<char>(phase2Type)));
  if (!certificate.empty()) Add(&values, CdType::kCertificate, certificate);
  if (hasKey) Add(&values, CdType::kPrivateKey, key.text);
  if (hasPkcs12) {
    ConnectionDataValue value{CdType::kPkcs12, SecretBytes()};
    if (!Base64Decode(pkcs12.text, &value.value) || value.value.size() == 0 || value.value.data()[0] != 0x30) {
      throw Malformed("<Pkcs12> must be the base64 of a DER PKCS#12 (a SEQUENCE)");
    }
    if (value.value.size() > kConnectionDataMaxPem) throw Malformed("<Pkcs12> is over " + Decimal(kConnectionDataMaxPem) + " bytes");
    values.push_back(std::move(value));
  }
  if (passwordGiven) Add(&values, CdType::kPrivateKeyPassword, keyPassword.text);
  if (!anonymous.empty()) Add(&values, CdType::kAnonymousIdentity, anonymous);
  EncodeConnectionData(values, blob);
}

std::string ConfigBlobToXml(eap::BYTE type, const eap::BYTE* blob, eap::DWORD size) {
  std::string out = std::string("<Config xmlns=\"") + kEapHostConfigNamespace + "\"><EapHostMethodConfig xmlns=\"" +
                    kConfigNamespace + "\">";
  if (!TakesConnectionData(type)) {
    if (size != 0) throw Malformed("EAP type " + Decimal(type) + " takes no configuration, but the blob has " + Decimal(size) + " bytes");
    return out + "</EapHostMethodConfig></Config>";
  }
  std::vector<ConnectionDataValue> values;
  DecodeConnectionData(blob, size, &values);
  auto text = [](const ConnectionDataValue& v) {
    return std::string(reinterpret_cast<const char*>(v.value.data()), v.value.size());
  };
  auto element = [&out](const char* name, const std::string& value) {
    out += std::string("<") + name + ">";
    xml::XmlAppendEscaped(value, &out);
    out += std::string("</") + name + ">";
  };
  // The contract's element order, whatever the TLV order.
  static const CdType kOrder[] = {CdType::kCa,          CdType::kServerName, CdType::kFlags,      CdType::kTlsMin,
                                CdType::kTlsMax,      CdType::kInnerMethod, CdType::kPhase2,    CdType::kCertificate,
                                CdType::kPrivateKey,  CdType::kPrivateKeyPassword, CdType::kPkcs12, CdType::kAnonymousIdentity};
  // A type the XML has no element for (a TLS session lifetime, CRLs, ...) would be lost on the way
  // back: refused, as the types no version-1 reader knows are.
  for (const ConnectionDataValue& value : values) {
    if (!ConnectionDataXmlReads(value.type)) {
      throw Malformed(std::string("The connection data's ") + ConnectionDataTypeName(value.type) + " field (type " +
                      Decimal(static_cast<std::uint8_t>(value.type)) + ") has no element in this configuration XML");
    }
  }
  for (CdType wanted : kOrder) {
    for (const ConnectionDataValue& value : values) {
      if (value.type != wanted) continue;
      const std::uint8_t* v = value.value.data();
      std::size_t n = value.value.size();
      switch (wanted) {
        case CdType::kCa: element("Ca", text(value)); break;
        case CdType::kServerName: element("ServerName", text(value)); break;
        case CdType::kFlags: {
          if (n != 4) throw Malformed("The connection data's flags are not 4 bytes");
          if (ConnectionDataNumber(v, n) & CdFlag::kInsecure) element("Insecure", "true");
          if (ConnectionDataNumber(v, n) & CdFlag::kRequireCryptoBinding) element("RequireCryptoBinding", "true");
          break;
        }
        case CdType::kTlsMin:
        case CdType::kTlsMax: {
          std::uint32_t version = n == 2 ? (static_cast<std::uint32_t>(v[0]) << 8) | v[1] : 0;
          if (version != 0x0303 && version != 0x0304) throw Malformed("The connection data names an unknown TLS version");
          element(wanted == CdType::kTlsMin ? "TlsMin" : "TlsMax", version == 0x0303 ? "1.2" : "1.3");
          break;
        }
        case CdType::kInnerMethod: {
          const char* name = nullptr;
#define EAPHOST_INNER_BY_TYPE(inner, type) if (n == 1 && v[0] == type) name = #inner;
          EAPHOST_INNER_METHOD_TABLE(EAPHOST_INNER_BY_TYPE)
#undef EAPHOST_INNER_BY_TYPE
          if (name == nullptr) throw Malformed("The connection data names an unknown inner method");
          element("InnerMethod", name);
          break;
        }
        case CdType::kPhase2: {
          static const char* const kNames[] = {nullptr, "pap", "chap", "mschap", "mschapv2", "eap"};
          if (n != 1 || v[0] < 1 || v[0] > 5) throw Malformed("The connection data names an unknown phase 2");
          element("Phase2", kNames[v[0]]);
          break;
        }
        case CdType::kCertificate: element("Certificate", text(value)); break;
        case CdType::kPrivateKey: {
          SecretString pem{text(value)};
          element("PrivateKey", pem.text);
          break;
        }
        case CdType::kPrivateKeyPassword: {
          SecretString password{text(value)};
          element("PrivateKeyPassword", password.text);
          break;
        }
        case CdType::kPkcs12: element("Pkcs12", Base64Encode(v, n)); break;
        case CdType::kAnonymousIdentity: element("AnonymousIdentity", text(value)); break;
        default: break;
      }
    }
  }
  return out + "</EapHostMethodConfig></Config>";
}

void CredentialsXmlToFields(eap::BYTE type, const std::string& text, std::string* identity,
                            SecretBytes* password) {
  WipedDocument wiped;
  XmlDocument& document = wiped.document;
  Read(text, &document);
  const XmlElement& credentials = MethodElement(document, kEapHostCredentialsNamespace, "Credentials",
                                                kCredentialsNamespace, "EapHostMethodCredentials");
  bool haveIdentity = false, havePassword = false;
  for (std::size_t index : credentials.children) {
    const XmlElement& child = document.at(index);
    if (child.namespaceUri != kCredentialsNamespace || (child.localName != "Identity" && child.localName != "Password")) {
      throw Malformed("<" + child.localName + "> (namespace \"" + child.namespaceUri +
                      "\") is not an element of <EapHostMethodCredentials>: Identity and Password are");
    }
    if (!child.children.empty()) throw Malformed("<" + child.localName + "> must hold text only");
    if (child.localName == "Identity") {
      if (haveIdentity) throw Malformed("<Identity> appears twice");
      haveIdentity = true;
      *identity = xml::XmlTrim(child.text);
    } else {
      if (havePassword) throw Malformed("<Password> appears twice");
      if (type == 13) throw Malformed("EAP-TLS authenticates with its certificate: <Password> does not apply");
      havePassword = true;
      SecretString value{xml::XmlTrim(child.text)};
      password->Assign(reinterpret_cast<const std::uint8_t*>(value.text.data()), value.text.size());
    }
  }
  if (!haveIdentity || identity->empty()) throw Malformed("<EapHostMethodCredentials> needs a non-empty <Identity>");
}

ConnectionDataSummary SummarizeConnectionData(const eap::BYTE* blob, eap::DWORD size) {
  ConnectionDataSummary summary;
  std::vector<ConnectionDataValue> values;
  try {
    DecodeConnectionData(blob, size, &values);
  } catch (const MethodFailure&) {
    return summary;
  }
  for (const ConnectionDataValue& value : values) {
    if (value.type == CdType::kAnonymousIdentity && value.value.size() > 0) summary.anonymousIdentity = true;
    if (value.type == CdType::kFlags && value.value.size() == 4 &&
        (ConnectionDataNumber(value.value.data(), 4) & CdFlag::kRequireCryptoBinding) != 0) {
      summary.requireCryptoBinding = true;
    }
  }
  return summary;
}

}  // namespace eaphost
