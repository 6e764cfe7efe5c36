export { RadiusCode, RadiusAttributeType, MICROSOFT_VENDOR_ID, MicrosoftAttributeType, radiusCodeName } from './constants';
export {
  RadiusError, RadiusMalformedError, RadiusTimeoutError, RadiusAuthenticatorMismatchError, RadiusProtocolError,
  RadiusAbortedError, RadiusMessageAuthenticatorMissingError, RadiusMessageAuthenticatorInvalidError,
  RadiusInconsistentVerdictError,
} from './errors';
export type { RadiusAttribute, RadiusPacket, DecodedRadiusPacket } from './packet';
export { decodeRadiusPacket, encodeRadiusPacket } from './packet';
export { eapMessageAttributes, reassembleEapMessage } from './eap-message';
export type { RadiusSecret } from './signing';
export { signAccessRequest, verifyResponse } from './signing';
export { decryptMppeKey, parseClearMppeKey } from './mppe';
export type { RadiusEndpoint } from './endpoint';
export { parseHostPort, formatHostPort } from './endpoint';
export type { RadiusClientOptions, RadiusClientStats, RadiusRequestOptions, RadiusExchange } from './client';
export { RadiusClient } from './client';
export type { RadiusEapTransportOptions, RadiusExchangeEvent } from './eap-transport';
export { RadiusEapTransport } from './eap-transport';
export type { RadiusServerOptions, RadiusServerStats, RadiusConversationRecord } from './server';
export type { RadiusClientEntry } from './client-networks';
export { DEFAULT_MAX_TLS_CONVERSATIONS, RadiusServer } from './server';
export type { StatusServerOptions, StatusServerReply } from './status-server';
export { statusServer } from './status-server';
export { hideUserPassword } from './user-password';
export type { AccountingOptions, AccountingReply } from './accounting';
export { accountingRequest, signAccountingRequest, AccountingCode, AcctStatusType } from './accounting';
export type {
  DynamicAuthorizationSession, CoaChanges, DisconnectMessage, CoaMessage, DynamicAuthorizationOptions,
  DynamicAuthorizationReply, ErrorCauseValue,
} from './dynamic-authorization';
export {
  disconnectRequest, coaRequest, errorCauseName, ErrorCause, DYNAMIC_AUTHORIZATION_PORT,
} from './dynamic-authorization';
export type { RadSecClientOptions } from './radsec-client';
export type { RadSecListenOptions, RadSecConnectionEvent } from './radsec-listener';
export { DEFAULT_RADSEC_LIMITS } from './radsec-listener';
export { RadSecClient, RADSEC_SECRET, RADSEC_PORT } from './radsec-client';
export type {
  DasRequest, DasVerdict, DynamicAuthorizationServerOptions, DynamicAuthorizationServerStats,
} from './das-server';
export { DynamicAuthorizationServer } from './das-server';
export type { AuthenticatedSession, SessionMemoryOptions, SessionSelector, NasDasOptions } from './server-sessions';
export { SessionSelectionError } from './server-sessions';
