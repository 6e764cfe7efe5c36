/** The flags `eaphost register` and `eaphost unregister` share (their command files declare them). */
import { FlagFamily, bool, text } from '../../flags';

export const WHICH_METHODS: FlagFamily = {
  title: 'Which methods',
  flags: [
    bool('shipped', 'every method this package ships, from its own eap_methods.dll (its manifest gives each type, name, author and properties)'),
    text('type', 'N', 'the EAP type (default 4); 254 is the expanded type, with --vendor-id and --vendor-type'),
    text('author', 'N', 'the author id (default 32473, the shipped modules\')'),
    text('vendor-id', 'N', 'with --type 254: the 24-bit vendor id'),
    text('vendor-type', 'N', 'with --type 254: the vendor type'),
  ],
};

export const SIDES: FlagFamily = {
  title: 'Sides',
  flags: [
    bool('peer', 'the peer side only (PeerDllPath and its values)'),
    bool('authenticator', 'the authenticator side only (AuthenticatorDllPath and its values); neither flag: both'),
  ],
};

export const SERVICE: FlagFamily = {
  title: 'Service',
  flags: [
    bool('restart-service', 'stop the services that depend on EapHost and run (Wired AutoConfig), stop EapHost, do the work, ' +
      'then start again what it stopped, so EapHost reads the registrations (it reads them when it starts); ' +
      'register does the work first, with EapHost running, and restarts it even when nothing changed (a register ' +
      'without the flag may have written the same registration after EapHost started)'),
    text('keep-running', 'NAME', 'with --restart-service: when this service (e.g. dot3svc, Wired AutoConfig) depends on EapHost ' +
      'and runs, stop nothing: the work is done without the restart, and EapHost reads it when it next starts'),
  ],
};

/** register's alone: unregister has nothing to start EapHost for. */
export const START: FlagFamily = {
  title: 'Start',
  flags: [
    bool('start-service', 'start EapHost after the work when it is not running (--restart-service leaves a ' +
      'stopped EapHost stopped; GitHub\'s images leave it on Manual)'),
  ],
};

export const MODULE: FlagFamily = {
  title: 'Module',
  flags: [
    text('module', 'PATH', 'another method module (an absolute local path): it and the DLLs it loads from its folder are copied'),
    text('name', 'TEXT', 'its friendly name (default "EAP-MD5 (eaphost)")'),
    text('properties', 'N', 'its EAP_METHOD_PROPERTY bits (default 0, which hides it from Windows\' supplicants)'),
    text('author-name', 'TEXT', 'the author\'s name GetMethods reports (default "eaphost")'),
  ],
};
