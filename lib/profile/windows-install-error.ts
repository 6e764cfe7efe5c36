/**
 * A step of installing a profile on Windows failed (install-windows.ts, windows-lan.ts): the
 * step, and Windows' own account of it — the Win32 error, the WLAN_REASON_CODE WlanSetProfile
 * gave, the call that failed — so a caller branches on codes, not on text.
 */
import { ProfileError } from './network-profile';

export type WindowsInstallStep = 'root-certificate' | 'client-certificate' | 'wlan-profile' | 'lan-profile';

export class WindowsInstallError extends ProfileError {
  readonly step: WindowsInstallStep;
  /** The Win32 error; for a netsh step, netsh's exit status (netsh reports no code, only its text). */
  readonly win32Error: number;
  /** WlanSetProfile's WLAN_REASON_CODE (0 elsewhere). */
  readonly reasonCode: number;
  /** The Windows call (or netsh command) that failed. */
  readonly call: string;

  constructor(step: WindowsInstallStep, what: string, fields: { win32Error: number; reasonCode?: number; call: string },
    cause?: unknown) {
    super('unsupported', '', `${step}: ${what}`);
    this.name = 'WindowsInstallError';
    this.step = step;
    this.win32Error = fields.win32Error;
    this.reasonCode = fields.reasonCode ?? 0;
    this.call = fields.call;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
  }
}
