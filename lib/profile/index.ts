/**
 * The `eaphost/profile` entry point: the writers of EAPHost profiles, Microsoft's documents for
 * Windows' own methods and ours (urn:eaphost:config:1) for the shipped ones, for a program that
 * deploys profiles (netsh, Intune) rather than authenticating.
 */
export {
  microsoftConfigXml, microsoftCredentialsXml, certificateThumbprints, WINDOWS_METHOD_TYPES,
} from './microsoft-config';
export type { MicrosoftConfigOptions, MicrosoftCredentials, WindowsMethodName } from './microsoft-config';
export {
  shippedConfigXml, shippedCredentialsXml, SHIPPED_CONFIG_NAMESPACE, SHIPPED_CREDENTIALS_NAMESPACE,
} from './shipped-config';
export type { ShippedMethodName } from './shipped-config';
export type { ProfileOptions } from './session-config';
