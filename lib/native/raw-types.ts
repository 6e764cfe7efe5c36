/**
 * The shapes the addon reads and writes, as the contract (contract.ts) declares them. The
 * facade's public types mirror them field for field and the compiler checks each use, so the
 * native seam needs nothing of the facade; the facade documents, checks and maps.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError, EapMethodTypeInfo } from '../core/errors';

/** EapPeerGetResult's result, as a peer method module's session reports it. */
export interface RawPeerMethodResult {
  success: boolean;
  failureReasonCode: number;
  saveConnectionData: boolean;
  connectionData: Buffer;
  saveUserData: boolean;
  userData: Buffer;
  attributes: EapAttribute[];
  error?: EapError;
}

/** EapHostPeerGetResult's result: the method's, with the isolation state and the method. */
export interface RawEapHostResult extends RawPeerMethodResult {
  isolationState: number;
  method?: EapMethodTypeInfo & { friendlyName: string; authorName: string };
}

/** One entry of EapHostPeerGetMethods. */
export interface RawMethodInfo extends EapMethodTypeInfo {
  friendlyName: string;
  authorName: string;
  properties: number;
}

/** EapMethodAuthenticatorGetResult's result. */
export interface RawAuthenticatorMethodResult {
  success: boolean;
  failureReason: number;
  attributes: EapAttribute[];
  error?: EapError;
}

/** One field of EapPeerQueryCredentialInputFields (a method module's own query). */
export interface RawCredentialField {
  type: number;
  flags: number;
  label: string;
  minLength: number;
  maxLength: number;
}

/** EAP_CONFIG_INPUT_FIELD_DATA. */
export interface RawConfigInputField {
  type: number;
  flags: number;
  label: string;
  data: string;
  minLength: number;
  maxLength: number;
}

/** EAP_INTERACTIVE_UI_DATA: the fields of one interactive UI request. */
export interface RawInteractiveUiData {
  type: number;
  fields?: RawConfigInputField[];
  currentFields?: RawConfigInputField[];
  newFields?: RawConfigInputField[];
}

/** EAP_METHOD_PROPERTY. */
export interface RawMethodProperty {
  type: number;
  name?: string;
  valueType: number;
  value: boolean | number | Buffer;
}
