#include "heap_pages.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace eaphost {

bool HeapPagesReturnable() {
#if defined(__GLIBC__)
  return true;
#else
  return false;
#endif
}

bool ReturnFreeHeapPages() {
#if defined(__GLIBC__)
  return malloc_trim(0) != 0;
#else
  return false;
#endif
}

}  // namespace eaphost
