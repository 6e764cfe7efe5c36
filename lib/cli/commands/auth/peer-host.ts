/**
 * `--backend windows|portable`: which EAPHost runs the peer, in every form of `eaphost auth` that
 * begins a session (embedded, RADIUS, RadSec, Nagios). Without it the default of openEapHost:
 * Windows' own EAPHost on win32, the portable one elsewhere.
 */
import type { OpenEapHostOptions } from '../../../session/eaphost';
import { FlagValues, UsageError } from '../../main';

export function peerHostOptions(args: FlagValues): OpenEapHostOptions {
  const backend = args['backend'];
  if (backend !== undefined && backend !== 'windows' && backend !== 'portable') {
    throw new UsageError("--backend must be 'windows' or 'portable'");
  }
  return backend ? { backend } : {};
}
