/**
 * The metrics of `serve --interface`, each declared once beside the count it reads: the 802.1X
 * authenticator port's frames (what the socket and the addon's queue took and dropped) and its
 * stations and conversations (what its flood bounds refused), read from the port's own counts at
 * each scrape. A flooded link shows here: EAPOL-Starts from unknown MACs answered or refused,
 * Responses/Identity from strangers refused, frames the kernel or the event loop dropped.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { EapolAuthenticatorStats, EapolPortStats } from '../eapol';

/** What the registry reads at each scrape: the port's frame counts and the authenticator's. */
interface EapolMetricsSource {
  port: EapolPortStats;
  authenticator: EapolAuthenticatorStats;
}

/** eaphost_eapol_frames_total's outcome label: each value one count of the port's. */
const FRAMES: Record<keyof EapolPortStats, string> = {
  received: 'received', sent: 'sent', ignored: 'ignored', malformed: 'malformed', overflow: 'overflow', kernelDrops: 'kernel',
};

/** eaphost_eapol_refused_total's bound label: each value one count of the authenticator's. */
const REFUSED: Partial<Record<keyof EapolAuthenticatorStats, string>> = {
  refusedSupplicants: 'supplicants', refusedHalfOpen: 'half_open', refusedStartRate: 'start_rate',
  refusedIdentityRate: 'identity_rate', refusedStrangers: 'strangers',
};

/** The series without labels, each one count of the authenticator's: a gauge (now) or a counter (`_total`). */
const SINGLES: { name: string; help: string; count: keyof EapolAuthenticatorStats; gauge?: true }[] = [
  { name: 'eaphost_eapol_supplicants', help: 'Stations the port tracks now.', count: 'supplicants', gauge: true },
  { name: 'eaphost_eapol_half_open', help: 'Conversations in progress now.', count: 'halfOpen', gauge: true },
  { name: 'eaphost_eapol_authorized', help: 'Stations authorized now.', count: 'authorized', gauge: true },
  { name: 'eaphost_eapol_identity_requests_total', count: 'identityRequests',
    help: 'EAPOL-Starts from MACs the port did not know, answered with a Request/Identity (no conversation until it is answered).' },
  { name: 'eaphost_eapol_ignored_starts_total', count: 'ignoredStarts',
    help: 'EAPOL-Starts ignored: from a MAC whose last start was answered less than a second before.' },
  { name: 'eaphost_eapol_evicted_half_open_total', count: 'evictedHalfOpen',
    help: 'Half-open conversations ended to make room for a new station.' },
  { name: 'eaphost_eapol_stray_responses_total', count: 'strayResponses',
    help: 'Responses that answered no outstanding request (stale, duplicate or of another identifier).' },
  { name: 'eaphost_eapol_send_failures_total', count: 'sendFailures', help: 'Frames the port could not send (the interface went down).' },
];

/** A counter of one label, each value (`table`: count → label value) one count of `counts()` at each scrape. */
function labelledCounter<T extends { [K in keyof T]: number }>(registers: Registry[], name: string, help: string,
  label: string, table: Partial<Record<keyof T, string>>, counts: () => T): void {
  // eslint-disable-next-line no-new
  new Counter({
    name, help, labelNames: [label], registers,
    collect() {
      this.reset();
      const now = counts();
      for (const [count, value] of Object.entries(table) as [keyof T, string][]) this.inc({ [label]: value }, now[count]);
    },
  });
}

/** The registry of an 802.1X authenticator port's metrics, read from `read` at each scrape. */
export function eapolRegistry(read: () => EapolMetricsSource): Registry {
  const registry = new Registry();
  const registers = [registry];
  labelledCounter(registers, 'eaphost_eapol_frames_total',
    'EAPOL frames by what became of them: received (well-formed, for this port or the PAE group), sent, ignored (our own ' +
    'looped back, or for another station), malformed, overflow (received, then dropped: the event loop fell behind and the ' +
    'queue to it was full), kernel (dropped by the kernel: the socket\'s receive queue was full).',
    'outcome', FRAMES, () => read().port);
  labelledCounter(registers, 'eaphost_eapol_refused_total',
    'EAPOL-Starts and Responses/Identity refused, by the bound they met: supplicants (--max-supplicants), half_open ' +
    '(--max-half-open), start_rate (--max-starts), identity_rate (--max-identity-requests), strangers (Responses/Identity ' +
    'from MACs never asked, past their own budget).',
    'bound', REFUSED, () => read().authenticator);
  for (const { name, help, count, gauge } of SINGLES) {
    if (gauge) {
      // eslint-disable-next-line no-new
      new Gauge({ name, help, registers, collect() { this.set(read().authenticator[count]); } });
    } else {
      // eslint-disable-next-line no-new
      new Counter({ name, help, registers, collect() { this.reset(); this.inc(read().authenticator[count]); } });
    }
  }
  return registry;
}
