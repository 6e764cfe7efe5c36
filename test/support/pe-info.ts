/** scripts/dev/pe-info.js (plain JS, run by the lanes and workflows) as the tests read it, typed once. */
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const { readPe } = require(path.join(__dirname, '..', '..', '..', 'scripts', 'dev', 'pe-info.js')) as {
  readPe(file: string): { arch: string; imports: string[]; delayImports: string[] };
};
