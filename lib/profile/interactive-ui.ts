/**
 * The supplicant's answer to a method's InvokeUI, as Microsoft's sample supplicant gives it,
 * without showing anything: the credentials given to beginSession fill the input fields the
 * method asks for (QueryInteractiveUIInputFields), the host turns them into the method's UI
 * blob (QueryUIBlobFromInteractiveUIInputFields), and SetUIContext hands it back. A session
 * begun without credentials cannot be answered: it fails with an EapError saying so, instead
 * of waiting for a dialog nobody will see.
 */
import { EapError, Win32 } from '../core/errors';
import type { ResponseAction } from '../core/constants';

/** EAP_CONFIG_INPUT_FIELD_TYPE values the credentials can fill. */
const USERNAME_FIELDS = new Set([0 /* Username */, 2 /* NetworkUsername */]);
const PASSWORD_FIELDS = new Set([1 /* Password */, 3 /* NetworkPassword */]);
/** EAP_INTERACTIVE_UI_DATA_TYPE EapCredExpiryReq. */
const CRED_EXPIRY_REQ = 2;

/** The part of EapHost the answer needs (eappcfg's interactive-UI calls). */
export interface InteractiveUiHost {
  queryInteractiveUIInputFields(uiContext: Buffer, flags?: number): Promise<unknown>;
  queryUIBlobFromInteractiveUIInputFields(uiContext: Buffer, data: never, flags?: number): Promise<Buffer>;
}

/** The part of an EAPHost session the answer needs (an InteractiveUiSession). */
export interface InteractiveUiSession {
  getUIContext(): Promise<Buffer>;
  setUIContext(context: Buffer): Promise<ResponseAction>;
  getSendPacket(): Promise<Buffer>;
}

interface UiCredentials {
  host: InteractiveUiHost;
  identity: string;
  /** UTF-8, zero-filled when the session ends (held by the session). */
  password?: Buffer;
}

// Weak: the entry lives exactly as long as the session object.
const sessionCredentials = new WeakMap<InteractiveUiSession, UiCredentials>();

/** Remembers what beginSession was given, to answer InvokeUI later. */
export function rememberCredentials(session: InteractiveUiSession, host: InteractiveUiHost,
                                    credentials: { identity?: string; password?: string } | undefined,
                                    hold: (buffers: Buffer[]) => void): void {
  if (credentials?.identity === undefined) return;
  const password = credentials.password !== undefined ? Buffer.from(credentials.password, 'utf8') : undefined;
  if (password) hold([password]);
  sessionCredentials.set(session, { host, identity: credentials.identity, password });
}

interface InputField { type: number; data: string }

function isInputField(value: unknown): value is InputField {
  return typeof value === 'object' && value !== null && typeof (value as InputField).type === 'number' &&
    'data' in (value as object);
}

/** Fills every username / password input field found in the interactive-UI data. */
function fill(data: unknown, credentials: UiCredentials, filled: { username: number; password: number }): void {
  if (Array.isArray(data)) {
    for (const item of data) {
      if (isInputField(item)) {
        if (USERNAME_FIELDS.has(item.type)) {
          item.data = credentials.identity;
          filled.username++;
        } else if (PASSWORD_FIELDS.has(item.type) && credentials.password) {
          item.data = credentials.password.toString('utf8');
          filled.password++;
        }
      } else {
        fill(item, credentials, filled);
      }
    }
  } else if (typeof data === 'object' && data !== null && !Buffer.isBuffer(data)) {
    for (const value of Object.values(data)) fill(value, credentials, filled);
  }
}

function missing(rootCause: string): EapError {
  return new EapError({
    win32Error: Win32.ERROR_NOT_SUPPORTED, call: 'EapHostPeerGetUIContext', origin: 'host',
    rootCause,
    repair: 'Begin the session with identity and password (or credentialsXml) so the method has its credentials up front',
  });
}

/**
 * Answers the method's InvokeUI from the session's credentials and returns what the method does
 * next (with the packet to send when it is 'send').
 */
export async function answerInvokeUi(session: InteractiveUiSession): Promise<{ action: ResponseAction; packet?: Buffer }> {
  const credentials = sessionCredentials.get(session);
  if (!credentials) {
    throw missing('the method asks for credentials through its user interface (InvokeUI), and the session was ' +
      'begun without credentials: this library shows no UI');
  }
  const context = await session.getUIContext();
  let blob: Buffer | undefined;
  try {
    const data = await credentials.host.queryInteractiveUIInputFields(context);
    if ((data as { type?: unknown })?.type === CRED_EXPIRY_REQ) {
      // A new password is the user's choice: answering with the old one would only be refused.
      throw missing('the password has expired and the method asks for a new one (InvokeUI), which credentials given ' +
        'up front cannot answer');
    }
    const filled = { username: 0, password: 0 };
    fill(data, credentials, filled);
    if (filled.username + filled.password === 0) {
      throw missing('the method asks through its user interface (InvokeUI) for input other than a user name or ' +
        'password, which credentials given up front cannot answer');
    }
    blob = await credentials.host.queryUIBlobFromInteractiveUIInputFields(context, data as never);
    const action = await session.setUIContext(blob);
    return action === 'send' ? { action, packet: await session.getSendPacket() } : { action };
  } finally {
    context.fill(0);
    blob?.fill(0);
  }
}
