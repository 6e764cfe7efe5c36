/**
 * `eaphost auth --profile FILE`: the session options of a network profile (eap-config or the JSON
 * model), so the authentication runs exactly the EAP settings the profile installs. --identity and
 * --password fill in only what the profile does not hold; every other method flag conflicts.
 */
import type { BeginSessionOptions } from '../core/session-options';
import { ProfileError } from '../profile/network-profile';
import { profileSessionOptions } from '../profile/profile-session';
import { readProfileFile } from './commands/profile/index';
import type { FlagReader } from './command-line';
import { UsageError } from './main';

const CONFLICTING = ['method', 'config-xml', 'credentials-xml', 'anonymous-identity', 'phase2', 'inner-method', 'ca', 'server-name',
  'cert', 'key', 'key-password', 'cert-thumbprint', 'cert-subject', 'cert-store', 'tls-max', 'tls-min', 'insecure'];

export function networkProfileFromFlags(flag: FlagReader):
    BeginSessionOptions | undefined {
  const file = flag('profile');
  if (file === undefined) return undefined;
  const conflicting = CONFLICTING.filter((name) => flag(name) !== undefined);
  if (conflicting.length > 0) throw new UsageError(`--${conflicting[0]} does not go with --profile: the profile carries it`);
  const { profile } = readProfileFile(String(file), '--profile');
  const identity = flag('identity');
  const password = flag('password');
  try {
    return profileSessionOptions(profile, {
      ...(typeof identity === 'string' ? { identity } : {}), ...(typeof password === 'string' ? { password } : {}),
    });
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(`--profile ${String(file)}: ${error.message}`);
    throw error;
  }
}
