/**
 * EAPHost's configuration API (eappcfg.dll on Windows; the portable EAPHost's exports of the same
 * names elsewhere): Microsoft's EapHostConfig / EapHostUserCredentials XML to blobs and back,
 * credential input fields, method properties, and the three UI calls. The EapHost class exposes
 * these as methods; this module checks arguments (TypeError / RangeError before anything native
 * runs) and shapes results. EAP failures reject with EapError.
 *
 * The UI calls take the parent window as Electron gives it (BrowserWindow.getNativeWindowHandle(),
 * a Buffer) or as a bigint; on Windows they run on an STA thread of the addon's own.
 */
import { EapMethodTypeInfo } from '../core/errors';
import { checkBuffer, checkMethodType, checkText, checkUint32 } from '../core/input-checks';
import { binding } from '../native';
import type { NativeHandle } from '../native/contract';
import type { EapConfigInputField, EapInteractiveUiData, EapMethodProperty } from '../native';
// The configuration API's shapes are declared once, with the native contract that returns them.
export type { EapConfigInputField, EapInteractiveUiData, EapMethodProperty };

/** XML over this many bytes (UTF-8) is refused, on every backend. */
export const MAX_CONFIG_XML_BYTES = 1024 * 1024;

/** EAP_CONFIG_INPUT_FIELD_TYPE (eaptypes.h). */
export const EapConfigInputFieldType = {
  Username: 0,
  Password: 1,
  NetworkUsername: 2,
  NetworkPassword: 3,
  Pin: 4,
  PSK: 5,
  Edit: 6,
  SmartCardUsername: 7,
  SmartCardError: 8,
} as const;

/** EAP_INTERACTIVE_UI_DATA_TYPE. */
export const EapInteractiveUiDataType = {
  CredReq: 0, CredResp: 1, CredExpiryReq: 2, CredExpiryResp: 3, CredLogonReq: 4, CredLogonResp: 5,
} as const;


/** EAP_METHOD_PROPERTY_TYPE names, by value. */
export const EAP_METHOD_PROPERTY_NAMES: Readonly<Record<number, string>> = {
  0: 'cipherSuiteNegotiation', 1: 'mutualAuth', 2: 'integrity', 3: 'replayProtection', 4: 'confidentiality',
  5: 'keyDerivation', 6: 'keyStrength64', 7: 'keyStrength128', 8: 'keyStrength256', 9: 'keyStrength512',
  10: 'keyStrength1024', 11: 'dictionaryAttackResistance', 12: 'fastReconnect', 13: 'cryptoBinding',
  14: 'sessionIndependence', 15: 'fragmentation', 16: 'channelBinding', 17: 'nap', 18: 'standalone',
  19: 'mppeEncryption', 20: 'tunnelMethod', 21: 'supportsConfig', 22: 'certifiedMethod', 23: 'hiddenMethod',
  24: 'machineAuth', 25: 'userAuth', 26: 'identityPrivacy', 27: 'methodChaining', 28: 'sharedStateEquivalence',
  31: 'legacyMethodPropertyFlag', 255: 'vendorSpecific',
};

/** A parent window handle: the Buffer getNativeWindowHandle() returns, or a bigint. */
export type NativeWindowHandle = Buffer | bigint;

function checkXml(xml: unknown, name: string): string {
  checkText(xml, name);
  const text = xml as string;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_XML_BYTES) {
    throw new RangeError(`${name} is ${bytes} bytes of UTF-8, over the ${MAX_CONFIG_XML_BYTES}-byte limit`);
  }
  return text;
}

function optionalBuffer(value: unknown, name: string): Buffer | undefined {
  return value === undefined ? undefined : checkBuffer(value, name);
}

function checkWindow(value: unknown): NativeWindowHandle {
  if (typeof value === 'bigint') {
    if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError('parentWindow must be a non-negative 64-bit handle');
    return value;
  }
  if (Buffer.isBuffer(value)) {
    if (value.length !== 4 && value.length !== 8) {
      throw new RangeError('parentWindow must be the 4- or 8-byte Buffer BrowserWindow.getNativeWindowHandle() returns');
    }
    return value;
  }
  throw new TypeError('parentWindow must be a Buffer (BrowserWindow.getNativeWindowHandle()) or a bigint');
}

const FIELD_LIMIT = 64;

function checkFields(value: unknown, name: string): EapConfigInputField[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of EapConfigInputField`);
  if (value.length > FIELD_LIMIT) throw new RangeError(`${name} has more than ${FIELD_LIMIT} fields`);
  return value.map((field: unknown, i) => {
    if (typeof field !== 'object' || field === null) throw new TypeError(`${name}[${i}] must be an object`);
    const f = field as Record<string, unknown>;
    const type = checkUint32(f.type, `${name}[${i}].type`, 0);
    if (type > 8) throw new RangeError(`${name}[${i}].type must be an EAP_CONFIG_INPUT_FIELD_TYPE (0..8)`);
    const text = (key: string): string => (f[key] === undefined ? '' : checkText(f[key], `${name}[${i}].${key}`));
    return {
      type,
      flags: checkUint32(f.flags, `${name}[${i}].flags`, 0),
      label: text('label'),
      data: text('data'),
      minLength: checkUint32(f.minLength, `${name}[${i}].minLength`, 0),
      maxLength: checkUint32(f.maxLength, `${name}[${i}].maxLength`, 0),
    };
  });
}

function checkUiData(value: unknown): EapInteractiveUiData {
  if (typeof value !== 'object' || value === null) throw new TypeError('data must be an EapInteractiveUiData object');
  const d = value as Record<string, unknown>;
  const type = checkUint32(d.type, 'data.type', 0);
  if (type > 5) throw new RangeError('data.type must be an EAP_INTERACTIVE_UI_DATA_TYPE (0..5)');
  const expiry = type === EapInteractiveUiDataType.CredExpiryReq || type === EapInteractiveUiDataType.CredExpiryResp;
  return expiry
    ? { type, currentFields: checkFields(d.currentFields ?? [], 'data.currentFields'), newFields: checkFields(d.newFields ?? [], 'data.newFields') }
    : { type, fields: checkFields(d.fields ?? [], 'data.fields') };
}

/** The configuration calls of one opened EAPHost (its native handle). */
export const eapConfig = {
  configXml2Blob(handle: NativeHandle, xml: string, flags?: number): Promise<{ methodType: EapMethodTypeInfo; config: Buffer }> {
    const text = checkXml(xml, 'xml');
    return binding.eapHostConfigXml2Blob({ host: handle, flags: checkUint32(flags, 'flags', 0), xml: text });
  },

  configBlob2Xml(handle: NativeHandle, methodType: EapMethodTypeInfo, config: Buffer, flags?: number): Promise<string> {
    return binding.eapHostConfigBlob2Xml({ host: handle, flags: checkUint32(flags, 'flags', 0),
      methodType: checkMethodType(methodType), config: checkBuffer(config, 'config') });
  },

  credentialsXml2Blob(handle: NativeHandle, xml: string, config: Buffer, flags?: number):
  Promise<{ methodType: EapMethodTypeInfo; credentials: Buffer }> {
    const text = checkXml(xml, 'xml');
    return binding.eapHostCredentialsXml2Blob({ host: handle, flags: checkUint32(flags, 'flags', 0),
      xml: text, config: checkBuffer(config, 'config') });
  },

  queryCredentialInputFields(handle: NativeHandle, methodType: EapMethodTypeInfo, config: Buffer, flags?: number):
  Promise<EapConfigInputField[]> {
    return binding.eapHostQueryCredentialInputFields({ host: handle, flags: checkUint32(flags, 'flags', 0),
      methodType: checkMethodType(methodType), config: checkBuffer(config, 'config') });
  },

  queryUserBlobFromCredentialInputFields(handle: NativeHandle, methodType: EapMethodTypeInfo, config: Buffer,
    fields: EapConfigInputField[], flags?: number): Promise<Buffer> {
    return binding.eapHostQueryUserBlobFromCredentialInputFields({ host: handle,
      flags: checkUint32(flags, 'flags', 0), methodType: checkMethodType(methodType), config: checkBuffer(config, 'config'),
      fields: checkFields(fields, 'fields') });
  },

  queryInteractiveUIInputFields(handle: NativeHandle, uiContext: Buffer, flags?: number): Promise<EapInteractiveUiData> {
    return binding.eapHostQueryInteractiveUIInputFields({ host: handle,
      flags: checkUint32(flags, 'flags', 0), uiContext: checkBuffer(uiContext, 'uiContext') });
  },

  queryUIBlobFromInteractiveUIInputFields(handle: NativeHandle, uiContext: Buffer, data: EapInteractiveUiData,
    flags?: number): Promise<Buffer> {
    return binding.eapHostQueryUIBlobFromInteractiveUIInputFields({ host: handle,
      flags: checkUint32(flags, 'flags', 0), uiContext: checkBuffer(uiContext, 'uiContext'), data: checkUiData(data) });
  },

  async getMethodProperties(handle: NativeHandle, methodType: EapMethodTypeInfo,
    options: { config?: Buffer; userData?: Buffer; flags?: number } = {}): Promise<EapMethodProperty[]> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const properties: EapMethodProperty[] = await binding.eapHostGetMethodProperties({ host: handle,
      flags: checkUint32(options.flags, 'flags', 0), methodType: checkMethodType(methodType),
      config: optionalBuffer(options.config, 'config'), userData: optionalBuffer(options.userData, 'userData') });
    return properties.map((p) => {
      const name = EAP_METHOD_PROPERTY_NAMES[p.type];
      return name === undefined ? p : { type: p.type, name, valueType: p.valueType, value: p.value };
    });
  },

  invokeConfigUI(handle: NativeHandle, parentWindow: NativeWindowHandle, methodType: EapMethodTypeInfo, config?: Buffer):
  Promise<Buffer> {
    return binding.eapHostInvokeConfigUI({ host: handle, flags: 0, parentWindow: checkWindow(parentWindow),
      methodType: checkMethodType(methodType), config: optionalBuffer(config, 'config') });
  },

  invokeIdentityUI(handle: NativeHandle, parentWindow: NativeWindowHandle, methodType: EapMethodTypeInfo, config?: Buffer,
    userData?: Buffer, flags?: number): Promise<{ identity: string; userData: Buffer }> {
    return binding.eapHostInvokeIdentityUI({ host: handle, flags: checkUint32(flags, 'flags', 0),
      parentWindow: checkWindow(parentWindow), methodType: checkMethodType(methodType),
      config: optionalBuffer(config, 'config'), userData: optionalBuffer(userData, 'userData') });
  },

  invokeInteractiveUI(handle: NativeHandle, parentWindow: NativeWindowHandle, uiContext: Buffer): Promise<Buffer> {
    return binding.eapHostInvokeInteractiveUI({ host: handle, parentWindow: checkWindow(parentWindow),
      uiContext: checkBuffer(uiContext, 'uiContext') });
  },
};
