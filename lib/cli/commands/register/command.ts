/** `eaphost register`: a method module registered with EAPHost from a protected copy. The body (register/) loads only when it runs. */
import type { CommandDefinition } from '../../main';
import { MODULE, SERVICE, SIDES, START, WHICH_METHODS } from './flags';

export const command: CommandDefinition = {
  name: 'register',
  summary: 'register a method module with EAPHost (Windows, as an administrator), from a copy under %ProgramFiles%\\eaphost only administrators can change',
  order: 11,
  forms: [{
    usage: ['register --shipped [--peer] [--authenticator] [--restart-service [--keep-running NAME]] [--start-service]',
      'register --module PATH [--type N] [--author N] [--vendor-id N --vendor-type N] [--name TEXT] [--properties N] ' +
      '[--author-name TEXT] [--peer] [--authenticator] [--restart-service [--keep-running NAME]] [--start-service]'],
    families: [WHICH_METHODS, MODULE, SIDES, SERVICE, START],
    run: async ({ values }, io) => (await import('./run')).runRegister(values, io),
  }],
};
