/** Enums of the Windows EAP ABI, with the SDK's values. */

export enum EapCode {
  Request = 1,
  Response = 2,
  Success = 3,
  Failure = 4,
}

export enum EapType {
  Identity = 1,
  Notification = 2,
  Nak = 3,
  Md5Challenge = 4,
  Gtc = 6,
  MsChapV2 = 26,
  Expanded = 254,
}

/** EapHostPeerResponseAction (eaphostpeertypes.h), as strings in the facade. */
export const EapHostPeerResponseAction = {
  discard: 0,
  send: 1,
  result: 2,
  invokeUi: 3,
  respond: 4,
  startAuthentication: 5,
  none: 6,
} as const;
export type ResponseAction = keyof typeof EapHostPeerResponseAction;

/** EapPeerMethodResponseAction (eapmethodtypes.h). */
export const EapPeerMethodResponseAction = {
  discard: 0,
  send: 1,
  result: 2,
  invokeUi: 3,
  respond: 4,
  none: 5,
} as const;
export type PeerMethodAction = keyof typeof EapPeerMethodResponseAction;

/** EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION. */
export const AuthenticatorResponseAction = {
  discard: 0,
  send: 1,
  result: 2,
  respond: 3,
  authenticate: 4,
  handleIdentity: 5,
} as const;
export type AuthenticatorAction = keyof typeof AuthenticatorResponseAction;

export enum EapHostPeerMethodResultReason {
  AltSuccessReceived = 1,
  Timeout = 2,
  FromMethod = 3,
}

export enum EapHostPeerAuthParams {
  AuthStatus = 1,
  Identity = 2,
  IdentityExtendedInfo = 3,
  NapInfo = 4,
}

export enum EapHostAuthStatus {
  InvalidSession = 0,
  NotStarted = 1,
  IdentityExchange = 2,
  NegotiatingType = 3,
  InProgress = 4,
  Succeeded = 5,
  Failed = 6,
}

export enum EapAttributeType {
  UserName = 1,
  UserPassword = 2,
  ReplyMessage = 18,
  State = 24,
  Class = 25,
  VendorSpecific = 26,
  EapMessage = 79,
  MessageAuthenticator = 80,
  /** The EMSK a method releases with its result. */
  Emsk = 9003,
  /** The method's Session-Id (RFC 5247 §1.4), for the methods that define one (the TLS methods). */
  SessionId = 9004,
  /** A TLS-based method's session was resumed (MS-PEAP fast reconnect and the like): a 4-byte BOOL. */
  FastRoamedSession = 8100,
  ClearTextPassword = 8107,
}

/** Vendor-Specific questions and answers between the shipped authenticator methods and the
 *  user store, under the modules' author id: Vendor-Type 1 is the user's NT hash. */
export const EAPHOST_VENDOR_ID = 32473;
export const EapHostVendorType = {
  NtPasswordHash: 1,
} as const;

export enum EapConfigInputFieldType {
  Username = 0,
  Password = 1,
  NetworkUsername = 2,
  NetworkPassword = 3,
  Pin = 4,
  Psk = 5,
  Edit = 6,
}

export const EapFlags = {
  NON_INTERACTIVE: 0x2,
  LOGON: 0x4,
  PREVIEW: 0x8,
  MACHINE_AUTH: 0x20,
  GUEST_ACCESS: 0x40,
  /** Use the credentials passed in the user data before the method's own (for Windows'
   *  EAP-MSCHAPv2: before the logged-on user's); BeginSession's reference page. */
  PREFER_ALT_CREDENTIALS: 0x2000,
} as const;

/** Reason codes from eaphosterror.h. */
export const EapReason = {
  EAP_E_EAPHOST_METHOD_NOT_INSTALLED: 0x80420011,
  EAP_E_AUTHENTICATION_FAILED: 0x80420015,
  EAP_E_EAPHOST_METHOD_INVALID_PACKET: 0x80420017,
  EAP_E_USER_CREDENTIALS_REJECTED: 0x80420111,
  EAP_E_USER_NAME_PASSWORD_REJECTED: 0x80420112,
} as const;

export function actionName<T extends Record<string, number>>(table: T, value: number): keyof T {
  for (const [name, code] of Object.entries(table)) if (code === value) return name as keyof T;
  throw new RangeError(`unknown action ${value}`);
}
