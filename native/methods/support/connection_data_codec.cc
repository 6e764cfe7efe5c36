#include "connection_data_codec.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "method_error.h"

namespace eaphost {

namespace {

MethodFailure BadBlob(const std::string& why) {
  return MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_XML_MALFORMED,
                       "The connection data " + why,
                       "Make the configuration again (ConfigXml2Blob or encodeConnectionData)"};
}

// A vector wiped when it goes: the blob is assembled here before it moves into SecretBytes.
struct WipedBytes {
  std::vector<std::uint8_t> bytes;
  ~WipedBytes() {
    if (!bytes.empty()) SecureZero(bytes.data(), bytes.size());
  }
};

// One PEM block: "-----BEGIN <label>-----" LF ... "-----END <label>-----", as the pattern in
// lib/core/connection-data.ts finds it (the body may be empty of lines but not of the END line).
struct PemBlock {
  std::string label;
  std::string text;
};

std::vector<PemBlock> PemBlocks(const std::string& pem) {
  std::vector<PemBlock> blocks;
  const std::string begin = "-----BEGIN ";
  std::size_t pos = 0;
  while ((pos = pem.find(begin, pos)) != std::string::npos) {
    std::size_t labelStart = pos + begin.size();
    std::size_t labelEnd = labelStart;
    while (labelEnd < pem.size() && ((pem[labelEnd] >= 'A' && pem[labelEnd] <= 'Z') ||
                                     (pem[labelEnd] >= '0' && pem[labelEnd] <= '9') || pem[labelEnd] == ' ')) {
      ++labelEnd;
    }
    if (labelEnd == labelStart || pem.compare(labelEnd, 6, "-----\n") != 0) {
      pos = labelStart;
      continue;
    }
    std::string label = pem.substr(labelStart, labelEnd - labelStart);
    std::string end = "-----END " + label + "-----";
    std::size_t endAt = pem.find(end, labelEnd + 6);
    if (endAt == std::string::npos) break;
    blocks.push_back(PemBlock{label, pem.substr(pos, endAt + end.size() - pos)});
    pos = endAt + end.size();
  }
  return blocks;
}

bool DnsLabel(const std::string& label) {
  if (label.empty() || label.size() > 63) return false;
  for (std::size_t i = 0; i < label.size(); ++i) {
    char c = label[i];
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    bool inner = c == '-' && i != 0 && i + 1 != label.size();
    if (!alnum && !inner) return false;
  }
  return true;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

void EncodeConnectionData(const std::vector<ConnectionDataValue>& values, SecretBytes* blob) {
  WipedBytes out;
  out.bytes.assign(kConnectionDataMagic, kConnectionDataMagic + 4);
  out.bytes.push_back(kConnectionDataVersion);
  for (const ConnectionDataValue& value : values) {
    std::size_t size = value.value.size();
    if (size > kConnectionDataMaxBlob || out.bytes.size() + kConnectionDataTlvHeader + size > kConnectionDataMaxBlob) {
      throw BadBlob("would be over the " + Decimal(kConnectionDataMaxBlob) + "-byte limit");
    }
    out.bytes.push_back(static_cast<std::uint8_t>(value.type));
    for (int shift = 24; shift >= 0; shift -= 8) out.bytes.push_back(static_cast<std::uint8_t>(size >> shift));
    out.bytes.insert(out.bytes.end(), value.value.data(), value.value.data() + size);
  }
  blob->Assign(out.bytes.data(), out.bytes.size());
}

void DecodeConnectionData(const eap::BYTE* blob, eap::DWORD size,
                          std::vector<ConnectionDataValue>* values) {
  values->clear();
  if (size == 0) return;  // all defaults
  if (blob == nullptr || size < 5 || std::memcmp(blob, kConnectionDataMagic, 4) != 0) {
    throw BadBlob("is not this module's (it does not start with \"eCFG\")");
  }
  if (blob[4] != kConnectionDataVersion) throw BadBlob("has version " + Decimal(blob[4]) + "; version 1 is read");
  if (size > kConnectionDataMaxBlob) throw BadBlob("is over the " + Decimal(kConnectionDataMaxBlob) + "-byte limit");
  std::size_t pos = 5;
  while (pos < size) {
    if (size - pos < kConnectionDataTlvHeader) throw BadBlob("ends inside a TLV header at byte " + Decimal(pos));
    std::uint8_t type = blob[pos];
    std::size_t length = ConnectionDataNumber(blob + pos + 1, 4);
    pos += kConnectionDataTlvHeader;
    if (length > size - pos) throw BadBlob("has a TLV of type " + Decimal(type) + " longer than what follows it");
    if (!IsConnectionDataType(type)) throw BadBlob("has the unknown TLV type " + Decimal(type));
    ConnectionDataValue value{static_cast<ConnectionDataType>(type), SecretBytes()};
    value.value.Assign(blob + pos, length);
    values->push_back(std::move(value));
    pos += length;
  }
}

std::string CertificateBlocks(const std::string& pem) {
  std::string out;
  for (const PemBlock& block : PemBlocks(pem)) {
    if (block.label != "CERTIFICATE") continue;
    if (!out.empty()) out += '\n';
    out += block.text;
  }
  if (!out.empty()) out += '\n';
  return out;
}

bool PrivateKeyBlock(const std::string& pem, std::string* block, bool* encrypted) {
  int found = 0;
  for (const PemBlock& candidate : PemBlocks(pem)) {
    const std::string& label = candidate.label;
    if (label != "PRIVATE KEY" && label != "ENCRYPTED PRIVATE KEY" && label != "RSA PRIVATE KEY" &&
        label != "EC PRIVATE KEY") {
      continue;
    }
    ++found;
    *block = candidate.text + "\n";
    *encrypted = label == "ENCRYPTED PRIVATE KEY" || candidate.text.find("Proc-Type: 4,ENCRYPTED") != std::string::npos;
  }
  return found == 1;
}

bool IsDnsName(const std::string& name) {
  if (name.empty() || name.size() > kConnectionDataMaxName) return false;
  std::vector<std::string> labels;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = name.find('.', start);
    labels.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    bool wildcard = i == 0 && labels[i] == "*" && labels.size() > 2;
    if (!wildcard && !DnsLabel(labels[i])) return false;
  }
  return true;
}

bool Base64Decode(const std::string& text, SecretBytes* out) {
  WipedBytes bytes;
  std::uint32_t accumulator = 0;
  int bits = 0;
  std::size_t padding = 0;
  std::size_t symbols = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    int value = Base64Value(c);
    if (value < 0 || padding != 0) return false;
    ++symbols;
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.bytes.push_back(static_cast<std::uint8_t>(accumulator >> bits));
    }
  }
  accumulator = 0;
  if (symbols % 4 != 0 || padding > 2) return false;
  out->Assign(bytes.bytes.data(), bytes.bytes.size());
  return true;
}

std::string Base64Encode(const std::uint8_t* data, std::size_t size) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t chunk = static_cast<std::uint32_t>(data[i]) << 16;
    if (i + 1 < size) chunk |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out.push_back(kAlphabet[(chunk >> 18) & 63]);
    out.push_back(kAlphabet[(chunk >> 12) & 63]);
    out.push_back(i + 1 < size ? kAlphabet[(chunk >> 6) & 63] : '=');
    out.push_back(i + 2 < size ? kAlphabet[chunk & 63] : '=');
    if ((i / 3 + 1) % 16 == 0 && i + 3 < size) out.push_back('\n');  // 64-character lines
  }
  return out;
}

}  // namespace eaphost
