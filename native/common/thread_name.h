// Naming the project's own threads, so a profile, a debugger or a process explorer tells their
// CPU from the JS thread's and V8's (every thread of a Node process is "node" otherwise). Each
// thread names itself, first thing (thread_name_posix.cc, thread_name_win32.cc).
#pragma once

namespace eaphost {

// The calling thread's name; `name`: plain ASCII, at most 15 characters (Linux's limit).
void NameThisThread(const char* name);

}  // namespace eaphost
