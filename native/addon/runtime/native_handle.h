// A handle as JS passes it: the number naming a resource in this environment's table
// (addon_state.h). Which resource it names, if any, is checked where it is unwrapped
// (FindResource); reading it from an argument object is named_args.h's HandleValue.
#pragma once

namespace eaphost {

struct NativeHandleArg {
  double number = 0;
};

}  // namespace eaphost
