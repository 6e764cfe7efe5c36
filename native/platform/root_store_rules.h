// What decides whether a Root install may go ahead and whether it took (root_store_win32.cc),
// from the raw values Windows returns: the process's window station flags and the Root store's
// ProtectedRoots policy. Pure and portable, so the rules are checked on any OS with the values
// Windows documents (test/linux/store-key-rules.test.ts); never a Windows call here.
#pragma once

#include <cstdint>

namespace eaphost {

// USEROBJECTFLAGS.dwFlags of the process's window station (GetUserObjectInformationW, UOI_FLAGS):
// WSF_VISIBLE says a user can see its windows. Services, SSH sessions and CI runners have no
// visible station, and the confirmation dialog of a CurrentUser\Root change would wait there
// for nobody.
constexpr std::uint32_t kWindowStationVisible = 0x0001;  // WSF_VISIBLE

// HKLM\SOFTWARE\Policies\Microsoft\SystemCertificates\Root\ProtectedRoots, value Flags (REG_DWORD):
// the Group Policy "Allow users to select new root certification authorities (CAs) to trust"
// set to disabled writes CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG, and Windows then ignores the
// roots of CurrentUser\Root.
constexpr std::uint32_t kProtectedRootsDisableCurrentUser = 0x1;  // CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG

enum class RootInstallVerdict { kProceed, kRefusePolicy, kRefuseNoVisibleStation };

// `stationRead` false: the process has no window station whose flags could be read, so no dialog
// could be shown either. `policyRead` false: no policy value (the default: user roots allowed).
inline RootInstallVerdict RootInstallVerdictFor(bool localMachine, bool policyRead, std::uint32_t policyFlags,
                                                bool stationRead, std::uint32_t stationFlags) {
  if (localMachine) return RootInstallVerdict::kProceed;  // no dialog, no user-root policy
  if (policyRead && (policyFlags & kProtectedRootsDisableCurrentUser) != 0) return RootInstallVerdict::kRefusePolicy;
  if (!stationRead || (stationFlags & kWindowStationVisible) == 0) return RootInstallVerdict::kRefuseNoVisibleStation;
  return RootInstallVerdict::kProceed;
}

}  // namespace eaphost
