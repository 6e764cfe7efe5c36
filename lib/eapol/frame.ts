/** EAPOL (IEEE 802.1X-2010 §11.3) packet types and addresses, as the port speaks them. */
export enum EapolPacketType {
  EapPacket = 0,
  Start = 1,
  Logoff = 2,
  Key = 3,
}

/** 802.1X-2004's version: what wpa_supplicant and hostapd send by default, and every authenticator accepts. */
export const EAPOL_VERSION = 2;

/** 01:80:c2:00:00:03, the port access entity group address. */
export const PAE_GROUP_ADDRESS: Buffer = Buffer.from([0x01, 0x80, 0xc2, 0x00, 0x00, 0x03]);

/** aa:bb:cc:dd:ee:ff, lower case: how MACs are shown and keyed. */
export function macText(mac: Buffer): string {
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/** A group (multicast or broadcast) address: never a station's source. */
export function isGroupAddress(mac: Buffer): boolean {
  return (mac[0] & 1) === 1;
}
