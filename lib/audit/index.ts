/**
 * audit(): which client platforms a RADIUS server will fail, and why, from a few real
 * authentications of the shipped peer (portable EAPHost) with different client behaviours —
 * TLS 1.2 (the chain crosses in the clear), TLS 1.3, TLS 1.0–1.1 when the server speaks neither,
 * a resumption, a small Framed-MTU — one at a time, spaced, at most `maxAuthentications`
 * (default 12). The chain the server sent is judged here (certificates.ts), the platforms' rules
 * are platforms.ts, the verdicts predict.ts. The RADIUS bytes are native/radius's, as for every
 * other RADIUS client of the package.
 */
import { X509Certificate } from 'node:crypto';
import { Pem, innerMethodList, pemCertificates } from '../core/connection-data';
import type { BeginSessionOptions } from '../core/session-options';
import type { RadiusAttribute } from '../radius/attributes';
import type { RadiusClient } from '../radius/client';
import type { RadiusEndpoint } from '../radius/endpoint';
import { openEapHost } from '../session/eaphost';
import { AttemptPlan, AttemptRecord, AttemptResult, runAttempt } from './attempt';
import { mschapInner } from '../profile/readiness';
import { clientCertificateMapping, dnsNames, judgeChain } from './certificates';
import type { AuditFinding } from './findings';
import { AuditClientVerdict, ServerFacts, findingsOf, predictClients, reachedTunnel } from './predict';
import { TLS12, TLS13 } from './platforms';

export type { AuditFinding, AuditFindingId, AuditSeverity } from './findings';
export type { AuditClientVerdict } from './predict';
export type { AttemptRecord as AuditAttempt, AttemptOutcome as AuditAttemptOutcome } from './attempt';
export type { AuditClientName } from './platforms';

/** The TLS-based methods an audit runs. */
export type AuditMethod = 'peap' | 'ttls' | 'tls' | 'teap';
const AUDIT_METHODS: readonly AuditMethod[] = ['peap', 'ttls', 'tls', 'teap'];

/** The most authentications one audit runs by default, and at most. */
export const AUDIT_MAX_AUTHENTICATIONS = 12;
const AUDIT_AUTHENTICATION_CAP = 32;
/** Access-Requests one audit sends at most (retransmissions included): 12 authentications of 40 round trips. */
export const AUDIT_MAX_ACCESS_REQUESTS = 480;

export interface AuditOptions {
  /** The RADIUS server: host, port and shared secret. */
  server: RadiusEndpoint;
  /** A RADIUS client to send through (a RadSecClient for RADIUS over TLS); by default one over UDP per attempt. */
  client?: Pick<RadiusClient, 'accessRequest' | 'close'>;
  method: AuditMethod;
  identity: string;
  /** The inner method's password (PEAP, EAP-TTLS, TEAP). */
  password?: string;
  /** The CA the clients trust for the server (PEM): the chain is judged against it. */
  ca?: Pem;
  /** The names the clients expect in the server certificate. */
  serverName?: string | string[];
  /** The method's own settings, as beginSession takes them (phase2, innerMethod,
   *  anonymousIdentity, cert / key / keyPassword for EAP-TLS, …); never trust or TLS versions. */
  session?: Omit<BeginSessionOptions, 'method' | 'identity' | 'password' | 'ca' | 'serverName' | 'insecure' | 'tls' | 'allowObsoleteTls'>;
  /** At most this many authentications (default 12, at most 32). */
  maxAuthentications?: number;
  /** Pause between authentications, ms (default 250): never a flood. */
  spacingMs?: number;
  /** Wait this long for each reply, ms (default 5000). */
  timeoutMs?: number;
  /** Send each request at most this many times (default 2). */
  tries?: number;
  /** More attributes for every Access-Request, as a NAS sends them. */
  attributes?: RadiusAttribute[];
  signal?: AbortSignal;
  /** Called after each authentication with what it saw. */
  onAttempt?: (attempt: AttemptRecord) => void;
}

export interface AuditReport {
  /** pass: every client connects; fail: one does not; unreachable: no trustworthy answer. */
  verdict: 'pass' | 'fail' | 'unreachable';
  clients: AuditClientVerdict[];
  findings: AuditFinding[];
  /** Every authentication run, in order. */
  attempts: AttemptRecord[];
  /** The chain the server sent (leaf first), as subjects; empty when it never crossed in the clear. */
  chain: { subject: string; issuer: string; validTo: string }[];
  authentications: number;
  accessRequests: number;
  elapsedMs: number;
}

function positive(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer`);
  if (value > max) throw new RangeError(`${name} must be at most ${max}`);
  return value;
}

function checkOptions(options: AuditOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('audit options must be an object');
  if (!AUDIT_METHODS.includes(options.method)) throw new TypeError(`method must be ${AUDIT_METHODS.map((m) => `'${m}'`).join(' | ')}`);
  if (typeof options.identity !== 'string' || options.identity === '') throw new TypeError('identity must be a non-empty string');
  if (options.password !== undefined && typeof options.password !== 'string') throw new TypeError('password must be a string');
  if (typeof options.server !== 'object' || options.server === null) throw new TypeError('server must be { host, port, secret }');
}

const wait = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  if (ms === 0 || signal.aborted) return resolve();
  const timer = setTimeout(() => { signal.removeEventListener('abort', done); resolve(); }, ms);
  const done = (): void => { clearTimeout(timer); resolve(); };
  signal.addEventListener('abort', done, { once: true });
});

const oneLine = (name: string): string => name.split('\n').filter((part) => part !== '').join(', ');

const METHOD_NAMES: Record<AuditMethod, string> = { peap: 'PEAP', ttls: 'EAP-TTLS', tls: 'EAP-TLS', teap: 'TEAP' };

export async function audit(options: AuditOptions): Promise<AuditReport> {
  checkOptions(options);
  const started = Date.now();
  const maxAuthentications = positive(options.maxAuthentications, 'maxAuthentications', AUDIT_MAX_AUTHENTICATIONS, AUDIT_AUTHENTICATION_CAP);
  const spacingMs = positive(options.spacingMs, 'spacingMs', 250, 60_000);
  const trusted: X509Certificate[] = options.ca === undefined ? [] : pemCertificates(options.ca, 'ca');
  const serverNames = options.serverName === undefined ? [] : ([] as string[]).concat(options.serverName);
  const mapping = await clientCertificateMapping(options.method, options.session);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let accessRequests = 0;
  const host = await openEapHost({ backend: 'portable' });
  const attempts: AttemptRecord[] = [];
  const results: AttemptResult[] = [];
  let acceptUnsignedReplies = false;
  const facts: ServerFacts = {
    acceptedVersions: new Set(), refusedVersions: [], tls13KeysDiffer: false, certificate: [], serverNames, leafWithoutName: false,
    ...mapping,
  };
  const context = {
    host, server: options.server, ...(options.client ? { client: options.client } : {}),
    session: {
      ...options.session, method: options.method, identity: options.identity,
      ...(options.password !== undefined ? { password: options.password } : {}),
    },
    timeoutMs: positive(options.timeoutMs, 'timeoutMs', 5000, 120_000),
    tries: positive(options.tries, 'tries', 2, 10) || 1,
    attributes: options.attributes ?? [],
    countRequests: (tries: number) => {
      accessRequests += tries;
      if (accessRequests >= AUDIT_MAX_ACCESS_REQUESTS) stop.abort();
    },
    signal: stop.signal,
  };
  /** Runs `plan` when the budget allows; undefined when it does not (or the run was stopped). */
  const run = async (plan: AttemptPlan): Promise<AttemptResult | undefined> => {
    if (attempts.length >= maxAuthentications || stop.signal.aborted) return undefined;
    if (attempts.length > 0) await wait(spacingMs, stop.signal);
    if (stop.signal.aborted) return undefined;
    const result = await runAttempt(context, { ...plan, acceptUnsignedReplies });
    attempts.push(result.record);
    results.push(result);
    options.onAttempt?.(result.record);
    if (result.record.outcome === 'no-message-authenticator' && !acceptUnsignedReplies) {
      facts.noMessageAuthenticator = result.evidence ?? 'replies without Message-Authenticator';
      acceptUnsignedReplies = true;
      return run(plan);
    }
    return result;
  };
  const learn = (result: AttemptResult | undefined, range: string): void => {
    if (!result) return;
    const { record } = result;
    if (reachedTunnel(record)) {
      const wire = { '1.0': 0x0301, '1.1': 0x0302, '1.2': TLS12, '1.3': TLS13 }[record.tlsVersion ?? record.tls.max];
      if (wire !== undefined) facts.acceptedVersions.add(wire);
    } else if (record.outcome === 'tls-refused') {
      facts.refusedVersions.push({ range, evidence: result.evidence ?? record.reason ?? 'refused' });
    } else if (record.outcome === 'tls-framing') {
      facts.framing ??= result.evidence ?? record.reason ?? 'EAP-TLS framing broken';
    }
  };
  try {
    const baseline = await run({ name: 'tls1.2', tls: { min: '1.2', max: '1.2' } });
    // The peer would not begin with the options given: the caller's error, typed (EapError), not the server's.
    if (baseline?.unusable) throw baseline.unusable;
    const first = baseline?.record.outcome;
    if (first === 'unreachable') facts.unreachable = baseline!.evidence ?? 'no answer';
    else if (first === 'eap-refused') facts.eapRefused = baseline!.evidence ?? 'Access-Reject';
    else {
      learn(baseline, 'TLS 1.2');
      const tls13 = await run({ name: 'tls1.3', tls: { min: '1.3', max: '1.3' } });
      learn(tls13, 'TLS 1.3');
      if (tls13?.record.outcome === 'accept' && tls13.record.mppeKeysMatch === false) facts.tls13KeysDiffer = true;
      let best = reachedTunnel(baseline!.record) ? baseline : tls13 && reachedTunnel(tls13.record) ? tls13 : undefined;
      if (!best) {
        const legacy = await run({ name: 'tls1.0-1.1', tls: { min: '1.0', max: '1.1' } });
        learn(legacy, 'TLS 1.0 to 1.1');
        if (legacy && reachedTunnel(legacy.record)) best = legacy;
      }
      if (best) {
        const plan = { tls: best.record.tls as AttemptPlan['tls'] };
        facts.roundTrips = best.record.roundTrips;
        if (best.record.outcome === 'inner-rejected') facts.credentialsRejected = best.evidence ?? best.record.reason ?? 'rejected';
        const mschap = mschapInner({
          method: options.method, innerMethod: innerMethodList(options.session?.innerMethod)[0],
          teapSecondaryInnerMethod: options.session?.teapSecondaryInnerMethod, phase2: options.session?.phase2,
        });
        if (mschap !== undefined) {
          facts.mschapv2 = `the server ran ${METHOD_NAMES[options.method]} with ${mschap}, which a server checks against Active Directory through NTLM`;
        }
        // A NAS with a small MTU: the server must fragment its chain further.
        await run({ name: 'fragments-500', ...plan, framedMtu: 500 });
        // With resumption: a full handshake that keeps its session, then one that offers it.
        await run({ name: 'resumption-full', ...plan, resumption: true });
        await run({ name: 'resumption', ...plan, resumption: true });
      }
    }
    const chain = results.find((result) => result.chain.length > 0)?.chain ?? [];
    if (chain.length > 0) {
      facts.certificate = judgeChain(chain, trusted, serverNames);
      facts.leafWithoutName = dnsNames(chain[0]).length === 0;
    }
    const clients = predictClients(facts);
    const findings = findingsOf(facts, clients);
    return {
      verdict: facts.unreachable !== undefined ? 'unreachable' : clients.every((client) => client.connects) ? 'pass' : 'fail',
      clients, findings, attempts,
      chain: chain.map((certificate) => ({ subject: oneLine(certificate.subject), issuer: oneLine(certificate.issuer), validTo: certificate.validTo })),
      authentications: attempts.length, accessRequests, elapsedMs: Date.now() - started,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await host.close().catch(() => undefined);
  }
}
