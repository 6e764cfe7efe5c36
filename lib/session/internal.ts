/**
 * The members the package's own modules call on its public classes beyond their public API, each
 * keyed by one of these symbols. No entry point exports this module, so a user cannot name them,
 * and each member is marked internal, so the shipped declarations leave it out (stripInternal).
 * Grep a key's name to find the member and every caller.
 */

/** A loaded method module's native handle (PeerMethod, AuthenticatorMethod). */
export const methodHandle: unique symbol = Symbol('methodHandle');
/** A loaded peer method's credential fields, for checkCredentialLimits (PeerMethod). */
export const credentialLimits: unique symbol = Symbol('credentialLimits');
/** Runs work with a session's native handle through its call gate (EapHostSession). */
export const sessionCall: unique symbol = Symbol('sessionCall');
/** Hands a session key material to zero-fill when it ends (EapHostSession). */
export const holdUntilEnd: unique symbol = Symbol('holdUntilEnd');
/** The addon's token for a session's notifications (EapHostSession). */
export const notificationToken: unique symbol = Symbol('notificationToken');
/** beginSession's checks and making, up to the native call (EapHost). */
export const prepareBegin: unique symbol = Symbol('prepareBegin');
/** beginSession() from what prepareBegin made (EapHost). */
export const beginPrepared: unique symbol = Symbol('beginPrepared');
/** Begins a conversation with an in-process peer (AuthenticatorConversation). */
export const beginWithPeer: unique symbol = Symbol('beginWithPeer');
/** Goes on with an in-process peer's response, or its discard (AuthenticatorConversation). */
export const runWithPeer: unique symbol = Symbol('runWithPeer');
