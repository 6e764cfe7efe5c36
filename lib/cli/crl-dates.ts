import { FILE_LIMITS, readFileBounded } from '../core/file-read';
import { readChildren, readElement, readTime } from '../core/der';

/**
 * A CRL file's nextUpdate (RFC 5280 §5.1: CertificateList, tbsCertList version?, signature,
 * issuer, thisUpdate, nextUpdate?), for the warnings that a CRL is about to go stale: the TLS
 * methods refuse a stale CRL, so an operator wants to hear before it happens. undefined when the
 * file cannot be read, is no CRL, or names no nextUpdate.
 */
export function crlNextUpdate(file: string): Date | undefined {
  let der: Buffer;
  try {
    der = readFileBounded(file, FILE_LIMITS.crl);
  } catch {
    return undefined;
  }
  const pem = /-----BEGIN X509 CRL-----([^-]+)-----END X509 CRL-----/.exec(der.toString('latin1'));
  if (pem) der = Buffer.from(pem[1].replace(/\s+/g, ''), 'base64');
  const list = readElement(der);
  const tbs = list?.tag === 0x30 ? readChildren(list.body)?.[0] : undefined;
  const items = tbs?.tag === 0x30 ? readChildren(tbs.body) : undefined;
  if (!items) return undefined;
  const first = items[0]?.tag === 0x02 ? 1 : 0;  // the optional version
  const next = readTime(items[first + 3]);
  return next ? new Date(next) : undefined;
}

/** Warnings for the CRLs whose nextUpdate is past or within `days`. */
export function crlExpiryWarnings(files: readonly string[], days: number, now = Date.now()): { stale: string[]; soon: string[] } {
  const out = { stale: [] as string[], soon: [] as string[] };
  for (const file of files) {
    const next = crlNextUpdate(file);
    if (!next) continue;
    const left = (next.getTime() - now) / 86_400_000;
    if (left < 0) out.stale.push(`CRL ${file} is stale (its nextUpdate was ${next.toISOString()})`);
    else if (left <= days) out.soon.push(`CRL ${file} goes stale in ${Math.floor(left * 10) / 10} days (nextUpdate ${next.toISOString()})`);
  }
  return out;
}
