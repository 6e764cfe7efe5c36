// Hands the whole free pages inside the C heap back to the OS: for a server whose threads' heaps
// hold memory freed in bulk that the thread which allocated it will not ask for again soon.
//
// glibc: a thread allocates from an arena of its own (up to eight a core), a chunk freed goes
// back to the arena it came from whichever thread frees it, and an arena hands pages back to the
// kernel by itself only from the top of its heap. Memory freed below a chunk still in use stays
// resident in the arena, reused only by that arena's threads. malloc_trim(0) walks every arena and
// gives the kernel each whole page inside its free chunks (glibc 2.8 and later; the return says
// whether any was given). It holds each arena's lock while it walks it: a thread allocating from
// that arena waits meanwhile (under a half-open PEAP flood, 4.8 to 7.4 ms for the whole walk).
//
// Windows: nothing to ask. The Universal CRT's malloc allocates from the process heap, one heap for
// every thread (the UCRT's sources, heap_handle.cpp: GetProcessHeap), and a Windows heap decommits
// a free block of a page or more itself once more than 64 KB are free (RTL_HEAP_PARAMETERS'
// documented defaults: DeCommitFreeBlockThreshold PAGE_SIZE, DeCommitTotalFreeThreshold 65536).
// That rests on Microsoft's documentation, not a run here. Other C libraries (macOS's, musl's):
// nothing is asked either.
#pragma once

namespace eaphost {

// Whether this C library is asked at all (glibc's). Elsewhere the walk is never asked for. A
// function of another translation unit, not a constant: a condition on a constant is an error
// under MSVC's /W4 /WX (C4127), and code after it unreachable (C4702).
bool HeapPagesReturnable();

// Walks the heap and hands its whole free pages back; whether any was given.
bool ReturnFreeHeapPages();

}  // namespace eaphost
