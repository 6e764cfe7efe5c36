/**
 * `eaphost config --method M --print-xml`: writes the EapHostConfig (or, with --credentials,
 * the EapHostUserCredentials) a profile can deploy — netsh / Intune for Windows' own methods,
 * configXml for this package's methods. Default: Windows' own methods' XML on win32, the
 * shipped methods' elsewhere; --windows / --shipped choose.
 */
import { SHIPPED_METHOD_NAMES } from '../../../session/builtin';
import { ConnectionDataOptions } from '../../../core/connection-data';
import {
  MicrosoftConfigOptions, TEAP_CREDENTIALS_XML_MISSING, WINDOWS_METHOD_TYPES, isWindowsMethodName, microsoftConfigXml,
  microsoftCredentialsXml,
} from '../../../profile/microsoft-config';
import { ShippedMethodName, shippedConfigXml, shippedCredentialsXml } from '../../../profile/shipped-config';
import { flagReader, requiredFlag } from '../../command-line';
import { CommandIo, FlagValues, UsageError } from '../../main';
import { resolveSecrets } from '../../secrets';
import { PEER_TLS_BOOLEANS, PEER_TLS_VALUED, peerTlsOptions, readPemFile, wipeTlsOptions } from '../../tls-flags';


const SHIPPED: readonly string[] = SHIPPED_METHOD_NAMES;
const WINDOWS_METHODS = `Windows' own methods are ${Object.keys(WINDOWS_METHOD_TYPES).join(', ')}`;
// The TLS flags Microsoft's profiles can express (the rest are the shipped modules' own).
const WINDOWS_FLAGS = ['ca', 'server-name', 'insecure', 'anonymous-identity', 'phase2', 'inner-method', 'teap-secondary-inner-method'];

function text(args: FlagValues, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

function windowsOptions(method: string, args: FlagValues): MicrosoftConfigOptions {
  const extra = [...PEER_TLS_VALUED, ...PEER_TLS_BOOLEANS].filter((name) => (args[name] !== undefined) && !WINDOWS_FLAGS.includes(name));
  if (extra.length > 0) {
    throw new UsageError(`--${extra[0]} has no equivalent in Windows' own ${method} profile` +
      (extra[0] === 'cert' ? ' (EAP-TLS: give --cert with --credentials, the certificate is chosen by thumbprint)' : ''));
  }
  const options: MicrosoftConfigOptions = {};
  const ca = text(args, 'ca');
  if (ca !== undefined) options.ca = readPemFile(ca, '--ca');
  if (args['insecure'] === true) options.insecure = true;
  const serverName = text(args, 'server-name');
  if (serverName !== undefined) options.serverName = serverName;
  const anonymous = text(args, 'anonymous-identity');
  if (anonymous !== undefined) options.anonymousIdentity = anonymous;
  const phase2 = text(args, 'phase2');
  if (phase2 !== undefined) options.phase2 = phase2 as MicrosoftConfigOptions['phase2'];
  const inner = text(args, 'inner-method');
  if (inner !== undefined) options.innerMethod = inner as MicrosoftConfigOptions['innerMethod'];
  const second = text(args, 'teap-secondary-inner-method');
  if (second !== undefined) options.teapSecondaryInnerMethod = second as MicrosoftConfigOptions['teapSecondaryInnerMethod'];
  return options;
}

function credentialsXml(windows: boolean, method: string, args: FlagValues): string {
  const identity = requiredFlag(args, 'identity');
  const password = text(args, 'password');
  if (password === undefined && method !== 'tls') throw new UsageError('--password is required');
  if (windows) {
    if (!isWindowsMethodName(method)) throw new UsageError(`--method ${method}: ${WINDOWS_METHODS}`);
    if (method === 'teap') throw new UsageError(`--credentials: ${TEAP_CREDENTIALS_XML_MISSING}`);
    const certFile = text(args, 'cert');
    const cert = certFile !== undefined ? readPemFile(certFile, '--cert') : undefined;
    return microsoftCredentialsXml(method, { identity, ...(password !== undefined ? { password } : {}),
      ...(cert ? { cert } : {}) });
  }
  return shippedCredentialsXml(method as ShippedMethodName, { identity, ...(password !== undefined ? { password } : {}) });
}

export async function runConfig(args: FlagValues, { out, err }: CommandIo): Promise<number> {
  resolveSecrets(args, ['password', 'key-password'], err);
  const method = requiredFlag(args, 'method').toLowerCase();
  if (args['windows'] === true && args['shipped'] === true) {
    throw new UsageError('give --windows or --shipped, not both');
  }
  if (args['print-xml'] !== true) throw new UsageError('--print-xml is required (the XML goes to stdout)');
  const windows = args['windows'] === true ||
    (args['shipped'] !== true && process.platform === 'win32');
  if (windows ? !isWindowsMethodName(method) : !SHIPPED.includes(method)) {
    throw new UsageError(`--method ${method}: ${windows ? WINDOWS_METHODS : `shipped methods are ${SHIPPED.join(', ')}`}`);
  }
  if (args['credentials'] === true) {
    out(credentialsXml(windows, method, args).trimEnd());
    return 0;
  }
  for (const flag of ['identity', 'password']) {
    if ((args[flag] !== undefined)) throw new UsageError(`--${flag} belongs to --credentials`);
  }
  if (windows) {
    out(microsoftConfigXml(method as Parameters<typeof microsoftConfigXml>[0], windowsOptions(method, args)).trimEnd());
    return 0;
  }
  const options = peerTlsOptions(method, flagReader(args));
  try {
    out(shippedConfigXml(method as ShippedMethodName, options as ConnectionDataOptions).trimEnd());
  } finally {
    wipeTlsOptions(options);
  }
  return 0;
}
