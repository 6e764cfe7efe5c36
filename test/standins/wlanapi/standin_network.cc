#include "standin_network.h"

#include <objbase.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "../../../native/common/hex_digit.h"
#include "../../../native/common/secure_zero.h"
#include "../../../native/common/utf16.h"
#include "standin_ledger.h"

namespace eaphost {
namespace wlan_standin {

namespace {

[[noreturn]] void BadFile(const std::string& what) {
  std::fprintf(stderr, "wlanapi stand-in: EAPHOST_WLAN_STANDIN: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

Bytes HexBytes(const std::string& text, const char* what) {
  if (text.size() % 2 != 0) BadFile(std::string(what) + ": odd number of hex digits");
  Bytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int high = HexDigit(text[2 * i]);
    int low = HexDigit(text[2 * i + 1]);
    if (high < 0 || low < 0) BadFile(std::string(what) + ": not hex");
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return out;
}

std::wstring Wide(const std::string& utf8) {
  std::u16string text = Utf8ToUtf16(utf8);
  return std::wstring(text.begin(), text.end());
}

std::string RestOf(std::istringstream& line) {
  std::string rest;
  std::getline(line >> std::ws, rest);
  return rest;
}

std::unique_ptr<Network> ReadNetwork(const char* path) {
  std::ifstream file(path);
  if (!file) BadFile(std::string("cannot read ") + path);
  auto network = std::make_unique<Network>();
  bool hasInterface = false;
  bool hasMethod = false;
  std::string text;
  while (std::getline(file, text)) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    std::istringstream line(text);
    std::string keyword;
    if (!(line >> keyword)) continue;
    if (keyword == "interface") {
      std::string guid;
      line >> guid;
      if (CLSIDFromString(Wide(guid).c_str(), &network->interfaceGuid) != NOERROR) BadFile("interface: not a GUID: " + guid);
      network->description = Wide(RestOf(line));
      hasInterface = true;
    } else if (keyword == "method") {
      unsigned type = 0;
      unsigned long vendorId = 0, vendorType = 0, authorId = 0;
      if (!(line >> type >> vendorId >> vendorType >> authorId) || type > 255) BadFile("method: type vendorId vendorType authorId path");
      network->methodType.eapType.type = static_cast<eap::BYTE>(type);
      network->methodType.eapType.dwVendorId = vendorId;
      network->methodType.eapType.dwVendorType = vendorType;
      network->methodType.dwAuthorId = authorId;
      network->methodPath = RestOf(line);
      hasMethod = !network->methodPath.empty();
    } else if (keyword == "connection-data") {
      std::string hex;
      line >> hex;
      network->connectionData = HexBytes(hex, "connection-data");
      SecureZeroContents(hex);
    } else if (keyword == "user") {
      std::string hex;
      line >> hex;
      Bytes packed = HexBytes(hex, "user");
      SecureZeroContents(hex);
      auto known = std::make_shared<KnownAnswer>();
      bool ok = ReadPackedKnownAnswer(packed.data(), packed.size(), known.get());
      SecureZeroContents(packed);
      if (!ok) BadFile("user: the known answer's lengths do not add up");
      network->users[known->identity] = known;
    } else if (keyword == "record") {
      network->recordPath = RestOf(line);
    } else if (keyword == "auto-connect" || keyword == "in-flight") {
      network->autoConnectStartSeen = keyword == "auto-connect";
      std::string reason;
      line >> reason;
      char* end = nullptr;
      network->autoConnectReason = static_cast<DWORD>(std::strtoul(reason.c_str(), &end, 16));
      network->autoConnectProfile = Wide(RestOf(line));
      if (reason.empty() || *end != '\0' || network->autoConnectProfile.empty()) BadFile(keyword + ": <reason hex> <profile>");
    } else if (keyword == "silent") {
      network->silent = true;
    } else if (keyword == "connected") {
      network->connectedProfile = Wide(RestOf(line));
    } else {
      BadFile("unknown keyword " + keyword);
    }
    SecureZeroContents(text);
  }
  if (!hasInterface || !hasMethod) BadFile("needs an interface line and a method line");
  return network;
}

std::mutex storeMutex;
std::map<std::wstring, StoredProfile>& Profiles() {
  static auto* profiles = new std::map<std::wstring, StoredProfile>();
  return *profiles;
}

// The file last read and its network. A test points the variable at another file, or unsets
// it, between attempts: each call looks again, and an attempt keeps the network it started with.
std::mutex networkMutex;
std::string networkPath;
std::shared_ptr<const Network> currentNetwork;
std::shared_ptr<const NetworkInterface> networkInterface;
std::wstring connectedTo;  // guarded by networkMutex

void Refresh() {
  char path[1024];
  DWORD length = GetEnvironmentVariableA("EAPHOST_WLAN_STANDIN", path, sizeof path);
  if (length >= sizeof path) BadFile("the path is too long");
  std::string now(path, length);
  if (now == networkPath) return;
  networkPath = now;
  currentNetwork.reset();
  networkInterface.reset();
  connectedTo.clear();
  if (now.empty()) return;
  // What WlanSetProfile stores must outlive the caller's FreeLibrary: this DLL stays loaded.
  HMODULE self = nullptr;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                     reinterpret_cast<LPCWSTR>(&Refresh), &self);
  std::shared_ptr<const Network> read = ReadNetwork(path);
  networkInterface = std::make_shared<const NetworkInterface>(
      NetworkInterface{read->interfaceGuid, read->description, read->autoConnectProfile, read->autoConnectReason,
                       read->autoConnectStartSeen, read->silent});
  connectedTo = read->connectedProfile;
  currentNetwork = std::move(read);
}

}  // namespace

Network::~Network() { SecureZeroContents(connectionData); }

std::shared_ptr<const Network> TheNetwork() {
  std::lock_guard<std::mutex> lock(networkMutex);
  Refresh();
  return currentNetwork;
}

std::shared_ptr<const NetworkInterface> TheInterface() {
  std::lock_guard<std::mutex> lock(networkMutex);
  Refresh();
  return networkInterface;
}

std::wstring CurrentConnection() {
  std::lock_guard<std::mutex> lock(networkMutex);
  Refresh();
  return connectedTo;
}

void SetCurrentConnection(const std::wstring& profileName) {
  std::lock_guard<std::mutex> lock(networkMutex);
  connectedTo = profileName;
}

std::string Narrow(const std::wstring& text) { return Utf16ToUtf8(std::u16string(text.begin(), text.end())); }

void Record(const std::string& line) {
  std::shared_ptr<const Network> now = TheNetwork();
  if (now == nullptr || now->recordPath.empty()) return;
  static std::mutex recordMutex;
  std::lock_guard<std::mutex> lock(recordMutex);
  std::ofstream file(now->recordPath, std::ios::app | std::ios::binary);
  if (!file) BadFile("cannot append to the record file " + now->recordPath);
  file << line << "\n";
}

std::wstring ProfileName(const std::wstring& xml) {
  std::size_t open = xml.find(L"<name>");
  if (open == std::wstring::npos) return std::wstring();
  open += 6;
  std::size_t close = xml.find(L"</name>", open);
  if (close == std::wstring::npos) return std::wstring();
  return xml.substr(open, close - open);
}

void StoreProfile(const std::wstring& name, const std::wstring& xml) {
  std::lock_guard<std::mutex> lock(storeMutex);
  Profiles()[name].xml = xml;
}

bool StoreEapUserData(const std::wstring& name, const std::wstring& xml) {
  std::lock_guard<std::mutex> lock(storeMutex);
  auto found = Profiles().find(name);
  if (found == Profiles().end()) return false;
  SecureZeroContents(found->second.eapUserData);
  found->second.eapUserData = xml;
  return true;
}

bool FindProfile(const std::wstring& name, StoredProfile* out) {
  std::lock_guard<std::mutex> lock(storeMutex);
  auto found = Profiles().find(name);
  if (found == Profiles().end()) return false;
  *out = found->second;
  return true;
}

}  // namespace wlan_standin
}  // namespace eaphost
