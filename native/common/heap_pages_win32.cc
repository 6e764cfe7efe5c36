#include "heap_pages.h"

namespace eaphost {

// The process heap decommits free blocks itself (heap_pages.h): nothing to ask.
bool HeapPagesReturnable() { return false; }

bool ReturnFreeHeapPages() { return false; }

}  // namespace eaphost
