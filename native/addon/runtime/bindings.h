// The addon's export table's entry. The table itself is generated from the seam's declaration
// (seam/seam_exports.js) as generated/export_table.h: each export's name and its function, which
// a binding file (in the group of what it serves: eaphost/, methods/, radius/, eapol/, platform/,
// probes/) defines as seam::<Name> (generated/exports.h declares every one). module.cc walks the
// table and exports every entry under its name, so nothing undeclared is exported.
#pragma once

#include <napi.h>

namespace eaphost {

struct Export {
  const char* name;
  Napi::Value (*function)(const Napi::CallbackInfo&);
};

}  // namespace eaphost
