/**
 * What the embedded authenticator of `eaphost serve` offers, from --users, --methods and the TLS
 * flags: the same behind RADIUS (serve.ts) and behind an EAPOL port (serve-eapol.ts).
 */
import { BuiltinMethodName, SHIPPED_METHOD_NAMES, builtinMethods, isTlsMethodName } from '../../../session/builtin';
import { UserRecord } from '../../../core/users';
import { innerMethodList } from '../../../core/connection-data';
import { ServeTlsOptions, serveTlsOptions, wipeTlsOptions } from '../../tls-flags';
import { readUsersFile } from '../../users-file';
import { flagReader, shippedMethodName, stringFlag } from '../../command-line';
import { FlagValues, UsageError } from '../../main';

/** What `serve` proposes without --methods: the strongest first, the others on a peer's Nak.
 *  With a certificate the TLS methods lead (EAP-TLS only with a CA for client certificates). */
function defaultServeMethods(tls: ServeTlsOptions): BuiltinMethodName[] {
  const plain = SHIPPED_METHOD_NAMES.filter((name) => !isTlsMethodName(name));
  if (tls.cert === undefined) return plain;
  const tunnelled: BuiltinMethodName[] = ['peap', 'ttls', ...(tls.ca ? ['tls' as const] : [])];
  return [...tunnelled.filter((name) => Object.prototype.hasOwnProperty.call(builtinMethods, name)), ...plain];
}

/** --users, --methods and the TLS flags: what the embedded authenticator serves (also behind an EAPOL port). */
export function embeddedAuthenticatorFlags(values: FlagValues):
    { users: Record<string, UserRecord>; methods: BuiltinMethodName[]; tls: ServeTlsOptions } {
  // Without --users (a serve that only proxies): no user here.
  const file = stringFlag(values, 'users');
  const users = file === undefined ? {} : readUsersFile(file, '--users');
  const tls = serveTlsOptions(flagReader(values));
  try {
    return { users, methods: servedMethods(values, tls), tls };
  } catch (error) {
    wipeTlsOptions(tls);  // the key file's bytes and the ticket key
    throw error;
  }
}

/** --methods (or the default) checked against the TLS flags given. */
function servedMethods(values: FlagValues, tls: ServeTlsOptions): BuiltinMethodName[] {
  const methodList = stringFlag(values, 'methods');
  const methods = methodList === undefined ? defaultServeMethods(tls)
    : methodList.split(',').map((name) => shippedMethodName(name, '--methods'));
  if (new Set(methods).size !== methods.length) throw new UsageError(`--methods ${methodList} names a method twice`);
  const tlsMethods = methods.filter(isTlsMethodName);
  // A peer outside this process cannot know an ephemeral CA: serving TLS methods takes a certificate.
  if (tlsMethods.length > 0 && tls.cert === undefined) {
    throw new UsageError(`--methods ${tlsMethods.join(',')} needs the server's --cert FILE and --key FILE`);
  }
  if (tlsMethods.length === 0 && Object.keys(tls).length > 0) {
    throw new UsageError('--cert, --key, --ca, --tls-max, --tls-session-lifetime and --no-fast-reconnect apply to the TLS methods (peap, teap, ttls, tls) only');
  }
  if (tls.tlsTicketKey !== undefined && !tlsMethods.some((name) => name !== 'ttls')) {
    throw new UsageError('--tls-ticket-key-file seals the TLS 1.3 tickets of tls, peap and teap: --methods lists none of them ' +
      '(EAP-TTLS resumes by Session ID, in one process)');
  }
  const innerTls = innerMethodList(tls.innerMethod).includes('tls') || tls.teapSecondaryInnerMethod === 'tls';
  if (innerTls && (!methods.includes('teap') || tls.ca === undefined)) {
    throw new UsageError('an inner tls is TEAP\'s inner EAP-TLS: it needs teap in --methods and --ca FILE, the CA of the client certificates it accepts');
  }
  if (tls.teapSecondaryInnerMethod !== undefined && !methods.includes('teap')) {
    throw new UsageError('--teap-secondary-inner-method needs teap in --methods');
  }
  if (methods.includes('tls') && tls.ca === undefined) {
    throw new UsageError('--methods tls needs --ca FILE, the CA that issues the client certificates it accepts');
  }
  return methods;
}
