export { RadiusCode, RadiusAttributeType } from './constants';
export { RadiusError, RadiusTimeoutError } from './errors';
export type { RadiusAttribute } from './attributes';
export type { RadiusEndpoint } from './endpoint';
export type { RadiusClientOptions, RadiusRequestOptions, RadiusExchange } from './client';
export { RadiusClient } from './client';
export type { RadiusEapTransportOptions } from './eap-transport';
export { RadiusEapTransport } from './eap-transport';
export type { RadiusServerOptions, RadiusServerStats, RadiusConversationRecord, RadiusClientTally } from './server';
export type { RadiusClientEntry } from './client-networks';
export { RadiusServer } from './server';
export type { RadiusHomeServer } from './server-proxy';
export { statusServer } from './status-server';
export type { AccountingOptions } from './accounting';
export { accountingRequest, AcctStatusType } from './accounting';
export type {
  DynamicAuthorizationSession, DynamicAuthorizationOptions, DynamicAuthorizationReply,
} from './das/client';
export { disconnectRequest, coaRequest, ErrorCause } from './das/client';
export type { RadSecClientOptions } from './radsec/client';
export type { RadSecListenOptions } from './radsec/listener';
export { RadSecClient } from './radsec/client';
export type { DasRequest, DasVerdict, DynamicAuthorizationServerOptions } from './das/server';
export type { DasSessionIdentification } from '../native';
export { DynamicAuthorizationServer } from './das/server';
export type { AuthenticatedSession } from './server-sessions';
export { SessionSelectionError } from './server-sessions';
export type {
  Authorize, AuthorizeRequest, AuthorizeResult, MabAllowList, PolicyMatchValue, RadiusPolicy, RadiusPolicyMatch, RadiusPolicyReply,
  RadiusPolicyRule, RadiusReplyAttribute,
} from './policy';
export type { RadiusPeerNoun } from './errors';
// The types the signatures above use, each by its name (test/api-surface.test.ts: no forgotten export).
export type { AccountingReply } from './accounting';
export type { CoaChanges, CoaMessage, DisconnectMessage, ErrorCauseValue } from './das/client';
export type { DynamicAuthorizationServerStats, RadiusClientCounters } from '../native';
export type { NasDasOptions, SessionMemoryOptions, SessionSelector } from './server-sessions';
export type { RadSecConnectionEvent } from './radsec/listener';
export type { RadiusClientStats } from './client';
export type { RadiusExchangeEvent } from './eap-transport';
export type { RadiusPacket } from './attributes';
export type { RadiusSecret } from './secret';
export type { StatusServerOptions, StatusServerReply } from './status-server';
