export { RadiusCode, RadiusAttributeType } from './constants';
export { RadiusError, RadiusTimeoutError } from './errors';
export type { RadiusAttribute } from './attributes';
export type { RadiusEndpoint } from './endpoint';
export type { RadiusClientOptions, RadiusRequestOptions, RadiusExchange } from './client';
export { RadiusClient } from './client';
export type { RadiusEapTransportOptions } from './eap-transport';
export { RadiusEapTransport } from './eap-transport';
export type { RadiusServerOptions, RadiusServerStats, RadiusConversationRecord } from './server';
export type { RadiusClientEntry } from './client-networks';
export { RadiusServer } from './server';
export { statusServer } from './status-server';
export type { AccountingOptions } from './accounting';
export { accountingRequest, AcctStatusType } from './accounting';
export type {
  DynamicAuthorizationSession, DynamicAuthorizationOptions, DynamicAuthorizationReply,
} from './dynamic-authorization';
export { disconnectRequest, coaRequest, ErrorCause } from './dynamic-authorization';
export type { RadSecClientOptions } from './radsec-client';
export type { RadSecListenOptions } from './radsec-listener';
export { RadSecClient } from './radsec-client';
export type { DasRequest, DasVerdict, DynamicAuthorizationServerOptions } from './das-server';
export type { DasSessionIdentification } from '../native';
export { DynamicAuthorizationServer } from './das-server';
export type { AuthenticatedSession } from './server-sessions';
export { SessionSelectionError } from './server-sessions';
export type { Authorize, MabAllowList, RadiusPolicy, RadiusPolicyReply } from './policy';
