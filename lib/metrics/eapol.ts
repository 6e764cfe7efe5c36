/**
 * The metrics of `serve --interface`: the 802.1X authenticator port's frames (what the socket and
 * the addon's queue took and dropped) and its stations and conversations (what its flood bounds
 * refused), read from the port's own counts at each scrape. A flooded link shows here: EAPOL-Starts
 * from unknown MACs answered or refused, Responses/Identity from strangers refused, frames the
 * kernel or the event loop dropped.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { EapolAuthenticatorStats, EapolPortStats } from '../eapol';

/** What the registry reads at each scrape: the port's frame counts and the authenticator's. */
export interface EapolMetricsSource {
  port: EapolPortStats;
  authenticator: EapolAuthenticatorStats;
}

type Read = () => EapolMetricsSource;

/** A counter whose series are `series(source)` by the one label `label`, set from the source at each scrape. */
function labelledCounter(registers: Registry[], read: Read, name: string, help: string, label: string,
  series: (source: EapolMetricsSource) => [string, number][]): void {
  // eslint-disable-next-line no-new
  new Counter({
    name, help, labelNames: [label], registers,
    collect() {
      this.reset();
      for (const [value, count] of series(read())) this.inc({ [label]: value }, count);
    },
  });
}

/** A series without labels: a counter (`_total`) or a gauge, set from the source at each scrape. */
function single(registers: Registry[], read: Read, kind: 'counter' | 'gauge', name: string, help: string,
  value: (source: EapolMetricsSource) => number): void {
  if (kind === 'counter') {
    // eslint-disable-next-line no-new
    new Counter({
      name, help, registers,
      collect() {
        this.reset();
        this.inc(value(read()));
      },
    });
  } else {
    // eslint-disable-next-line no-new
    new Gauge({
      name, help, registers,
      collect() {
        this.set(value(read()));
      },
    });
  }
}

/** The registry of an 802.1X authenticator port's metrics, read from `read` at each scrape. */
export function eapolRegistry(read: Read): Registry {
  const registry = new Registry();
  const registers = [registry];
  labelledCounter(registers, read, 'eaphost_eapol_frames_total',
    'EAPOL frames by what became of them: received (well-formed, for this port or the PAE group), sent, ignored (our own ' +
    'looped back, or for another station), malformed, overflow (dropped: the event loop fell behind and the queue to it was ' +
    'full), kernel (dropped by the kernel: the socket\'s receive queue was full).', 'outcome',
    ({ port }) => [['received', port.received], ['sent', port.sent], ['ignored', port.ignored], ['malformed', port.malformed],
      ['overflow', port.overflow], ['kernel', port.kernelDrops]]);
  single(registers, read, 'gauge', 'eaphost_eapol_supplicants', 'Stations the port tracks now.', ({ authenticator }) => authenticator.supplicants);
  single(registers, read, 'gauge', 'eaphost_eapol_half_open', 'Conversations in progress now.', ({ authenticator }) => authenticator.halfOpen);
  single(registers, read, 'gauge', 'eaphost_eapol_authorized', 'Stations authorized now.', ({ authenticator }) => authenticator.authorized);
  single(registers, read, 'counter', 'eaphost_eapol_identity_requests_total',
    'EAPOL-Starts from MACs the port did not know, answered with a Request/Identity (no conversation until it is answered).',
    ({ authenticator }) => authenticator.identityRequests);
  labelledCounter(registers, read, 'eaphost_eapol_refused_total',
    'EAPOL-Starts and Responses/Identity refused, by the bound they met: supplicants (--max-supplicants), half_open ' +
    '(--max-half-open), start_rate (--max-starts), identity_rate (--max-identity-requests), strangers (Responses/Identity ' +
    'from MACs never asked, past their own budget).', 'bound',
    ({ authenticator: a }) => [['supplicants', a.refusedSupplicants], ['half_open', a.refusedHalfOpen],
      ['start_rate', a.refusedStartRate], ['identity_rate', a.refusedIdentityRate], ['strangers', a.refusedStrangers]]);
  single(registers, read, 'counter', 'eaphost_eapol_ignored_starts_total',
    'EAPOL-Starts ignored: from a MAC whose last start was answered less than a second before.', ({ authenticator }) => authenticator.ignoredStarts);
  single(registers, read, 'counter', 'eaphost_eapol_evicted_half_open_total',
    'Half-open conversations ended to make room for a new station.', ({ authenticator }) => authenticator.evictedHalfOpen);
  single(registers, read, 'counter', 'eaphost_eapol_stray_responses_total',
    'Responses that answered no outstanding request (stale, duplicate or of another identifier).', ({ authenticator }) => authenticator.strayResponses);
  single(registers, read, 'counter', 'eaphost_eapol_send_failures_total',
    'Frames the port could not send (the interface went down).', ({ authenticator }) => authenticator.sendFailures);
  return registry;
}
