#include "radius_gnutls.h"

#include "../../common/code_integrity.h"
#include "../../common/gnutls_beside.h"

namespace eaphost::radius {

namespace {
// Loaded once, on first need, from the addon's own directory; kept until the process ends.
const GnutlsBeside& Gnutls() {
  static const GnutlsBeside loaded = LoadGnutlsBeside(reinterpret_cast<const void*>(&RequireGnutls));
  return loaded;
}
}  // namespace

bool RequireGnutls(LaneError* error) {
  const GnutlsBeside& loaded = Gnutls();
  if (loaded.module != nullptr) return true;
  *error = {"ENOENT",
            "RADIUS/DTLS needs GnuTLS from beside eaphost.node: " + loaded.failure + CodeIntegrityNote(loaded.error) +
                "; keep libgnutls-30.dll, libnettle-8.dll, libhogweed-6.dll and libgmp-10.dll in the directory of "
                "eaphost.node, as the package ships them",
            2};
  return false;
}

void* GnutlsMalloc(std::size_t size) { return GnutlsMallocIn(Gnutls().module, size); }

void GnutlsFree(void* data) { GnutlsFreeIn(Gnutls().module, data); }

}  // namespace eaphost::radius
