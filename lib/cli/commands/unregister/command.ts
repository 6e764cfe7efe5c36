/** `eaphost unregister`: the registration and its copy removed. The body (register/) loads only when it runs. */
import type { CommandDefinition } from '../../main';
import { SERVICE, SIDES, WHICH_METHODS } from '../register/flags';

export const command: CommandDefinition = {
  name: 'unregister',
  summary: 'remove a method\'s EAPHost registration, and its copy once no registration names it',
  order: 12,
  forms: [{
    usage: ['unregister --shipped [--peer] [--authenticator] [--restart-service [--keep-running NAME]]',
      'unregister [--type N] [--author N] [--vendor-id N --vendor-type N] [--peer] [--authenticator] [--restart-service [--keep-running NAME]]'],
    families: [WHICH_METHODS, SIDES, SERVICE],
    run: async ({ values }, io) => (await import('../register/run')).runUnregister(values, io),
  }],
};
