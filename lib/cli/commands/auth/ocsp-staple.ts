/**
 * What a stapled OCSP response (RFC 6960 §4.2.1) says, read from its DER for the server
 * certificate report: the first SingleResponse's status, dates and revocation time. The report
 * only describes; the peer's own check (the `ocsp` option) is what refuses. Every length is
 * checked before it is read; anything unexpected gives undefined.
 */
import { DerElement, readChildren as children, readElement as element, readTime } from '../../../core/der';

export interface OcspStapleSummary {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate: string;
  nextUpdate?: string;
  revocationTime?: string;
}

/** GeneralizedTime only: RFC 6960 dates are GeneralizedTime. */
function generalizedTime(e: DerElement | undefined): string | undefined {
  return e?.tag === 0x18 ? readTime(e) : undefined;
}

export function summariseOcspStaple(der: Buffer): OcspStapleSummary | undefined {
  const top = element(der, 0);
  const response = top?.tag === 0x30 ? children(top.body) : undefined;
  // responseStatus ENUMERATED successful(0), then [0] EXPLICIT ResponseBytes.
  if (!response || response[0]?.tag !== 0x0a || response[0].body[0] !== 0 || response[1]?.tag !== 0xa0) return undefined;
  const bytes = children(response[1].body)?.[0];
  const basic = bytes?.tag === 0x30 ? children(bytes.body)?.[1] : undefined;
  const basicOuter = basic?.tag === 0x04 ? element(basic.body, 0) : undefined;
  const tbs = basicOuter?.tag === 0x30 ? children(basicOuter.body)?.[0] : undefined;
  const tbsItems = tbs?.tag === 0x30 ? children(tbs.body) : undefined;
  // [0] version (optional), responderID, producedAt, responses.
  const responses = tbsItems?.find((item, index) => index > 0 && item.tag === 0x30 && tbsItems[index - 1].tag === 0x18);
  const single = responses ? children(responses.body)?.[0] : undefined;
  const parts = single?.tag === 0x30 ? children(single.body) : undefined;
  if (!parts || parts.length < 3) return undefined;
  const status = parts[1].tag === 0x80 ? 'good' : parts[1].tag === 0xa1 ? 'revoked' : parts[1].tag === 0x82 ? 'unknown' : undefined;
  const thisUpdate = generalizedTime(parts[2]);
  if (!status || !thisUpdate) return undefined;
  const summary: OcspStapleSummary = { status, thisUpdate };
  const next = parts.slice(3).find((part) => part.tag === 0xa0);
  const nextUpdate = next ? generalizedTime(element(next.body, 0)) : undefined;
  if (nextUpdate) summary.nextUpdate = nextUpdate;
  if (status === 'revoked') {
    const revocationTime = generalizedTime(children(parts[1].body)?.[0]);
    if (revocationTime) summary.revocationTime = revocationTime;
  }
  return summary;
}

/** One line for the report; `warnHours`: a staple whose nextUpdate is nearer is said to expire soon. */
export function ocspStapleLine(summary: OcspStapleSummary | undefined, stapled: boolean, now = Date.now()): string {
  if (!stapled) return 'OCSP: the server stapled no OCSP response';
  if (!summary) return 'OCSP: the server stapled a response that cannot be read';
  const dates = `thisUpdate ${summary.thisUpdate}${summary.nextUpdate ? `, nextUpdate ${summary.nextUpdate}` : ''}`;
  const revoked = summary.revocationTime ? ` since ${summary.revocationTime}` : '';
  const stale = summary.nextUpdate && Date.parse(summary.nextUpdate) < now ? ' (stale: past its nextUpdate)' : '';
  return `OCSP: stapled response says ${summary.status}${revoked} (${dates})${stale}`;
}
