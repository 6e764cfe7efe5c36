/**
 * What beginSession takes (BeginSessionOptions, ProfileOptions): one module beneath both the
 * facade (lib/session/eaphost.ts) and the profiles (lib/profile/session-config.ts), which read it.
 */
import type { EapAttribute } from './attributes';
import type { BuiltinMethodName } from './method-table';
import type { ConnectionDataOptions } from './connection-data';
import type { EapMethodTypeInfo } from './errors';

export interface ProfileOptions {
  /** An EapHostConfig document (Microsoft's, or ours for the shipped methods): the method type
   *  and its connection data come from it. */
  configXml?: string;
  /** An EapHostUserCredentials document for the same method: the user data comes from it. */
  credentialsXml?: string;
}

/**
 * For the shipped TLS methods ('tls', 'peap', 'ttls') the TLS options (ca, serverName, insecure,
 * tls: { min, max }, innerMethod, phase2, cert, key, keyPassword, anonymousIdentity, …) become
 * the method's connection data. There is no silent trust: without `ca`, `insecure: true` must
 * say so, or beginSession rejects with a TypeError before anything native runs.
 */
export interface BeginSessionOptions extends ConnectionDataOptions, ProfileOptions {
  /** A shipped method by name, or any installed method by its EAP_METHOD_TYPE (none with configXml).
   *  On the windows backend 'peap', 'tls' and 'ttls' are Windows' own methods, configured from
   *  these same options through Microsoft's XML (lib/profile/). */
  method?: BuiltinMethodName | EapMethodTypeInfo;
  identity?: string;
  /** The password (inner method's, for PEAP / TTLS). EAP-TLS needs none. */
  password?: string;
  /** The method's user blob, when not made from identity/password. */
  userData?: Buffer;
  /** The method's configuration as a blob (e.g. Windows' own methods' ConfigXml2Blob output);
   *  for the shipped TLS methods it is made from the TLS options instead. */
  connectionData?: Buffer;
  attributes?: EapAttribute[];
  flags?: number;
  /** Authenticate the machine rather than the calling user (EAP_FLAG_MACHINE_AUTH): for a
   *  service running as SYSTEM. EAPHost then gets no user token. */
  machineAuth?: boolean;
  maxSendPacketSize?: number;
  /** GUID string naming the connection (a random one by default). */
  connectionId?: string;
}
