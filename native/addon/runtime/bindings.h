// What the seam's generated code registers with the runtime while the addon loads, as napi-rs's
// module_register has each item register itself: the export table (each declared export, from
// seam/seam_exports.js, and its function, which a binding file in the group of what it serves
// defines as seam::<Name>), the test builds' probes, and the result shapes' names in ResultShape's
// order. generated/seam_registration.cc registers them (a static initializer); module.cc exports
// every entry under its name, so nothing undeclared is exported, and the runtime includes no
// generated header.
#pragma once

#include <cstddef>

#include <napi.h>

namespace eaphost {

struct Export {
  const char* name;
  Napi::Value (*function)(const Napi::CallbackInfo&);
};

struct SeamTable {
  const Export* exports = nullptr;
  size_t exportCount = 0;
  // Exported only with EAPHOST_CONTRACT_PROBE=1, and only in the test builds that have them.
  const Export* probeExports = nullptr;
  size_t probeExportCount = 0;
  const char* const* resultShapes = nullptr;
  size_t resultShapeCount = 0;
};

// Constructed once, by the generated registration, before the module's Init runs.
struct SeamRegistration {
  explicit SeamRegistration(const SeamTable& table);
};

// What was registered (an empty table when nothing was: Init then refuses to load).
const SeamTable& RegisteredSeam();

}  // namespace eaphost
