/** The formats `eaphost profile --to` writes: the command's declaration and its body both read them. */
export const PROFILE_FORMATS = ['wlan', 'lan', 'wpa-supplicant', 'networkmanager', 'mobileconfig', 'eap-config', 'json'] as const;
export type ProfileFormat = typeof PROFILE_FORMATS[number];
