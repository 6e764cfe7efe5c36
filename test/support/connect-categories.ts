import type { ConnectCategory } from '../../lib/profile/connect/outcome';

/** Every category the issue names, written out here rather than taken from the code under test. */
export const CATEGORIES: readonly ConnectCategory[] = ['connected', 'authenticated', 'no-address', 'credentials-rejected', 'server-untrusted',
  'server-name-mismatch', 'client-certificate', 'no-authenticator', 'interaction-required', 'timeout', 'policy', 'interrupted', 'unknown'];
