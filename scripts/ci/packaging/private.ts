// Type-checked (not run) under node16 and bundler resolution: a path inside the package that
// the exports map does not list does not resolve.
// @ts-expect-error private: only eaphost, eaphost/radius and eaphost/profile are entry points
import { RadiusEapTransport } from 'eaphost/dist/lib/radius';
// @ts-expect-error private
import { binding } from 'eaphost/dist/lib/native';

export const unreachable = [RadiusEapTransport, binding];
